"""The linear floor: a network that does not beat the closed-form baseline on
its validation windows *is* that baseline.

After :class:`~sktime_patches.PatchForecaster` trains, :func:`choose_floor`
fits :class:`~sktime_patches.baselines.LastValueRidge` exactly as a user would
on the same windows (the same penalties, chosen the same way on the same
validation windows, refitted on every window), and scores the trained network
and the baseline on those validation windows in the baseline's units (errors
divided by each channel's spread). Unless the network is strictly better, the
forecaster's ``linear_floor_`` is the baseline and its forecasts are the
baseline's, to the last digit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._training.inputs import ArrayInput, SeriesInput
from .baselines import LastValueRidge
from .windows import SeriesWindows, time_ordered_indices

__all__ = ["FloorChoice", "choose_floor", "floor_applies"]

#: Relative margin by which the network must beat the baseline: the float32
#: network computes its ridge start to about 1e-7.
_TOLERANCE = 1e-5


@dataclass(frozen=True)
class FloorChoice:
    """The outcome of :func:`choose_floor`.

    Parameters
    ----------
    floor : LastValueRidge or None
        The fitted baseline when the model is that baseline; None when the
        network is kept.
    network_mse, linear_mse : float or None
        Validation MSE (on values divided by each channel's spread) of the
        trained network and of the baseline fitted without the validation
        windows; None when there are no validation windows.
    """

    floor: LastValueRidge | None
    network_mse: float | None
    linear_mse: float | None

    def message(self) -> str:
        """One line saying which model was kept, and why."""
        if self.floor is None:
            return (
                f"The network beats the linear baseline on the validation windows "
                f"(MSE {self.network_mse:.4g} against {self.linear_mse:.4g}); the "
                "model is the network."
            )
        if self.network_mse is None:
            return (
                "No validation windows to judge the network on; the model is the "
                f"linear baseline LastValueRidge (alpha={self.floor.alpha_:g})."
            )
        return (
            "The network does not beat the linear baseline on the validation "
            f"windows (MSE {self.network_mse:.4g} against {self.linear_mse:.4g}); "
            f"the model is LastValueRidge (alpha={self.floor.alpha_:g}), exactly."
        )


def floor_applies(
    params: Mapping[str, Any], targets: Any, future: Any, levels: Any
) -> bool:
    """Whether a fit with these resolved parameters has a linear floor: a
    network with a ridge skip (``linear_skip`` "ridge" or "blend") that
    forecasts points of every channel from their own history (no covariates,
    no quantiles)."""
    return (
        bool(params["linear_floor"])
        and params["linear_skip"] in ("ridge", "blend")
        and targets is None
        and future is None
        and levels is None
    )


def _linear_data(
    data: ArrayInput | SeriesInput, lookback: int
) -> tuple[np.ndarray | SeriesWindows, np.ndarray | None]:
    """The training windows, cut to ``lookback``, as the baseline takes them."""
    if isinstance(data, SeriesInput):
        return data.windows.with_lookback(lookback), None
    return data.X3[:, data.window - lookback :], data.y3


def _held(
    data: ArrayInput | SeriesInput, validation_fraction: float
) -> tuple[np.ndarray | SeriesWindows, np.ndarray]:
    """The windows the baseline chooses its penalty on (the latest
    ``validation_fraction``, a horizon's gap before), whole (as ``predict``
    takes them), and their targets."""
    if isinstance(data, SeriesInput):
        held = data.windows.time_split(validation_fraction, data.gap)[1]
        return held, held.targets()
    _, valid = time_ordered_indices(len(data), validation_fraction, data.gap)
    return data.X3[valid], data.y3[valid]


def _explicit(
    lookback: int, X_val: Any, y_val: Any
) -> tuple[np.ndarray | SeriesWindows, np.ndarray | SeriesWindows, Any]:
    """``fit``'s own validation windows: whole (for ``predict``), cut to
    ``lookback`` (for the baseline), and their targets."""
    if isinstance(X_val, SeriesWindows):
        return X_val, X_val.with_lookback(lookback), X_val.targets()
    Xv = np.asarray(X_val, dtype=np.float64)
    Xv = Xv if Xv.ndim == 3 else Xv[:, :, None]
    return Xv, Xv[:, Xv.shape[1] - lookback :], y_val


def choose_floor(
    data: ArrayInput | SeriesInput,
    lookback: int,
    validation_fraction: float,
    explicit: tuple[Any, Any],
    network_predict: Callable[[Any], np.ndarray],
) -> FloorChoice:
    """Fit the baseline on the training windows and keep it unless the
    network beats it on the validation windows.

    Parameters
    ----------
    data : ArrayInput or SeriesInput
        The training windows, validated.
    lookback : int
        Steps the network reads (the windows are cut to them).
    validation_fraction : float
        The network's validation share (the baseline chooses its penalty on
        the same windows).
    explicit : tuple of (X_val, y_val)
        ``fit``'s explicit validation windows, or ``(None, None)``.
    network_predict : callable
        Windows (as the network's ``predict`` takes them) -> forecasts
        ``(n_windows, horizon, n_channels)``.

    Returns
    -------
    FloorChoice
    """
    X, y = _linear_data(data, lookback)
    baseline = LastValueRidge(validation_fraction=validation_fraction)
    X_val, y_val = explicit
    if X_val is not None:
        held_X, cut, held_y = _explicit(lookback, X_val, y_val)
        baseline.fit(X, y, X_val=cut, y_val=None if y_val is None else held_y)
    else:
        baseline.fit(X, y)
        held_X, held_y = _held(data, validation_fraction)
    if baseline.validation_mse_ is None:
        return FloorChoice(baseline, None, None)
    pred = np.asarray(network_predict(held_X), dtype=np.float64)
    truth = np.asarray(held_y, dtype=np.float64).reshape(pred.shape)
    network_mse = float(np.mean(((pred - truth) / baseline.scale_) ** 2))
    # strictly better, beyond the float32 rounding of a network that is still
    # its ridge start
    keep = network_mse < baseline.validation_mse_ * (1 - _TOLERANCE)
    return FloorChoice(
        None if keep else baseline, network_mse, baseline.validation_mse_
    )
