"""Baseline forecasters of windows: what a deep model must beat to earn its cost.

Each is a scikit-learn regressor of windows with the shapes of
:class:`~sktime_patches.PatchForecaster`: windows ``X`` of shape ``(n_windows,
lookback, n_channels)`` (2-D means one channel), targets ``y`` in any of the
forms it takes, ``predict`` in the form ``fit`` was given.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from numbers import Integral, Real
from typing import Any

import numpy as np
from pandas.tseries.frequencies import to_offset
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._ridge import ALPHAS, gram, path_errors, ridge_path, spread, spread_indices
from ._tags import ForecasterTags, window_regressor_tags
from ._validation import (
    check_window_arrays,
    check_y_windows,
    validate_windows,
    y_in_form,
)
from .persistence import SaveMixin
from .windows import SeriesWindows, time_ordered_indices

__all__ = ["LastValueRidge", "RepeatLast", "SeasonalNaive", "season_length"]

#: Steps per season, by pandas frequency code and multiple.
_SEASONS = {
    ("min", 1): 60,  # an hour of minutes
    ("min", 30): 48,  # a day of half-hours
    ("h", 1): 24,  # a day of hours
    ("B", 1): 5,  # a week of business days
    ("D", 1): 7,  # a week of days
    ("W", 1): 52,  # a year of weeks
}


def season_length(freq: Any) -> int:
    """Steps in one season of a frequency: the period a seasonal naive repeats.

    A day of hours (24) or half-hours (48), an hour of minutes (60), a week of
    days (7) or business days (5), a year of weeks (52), months (12) or
    quarters (4); 1 (no season) for anything else.

    Parameters
    ----------
    freq : str or pandas DateOffset
        A pandas frequency, e.g. ``"h"``, ``"W-TUE"``, ``"MS"``.

    Returns
    -------
    steps : int
        Steps per season.

    Examples
    --------
    >>> from sktime_patches.baselines import season_length
    >>> season_length("h"), season_length("W-TUE"), season_length("MS")
    (24, 52, 12)
    >>> season_length("B"), season_length("30min"), season_length("YS")
    (5, 48, 1)
    """
    offset = to_offset(freq)
    code = offset.rule_code.split("-")[0]
    if offset.n == 1 and code.lstrip("BS").startswith("M"):  # MS, ME, BMS, ...
        return 12
    if offset.n == 1 and code.lstrip("BS").startswith("Q"):
        return 4
    return _SEASONS.get((code, offset.n), 1)


class _WindowBaseline(RegressorMixin, BaseEstimator):
    """What the baselines share: validation, shapes, the form of ``predict``."""

    _parameter_constraints: dict = {}

    def _fit_windows(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        X3 = validate_windows(self, X, reset=True)
        y3, self.horizon_ = check_y_windows(
            y, X3.shape[0], X3.shape[2], None, type(self).__name__
        )
        self.y_ndim_ = np.asarray(y).ndim
        return X3, y3

    def __sklearn_tags__(self):
        return window_regressor_tags(super().__sklearn_tags__())


class RepeatLast(SaveMixin, _WindowBaseline, saved_as="RepeatLast"):
    """Forecast every step as the window's last value (the naive forecast).

    Attributes
    ----------
    n_features_in_ : int
        Steps per window seen in ``fit``.
    n_channels_in_ : int
        Channels per window.
    horizon_ : int
        Steps forecast.

    See Also
    --------
    SeasonalNaive : Repeat the last season instead.
    LastValueRidge : The closed-form linear model on the same windows.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches import make_windows
    >>> from sktime_patches.baselines import RepeatLast
    >>> X, y = make_windows(np.arange(10.0), lookback=4, horizon=2)
    >>> RepeatLast().fit(X, y).predict(X[:2])[:, :, 0]
    array([[3., 3.],
           [4., 4.]])
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any) -> RepeatLast:
        """Learn the shapes of the windows and targets.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels)
            Windows.
        y : array-like
            Their targets, in any form :class:`~sktime_patches.PatchForecaster`
            takes.

        Returns
        -------
        self : RepeatLast
            The fitted baseline.
        """
        self._fit_windows(X, y)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Repeat each window's last value over the horizon.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels)
            Windows.

        Returns
        -------
        y_pred : ndarray
            In the form ``fit`` got ``y``.
        """
        check_is_fitted(self)
        X3 = validate_windows(self, X, reset=False)
        return y_in_form(np.repeat(X3[:, -1:, :], self.horizon_, axis=1), self.y_ndim_)


class SeasonalNaive(SaveMixin, _WindowBaseline, saved_as="SeasonalNaive"):
    """Forecast each step as the value one season earlier.

    Step ``h`` of the horizon (``h = 0, 1, ...``) repeats the window's value at
    ``lookback - season + (h mod season)``: the last season, over and over.

    Parameters
    ----------
    season : int, default=1
        Steps per season (see :func:`season_length`); 1 is
        :class:`RepeatLast`. At most the lookback.

    Attributes
    ----------
    n_features_in_ : int
        Steps per window seen in ``fit``.
    n_channels_in_ : int
        Channels per window.
    horizon_ : int
        Steps forecast.

    See Also
    --------
    season_length : The season of a pandas frequency.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches import make_windows
    >>> from sktime_patches.baselines import SeasonalNaive
    >>> series = np.tile([1.0, 2.0, 3.0], 5)
    >>> X, y = make_windows(series, lookback=6, horizon=4)
    >>> model = SeasonalNaive(season=3).fit(X, y)
    >>> model.predict(X[:1])[0, :, 0], y[0, :, 0]
    (array([1., 2., 3., 1.]), array([1., 2., 3., 1.]))
    """

    _parameter_constraints: dict = {
        "season": [Interval(Integral, 1, None, closed="left")]
    }

    def __init__(self, season: int = 1) -> None:
        self.season = season

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any) -> SeasonalNaive:
        """Learn the shapes of the windows and targets.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels)
            Windows, at least ``season`` steps long.
        y : array-like
            Their targets.

        Returns
        -------
        self : SeasonalNaive
            The fitted baseline.
        """
        X3, _ = self._fit_windows(X, y)
        if self.season > X3.shape[1]:
            raise ValueError(
                f"season={self.season} is longer than the windows ({X3.shape[1]} "
                f"steps); pass season <= {X3.shape[1]} or longer windows."
            )
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Repeat the last season of each window over the horizon.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels)
            Windows.

        Returns
        -------
        y_pred : ndarray
            In the form ``fit`` got ``y``.
        """
        check_is_fitted(self)
        X3 = validate_windows(self, X, reset=False)
        steps = X3.shape[1] - self.season + np.arange(self.horizon_) % self.season
        return y_in_form(X3[:, steps, :], self.y_ndim_)


class LastValueRidge(SaveMixin, _WindowBaseline, saved_as="LastValueRidge"):
    """Closed-form ridge regression from a window to its horizon, last value
    subtracted: the linear model every deep forecaster must beat.

    One linear map, shared by all channels, from the ``lookback`` values of a
    channel (minus the window's last value, divided by the channel's standard
    deviation in the training windows) to its ``horizon`` next values (the same
    way), with an intercept: the closed-form twin of NLinear. The penalty is
    chosen among ``alphas`` on the latest ``validation_fraction`` of the
    windows (a gap of a horizon before them, so no training target overlaps
    them), by their mean squared error on that scale, all through one
    eigendecomposition; then the model is refitted on every window. Windows of
    your own can choose it instead (``fit(X, y, X_val=..., y_val=...)``, as in
    :meth:`PatchForecaster.fit <sktime_patches.PatchForecaster.fit>`); the model
    is then fitted on ``X`` alone.

    This is also the model a default :class:`~sktime_patches.PatchForecaster`
    *is* when its network does not beat it on the validation windows (its
    ``linear_floor_``): the same penalties, chosen the same way, on the same
    windows.

    Parameters
    ----------
    alphas : tuple of float or None, default=None
        Penalties to try; None tries 10^-1 .. 10^8 in half-decades.
    validation_fraction : float, default=0.1
        Share of the windows, from the end, that choose the penalty (the
        default of :class:`~sktime_patches.PatchForecaster`'s early stopping).

    Attributes
    ----------
    coef_ : ndarray of shape (lookback, horizon)
        The linear map, on scaled, last-value-subtracted values.
    intercept_ : ndarray of shape (horizon,)
        Its intercept.
    alpha_ : float
        The chosen penalty.
    validation_mse_ : float or None
        The mean squared error (on the scaled values) of the chosen penalty on
        the windows that chose it, fitted without them; None when there were
        none (then ``alpha_`` is the first of ``alphas``).
    scale_ : ndarray of shape (n_channels,)
        Each channel's standard deviation over the training windows' last steps.
    n_features_in_ : int
        Steps per window seen in ``fit``.
    n_channels_in_ : int
        Channels per window.
    horizon_ : int
        Steps forecast.

    See Also
    --------
    sktime_patches.lookback.select_lookback : The same model ranks lookbacks.

    Notes
    -----
    Windows go in as arrays ``(n_windows, lookback, n_channels)`` (2-D for one
    channel), or as a :class:`~sktime_patches.SeriesWindows` (windows cut on
    demand from one or many series; its latest ``validation_fraction`` windows
    of each series choose the penalty). Either way the Gram matrices are
    accumulated a chunk of windows at a time, so memory does not grow with the
    number of windows.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches import make_windows
    >>> from sktime_patches.baselines import LastValueRidge
    >>> t = np.arange(400.0)
    >>> X, y = make_windows(np.sin(2 * np.pi * t / 12) + 0.01 * t, 24, 6)
    >>> model = LastValueRidge().fit(X[:300], y[:300])
    >>> bool(np.abs(model.predict(X[300:]) - y[300:]).max() < 1e-3)
    True
    """

    _parameter_constraints: dict = {
        "alphas": [tuple, list, None],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
    }

    def __init__(
        self, alphas: tuple[float, ...] | None = None, validation_fraction: float = 0.1
    ) -> None:
        self.alphas = alphas
        self.validation_fraction = validation_fraction

    def _rows(
        self, X3: np.ndarray, y3: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """One row per window and channel: the scaled, last-value-subtracted
        values of the windows, and those of their targets (or, without
        ``y3``, the last values that undo it)."""
        last = X3[:, -1:, :]
        rows = _per_channel((X3 - last) / self.scale_)
        if y3 is None:
            return rows, last
        return rows, _per_channel((y3 - last) / self.scale_)

    def _gram(self, windows: _Windows) -> tuple[np.ndarray, np.ndarray]:
        """``(Z'Z, Z'Y)`` of the rows of ``windows``, a chunk at a time."""
        n_in = self.n_features_in_
        total = (np.zeros((n_in + 1, n_in + 1)), np.zeros((n_in + 1, self.horizon_)))
        for X3, y3 in windows.chunks():
            part = gram(*self._rows(X3, y3))
            total = (total[0] + part[0], total[1] + part[1])
        return total

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: Any, y: Any = None, *, X_val: Any = None, y_val: Any = None
    ) -> LastValueRidge:
        """Choose the penalty on validation windows, then fit.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels), or SeriesWindows
            Windows, in time order; or a
            :class:`~sktime_patches.SeriesWindows` (then ``y`` is None).
        y : array-like or None
            Their targets; None for a SeriesWindows.
        X_val, y_val : array-like, default=None
            Validation windows and their targets (same forms as ``X`` and
            ``y``; a SeriesWindows with ``y_val=None``) that choose the
            penalty; the model is then fitted on every window of ``X``. None
            (both): the latest ``validation_fraction`` of ``X`` choose it, and
            the model is refitted on all of ``X``.

        Returns
        -------
        self : LastValueRidge
            The fitted baseline.

        Examples
        --------
        >>> import numpy as np
        >>> from sktime_patches import make_windows
        >>> from sktime_patches.baselines import LastValueRidge
        >>> t = np.arange(400.0)
        >>> noise = np.random.default_rng(0).normal(scale=0.3, size=400)
        >>> X, y = make_windows(np.sin(2 * np.pi * t / 12) + noise, 24, 6)
        >>> model = LastValueRidge(alphas=(0.1, 10.0, 1e3))
        >>> model.fit(X[:250], y[:250], X_val=X[256:], y_val=y[256:]).alpha_
        10.0
        """
        windows = self._fit_windows_source(X, y)
        self.scale_ = spread(windows.last_steps())
        alphas = ALPHAS if self.alphas is None else tuple(self.alphas)
        if X_val is not None or y_val is not None:
            train, held = windows, self._check_val(X_val, y_val, windows)
        else:
            train, held = windows.time_split(self.validation_fraction)
        self.alpha_, self.validation_mse_, solution = float(alphas[0]), None, None
        fit_gram = self._gram(train)
        if len(held) and len(alphas) > 1:
            path = ridge_path(*fit_gram, alphas)
            errors, size = np.zeros(len(alphas)), 0
            for X3, y3 in held.chunks():
                rows, targets = self._rows(X3, y3)
                errors += path_errors(rows, targets, path)
                size += targets.size
            best = int(np.argmin(errors))
            self.alpha_, solution = float(alphas[best]), path[best]
            self.validation_mse_ = float(errors[best] / size)
        if train is not windows:  # refit on every window of X
            solution = None
            fit_gram = self._gram(windows)
        if solution is None:
            [solution] = ridge_path(*fit_gram, [self.alpha_])
        self.coef_, self.intercept_ = solution
        return self

    def _fit_windows_source(self, X: Any, y: Any) -> _Windows:
        """``fit``'s windows (arrays or a SeriesWindows), validated; sets the
        input attributes."""
        if isinstance(X, SeriesWindows):
            if y is not None:
                raise ValueError(
                    "A SeriesWindows carries its own targets; pass y=None with it."
                )
            self.n_features_in_ = X.lookback
            self.n_channels_in_ = X.n_channels
            self.horizon_, self.y_ndim_ = X.horizon, 3
            return _Windows.of_series(X)
        X3, y3 = self._fit_windows(X, y)
        return _Windows(X3, y3)

    def _check_val(self, X_val: Any, y_val: Any, windows: _Windows) -> _Windows:
        """Validation windows and targets shaped like the training ones."""
        if isinstance(X_val, SeriesWindows) and y_val is None:
            shape = (X_val.lookback, X_val.n_channels)
            if shape != (self.n_features_in_, self.n_channels_in_):
                raise ValueError(
                    f"X_val has windows of shape {shape}, but X has "
                    f"{(self.n_features_in_, self.n_channels_in_)}; pass "
                    "validation windows shaped like X."
                )
            return _Windows.of_series(X_val)
        if X_val is None or y_val is None:
            raise ValueError(
                "Pass both X_val and y_val (validation windows and their targets), "
                "or neither to choose the penalty on the latest windows of X."
            )
        Xv = check_window_arrays(np.asarray(X_val, dtype=np.float64), "X_val")
        Xv = Xv if Xv.ndim == 3 else Xv[:, :, None]
        if Xv.shape[1:] != (self.n_features_in_, self.n_channels_in_):
            raise ValueError(
                f"X_val has windows of shape {Xv.shape[1:]}, but X has "
                f"{(self.n_features_in_, self.n_channels_in_)}; pass validation "
                "windows shaped like X."
            )
        yv, _ = check_y_windows(
            y_val, len(Xv), Xv.shape[2], self.horizon_, type(self).__name__
        )
        return _Windows(Xv, yv)

    def predict(self, X: Any) -> np.ndarray:
        """Forecast the horizon of each window.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels), or SeriesWindows
            Windows.

        Returns
        -------
        y_pred : ndarray
            In the form ``fit`` got ``y``; ``(n_windows, horizon, n_channels)``
            for a SeriesWindows.
        """
        check_is_fitted(self)
        if isinstance(X, SeriesWindows):
            _check_series_shape(self, X)
            parts = [self._forecast(X3) for X3, _ in _Windows.of_series(X).chunks()]
            empty = np.zeros((0, self.horizon_, self.n_channels_in_))
            return np.concatenate(parts) if parts else empty
        return y_in_form(
            self._forecast(validate_windows(self, X, reset=False)), self.y_ndim_
        )

    def _forecast(self, X3: np.ndarray) -> np.ndarray:
        """``(n_windows, horizon, n_channels)`` forecasts of 3-D windows."""
        rows, last = self._rows(X3)
        out = (rows @ self.coef_ + self.intercept_).reshape(
            len(X3), X3.shape[2], self.horizon_
        )
        return out.transpose(0, 2, 1) * self.scale_ + last

    def __forecaster_tags__(self) -> ForecasterTags:
        return ForecasterTags(series_windows=True)


def _check_series_shape(estimator: Any, windows: SeriesWindows) -> None:
    """A SeriesWindows to predict must have the fitted lookback and channels."""
    want = (estimator.n_features_in_, estimator.n_channels_in_)
    got = (windows.lookback, windows.n_channels)
    if got != want:
        raise ValueError(
            f"X is a SeriesWindows of lookback {got[0]} with {got[1]} channel(s), "
            f"but {type(estimator).__name__} was fitted on lookback {want[0]} "
            f"with {want[1]}; pass windows of that shape."
        )


class _Windows:
    """Windows with their targets, read a chunk at a time: arrays in memory,
    or a SeriesWindows (windows cut on demand).

    Parameters
    ----------
    X3, y3 : ndarray or None
        Windows ``(n, lookback, n_channels)`` and targets ``(n, horizon,
        n_channels)``, float64; None with ``series``.
    series : SeriesWindows or None, default=None
        Windows cut on demand instead of arrays.
    """

    #: Windows per chunk: bounds the memory of the rows built from them.
    chunk = 2048

    def __init__(
        self,
        X3: np.ndarray | None,
        y3: np.ndarray | None,
        series: SeriesWindows | None = None,
    ) -> None:
        self.X3, self.y3, self.series = X3, y3, series

    @classmethod
    def of_series(cls, series: SeriesWindows) -> _Windows:
        return cls(None, None, series)

    def __len__(self) -> int:
        return len(self.series) if self.series is not None else len(self.X3)

    def chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(X3, y3)`` float64 arrays of consecutive windows."""
        for start in range(0, len(self), self.chunk):
            stop = min(start + self.chunk, len(self))
            if self.series is None:
                yield self.X3[start:stop], self.y3[start:stop]
            else:
                batch = self.series.__getitems__(np.arange(start, stop))
                yield (
                    batch.X.numpy().astype(np.float64),
                    batch.y.numpy().astype(np.float64),
                )

    def last_steps(self) -> np.ndarray:
        """The last step of the windows :func:`spread` reads, ``(n,
        n_channels)``."""
        idx = spread_indices(len(self))
        if self.series is None:
            return self.X3[idx, -1, :]
        return np.asarray(self.series.last_steps(idx), np.float64)

    def time_split(self, validation_fraction: float) -> tuple[_Windows, _Windows]:
        """The earlier windows and the latest ``validation_fraction``, with a
        horizon's gap between (of each series, for a SeriesWindows)."""
        if self.series is not None:
            gap = math.ceil(self.series.horizon / self.series.stride)
            train, valid = self.series.time_split(validation_fraction, gap)
            if not len(valid):
                return self, _valid_empty(self)
            return _Windows.of_series(train), _Windows.of_series(valid)
        train, valid = time_ordered_indices(
            len(self.X3), validation_fraction, self.y3.shape[1]
        )
        if not len(valid):
            return self, _valid_empty(self)
        return (
            _Windows(self.X3[train], self.y3[train]),
            _Windows(self.X3[valid], self.y3[valid]),
        )


def _valid_empty(windows: _Windows) -> _Windows:
    """No windows: an empty validation set."""
    if windows.series is not None:
        return _Windows(np.zeros((0, 1, 1)), np.zeros((0, 1, 1)))
    return _Windows(windows.X3[:0], windows.y3[:0])


def _per_channel(windows: np.ndarray) -> np.ndarray:
    """``(n_windows, steps, n_channels)`` as rows ``(n_windows * n_channels,
    steps)``, the channels of a window next to each other."""
    return windows.transpose(0, 2, 1).reshape(-1, windows.shape[1])
