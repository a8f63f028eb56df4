"""skorch pieces for PatchForecaster: a time-ordered split, a divergence guard."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import torch
from skorch.callbacks import Callback, EarlyStopping
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import Subset

from ._validation import TrainingDivergedError

__all__ = [
    "DivergenceGuard",
    "EarlyStoppingFromStart",
    "TimeOrderedSplit",
    "WeightAveraging",
    "time_ordered_indices",
]


def time_ordered_indices(
    n_windows: int, validation_fraction: float, gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation window indices: validate on the **latest** windows.

    The last ``ceil(n_windows * validation_fraction)`` windows validate; the
    ``gap`` windows before them are dropped so that no training target overlaps a
    validation target (for stride-1 windows, ``gap = horizon``). When too few
    windows remain for both, everything trains and the validation set is empty.

    Examples
    --------
    >>> train, valid = time_ordered_indices(20, 0.2, gap=3)
    >>> train.tolist(), valid.tolist()
    ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [16, 17, 18, 19])
    """
    n_valid = math.ceil(n_windows * validation_fraction) if validation_fraction else 0
    n_train = n_windows - n_valid - gap
    if n_valid < 1 or n_train < max(1, n_valid):
        return np.arange(n_windows), np.arange(0)
    return np.arange(n_train), np.arange(n_windows - n_valid, n_windows)


class TimeOrderedSplit:
    """A skorch ``train_split`` that validates on the latest windows (never a
    random split, which would leak the future into training).

    Parameters
    ----------
    validation_fraction : float
        Share of the windows, taken from the end, used for validation.
    gap : int
        Windows dropped between the training and the validation windows (of
        each series, for a :class:`~sktime_patches.data.SeriesWindows`, which
        is split per series with :meth:`~sktime_patches.data.SeriesWindows.time_split`).
    """

    def __init__(self, validation_fraction: float, gap: int) -> None:
        self.validation_fraction = validation_fraction
        self.gap = gap

    def __call__(self, dataset: Any, y: Any = None, groups: Any = None):
        from .data import SeriesWindows

        if isinstance(dataset, SeriesWindows):
            # per series: its latest windows validate; views share the values
            train_ds, valid_ds = dataset.time_split(
                self.validation_fraction, gap=self.gap
            )
            return train_ds, (valid_ds if len(valid_ds) else None)
        train, valid = time_ordered_indices(
            len(dataset), self.validation_fraction, self.gap
        )
        if len(valid) == 0:
            return dataset, None
        return Subset(dataset, train.tolist()), Subset(dataset, valid.tolist())


class DivergenceGuard(Callback):
    """Stop training with a clear error as soon as the training loss is not finite.

    Parameters
    ----------
    lr : float
        The learning rate in use, quoted in the error message.
    """

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        loss = net.history[-1, "train_loss"]
        if not math.isfinite(loss):
            epoch = len(net.history)
            raise TrainingDivergedError(
                f"Training diverged at epoch {epoch}: the training loss became {loss}. "
                f"No model was kept. Lower the learning rate (lr={self.lr:g}; try "
                f"lr={self.lr / 10:g}), keep gradient clipping on (gradient_clip), and "
                "check that X and y are on a similar, moderate scale."
            )


class EarlyStoppingFromStart(EarlyStopping):
    """skorch's ``EarlyStopping`` that also counts the weights training starts from.

    When training starts from a model that is already good (the linear skip at
    its ridge solution), every epoch may make the validation loss worse; plain
    early stopping would then restore the best *trained* epoch, worse than the
    start. Set :attr:`initial_score` to the validation loss of the starting
    weights before training: they then compete as "epoch 0", and are restored if
    no epoch beats them.

    Parameters
    ----------
    **kwargs
        Passed to :class:`skorch.callbacks.EarlyStopping`.

    Attributes
    ----------
    initial_score : float or None
        Validation loss of the starting weights; None (the default) or a
        non-finite value behaves as plain ``EarlyStopping``. Consumed (reset to
        None) when training begins.
    """

    initial_score: float | None = None

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        super().on_train_begin(net, **kwargs)
        score, self.initial_score = self.initial_score, None
        if score is None or not math.isfinite(score):
            return
        self.dynamic_threshold_ = self._calc_new_threshold(score)
        self.best_epoch_ = 0
        if self.load_best:
            self.best_model_weights_ = copy.deepcopy(net.module_.state_dict())


class WeightAveraging(Callback):
    """Validate, and keep, an exponential moving average (EMA) of the weights.

    The average is :class:`torch.optim.swa_utils.AveragedModel`, started from
    the weights at the end of the first epoch and updated after every optimizer
    step from then on. Each validation pass runs on the averaged weights, so
    early stopping compares and restores averaged weights; the next epoch trains
    on from the raw weights. After training the network holds the averaged
    weights (with early stopping: its best epoch's).

    Place it before early stopping in the callbacks, so that early stopping's
    restore of the best epoch comes last.

    Parameters
    ----------
    halflife : float
        Half-life of the average, in epochs: the weights of ``halflife`` epochs
        ago count half as much as the latest. The per-step decay is
        ``0.5 ** (1 / (halflife * steps_per_epoch))``, with the steps counted in
        the first epoch.
    """

    def __init__(self, halflife: float) -> None:
        self.halflife = halflife

    def initialize(self) -> WeightAveraging:
        self._reset()
        return self

    def _reset(self) -> None:
        self.averaged_: AveragedModel | None = None
        self.raw_: dict[str, torch.Tensor] | None = None
        self.steps_ = 0

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        self._reset()

    def on_epoch_begin(self, net: Any, **kwargs: Any) -> None:
        if self.raw_ is not None:  # train on from the raw weights
            net.module_.load_state_dict(self.raw_)
            self.raw_ = None

    def on_batch_begin(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        if not training and self.averaged_ is not None and self.raw_ is None:
            self._swap_in(net)

    def on_batch_end(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        if training:
            self.steps_ += 1
            if self.averaged_ is not None:
                self.averaged_.update_parameters(net.module_)

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        if self.averaged_ is None and self.steps_:
            decay = 0.5 ** (1.0 / (self.halflife * self.steps_))
            self.averaged_ = AveragedModel(
                net.module_,
                multi_avg_fn=get_ema_multi_avg_fn(decay),
                use_buffers=True,
            )
            # its first update copies: the average starts at this epoch's weights
            self.averaged_.update_parameters(net.module_)

    def on_train_end(self, net: Any, **kwargs: Any) -> None:
        if self.averaged_ is not None and self.raw_ is None:
            self._swap_in(net)  # no validation after the last step
        self._reset()  # the average is in the network; do not pickle a copy

    def _swap_in(self, net: Any) -> None:
        self.raw_ = copy.deepcopy(net.module_.state_dict())
        net.module_.load_state_dict(self.averaged_.module.state_dict())
