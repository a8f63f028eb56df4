"""Conformal prediction intervals around any window forecaster, kept near their
coverage as the errors drift."""

from __future__ import annotations

import itertools
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
from .exceptions import UnboundedIntervalWarning
from .persistence import Reader, SaveMixin, Writer
from .windows import SeriesWindows, time_ordered_indices

__all__ = [
    "ConformalForecaster",
    "conformal_quantile",
    "held_out_windows",
    "windows_needed",
]

#: The conformity scores :class:`ConformalForecaster` can use.
METHODS = ("absolute", "scaled", "normalized", "cqr")
#: Where :class:`ConformalForecaster` finds its calibration windows.
CALIBRATIONS = ("auto", "holdout", "split", "cv")
#: The coverages whose miss rates ``adapt="tracking"`` tracks; a coverage
#: between two takes a factor interpolated between theirs.
TRACKED_COVERAGES = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99)
#: Calibration windows from which ``calibration="auto"`` is content with the
#: windows the estimator holds out (or with a split): a 95% bound then rests
#: on the largest 3 of them, a 90% one on the largest 5.
AUTO_MIN_WINDOWS = 50


def conformal_quantile(scores: Any, coverage: float) -> np.ndarray:
    """The split-conformal quantile of calibration scores, per column.

    With ``n`` scores, the ``ceil((n + 1) * coverage)``-th smallest: the
    finite-sample correction under which an interval built from it covers a
    new exchangeable value with probability at least ``coverage``. When that
    rank exceeds ``n`` (too few scores for the coverage asked,
    :func:`windows_needed`), the quantile is infinite. Missing scores (NaN: a
    value not yet observed) do not count: each column ranks its own.

    Parameters
    ----------
    scores : array-like of shape (n_scores,) or (n_scores, n_columns)
        Calibration scores, one column per forecast value (horizon step and
        channel); NaN where a column has no score.
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
    if values.shape[0] == 0:
        return np.full(values.shape[1:], np.inf)
    counts = np.sum(~np.isnan(values), axis=0)
    rank = np.ceil((counts + 1) * coverage).astype(np.int64)
    ordered = np.sort(values, axis=0)  # NaN last
    pick = np.clip(rank - 1, 0, values.shape[0] - 1)
    chosen = np.take_along_axis(ordered, np.expand_dims(pick, 0), axis=0)[0]
    return np.where(rank > counts, np.inf, chosen)


def windows_needed(coverage: float) -> int:
    """The fewest calibration windows that bound an interval of ``coverage``.

    The conformal quantile of ``n`` scores is finite when ``ceil((n + 1) *
    coverage) <= n``, that is from ``n = coverage / (1 - coverage)`` on.

    Parameters
    ----------
    coverage : float
        In (0, 1).

    Returns
    -------
    n : int
        The fewest scores for a finite bound.

    Examples
    --------
    >>> windows_needed(0.8), windows_needed(0.9), windows_needed(0.95)
    (4, 9, 19)
    """
    n = max(1, math.floor(coverage / (1 - coverage)) - 1)
    while math.ceil((n + 1) * coverage) > n:
        n += 1
    return n


def held_out_windows(estimator: Any, X: Any, y: Any = None) -> tuple[Any, Any] | None:
    """The windows a fitted estimator kept out of its training.

    An estimator declares them through its tags (``holds_out``: the parameter
    holding the share of its latest windows it validates on, e.g.
    :class:`~sktime_patches.PatchForecaster`'s ``validation_fraction``, which
    early stopping holds out); they are found by the package's time-ordered
    rule, with the gap of the estimator's fitted ``validation_gap_``. A
    calibrating wrapper calibrates on them without taking any window from the
    point forecast's training.

    Parameters
    ----------
    estimator : estimator object
        Fitted on ``X`` (and ``y``).
    X : array-like of shape (n_windows, ...) or SeriesWindows
        The windows it was fitted on.
    y : array-like or None, default=None
        Their targets; None for a SeriesWindows.

    Returns
    -------
    held_out : tuple of (X, y) or None
        The held-out windows and their targets (a SeriesWindows and None for a
        SeriesWindows), or None when the estimator declares none or held none
        out (too few windows, ``validation_fraction=0``).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches import PatchForecaster, make_windows
    >>> X, y = make_windows(np.sin(np.arange(200.0) / 5), lookback=24, horizon=4)
    >>> model = PatchForecaster(d_model=8, hidden_size=8, max_epochs=1).fit(X, y)
    >>> X_out, y_out = held_out_windows(model, X, y)
    >>> len(X), len(X_out)  # the latest 10% of the windows
    (173, 18)
    >>> held_out_windows(PatchForecaster(validation_fraction=0.0).fit(X, y), X, y)
    """
    name = forecaster_tags(estimator).holds_out
    if name is None:
        return None
    fraction = estimator.get_params(deep=False)[name]
    if not fraction:
        return None
    gap = getattr(estimator, "validation_gap_", None)
    if isinstance(X, SeriesWindows):
        held = X.time_split(fraction, gap=gap)[1]
        return (held, None) if len(held) else None
    shape = np.asarray(y).shape
    if gap is None:
        gap = shape[1] if len(shape) > 1 else 1
    n = shape[0]
    held = time_ordered_indices(n, fraction, gap)[1]
    if len(held) == 0:
        return None
    return _take(X, held), _take(y, held)


class ConformalForecaster(
    SaveMixin, RegressorMixin, BaseEstimator, saved_as="ConformalForecaster"
):
    """Prediction intervals with a coverage guarantee around any window forecaster.

    Conformal prediction for multi-step forecasts. ``fit`` trains a clone of
    ``estimator`` on every window (its point forecast is the one it would
    make alone) and keeps one conformity score per calibration window,
    horizon step and channel: errors of forecasts made without those windows
    (``calibration``). An interval of coverage ``c`` around a new forecast
    then widens each step and channel by the ``ceil((n + 1) c)``-th smallest
    of its ``n`` scores (:func:`conformal_quantile`): intervals that grow
    with the horizon, and that cover a new value with probability at least
    ``c`` as long as the calibration windows are exchangeable with the new
    ones. For time series that is an approximation; :meth:`update` keeps the
    intervals near their coverage as the errors drift (``adapt``).

    Parameters
    ----------
    estimator : estimator object
        A window forecaster with ``fit(X, y)`` and ``predict(X)``, e.g. a
        :class:`~sktime_patches.PatchForecaster`, ``Ridge()`` or a Pipeline.
        ``method="cqr"`` needs ``predict_quantiles`` and the quantile levels
        that bound the intervals asked for (a ``PatchForecaster`` fitted with
        ``quantiles``).
    method : {"absolute", "scaled", "normalized", "cqr"}, default="absolute"
        The conformity score:

        - ``"absolute"``: the absolute error ``|y - f|``; intervals ``f +- q``
          of one width per step and channel.
        - ``"scaled"``: the absolute error divided by the window's spread (its
          mean absolute step change, per channel): locally adaptive intervals,
          wider after a volatile window than after a calm one.
        - ``"normalized"``: the absolute error divided by the window's
          standard deviation (per channel): as ``"scaled"``, by the spread of
          the window's values rather than of its steps (wider after a window
          that swings far, such as the rise of an epidemic season).
        - ``"cqr"``: conformalised quantile regression (Romano et al. 2019):
          the score ``max(q_lo - y, y - q_hi)`` of the estimator's own
          quantiles; intervals ``[q_lo - q, q_hi + q]`` keep the width the
          model gives each window and correct its coverage.
    calibration : {"auto", "holdout", "split", "cv"}, default="auto"
        Where the calibration windows come from:

        - ``"holdout"``: the windows the estimator itself keeps out of its
          training (:func:`held_out_windows`: a ``PatchForecaster``'s early
          stopping windows, the latest ``validation_fraction``). The
          estimator is fitted once, on every window, and calibrated on those
          (which also chose its epoch: slightly optimistic intervals).
        - ``"split"``: a clone trained on all but the latest
          ``calibration_fraction`` of the windows (and the ``gap`` before
          them) forecasts them; ``refit`` then decides which model forecasts.
        - ``"cv"``: cross-conformal over ``n_folds`` time-ordered folds:
          each fold's windows are forecast by a clone trained on the windows
          outside it (``gap`` windows left out on either side), so every
          window has a score; the point forecast is a clone trained on every
          window. For short series; it trains ``n_folds + 1`` times.
        - ``"auto"``: ``"holdout"`` when the estimator holds at least
          ``AUTO_MIN_WINDOWS`` (50) windows out, else a ``"split"`` that
          leaves that many for calibration (the point model refitted on every
          window), else ``"cv"``. Either way the point forecast is that of
          the estimator fitted on every window.
    calibration_fraction : float, default=0.2
        Share of the windows, the latest, that calibrate (``"split"``).
    n_folds : int, default=5
        Time-ordered folds of ``"cv"``.
    gap : int or None, default=None
        Windows left out between training and calibration windows
        (``"split"``, ``"cv"``). None: the horizon (``y``'s second axis for
        3-D ``y``; its number of columns, an upper bound on the horizon, for
        2-D ``y``; 1 for 1-D; the windows' horizon for a SeriesWindows).
        :class:`~sktime_patches.series.SeriesForecaster` sets it to the
        windows its horizon spans.
    refit : bool, default=False
        With ``calibration="split"``: after calibrating, fit the estimator
        again on every window, so the forecasts use the latest data too. The
        scores then come from a model trained on fewer windows than the one
        they are used with (usually conservative, but the guarantee no longer
        holds exactly) and training costs twice as much. ``"auto"`` always
        refits; ``"holdout"`` and ``"cv"`` forecast with the estimator
        trained on every window anyway.
    adapt : {None, "tracking"}, default=None
        How :meth:`update` moves the intervals with the errors it observes:

        - None: the new scores join the calibration scores (the oldest
          dropped beyond ``max_scores``).
        - ``"tracking"``: each channel's intervals of each coverage are
          scaled by a factor that tracks their miss rate (quantile tracking,
          the P part of conformal PID control, Angelopoulos, Candès &
          Tibshirani 2023, in log scale): each value observed moves the
          channel's log factor of coverage ``c`` by ``step_size / horizon``
          times ``c`` when it falls outside the current interval and ``-(1 -
          c)`` when inside, so that the intervals widen after misses and
          narrow after hits until ``1 - c`` of the values fall outside. Every
          step of the horizon of a channel shares the factor, so the short
          steps, observed first, widen or narrow the long steps' intervals
          before their own errors arrive; the calibrated profile over the
          steps stays. The coverages ``TRACKED_COVERAGES`` (0.5 to 0.99) are
          tracked; another takes the factor interpolated between the two
          around it (the nearest beyond them). Needs nonnegative scores (not
          ``"cqr"``).
    step_size : float, default=0.0125
        The tracking's step (``adapt="tracking"``): the change of a channel's
        log factor per horizon of values observed, times the miss indicator
        minus its target rate. 0.0125 was chosen on the benchmarks'
        validation windows only (the ridge calibrated on the latest training
        windows and tracked through the validation period of ETTh1 and ILI;
        0.01, 0.0125, 0.025, 0.05, 0.1 and 0.2 tried; ``benchmarks/TRIED.md``):
        a step for hourly data, slow on weekly data (about a year to triple
        an interval), where a larger one reacts faster to a new regime.
    channels : int or None, default=None
        Channels of the forecast, for ``adapt="tracking"`` (its values laid
        out ``(horizon, n_channels)`` flattened, as ``y``). None: ``y``'s
        last axis for 3-D targets, else 1 (every value one channel).
        :class:`~sktime_patches.series.SeriesForecaster` sets it.
    max_scores : int or None, default=None
        Keep at most this many calibration scores, the latest (:meth:`update`
        adds new ones when ``adapt`` is None); None keeps them all.
    small_data : {"raise", "insample"}, default="raise"
        When the windows are too few to calibrate on any held-out window:
        ``"raise"`` says so; ``"insample"`` trains on all of them and
        calibrates on their own (in-sample) errors, with a warning: such
        intervals are usually too narrow.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted model that forecasts.
    calibration_ : str
        The calibration used: ``"holdout"``, ``"split"``, ``"cv"``,
        ``"insample"``, or ``"given"`` (:meth:`calibrate`).
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
    channels_ : int
        The forecast's channels (each tracked on its own).
    tracked_ : ndarray of shape (len(TRACKED_COVERAGES), n_values)
        The calibrated half-width (in score units) of each tracked coverage
        and value: what a value is compared with, times its factor.
    log_scale_ : ndarray of shape (len(TRACKED_COVERAGES), n_channels)
        Each tracked coverage's and channel's log factor (``n_channels`` is
        ``channels_``; 0 until
        :meth:`update` with ``adapt="tracking"``).
    n_updates_ : int
        Windows given to :meth:`update` since the calibration.

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

    **Why a factor per channel, shared by the steps.** Adaptive conformal
    inference (Gibbs & Candès 2021) and conformal PID control track one level
    or quantile per forecast value; a forecast's step ``h`` is observed ``h``
    steps after it is made, so a tracker per step learns of a change last at
    the long steps. One factor per channel (and coverage), fed by every step
    and scaling the calibrated profile over the steps, kept coverage closer
    to nominal on the benchmarks than a tracker per step and channel
    (``benchmarks/TRIED.md``).

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
    >>> model.calibration_, model.n_calibration_  # the latest 20% of the windows
    ('split', 800)
    >>> intervals = model.predict_interval(X[4000:], coverage=0.9)
    >>> intervals.shape  # (n_windows, horizon, lower/upper)
    (947, 6, 2)
    >>> inside = (y[4000:] >= intervals[..., 0]) & (y[4000:] <= intervals[..., 1])
    >>> bool(0.85 < inside.mean() < 0.95)
    True

    The point forecast is Ridge's on every window, as without intervals:

    >>> bool(np.allclose(model.predict(X[4000:]), Ridge().fit(X[:4000], y[:4000])
    ...     .predict(X[4000:])))
    True
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
        "method": [StrOptions(set(METHODS))],
        "calibration": [StrOptions(set(CALIBRATIONS))],
        "calibration_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_folds": [Interval(Integral, 2, None, closed="left")],
        "gap": [Interval(Integral, 0, None, closed="left"), None],
        "refit": ["boolean"],
        "adapt": [StrOptions({"tracking"}), None],
        "step_size": [Interval(Real, 0, None, closed="neither")],
        "channels": [Interval(Integral, 1, None, closed="left"), None],
        "max_scores": [Interval(Integral, 1, None, closed="left"), None],
        "small_data": [StrOptions({"raise", "insample"})],
    }

    def __init__(
        self,
        estimator: Any,
        method: str = "absolute",
        calibration: str = "auto",
        calibration_fraction: float = 0.2,
        n_folds: int = 5,
        gap: int | None = None,
        refit: bool = False,
        adapt: str | None = None,
        step_size: float = 0.0125,
        channels: int | None = None,
        max_scores: int | None = None,
        small_data: str = "raise",
    ) -> None:
        self.estimator = estimator
        self.method = method
        self.calibration = calibration
        self.calibration_fraction = calibration_fraction
        self.n_folds = n_folds
        self.gap = gap
        self.refit = refit
        self.adapt = adapt
        self.step_size = step_size
        self.channels = channels
        self.max_scores = max_scores
        self.small_data = small_data

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: Any, y: Any = None) -> ConformalForecaster:
        """Train on every window, calibrate on windows held out of a training.

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
        n, gap = self._check_windows(X, y)
        self._check_method(self.estimator)
        mode = self.calibration
        if mode == "split":
            self._fit_split(X, y, n, gap, refit=self.refit)
            return self
        final = clone(self.estimator).fit(X, y)  # the point forecast
        held = held_out_windows(final, X, y)
        if mode == "holdout" and held is None:
            name = type(final).__name__
            what = (
                f"{name} held none out of these {n} windows"
                if forecaster_tags(final).holds_out is not None
                else f"{name} declares none (its tags' holds_out)"
            )
            raise ValueError(
                "calibration='holdout' calibrates on the windows the estimator "
                f"keeps out of its training, but {what}; pass calibration='auto', "
                "'split' or 'cv'."
            )
        if mode == "auto" and held is not None and len(held[0]) < AUTO_MIN_WINDOWS:
            held = None
        if held is not None:
            self.estimator_ = final
            self._calibrate(final, *held)
            self.calibration_ = "holdout"
            return self
        if mode == "auto":
            n_cal = self._split_count(X, n, gap)
            if n_cal >= AUTO_MIN_WINDOWS:
                self._fit_split(X, y, n, gap, refit=False)
                self.estimator_ = final
                return self
        folds = self._cv_folds(n, gap)
        if folds is None and mode == "auto" and self._split_count(X, n, gap):
            self._fit_split(X, y, n, gap, refit=False)  # the few there are
            self.estimator_ = final
            return self
        if folds is None:
            self._fit_insample_or_raise(X, y, n, gap, final, "cv")
            return self
        self._fit_cv(X, y, folds)
        self.estimator_ = final
        return self

    def _fit_split(self, X: Any, y: Any, n: int, gap: int, refit: bool) -> None:
        """Train on the earlier windows, calibrate on the latest ones."""
        split = self._split(X, y, n, gap)
        if split is None:
            self._fit_insample_or_raise(X, y, n, gap, None, "split")
            return
        train_X, train_y, cal_X, cal_y = split
        estimator = clone(self.estimator).fit(train_X, train_y)
        self._calibrate(estimator, cal_X, cal_y)
        if refit:
            estimator = clone(self.estimator).fit(X, y)
        self.estimator_ = estimator
        self.calibration_ = "split"

    def _fit_cv(
        self, X: Any, y: Any, folds: list[tuple[np.ndarray, np.ndarray]]
    ) -> None:
        """Score every window with a clone trained without its fold."""
        if isinstance(X, SeriesWindows):  # folds cut from the arrays
            X, y = X.to_arrays()
        self._start_calibration()
        for train, test in folds:
            model = clone(self.estimator).fit(_take(X, train), _take(y, train))
            self._quantile_levels(model)
            self._add_scores(model, _take(X, test), _take(y, test))
        self._finish_calibration()
        self.calibration_ = "cv"

    def _fit_insample_or_raise(
        self, X: Any, y: Any, n: int, gap: int, final: Any, how: str
    ) -> None:
        """Too few windows to hold any out: ``small_data`` decides."""
        if self.small_data == "raise":
            if how == "split":
                raise ValueError(
                    f"X has n_samples = {n} window(s): too few to keep "
                    f"calibration_fraction={self.calibration_fraction} of them for "
                    f"calibration after a gap of {gap} window(s) and still train on "
                    "as many; pass more windows, a larger calibration_fraction or a "
                    "smaller gap."
                )
            raise ValueError(
                f"X has n_samples = {n} window(s): too few to calibrate on any "
                f"held-out window (cross-conformal over n_folds={self.n_folds} "
                f"time-ordered folds, a gap of {gap} window(s) on either side of "
                "each, trains on at least as many windows as it scores); pass "
                "more windows, a smaller gap or n_folds, or small_data='insample'."
            )
        warnings.warn(
            "too few windows to hold any out for calibration: the intervals "
            "are calibrated on the training windows' own errors, and are "
            "likely too narrow.",
            UserWarning,
            stacklevel=3,
        )
        estimator = final if final is not None else clone(self.estimator).fit(X, y)
        self._calibrate(estimator, X, y)
        self.estimator_ = estimator
        self.calibration_ = "insample"

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
        self._check_method(self.estimator)
        self._calibrate(self.estimator, X, y)
        self.estimator_ = self.estimator
        self.calibration_ = "given"
        return self

    def _check_method(self, estimator: Any) -> None:
        if self.method == "cqr" and not hasattr(estimator, "predict_quantiles"):
            raise ValueError(
                f"method='cqr' needs an estimator with predict_quantiles (e.g. "
                f"PatchForecaster(quantiles=(0.05, 0.95))); got "
                f"{type(estimator).__name__}. Use method='absolute' or 'scaled'."
            )
        if self.method == "cqr" and self.adapt == "tracking":
            raise ValueError(
                "adapt='tracking' rescales nonnegative scores, but method='cqr' "
                "corrects quantiles by signed ones; pass method='absolute', "
                "'scaled' or 'normalized', or adapt=None."
            )

    def _calibrate(self, estimator: Any, X: Any, y: Any) -> None:
        """Start the calibration scores afresh from these windows."""
        self._start_calibration()
        self._quantile_levels(estimator)
        self._add_scores(estimator, X, y)
        self._finish_calibration()

    def _start_calibration(self) -> None:
        self.quantiles_ = None
        self.scores_ = np.empty((0, 0))
        self.cqr_table_ = None

    def _quantile_levels(self, estimator: Any) -> None:
        if self.method != "cqr":
            return
        levels = getattr(estimator, "quantiles_", None)
        if levels is None:
            raise ValueError(
                "method='cqr' needs an estimator fitted with quantiles; got one "
                "whose quantiles_ is None. Pass e.g. quantiles=(0.05, 0.95)."
            )
        self.quantiles_ = np.asarray(levels)

    def _finish_calibration(self) -> None:
        """The calibration's count, and the tracking's unit and start."""
        self.n_calibration_ = len(self.scores_)
        n_values = self.scores_.shape[1]
        channels = self.channels
        if channels is None:
            channels = self.forecast_shape_[-1] if len(self.forecast_shape_) > 1 else 1
        if n_values % channels:
            raise ValueError(
                f"channels={channels} does not divide the {n_values} values the "
                "estimator forecasts per window; pass the number of channels of "
                "its forecast (laid out (horizon, n_channels))."
            )
        self.channels_ = int(channels)
        tracked = np.zeros((len(TRACKED_COVERAGES), n_values))
        if self.method != "cqr" and len(self.scores_):
            tracked = np.stack(
                [conformal_quantile(self.scores_, c) for c in TRACKED_COVERAGES]
            )
        self.tracked_ = tracked
        self.log_scale_ = np.zeros((len(TRACKED_COVERAGES), self.channels_))
        self.n_updates_ = 0

    def _check_windows(self, X: Any, y: Any) -> tuple[int, int]:
        """The number of windows and the gap; checks arrays' lengths."""
        if isinstance(X, SeriesWindows):
            return len(X), X.horizon if self.gap is None else self.gap
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
        gap = self.gap
        if gap is None:
            gap = y_arr.shape[1] if y_arr.ndim > 1 else 1
        return len(y_arr), gap

    def _split_count(self, X: Any, n: int, gap: int) -> int:
        """The calibration windows a split would hold."""
        if isinstance(X, SeriesWindows):
            return len(X.time_split(self.calibration_fraction, gap=gap)[1])
        return len(time_ordered_indices(n, self.calibration_fraction, gap)[1])

    def _split(
        self, X: Any, y: Any, n: int, gap: int
    ) -> tuple[Any, Any, Any, Any] | None:
        """Training and calibration windows, time-ordered, a gap between."""
        if isinstance(X, SeriesWindows):
            train, cal = X.time_split(self.calibration_fraction, gap=gap)
            return None if len(cal) == 0 else (train, None, cal, None)
        train_idx, cal_idx = time_ordered_indices(n, self.calibration_fraction, gap)
        if len(cal_idx) == 0:
            return None
        return (
            _take(X, train_idx),
            _take(y, train_idx),
            _take(X, cal_idx),
            _take(y, cal_idx),
        )

    def _cv_folds(self, n: int, gap: int) -> list[tuple[np.ndarray, np.ndarray]] | None:
        """``n_folds`` contiguous folds in time order, each with the windows
        more than ``gap`` away from it to train on; None when a fold would
        train on fewer windows than it scores."""
        k = min(self.n_folds, n)
        edges = np.linspace(0, n, k + 1).round().astype(np.int64)
        folds = []
        for start, stop in itertools.pairwise(edges):
            train = np.r_[0 : max(start - gap, 0), min(stop + gap, n) : n]
            if stop <= start or len(train) < max(stop - start, 1):
                return None
            folds.append((train.astype(np.int64), np.arange(start, stop)))
        return folds

    def update(self, X: Any, y: Any = None) -> ConformalForecaster:
        """Learn from new windows whose targets (some or all) are now known.

        The model is not retrained: its forecasts of the new windows are
        compared with what happened. With ``adapt=None`` their scores join
        the calibration scores (the oldest dropped beyond ``max_scores``);
        with ``adapt="tracking"`` each observed value moves its channel's
        factor (see ``adapt``), value after value in the order given (window
        after window, each window's steps in order). A target that is not
        known yet is NaN: its value is left out, so a value can be given as
        soon as it is observed, in a later call (a forecast made at time
        ``t`` for step ``h`` is observed at ``t + h``; see
        :meth:`~sktime_patches.series.SeriesForecaster.update`).

        Parameters
        ----------
        X : array-like or SeriesWindows
            New windows, after those already seen.
        y : array-like or None
            Their targets, NaN where not observed; None for a SeriesWindows.

        Returns
        -------
        self : ConformalForecaster
            This forecaster, updated.

        Examples
        --------
        A shift of the noise: the tracked intervals widen as the larger
        errors arrive.

        >>> import numpy as np
        >>> from sklearn.linear_model import Ridge
        >>> from sktime_patches import make_windows
        >>> rng = np.random.default_rng(0)
        >>> noise = np.r_[0.1 * rng.standard_normal(600), rng.standard_normal(400)]
        >>> X, y = make_windows(np.sin(np.arange(1000) / 4) + noise, 16, 2)
        >>> X, y = X[:, :, 0], y[:, :, 0]
        >>> model = ConformalForecaster(Ridge(), adapt="tracking").fit(X[:500], y[:500])
        >>> before = np.diff(model.predict_interval(X[-1:], 0.9)[0, 0])
        >>> after = np.diff(model.update(X[600:900], y[600:900])
        ...                 .predict_interval(X[-1:], 0.9)[0, 0])
        >>> bool(after[0] > 3 * before[0])
        True
        """
        check_is_fitted(self)
        if self.adapt == "tracking":
            scores, _ = self._scores(self.estimator_, X, y)
            self._track(scores)
        else:
            scores = self._add_scores(self.estimator_, X, y)
        self.n_updates_ = getattr(self, "n_updates_", 0) + len(scores)
        return self

    def _track(self, scores: np.ndarray) -> None:
        """Move each tracked coverage's and channel's log factor by the
        scores, one window after another."""
        n_values = self.tracked_.shape[1]
        channel = np.arange(n_values) % self.channels_
        one_hot = np.eye(self.channels_)[channel]  # (n_values, channels)
        target = 1 - np.asarray(TRACKED_COVERAGES)[:, None]  # miss rates
        rate = self.step_size / (n_values // self.channels_)
        bounded = np.isfinite(self.tracked_)
        log_scale = self.log_scale_.copy()
        for row in scores:
            seen = ~np.isnan(row)
            if not seen.any():
                continue
            half = self.tracked_[:, seen] * np.exp(log_scale[:, channel[seen]])
            step = np.where(bounded[:, seen], (row[seen] > half) - target, 0.0)
            log_scale += rate * step @ one_hot[seen]
        self.log_scale_ = log_scale

    def _scores(
        self, estimator: Any, X: Any, y: Any
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """The conformity scores of windows ``(n, n_values)`` (NaN where a
        target is NaN); for ``"cqr"`` the targets, and the estimator's
        quantiles ``(n, n_values, n_quantiles)``."""
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
            # levels that cross are sorted (monotone rearrangement)
            quantiles = np.sort(quantiles.reshape(n, target.shape[1], -1), axis=-1)
            return target, quantiles
        scores = np.abs(target - pred.reshape(n, -1))
        if self.method in ("scaled", "normalized"):
            scores = scores / self._spread_per_value(X, n, estimator)
        return scores, None

    def _add_scores(self, estimator: Any, X: Any, y: Any) -> np.ndarray:
        """Append the scores of windows to the calibration scores; return them."""
        new, quantiles = self._scores(estimator, X, y)
        keep = slice(-self.max_scores, None) if self.max_scores else slice(None)
        if self.method == "cqr":
            target, old = new, self.cqr_table_
            if old is not None:
                target = np.concatenate([old[0], target])
                quantiles = np.concatenate([old[1], quantiles])
            self.cqr_table_ = (target[keep], quantiles[keep])
            self.scores_ = self.cqr_table_[0]
            return new
        scores = np.concatenate([self.scores_, new]) if self.scores_.size else new
        self.scores_ = scores[keep]
        return new

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
                f"method={self.method!r} reads each window's spread from X, which "
                "must be windows of shape (n, lookback[, n_channels]); got "
                f"{windows.shape}."
            )
        spread = _spread(windows, self.method)  # (n, n_channels)
        n_values = int(np.prod(self.forecast_shape_))
        if n_values % spread.shape[1]:
            raise ValueError(
                f"the forecast has {n_values} value(s) per window, not a multiple "
                f"of the {spread.shape[1]} channel(s) of X; method={self.method!r} "
                "needs forecasts laid out (horizon, n_channels)."
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
            calibration windows than there are (:func:`windows_needed`) gives
            infinite bounds, with an
            :class:`~sktime_patches.exceptions.UnboundedIntervalWarning` that
            says how many it needs and how many there are.

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
                self._warn_unbounded(c, q)
                lower = quantiles[:, :, low] - q
                upper = quantiles[:, :, high] + q
                # a negative correction (quantiles wider than needed) that
                # shrinks past the middle leaves an empty interval: its middle
                middle = (lower + upper) / 2
                out[:, :, k, 0] = np.minimum(lower, middle)
                out[:, :, k, 1] = np.maximum(upper, middle)
                # quantiles that cross, or an estimator whose median is not its
                # point forecast, must not leave the point forecast outside
                out[:, :, k, 0] = np.minimum(out[:, :, k, 0], flat)
                out[:, :, k, 1] = np.maximum(out[:, :, k, 1], flat)
        else:
            scale = 1.0
            if self.method in ("scaled", "normalized"):
                scale = self._spread_per_value(X, n, self.estimator_)
            for k, c in enumerate(cover):
                q = self._quantile(c)
                self._warn_unbounded(c, q)
                q = q * self._factor(c)
                out[:, :, k, 0] = flat - q * scale
                out[:, :, k, 1] = flat + q * scale
        out = out.reshape(*pred.shape, len(cover), 2)
        return out[..., 0, :] if scalar else out

    def _quantile(self, coverage: float) -> np.ndarray:
        """The conformal quantile of the scores; with ``adapt="tracking"``
        (whose scores do not change after the calibration) that of a tracked
        coverage is the one computed then."""
        if self.adapt == "tracking" and getattr(self, "tracked_", None) is not None:
            hit = np.flatnonzero(np.isclose(TRACKED_COVERAGES, coverage, atol=1e-12))
            if hit.size:
                return self.tracked_[hit[0]]
        return conformal_quantile(self.scores_, coverage)

    def _factor(self, coverage: float) -> np.ndarray:
        """Each value's tracked factor at ``coverage`` ``(n_values,)``: its
        channel's, interpolated between the tracked coverages."""
        log_scale = getattr(self, "log_scale_", None)
        if log_scale is None:  # saved before adapt existed
            return np.ones(1)
        levels = np.asarray(TRACKED_COVERAGES)
        per_channel = np.array(
            [
                np.interp(coverage, levels, log_scale[:, k])
                for k in range(self.channels_)
            ]
        )
        n_values = self.scores_.shape[1]
        return np.exp(per_channel[np.arange(n_values) % self.channels_])

    def _warn_unbounded(self, coverage: float, q: np.ndarray) -> None:
        """Say, in one line, that a coverage could not be bounded."""
        if np.isfinite(q).all():
            return
        counts = np.sum(~np.isnan(self.scores_), axis=0)
        have = int(np.min(counts, initial=len(self.scores_)))
        how = getattr(self, "calibration_", None)
        if how == "cv":
            where, fix = " (every window, cross-conformal)", "pass more history"
        else:
            where = ""
            fix = (
                "calibrate on every window (ConformalForecaster(..., "
                "calibration='cv')), pass more history"
            )
        most = np.floor(1000 * have / (have + 1)) / 1000  # bounded up to here
        lower = f"or ask a coverage of at most {most:g}" if most > 0 else ""
        message = (
            f"coverage={coverage:g} needs at least {windows_needed(coverage)} "
            f"calibration windows, but there are {have}{where}: its intervals are "
            f"infinite; {fix}" + (f", {lower}." if lower else ".")
        )
        warnings.warn(UnboundedIntervalWarning(message, float(coverage)), stacklevel=3)

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

    # ------------------------------------------------------------- save/load
    def __save_state__(self, writer: Writer, where: str) -> dict[str, Any]:
        """The fitted attributes; a model calibrated as given (``estimator_``
        is ``estimator``) is saved once, as the parameter."""
        state = super().__save_state__(writer, where)
        shared = "estimator_" in vars(self) and self.estimator_ is self.estimator
        if shared:
            del state["fitted"]["estimator_"]
            state["estimator_is_estimator"] = True
        return state

    def __load_state__(self, state: dict[str, Any], reader: Reader) -> None:
        """Set the fitted attributes (``estimator_`` the parameter's model
        when it was saved as one)."""
        super().__load_state__(state, reader)
        if state.get("estimator_is_estimator"):
            self.estimator_ = self.estimator

    def __forecaster_tags__(self) -> ForecasterTags:
        """Its estimator's capabilities, with its own calibration gap and
        channels; its point forecast is its estimator's; it gives intervals."""
        inner = forecaster_tags(self.estimator)
        nested = {
            name: f"estimator__{key}"
            for name, key in inner.settings.items()
            if name not in ("gap", "channels")
        }
        return ForecasterTags(
            series_windows=inner.series_windows,
            settings={"gap": "gap", "channels": "channels", **nested},
            point_forecaster="estimator_",
            intervals=True,
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


def _spread(X: Any, method: str = "scaled") -> np.ndarray:
    """Each window's spread per channel, with a floor of 1e-8 times its
    channel's largest, so a flat window is not zero: its mean absolute step
    change (``"scaled"``) or the standard deviation of its values
    (``"normalized"``).

    ``X`` is ``(n, lookback)`` (one channel) or ``(n, lookback, n_channels)``;
    returns ``(n, n_channels)``.
    """
    windows = np.asarray(X, dtype=np.float64)
    if windows.ndim == 2:
        windows = windows[:, :, None]
    if method == "normalized":
        spread = windows.std(axis=1)
    else:
        spread = np.abs(np.diff(windows, axis=1)).mean(axis=1)
    floor = 1e-8 * np.maximum(spread.max(axis=0, keepdims=True), 1e-12)
    return np.maximum(spread, floor)


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
