"""Building PatchForecaster's skorch net: its module's sizes, its callbacks and
its time-ordered split, assembled in one place from the resolved
hyper-parameters and what ``fit`` decided from the data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
from skorch.callbacks import GradientNormClipping, LRScheduler, ProgressBar
from skorch.helper import predefined_split
from skorch.utils import noop

from .._patching import n_patches
from .._validation import median_index
from ..nn import NETWORK_PARAMS, ChannelScaledLoss, PatchLSTMNet, TokenPool
from ..windows import collate_windows
from .callbacks import (
    BlendWeight,
    DivergenceGuard,
    EarlyStoppingFromStart,
    RidgeStart,
    TimeBudget,
    TimeLeft,
    TimeOrderedSplit,
    WeightAveraging,
)
from .net import PatchNet
from .runtime import generator, inference_batch_size, seeded

__all__ = [
    "MAX_DECLARED_SIZE",
    "NetSpec",
    "build_net",
    "default_callbacks",
    "saved_weights_problem",
    "train_split",
]

#: The largest size (steps, channels, widths) a saved network may declare:
#: checked before the network is sized at all.
MAX_DECLARED_SIZE = 2**24


@dataclass(frozen=True)
class NetSpec:
    """What the net is built from besides the hyper-parameters: the sizes and
    statistics of the training data and what ``fit`` decided from them.

    Every field is kept by the fitted estimator (``lookback_``,
    ``patch_len_``, ...), so that a saved model's net is built again from it.

    Parameters
    ----------
    lookback, horizon, n_channels : int
        Steps the network reads, steps it forecasts, channels of a window.
    patch_len : int
        Steps per patch.
    groups : list of list of int
        The channel groups patched together.
    scale : list of float
        Each channel's spread in the training windows.
    levels : ndarray or None
        The quantile levels of the head (sorted, with 0.5), or None.
    targets, future : list of int or None
        The channels forecast, and those known over the horizon.
    has_valid : bool
        Whether training has validation windows.
    gap : int
        Windows left out before the validation windows.
    device : str
        The torch device.
    seed : int
        The fit's seed; its random streams derive from it.
    """

    lookback: int
    horizon: int
    n_channels: int
    patch_len: int
    groups: list[list[int]]
    scale: list[float]
    levels: np.ndarray | None
    targets: list[int] | None
    future: list[int] | None
    has_valid: bool
    gap: int
    device: str
    seed: int

    @property
    def mixed(self) -> bool:
        """Whether some channels are covariates (inputs only)."""
        return self.targets is not None or self.future is not None


def default_callbacks(
    params: Mapping[str, Any], spec: NetSpec
) -> list[tuple[str, Any]]:
    """Every callback of the training, in the order they must run (as
    skorch's ``NeuralNet._default_callbacks``)."""
    skip = params["linear_skip"]
    callbacks: list[tuple[str, Any]] = [("divergence", DivergenceGuard(params["lr"]))]
    if params["gradient_clip"] is not None:
        callbacks.append(("clip", GradientNormClipping(params["gradient_clip"])))
    if params["lr_schedule"] == "cosine":
        # last_epoch=-1: each fit (a warm start's too) anneals over its own epochs
        schedule = LRScheduler(
            "CosineAnnealingLR", T_max=params["max_epochs"], last_epoch=-1
        )
        callbacks.append(("lr_schedule", schedule))
    if skip in ("ridge", "blend"):  # before early stopping
        callbacks.append(("ridge_start", RidgeStart(zero_head=skip == "ridge")))
    if params["ema_halflife"] is not None:  # before early stopping: see its doc
        averaging = WeightAveraging(params["ema_halflife"])
        callbacks.append(("weight_averaging", averaging))
    if params["patience"] is not None:
        stopping = EarlyStoppingFromStart(
            score_start=skip == "ridge",
            monitor="valid_loss" if spec.has_valid else "train_loss",
            patience=params["patience"],
            load_best=True,
            sink=print if params["verbose"] else noop,
        )
        callbacks.append(("early_stopping", stopping))
    if skip == "blend":  # after early stopping restores the best
        callbacks.append(("blend", BlendWeight()))
    if params["verbose"]:
        time_left = TimeLeft(print, params["max_time"])
        callbacks += [("progress", ProgressBar()), ("time_left", time_left)]
    if params["max_time"] is not None:  # last: every other callback sees each epoch
        sink = print if params["verbose"] else noop
        callbacks.append(("time_budget", TimeBudget(params["max_time"], sink)))
    return callbacks


def train_split(params: Mapping[str, Any], spec: NetSpec, valid: Any = None) -> Any:
    """skorch's ``train_split``: the explicit validation windows, else the
    latest ``validation_fraction`` of the training windows (a gap before),
    else none."""
    if valid is not None:
        return predefined_split(valid)
    if spec.has_valid:
        return TimeOrderedSplit(
            params["validation_fraction"],
            gap=spec.gap,
            max_windows=params["windows_per_epoch"],
        )
    return None


def build_net(params: Mapping[str, Any], spec: NetSpec, valid: Any = None) -> PatchNet:
    """The skorch net, initialised under the fit's seed: its module's sizes
    from the data, its callbacks and its split.

    Parameters
    ----------
    params : mapping
        Every hyper-parameter's value (``resolved_params_``: no ``"auto"``).
    spec : NetSpec
        The data's sizes and statistics.
    valid : Dataset, SeriesWindows or None, default=None
        Explicit validation windows (``fit``'s ``X_val``/``y_val``).

    Returns
    -------
    net : PatchNet
        Initialised, untrained.
    """
    independent = all(len(g) == 1 for g in spec.groups) and len(spec.groups) == (
        spec.n_channels
    )
    loss_scale = (
        spec.scale if spec.targets is None else [spec.scale[t] for t in spec.targets]
    )
    levels = spec.levels
    # the recurrent layer's steps: a window's patches after pooling
    stride = spec.patch_len if params["stride"] is None else params["stride"]
    n_steps = TokenPool.n_out(
        n_patches(spec.lookback, spec.patch_len, stride, params["padding"]),
        params["pool_size"],
    )
    batch_size = params["batch_size"]
    with seeded(spec.seed, spec.device):
        net = PatchNet(
            module=PatchLSTMNet,
            **{f"module__{name}": params[name] for name in NETWORK_PARAMS},
            module__lookback=spec.lookback,
            module__horizon=spec.horizon,
            module__n_channels=spec.n_channels,
            module__patch_len=spec.patch_len,
            module__channel_groups=(None if independent or spec.mixed else spec.groups),
            module__targets=spec.targets,
            module__future=spec.future,
            module__linear_skip=params["linear_skip"] != "none",
            module__blend=params["linear_skip"] == "blend",
            module__channel_scale=spec.scale,
            module__n_quantiles=1 if levels is None else len(levels),
            module__median_index=None if levels is None else median_index(levels),
            criterion=ChannelScaledLoss,
            criterion__loss=params["loss"],
            criterion__eval_loss=params["valid_loss"],
            criterion__scale=loss_scale,
            criterion__quantiles=None if levels is None else levels.tolist(),
            optimizer=torch.optim.AdamW,
            optimizer__weight_decay=params["weight_decay"],
            lr=params["lr"],
            max_epochs=params["max_epochs"],
            windows_per_epoch=params["windows_per_epoch"],
            batch_size=batch_size,
            # prediction and validation: see inference_batch_size
            iterator_valid__batch_size=inference_batch_size(
                spec.device, len(spec.groups), n_steps, batch_size
            ),
            iterator_train__shuffle=True,
            # shuffled from a stream of the model's own (see train_net); every
            # DataLoader draws a base seed, so the validation and prediction
            # loaders get one too, and predict leaves the caller's streams alone
            iterator_train__generator=generator(spec.seed + 1),
            iterator_valid__generator=generator(spec.seed + 4),
            # a SeriesWindows batch arrives stacked; anything else is collated
            # by torch's default_collate as usual
            iterator_train__collate_fn=collate_windows,
            iterator_valid__collate_fn=collate_windows,
            train_split=train_split(params, spec, valid),
            callbacks=default_callbacks(params, spec),
            device=spec.device,
            amp=params["amp"],
            verbose=int(params["verbose"]),
        )
        net.initialize()
    return net


def saved_weights_problem(
    params: Mapping[str, Any], spec: NetSpec, weights: Mapping[str, Any]
) -> str | None:
    """Why ``weights`` (read from a file) are not the weights of the net that
    ``params`` and ``spec`` declare, or None when they are.

    The declared sizes are bounded first (:data:`MAX_DECLARED_SIZE`); the net
    is then built on torch's ``meta`` device, which allocates no memory, and
    its weights' names and shapes compared with the file's: a file cannot
    make ``load`` allocate a network larger than the weights it holds.
    """
    sizes = {
        "lookback": spec.lookback,
        "horizon": spec.horizon,
        "n_channels": spec.n_channels,
        "patch_len": spec.patch_len,
        **{k: params.get(k) for k in ("d_model", "hidden_size", "num_layers")},
        **{k: params.get(k) for k in ("pool_size", "stride", "n_jobs")},
    }
    for name, size in sizes.items():
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            return f"it declares {name}={size!r}, not a size"
        if not 0 < size <= MAX_DECLARED_SIZE:
            return (
                f"it declares {name}={size}, outside 1 .. {MAX_DECLARED_SIZE} (the "
                "sizes a saved network may declare)"
            )
    try:
        with torch.device("meta"):
            shell = build_net(params, replace(spec, device="meta"))
    except (TypeError, ValueError, RuntimeError, IndexError) as exc:
        return f"its network cannot be built ({type(exc).__name__}: {exc})"
    expected = {k: tuple(v.shape) for k, v in shell.module_.state_dict().items()}
    saved = {
        k: tuple(v.shape) if isinstance(v, torch.Tensor) else None
        for k, v in weights.items()
    }
    if saved != expected:
        differ = sorted(k for k in expected.keys() | saved.keys()
                        if expected.get(k) != saved.get(k))  # fmt: skip
        first = differ[0]
        return (
            f"its weights are not those of the network it declares ({len(differ)} "
            f"differ; {first!r} is {saved.get(first)} in the file, "
            f"{expected.get(first)} in the network)"
        )
    return None
