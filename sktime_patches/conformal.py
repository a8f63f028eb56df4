"""Split conformal prediction intervals around any window forecaster."""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from ._tags import ForecasterTags, forecaster_tags
from ._validation import bound_positions, check_coverage, check_levels
from .persistence import SaveMixin
from .windows import SeriesWindows, time_ordered_indices

__all__ = ["ConformalForecaster", "conformal_quantile"]

#: The conformity scores :class:`ConformalForecaster` can use.
METHODS = ("absolute", "scaled", "cqr")


def conformal_quantile(scores: Any, coverage: float) -> np.ndarray:
    """The split-conformal quantile of calibration scores, per column.

    With ``n`` scores, the ``ceil((n + 1) * coverage)``-th smallest: the
    finite-sample correction under which an interval built from it covers a
    new exchangeable value with probability at least ``coverage``. When that
    rank exceeds ``n`` (too few scores for the coverage asked), the quantile
    is infinite.

    Parameters
    ----------
    scores : array-like of shape (n_scores,) or (n_scores, n_columns)
        Calibration scores, one column per forecast value (horizon step and
        channel).
    coverage : float
        In (0, 1).

    Returns
    -------
    quantile : ndarray of shape () or (n_columns,)
        The corrected quantile of each column.

    Examples
    --------
    With 9 scores, a 90% interval takes the ``ceil(10 * 0.9) = 9``-th smallest,
    an 80% one the 8th:

    >>> scores = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    >>> float(conformal_quantile(scores, 0.9)), float(conformal_quantile(scores, 0.8))
    (9.0, 8.0)
    >>> float(conformal_quantile(scores, 0.95))  # needs 19 scores or more
    inf
    """
    values = np.asarray(scores, dtype=np.float64)
    n = values.shape[0]
    rank = math.ceil((n + 1) * coverage)
    if rank > n:
        return np.full(values.shape[1:], np.inf)
    return np.partition(values, rank - 1, axis=0)[rank - 1]


def _spread(X: Any) -> np.ndarray:
    """Each window's spread per channel: its mean absolute step change, with a
    floor of 1e-8 times its channel's largest, so a flat window is not zero.

    ``X`` is ``(n, lookback)`` (one channel) or ``(n, lookback, n_channels)``;
    returns ``(n, n_channels)``.
    """
    windows = np.asarray(X, dtype=np.float64)
    if windows.ndim == 2:
        windows = windows[:, :, None]
    spread = np.abs(np.diff(windows, axis=1)).mean(axis=1)
    floor = 1e-8 * np.maximum(spread.max(axis=0, keepdims=True), 1e-12)
    return np.maximum(spread, floor)


class ConformalForecaster(
    SaveMixin, RegressorMixin, BaseEstimator, saved_as="ConformalForecaster"
):
    """Prediction intervals with a coverage guarantee around any window forecaster.

    Split conformal prediction for multi-step forecasts. ``fit`` trains a
    clone of ``estimator`` on all but the latest windows, then forecasts the
    latest ``calibration_fraction`` of them (the calibration windows; the
    ``horizon`` windows before them are left out, so that no training target
    overlaps a calibration target) and keeps one conformity score per window,
    horizon step and channel. An interval of coverage ``c`` around a new
    forecast then widens each step and channel by the ``ceil((n + 1) c)``-th
    smallest of its ``n`` scores (:func:`conformal_quantile`): intervals
    that grow with the horizon, and that cover a new value with probability
    at least ``c`` as long as the calibration windows are exchangeable with
    the new ones (for time series, an approximation: :meth:`update` keeps the
    scores recent).

    Parameters
    ----------
    estimator : estimator object
        A window forecaster with ``fit(X, y)`` and ``predict(X)``, e.g. a
        :class:`~sktime_patches.PatchForecaster`, ``Ridge()`` or a Pipeline.
        ``method="cqr"`` needs ``predict_quantiles`` and the quantile levels
        that bound the intervals asked for (a ``PatchForecaster`` fitted with
        ``quantiles``).
    method : {"absolute", "scaled", "cqr"}, default="absolute"
        The conformity score:

        - ``"absolute"``: the absolute error ``|y - f|``; intervals ``f +- q``
          of one width per step and channel.
        - ``"scaled"``: the absolute error divided by the window's spread (its
          mean absolute step change, per channel): locally adaptive intervals,
          wider after a volatile window than after a calm one.
        - ``"cqr"``: conformalised quantile regression (Romano et al. 2019):
          the score ``max(q_lo - y, y - q_hi)`` of the estimator's own
          quantiles; intervals ``[q_lo - q, q_hi + q]`` keep the width the
          model gives each window and correct its coverage.
    calibration_fraction : float, default=0.2
        Share of the windows, the latest, that calibrate.
    gap : int or None, default=None
        Windows left out between the training and the calibration windows.
        None: the horizon (``y``'s second axis for 3-D ``y``; its number of
        columns, an upper bound on the horizon, for 2-D ``y``; 1 for 1-D; the
        windows' horizon for a SeriesWindows).
        :class:`~sktime_patches.series.SeriesForecaster` sets it to the
        windows its horizon spans.
    refit : bool, default=False
        After calibrating, fit the estimator again on every window, so the
        forecasts use the latest data too. The scores then come from a model
        trained on fewer windows than the one they are used with (usually
        conservative, but the guarantee no longer holds exactly) and training
        costs twice as much.
    max_scores : int or None, default=None
        Keep at most this many calibration scores, the latest (:meth:`update`
        adds new ones); None keeps them all.
    small_data : {"raise", "insample"}, default="raise"
        When the windows are too few to hold any out for calibration:
        ``"raise"`` says so; ``"insample"`` trains on all of them and
        calibrates on their own (in-sample) errors, with a warning: such
        intervals are usually too narrow.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone that forecasts.
    scores_ : ndarray of shape (n_scores, n_values)
        Calibration scores, oldest first, one column per forecast value
        (``n_values`` = horizon times channels, laid out as ``predict``'s
        output flattened). For ``"cqr"``, the columns of ``cqr_table_``.
    cqr_table_ : tuple of ndarray or None
        For ``"cqr"``: the calibration targets ``(n_scores, n_values)`` and
        the estimator's quantiles for them ``(n_scores, n_values,
        n_quantiles)``, from which the score of any coverage is computed;
        None otherwise.
    quantiles_ : ndarray or None
        The estimator's quantile levels (``"cqr"``); None otherwise.
    n_calibration_ : int
        Calibration windows used in ``fit``.

    See Also
    --------
    PatchForecaster : Its ``quantiles`` train a quantile head (for ``"cqr"``).
    conformal_quantile : The quantile of the scores.

    Notes
    -----
    MAPIE (scikit-learn-contrib's conformal library) was the first choice;
    its time-series regressor (EnbPI, ACI) takes one target column and one
    series, while a forecaster here emits a horizon of steps for several
    channels (and panels of series), and needs one score per step and
    channel. The split method itself is a few lines of numpy.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sktime_patches import make_windows
    >>> from sktime_patches.conformal import ConformalForecaster
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(5000.0)
    >>> series = np.sin(2 * np.pi * t / 24) + 0.5 * rng.standard_normal(5000)
    >>> X, y = make_windows(series, lookback=48, horizon=6)
    >>> X, y = X[:, :, 0], y[:, :, 0]  # 2-D windows for Ridge
    >>> model = ConformalForecaster(Ridge()).fit(X[:4000], y[:4000])
    >>> model.n_calibration_  # the latest 20% of the windows
    800
    >>> intervals = model.predict_interval(X[4000:], coverage=0.9)
    >>> intervals.shape  # (n_windows, horizon, lower/upper)
    (947, 6, 2)
    >>> inside = (y[4000:] >= intervals[..., 0]) & (y[4000:] <= intervals[..., 1])
    >>> bool(0.85 < inside.mean() < 0.95)
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
        "method": [StrOptions(set(METHODS))],
        "calibration_fraction": [Interval(Real, 0, 1, closed="neither")],
        "gap": [Interval(Integral, 0, None, closed="left"), None],
        "refit": ["boolean"],
        "max_scores": [Interval(Integral, 1, None, closed="left"), None],
        "small_data": [StrOptions({"raise", "insample"})],
    }

    def __init__(
        self,
        estimator: Any,
        method: str = "absolute",
        calibration_fraction: float = 0.2,
        gap: int | None = None,
        refit: bool = False,
        max_scores: int | None = None,
        small_data: str = "raise",
    ) -> None:
        self.estimator = estimator
        self.method = method
        self.calibration_fraction = calibration_fraction
        self.gap = gap
        self.refit = refit
        self.max_scores = max_scores
        self.small_data = small_data

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: Any, y: Any = None) -> ConformalForecaster:
        """Train on the earlier windows, calibrate on the latest ones.

        Parameters
        ----------
        X : array-like of shape (n_windows, ...) or SeriesWindows
            Windows in time order (oldest first), in any form the estimator
            takes; a :class:`~sktime_patches.SeriesWindows` is split per
            series (each series' latest windows calibrate).
        y : array-like of shape (n_windows, ...) or None
            Their targets; None for a SeriesWindows.

        Returns
        -------
        self : ConformalForecaster
            This forecaster, calibrated.
        """
        split = self._split(X, y)
        if split is None:  # too few windows, small_data="insample"
            warnings.warn(
                "too few windows to hold any out for calibration: the intervals "
                "are calibrated on the training windows' own errors, and are "
                "likely too narrow.",
                UserWarning,
                stacklevel=2,
            )
            train_X, train_y, cal_X, cal_y = X, y, X, y
        else:
            train_X, train_y, cal_X, cal_y = split
        estimator = clone(self.estimator)
        self._check_cqr(estimator)
        estimator.fit(train_X, train_y)
        self._calibrate(estimator, cal_X, cal_y)
        if self.refit and split is not None:
            estimator = clone(self.estimator).fit(X, y)
        self.estimator_ = estimator
        return self

    def calibrate(self, X: Any, y: Any = None) -> ConformalForecaster:
        """Calibrate ``estimator``, already fitted, on the windows given.

        Nothing is trained: ``estimator`` (not a clone) becomes ``estimator_``
        and the windows given are the calibration windows. For a model fitted
        elsewhere, e.g. with its own validation windows; the calibration
        windows must come after its training windows (and a horizon apart).

        Parameters
        ----------
        X : array-like or SeriesWindows
            Calibration windows.
        y : array-like or None
            Their targets; None for a SeriesWindows.

        Returns
        -------
        self : ConformalForecaster
            This forecaster, calibrated.
        """
        self._validate_params()
        check_is_fitted(self.estimator)
        self._check_cqr(self.estimator)
        self._calibrate(self.estimator, X, y)
        self.estimator_ = self.estimator
        return self

    def _check_cqr(self, estimator: Any) -> None:
        if self.method == "cqr" and not hasattr(estimator, "predict_quantiles"):
            raise ValueError(
                f"method='cqr' needs an estimator with predict_quantiles (e.g. "
                f"PatchForecaster(quantiles=(0.05, 0.95))); got "
                f"{type(estimator).__name__}. Use method='absolute' or 'scaled'."
            )

    def _calibrate(self, estimator: Any, X: Any, y: Any) -> None:
        """Start the calibration scores afresh from these windows."""
        self.quantiles_ = None
        if self.method == "cqr":
            self.quantiles_ = getattr(estimator, "quantiles_", None)
            if self.quantiles_ is None:
                raise ValueError(
                    "method='cqr' needs an estimator fitted with quantiles; got one "
                    "whose quantiles_ is None. Pass e.g. quantiles=(0.05, 0.95)."
                )
            self.quantiles_ = np.asarray(self.quantiles_)
        self.scores_ = np.empty((0, 0))
        self.cqr_table_ = None
        self._add_scores(estimator, X, y)
        self.n_calibration_ = len(self.scores_)

    def _split(self, X: Any, y: Any) -> tuple[Any, Any, Any, Any] | None:
        """Training and calibration windows, time-ordered, a gap between."""
        if isinstance(X, SeriesWindows):
            gap = X.horizon if self.gap is None else self.gap
            train, cal = X.time_split(self.calibration_fraction, gap=gap)
            n, n_cal = len(X), len(cal)
        else:
            if y is None:
                raise ValueError(_NO_Y.format(type(self).__name__))
            # checks only (lengths, sparse input, n_features_in_); the estimator
            # gets X as it was passed
            validate_data(
                self,
                X,
                reset=True,
                accept_sparse=False,
                allow_nd=True,
                ensure_min_samples=2,
                dtype=None,
            )
            y_arr = check_array(
                y, ensure_2d=False, allow_nd=True, dtype="numeric", input_name="y"
            )
            check_consistent_length(X, y_arr)
            n = len(y_arr)
            gap = self.gap
            if gap is None:
                gap = y_arr.shape[1] if y_arr.ndim > 1 else 1
            train_idx, cal_idx = time_ordered_indices(n, self.calibration_fraction, gap)
            n_cal = len(cal_idx)
        if n_cal == 0 and self.small_data == "insample":
            return None
        if n_cal == 0:
            raise ValueError(
                f"X has n_samples = {n} window(s): too few to keep "
                f"calibration_fraction={self.calibration_fraction} of them for "
                f"calibration after a gap of {gap} window(s) and still train on "
                "as many; pass more windows, a larger calibration_fraction or a "
                "smaller gap."
            )
        if isinstance(X, SeriesWindows):
            return train, None, cal, None
        return (
            _take(X, train_idx),
            _take(y, train_idx),
            _take(X, cal_idx),
            _take(y, cal_idx),
        )

    def update(self, X: Any, y: Any = None) -> ConformalForecaster:
        """Add the scores of new windows whose targets are now known.

        The model is not retrained: its forecasts of the new windows are
        compared with what happened, and their scores join the calibration
        scores (the oldest dropped beyond ``max_scores``), so the intervals
        follow a change in how well the model forecasts.

        Parameters
        ----------
        X : array-like or SeriesWindows
            New windows, after those already seen.
        y : array-like or None
            Their targets; None for a SeriesWindows.

        Returns
        -------
        self : ConformalForecaster
            This forecaster, calibrated.
        """
        check_is_fitted(self)
        self._add_scores(self.estimator_, X, y)
        return self

    def _add_scores(self, estimator: Any, X: Any, y: Any) -> None:
        target = _targets(X, y)
        pred = np.asarray(estimator.predict(X), dtype=np.float64)
        n = len(pred)
        if target.shape != pred.shape and target.size == pred.size:
            target = target.reshape(pred.shape)  # e.g. (n, 1) against (n,)
        if target.shape != pred.shape:
            raise ValueError(
                f"y has shape {target.shape}, but the estimator forecasts "
                f"{pred.shape} for these windows; pass targets of that shape."
            )
        self.forecast_shape_ = pred.shape[1:]
        target = target.reshape(n, -1)
        if self.method == "cqr":
            quantiles = np.asarray(estimator.predict_quantiles(X), dtype=np.float64)
            quantiles = np.sort(quantiles.reshape(n, target.shape[1], -1), axis=-1)
            old = self.cqr_table_
            if old is not None:
                target = np.concatenate([old[0], target])
                quantiles = np.concatenate([old[1], quantiles])
            keep = slice(-self.max_scores, None) if self.max_scores else slice(None)
            self.cqr_table_ = (target[keep], quantiles[keep])
            self.scores_ = self.cqr_table_[0]
            return
        scores = np.abs(target - pred.reshape(n, -1))
        if self.method == "scaled":
            scores = scores / self._spread_per_value(X, n, estimator)
        if self.scores_.size:
            scores = np.concatenate([self.scores_, scores])
        self.scores_ = scores[-self.max_scores :] if self.max_scores else scores

    def _spread_per_value(self, X: Any, n: int, estimator: Any) -> np.ndarray:
        """Each window's spread for each of its forecast values ``(n, n_values)``:
        that of the forecast channels over the history (a PatchForecaster
        with covariates reads others too, and its windows may end with known
        future rows)."""
        windows = X.to_arrays()[0] if isinstance(X, SeriesWindows) else np.asarray(X)
        if windows.ndim == 3:
            if getattr(estimator, "future_channels_", None) is not None:
                windows = windows[:, : windows.shape[1] - estimator.horizon_]
            targets = getattr(estimator, "target_channels_", None)
            if targets is not None:
                windows = windows[:, :, targets]
        if windows.ndim not in (2, 3):
            raise ValueError(
                "method='scaled' reads each window's spread from X, which must "
                f"be windows of shape (n, lookback[, n_channels]); got {windows.shape}."
            )
        spread = _spread(windows)  # (n, n_channels)
        n_values = int(np.prod(self.forecast_shape_))
        if n_values % spread.shape[1]:
            raise ValueError(
                f"the forecast has {n_values} value(s) per window, not a multiple "
                f"of the {spread.shape[1]} channel(s) of X; method='scaled' needs "
                "forecasts laid out (horizon, n_channels)."
            )
        # forecasts are laid out step-major: (horizon, n_channels) flattened
        return np.tile(spread, (1, n_values // spread.shape[1]))

    # -------------------------------------------------------------- predict
    def predict(self, X: Any) -> np.ndarray:
        """The estimator's point forecast (its median, for quantile models).

        Parameters
        ----------
        X : array-like or SeriesWindows
            Windows, as the estimator takes them.

        Returns
        -------
        y_pred : ndarray
            The estimator's forecast.
        """
        return self._point(X)

    def _point(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        if not isinstance(X, SeriesWindows):
            validate_data(
                self, X, reset=False, accept_sparse=False, allow_nd=True, dtype=None
            )
        return np.asarray(self.estimator_.predict(X), dtype=np.float64)

    def predict_interval(self, X: Any, coverage: Any = 0.9) -> np.ndarray:
        """Prediction intervals of the given coverage(s).

        Parameters
        ----------
        X : array-like or SeriesWindows
            Windows, as the estimator takes them.
        coverage : float or array-like of float, default=0.9
            Coverage(s) in (0, 1). One whose conformal quantile needs more
            calibration windows than there are gives infinite bounds.

        Returns
        -------
        intervals : ndarray of float64
            The shape of :meth:`predict`'s forecast plus ``(2,)`` (lower,
            upper) for one coverage, or plus ``(n_coverages, 2)``.
        """
        cover, scalar = check_coverage(coverage)
        pred = self._point(X)
        n = len(pred)
        flat = pred.reshape(n, -1)
        out = np.empty((*flat.shape, len(cover), 2))
        if self.method == "cqr":
            quantiles = self._quantiles_for(X, n, flat.shape[1])
            for k, c in enumerate(cover):
                low, high, q = self._cqr(c)
                _warn_infinite(q, c, len(self.cqr_table_[0]))
                # a negative correction (quantiles wider than needed), or an
                # estimator whose quantiles cross, must not leave the point
                # forecast outside its own interval
                out[:, :, k, 0] = np.minimum(quantiles[:, :, low] - q, flat)
                out[:, :, k, 1] = np.maximum(quantiles[:, :, high] + q, flat)
        else:
            scale = 1.0
            if self.method == "scaled":
                scale = self._spread_per_value(X, n, self.estimator_)
            for k, c in enumerate(cover):
                q = conformal_quantile(self.scores_, c) * scale
                _warn_infinite(q, c, len(self.scores_))
                out[:, :, k, 0] = flat - q
                out[:, :, k, 1] = flat + q
        out = out.reshape(*pred.shape, len(cover), 2)
        return out[..., 0, :] if scalar else out

    def predict_quantiles(self, X: Any, quantiles: Any = (0.05, 0.95)) -> np.ndarray:
        """Forecast quantiles, read from the conformal intervals.

        The ``a`` quantile (``a < 0.5``) is the lower bound of the interval of
        coverage ``1 - 2a``, and the ``1 - a`` quantile its upper bound; the
        0.5 quantile is the point forecast. The values are sorted along the
        levels, so they never cross (CQR corrects each coverage on its own, and
        its bounds need not nest).

        Parameters
        ----------
        X : array-like or SeriesWindows
            Windows, as the estimator takes them.
        quantiles : array-like of float, default=(0.05, 0.95)
            Levels in (0, 1), returned in the order given.

        Returns
        -------
        y_quantiles : ndarray of float64
            The shape of :meth:`predict`'s forecast plus ``(n_quantiles,)``.
        """
        check_levels(quantiles, "quantiles")
        levels = np.asarray(quantiles, dtype=np.float64).reshape(-1)
        pred = self._point(X)
        out = np.empty((*pred.shape, len(levels)))
        coverages = np.abs(2 * levels - 1)
        wide = coverages > 0
        if np.any(wide):
            unique, which = np.unique(coverages[wide], return_inverse=True)
            bounds = self.predict_interval(X, unique)  # (..., n_unique, 2)
            side = (levels[wide] > 0.5).astype(int)  # 0: lower, 1: upper
            out[..., wide] = bounds[..., which, side]
        out[..., ~wide] = pred[..., None]
        # bounds corrected one coverage at a time need not nest (CQR): keep
        # the levels in order
        order = np.argsort(levels)
        out[..., order] = np.sort(out[..., order], axis=-1)
        return out

    # --------------------------------------------------------------- helpers
    def _quantiles_for(self, X: Any, n: int, n_values: int) -> np.ndarray:
        quantiles = np.asarray(self.estimator_.predict_quantiles(X), dtype=np.float64)
        # sorted along the levels: quantiles that cross read in order
        return np.sort(quantiles.reshape(n, n_values, -1), axis=-1)

    def _cqr(self, coverage: float) -> tuple[int, int, np.ndarray]:
        """The quantile positions of this coverage's bounds and its correction."""
        picks = bound_positions(
            coverage,
            self.quantiles_,
            "refit it with quantiles that include both, or use method='absolute'.",
        )
        target, quantiles = self.cqr_table_
        scores = np.maximum(
            quantiles[:, :, picks[0]] - target, target - quantiles[:, :, picks[1]]
        )
        return picks[0], picks[1], conformal_quantile(scores, coverage)

    def __forecaster_tags__(self) -> ForecasterTags:
        """Its estimator's capabilities, with its own calibration gap; its
        point forecast is its estimator's."""
        inner = forecaster_tags(self.estimator)
        nested = {
            name: f"estimator__{key}"
            for name, key in inner.settings.items()
            if name != "gap"
        }
        return ForecasterTags(
            series_windows=inner.series_windows,
            settings={"gap": "gap", **nested},
            point_forecaster="estimator_",
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            inner = self.estimator.__sklearn_tags__()
        except AttributeError:  # not an sklearn estimator: defaults
            return tags
        tags.input_tags = inner.input_tags
        tags.input_tags.sparse = False  # windows are dense
        tags.target_tags.multi_output = inner.target_tags.multi_output
        tags.regressor_tags.poor_score = inner.regressor_tags.poor_score
        return tags


def _warn_infinite(q: np.ndarray, coverage: float, n_scores: int) -> None:
    """No infinite bound reaches a user silently: say which coverage needs
    how many calibration windows, and how many there are."""
    if np.all(np.isfinite(q)):
        return
    needed = math.ceil(coverage / (1 - coverage) - 1e-9)
    warnings.warn(
        f"coverage={coverage:g} needs at least {needed} calibration windows, but "
        f"there are {n_scores}, so its bounds are infinite; pass more history, a "
        f"coverage of at most {math.floor(1000 * n_scores / (n_scores + 1)) / 1000:g}"
        ", or a larger "
        "calibration_fraction.",
        UserWarning,
        stacklevel=3,
    )


def _take(data: Any, indices: np.ndarray) -> Any:
    """Rows of an array or DataFrame by position."""
    if hasattr(data, "iloc"):
        return data.iloc[indices]
    return np.asarray(data)[indices]


_NO_Y = (
    "{} requires y to be passed, but the target y is None; pass the windows' "
    "targets, or a SeriesWindows as X."
)


def _targets(X: Any, y: Any) -> np.ndarray:
    if isinstance(X, SeriesWindows):
        return X.targets().astype(np.float64)
    if y is None:
        raise ValueError(_NO_Y.format("update"))
    return np.asarray(y, dtype=np.float64)
