"""The two kinds of training input behind one interface: windows arrays, or a
SeriesWindows that cuts them on demand.

``PatchForecaster`` asks an input for its shape, the data skorch trains on, the
gap its time-ordered split needs and each channel's spread; only this module
knows which kind it holds.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from skorch.dataset import Dataset

from .._ridge import spread, spread_indices
from .._validation import check_window_arrays, check_y_windows, validate_windows
from ..windows import SeriesWindows, time_ordered_indices

__all__ = [
    "ArrayInput",
    "SeriesInput",
    "channel_scale",
    "check_series_windows",
    "prediction_input",
    "targets_of",
    "training_input",
    "validation_input",
    "window_shape",
]


def _check_known_kind(X: Any) -> None:
    """Windows arrays or a SeriesWindows; a generic torch Dataset cannot be split
    in time order, so say what to pass instead."""
    if isinstance(X, torch.utils.data.Dataset) and not isinstance(X, SeriesWindows):
        raise TypeError(
            f"X is a torch Dataset of type {type(X).__name__}; PatchForecaster "
            "trains on windows arrays or on a sktime_patches.SeriesWindows, which "
            "it can split in time order per series. Build one with "
            "SeriesWindows(series, lookback, horizon)."
        )


def window_shape(X: Any) -> tuple[int, int] | None:
    """``(steps, n_channels)`` of the windows in ``X``, read without validating;
    None when ``X`` has no recognisable window shape (validation will say why)."""
    if isinstance(X, SeriesWindows):
        return X.lookback, X.n_channels
    try:
        shape = np.shape(X) if not hasattr(X, "shape") else X.shape
    except ValueError:  # ragged: validation will say so
        return None
    if len(shape) == 2:
        return int(shape[1]), 1
    if len(shape) == 3:
        return int(shape[1]), int(shape[2])
    return None


class ArrayInput:
    """Windows ``(n_windows, window, n_channels)`` and targets in memory.

    Parameters
    ----------
    X3 : ndarray of shape (n_windows, window, n_channels)
        Validated windows.
    y3 : ndarray of shape (n_windows, horizon, n_channels)
        Validated targets.
    y_ndim : int
        The number of dimensions ``y`` was given with (``predict`` answers in
        that form).
    """

    def __init__(
        self, X3: np.ndarray, y3: np.ndarray, y_ndim: int, future_rows: int = 0
    ) -> None:
        self.X3, self.y3, self.y_ndim = X3, y3, y_ndim
        self.window, self.n_channels = X3.shape[1], X3.shape[2]
        self.horizon = y3.shape[1]
        self.future_rows = future_rows
        self.columns: list[str] | None = None

    def __len__(self) -> int:
        return len(self.X3)

    @property
    def gap(self) -> int:
        """Windows between training and validation targets: stride-1 windows
        ``i`` and ``i + horizon`` have disjoint targets."""
        return self.horizon

    def n_valid(self, validation_fraction: float) -> int:
        """Validation windows the time-ordered split would hold out."""
        return len(time_ordered_indices(len(self), validation_fraction, self.gap)[1])

    def fit_data(self, lookback: int) -> tuple[np.ndarray, np.ndarray]:
        """float32 ``(X, y)`` for skorch, the windows cut to their last
        ``lookback`` steps."""
        X = np.ascontiguousarray(self.X3[:, self.window - lookback :], np.float32)
        return X, np.ascontiguousarray(self.y3, dtype=np.float32)

    def last_steps(self, indices: np.ndarray) -> np.ndarray:
        """The last step of windows ``indices``, ``(len(indices), n_channels)``
        (the last of the history, before any known-future rows)."""
        return self.X3[indices, self.window - 1 - self.future_rows, :]


class SeriesInput:
    """Windows cut on demand from one or many series (a SeriesWindows).

    Parameters
    ----------
    windows : SeriesWindows
        The training windows; they carry their targets.
    """

    y_ndim = 3

    def __init__(self, windows: SeriesWindows) -> None:
        self.windows = windows
        self.window, self.n_channels = windows.lookback, windows.n_channels
        self.horizon = windows.horizon
        self.columns = windows.channel_names

    def __len__(self) -> int:
        return len(self.windows)

    @property
    def gap(self) -> int:
        """Windows ``i`` and ``i + k`` of a series have disjoint targets once
        ``k * stride >= horizon``."""
        return math.ceil(self.horizon / self.windows.stride)

    def n_valid(self, validation_fraction: float) -> int:
        return len(self.windows.time_split(validation_fraction, self.gap)[1])

    def fit_data(self, lookback: int) -> tuple[SeriesWindows, None]:
        return self.windows.with_lookback(lookback), None

    def last_steps(self, indices: np.ndarray) -> np.ndarray:
        return self.windows.last_steps(indices)


def channel_scale(data: ArrayInput | SeriesInput) -> list[float]:
    """Each channel's standard deviation over the last step of the training
    windows (:func:`~sktime_patches._ridge.spread` over
    :func:`~sktime_patches._ridge.spread_indices`); where a channel is flat,
    its largest magnitude (1 where that is 0).

    The same statistic for windows arrays and a SeriesWindows over the same
    series, so both train identically, and the same as
    :class:`~sktime_patches.baselines.LastValueRidge`'s ``scale_``, so that the
    network's ridge start is that baseline.
    """
    return spread(data.last_steps(spread_indices(len(data)))).tolist()


def training_input(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    horizon: int | None,
    reset: bool,
    n_targets: int | None = None,
    future_rows: bool = False,
) -> ArrayInput | SeriesInput:
    """Validate ``fit``'s ``(X, y)`` and wrap them; set (``reset=True``) or check
    (``reset=False``) the estimator's input attributes. ``horizon``: the one
    asked for (None: ``y``'s); ``n_targets``: the channels ``y`` holds when
    fewer than ``X``'s; ``future_rows``: the windows end with ``horizon`` rows
    of known-future values."""
    _check_known_kind(X)
    name = type(estimator).__name__
    if isinstance(X, SeriesWindows) and (n_targets is not None or future_rows):
        raise ValueError(
            "target_channels and future_channels take windows arrays; a "
            "SeriesWindows carries every channel as a target. Pass arrays, e.g. "
            "SeriesForecaster(..., X=covariates) builds them."
        )
    if isinstance(X, SeriesWindows):
        if y is not None:
            raise ValueError(
                "X is a SeriesWindows, whose windows carry their targets, but y was "
                f"also passed (a {type(y).__name__}); pass y=None."
            )
        if horizon is not None and horizon != X.horizon:
            raise ValueError(
                f"horizon={horizon} but the SeriesWindows has "
                f"horizon={X.horizon}; pass horizon={X.horizon}, or horizon=None to "
                "take it from the data."
            )
        if reset:
            estimator.n_features_in_ = X.lookback
            estimator.n_channels_in_ = X.n_channels
            if hasattr(estimator, "feature_names_in_"):
                del estimator.feature_names_in_
        return SeriesInput(X)
    X3 = validate_windows(estimator, X, reset=reset)
    n_y = X3.shape[2] if n_targets is None else n_targets
    y3, horizon = check_y_windows(y, X3.shape[0], n_y, horizon, name)
    if future_rows and X3.shape[1] <= horizon:
        raise ValueError(
            f"future_channels needs windows of lookback + horizon rows, the last "
            f"horizon={horizon} holding the known future; X has windows of "
            f"{X3.shape[1]} rows. Append the future rows to each window."
        )
    return ArrayInput(
        X3, y3, np.asarray(y).ndim, future_rows=horizon if future_rows else 0
    )


def prediction_input(
    estimator: Any, X: Any, lookback: int, dtype: Any = np.float32
) -> tuple[Any, int]:
    """Validate ``predict``'s ``X``; return what the model predicts from (a
    SeriesWindows cut to ``lookback``, or windows ``(n_windows, lookback,
    n_channels)`` of ``dtype``: float32 for the network, float64 for its
    linear floor) and the number of dimensions of the answer (that of the
    ``y`` given to ``fit``; 3 for a SeriesWindows)."""
    _check_known_kind(X)
    if isinstance(X, SeriesWindows):
        return check_series_windows(estimator, X, lookback, "X"), 3
    X3 = validate_windows(estimator, X, reset=False)
    X_pred = np.ascontiguousarray(X3[:, X3.shape[1] - lookback :], dtype=dtype)
    return X_pred, estimator.y_ndim_


def targets_of(X: Any, y: Any) -> Any:
    """``y``, or the targets a SeriesWindows ``X`` carries when ``y`` is None."""
    if y is None and isinstance(X, SeriesWindows):
        return X.targets()
    return y


def check_series_windows(
    estimator: Any, X: SeriesWindows, lookback: int, name: str
) -> SeriesWindows:
    """A SeriesWindows to predict from or validate on, cut to ``lookback``."""
    if X.n_channels != estimator.n_channels_in_:
        raise ValueError(
            f"{name} has {X.n_channels} channel(s), but {type(estimator).__name__} "
            f"was fitted on {estimator.n_channels_in_} channel(s); pass series with "
            f"{estimator.n_channels_in_} channel(s)."
        )
    if X.lookback < lookback:
        raise ValueError(
            f"{name} has windows of lookback={X.lookback}, shorter than the "
            f"{lookback} steps the network reads; build the SeriesWindows with "
            f"lookback >= {lookback}."
        )
    return X.with_lookback(lookback)


def validation_input(
    estimator: Any,
    X_val: Any,
    y_val: Any,
    data: ArrayInput | SeriesInput,
    lookback: int,
    n_targets: int | None = None,
) -> Dataset | SeriesWindows:
    """Explicit validation windows for early stopping, in the form skorch takes."""
    if isinstance(X_val, SeriesWindows):
        if y_val is not None:
            raise ValueError(
                "X_val is a SeriesWindows, whose windows carry their targets; "
                "pass y_val=None."
            )
        if X_val.horizon != data.horizon:
            raise ValueError(
                f"X_val has horizon={X_val.horizon} but the training data has "
                f"horizon={data.horizon}; build both with the same horizon."
            )
        return check_series_windows(estimator, X_val, lookback, "X_val")
    if X_val is None or y_val is None:
        raise ValueError(
            "Pass both X_val and y_val (validation windows and their targets), "
            "or neither to validate on the latest training windows."
        )
    Xv = check_window_arrays(np.asarray(X_val, dtype=np.float64), "X_val")
    Xv = Xv if Xv.ndim == 3 else Xv[:, :, None]
    if Xv.shape[1:] != (data.window, data.n_channels):
        raise ValueError(
            f"X_val has windows of shape {Xv.shape[1:]}, but X has "
            f"{(data.window, data.n_channels)}; pass validation windows shaped "
            "like X."
        )
    n_y = Xv.shape[2] if n_targets is None else n_targets
    yv, _ = check_y_windows(
        y_val, Xv.shape[0], n_y, data.horizon, type(estimator).__name__
    )
    return Dataset(
        np.ascontiguousarray(Xv[:, data.window - lookback :], dtype=np.float32),
        np.ascontiguousarray(yv, dtype=np.float32),
    )
