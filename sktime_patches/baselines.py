"""Baseline forecasters of windows: what a deep model must beat to earn its cost.

Each is a scikit-learn regressor of windows with the shapes of
:class:`~sktime_patches.PatchForecaster`: windows ``X`` of shape ``(n_windows,
lookback, n_channels)`` (2-D means one channel), targets ``y`` in any of the
forms it takes, ``predict`` in the form ``fit`` was given.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
from pandas.tseries.frequencies import to_offset
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._ridge import ALPHAS, gram, path_errors, ridge_path
from ._tags import window_regressor_tags
from ._validation import (
    check_window_arrays,
    check_y_windows,
    validate_windows,
    y_in_form,
)
from .windows import time_ordered_indices

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


class RepeatLast(_WindowBaseline):
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


class SeasonalNaive(_WindowBaseline):
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


class LastValueRidge(_WindowBaseline):
    """Closed-form ridge regression from a window to its horizon, last value
    subtracted: the linear model every deep forecaster must beat.

    One linear map, shared by all channels, from the ``lookback`` values of a
    channel (minus the window's last value, divided by the channel's standard
    deviation in the training windows) to its ``horizon`` next values (the same
    way), with an intercept: the closed-form twin of NLinear. The penalty is
    chosen among ``alphas`` on the latest ``validation_fraction`` of the
    windows (a gap of a horizon before them, so no training target overlaps
    them), all through one eigendecomposition; then the model is refitted on
    every window. Windows of your own can choose it instead
    (``fit(X, y, X_val=..., y_val=...)``, as in
    :meth:`PatchForecaster.fit <sktime_patches.PatchForecaster.fit>`); the model
    is then fitted on ``X`` alone.

    Parameters
    ----------
    alphas : tuple of float or None, default=None
        Penalties to try; None tries 10^-1 .. 10^8 in half-decades.
    validation_fraction : float, default=0.2
        Share of the windows, from the end, that choose the penalty.

    Attributes
    ----------
    coef_ : ndarray of shape (lookback, horizon)
        The linear map, on scaled, last-value-subtracted values.
    intercept_ : ndarray of shape (horizon,)
        Its intercept.
    alpha_ : float
        The chosen penalty.
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
        self, alphas: tuple[float, ...] | None = None, validation_fraction: float = 0.2
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: Any, y: Any, *, X_val: Any = None, y_val: Any = None
    ) -> LastValueRidge:
        """Choose the penalty on validation windows, then fit.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels)
            Windows, in time order.
        y : array-like
            Their targets.
        X_val, y_val : array-like, default=None
            Validation windows and their targets (same forms as ``X`` and
            ``y``) that choose the penalty; the model is then fitted on every
            window of ``X``. None (both): the latest ``validation_fraction`` of
            ``X`` choose it, and the model is refitted on all of ``X``.

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
        X3, y3 = self._fit_windows(X, y)
        spread = X3[:, -1, :].std(axis=0)
        self.scale_ = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
        rows, targets = self._rows(X3, y3)
        alphas = ALPHAS if self.alphas is None else tuple(self.alphas)
        if X_val is not None or y_val is not None:
            fit_rows, fit_targets = rows, targets
            held_rows, held_targets = self._rows(*self._check_val(X_val, y_val, X3))
        else:
            train, valid = time_ordered_indices(
                len(X3), self.validation_fraction, self.horizon_
            )
            n_channels = X3.shape[2]
            pick = (train[:, None] * n_channels + np.arange(n_channels)).ravel()
            held = (valid[:, None] * n_channels + np.arange(n_channels)).ravel()
            fit_rows, fit_targets = rows[pick], targets[pick]
            held_rows, held_targets = rows[held], targets[held]
        self.alpha_, solution = float(alphas[0]), None
        if len(held_rows) and len(alphas) > 1:
            path = ridge_path(*gram(fit_rows, fit_targets), alphas)
            errors = path_errors(held_rows, held_targets, path)
            best = int(np.argmin(errors))
            self.alpha_, solution = float(alphas[best]), path[best]
        if solution is None or fit_rows is not rows:  # (re)fit on every window of X
            [solution] = ridge_path(*gram(rows, targets), [self.alpha_])
        self.coef_, self.intercept_ = solution
        return self

    def _check_val(
        self, X_val: Any, y_val: Any, X3: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Validation windows and targets as 3-D arrays shaped like the training
        ones."""
        if X_val is None or y_val is None:
            raise ValueError(
                "Pass both X_val and y_val (validation windows and their targets), "
                "or neither to choose the penalty on the latest windows of X."
            )
        Xv = check_window_arrays(np.asarray(X_val, dtype=np.float64), "X_val")
        Xv = Xv if Xv.ndim == 3 else Xv[:, :, None]
        if Xv.shape[1:] != X3.shape[1:]:
            raise ValueError(
                f"X_val has windows of shape {Xv.shape[1:]}, but X has "
                f"{X3.shape[1:]}; pass validation windows shaped like X."
            )
        yv, _ = check_y_windows(
            y_val, len(Xv), Xv.shape[2], self.horizon_, type(self).__name__
        )
        return Xv, yv

    def predict(self, X: Any) -> np.ndarray:
        """Forecast the horizon of each window.

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
        rows, last = self._rows(X3)
        out = (rows @ self.coef_ + self.intercept_).reshape(
            len(X3), X3.shape[2], self.horizon_
        )
        return y_in_form(out.transpose(0, 2, 1) * self.scale_ + last, self.y_ndim_)


def _per_channel(windows: np.ndarray) -> np.ndarray:
    """``(n_windows, steps, n_channels)`` as rows ``(n_windows * n_channels,
    steps)``, the channels of a window next to each other."""
    return windows.transpose(0, 2, 1).reshape(-1, windows.shape[1])
