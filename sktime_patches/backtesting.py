"""Backtesting: forecasts at several cutoffs, their errors, and the same CV splits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils.validation import _num_samples

from ._tags import forecaster_tags, point_forecaster
from ._validation import check_coverage, check_values, time_axis, to_frame
from .metrics import interval_scores, pinball_values
from .series import SeriesForecaster, window_input

__all__ = ["BacktestSplit", "backtest", "backtest_errors", "holdout_errors"]

#: Columns of the tidy frame returned by :func:`backtest`, in order.
TIDY_COLUMNS = ("cutoff", "timestamp", "step", "column", "actual", "forecast")

_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
_CUTOFF_CONSTRAINTS: dict = {
    "lookback": [_POSITIVE_INT],
    "horizon": [_POSITIVE_INT],
    "n_cutoffs": [_POSITIVE_INT],
    "step": [_POSITIVE_INT, None],
    "window": [StrOptions({"expanding", "sliding"})],
    "train_size": [_POSITIVE_INT, None],
}
# backtest takes lookback / horizon from a SeriesForecaster when they are None
_BACKTEST_CONSTRAINTS: dict = {
    **_CUTOFF_CONSTRAINTS,
    "lookback": [_POSITIVE_INT, StrOptions({"auto"}), None],
    "horizon": [_POSITIVE_INT, None],
}


def _cutoff_rows(
    n_rows: int,
    lookback: int,
    horizon: int,
    n_cutoffs: int,
    step: int | None,
    window: str,
    train_size: int | None,
    what: str,
) -> list[tuple[int, int]]:
    """``(first training row, cutoff row)`` of each cutoff, oldest first.

    The cutoff row is the last row the forecaster sees; it forecasts the
    ``horizon`` rows after it. The last cutoff is ``horizon`` rows before the end
    of the series, and the others are ``step`` rows apart before it. ``what``
    phrases the too-short error for a series (``"df"``) or for windows (``"X"``).
    """
    step = horizon if step is None else step
    span = lookback + horizon
    cutoffs = [n_rows - horizon - 1 - k * step for k in range(n_cutoffs)][::-1]
    if cutoffs[0] + 1 < span:
        need = span + (n_cutoffs - 1) * step + horizon
        if what == "X":
            have, need = n_rows - span + 1, need - span + 1
            detail = (
                f"1 to train on, horizon - 1 = {horizon - 1} left out as a gap, "
                f"then (n_cutoffs - 1) * step + 1 = {(n_cutoffs - 1) * step + 1} to "
                "test"
            )
            unit, fix = "window", "more windows"
        else:
            have = n_rows
            detail = (
                f"lookback + horizon = {span} to train on before the first cutoff, "
                f"then (n_cutoffs - 1) * step + horizon = "
                f"{(n_cutoffs - 1) * step + horizon} to forecast"
            )
            unit, fix = "row", "a longer series"
        raise ValueError(
            f"{what} has {have} {unit}(s), but n_cutoffs={n_cutoffs} cutoffs {step} "
            f"step(s) apart need at least {need} ({detail}); pass a smaller n_cutoffs "
            f"or step, or {fix}."
        )
    if window == "expanding":
        if train_size is not None:
            raise ValueError(
                f"train_size={train_size} only applies to window='sliding'; pass "
                "window='sliding', or train_size=None to train on all the history "
                "before each cutoff."
            )
        return [(0, c) for c in cutoffs]
    size = cutoffs[0] + 1 if train_size is None else train_size
    if size < span:
        raise ValueError(
            f"train_size={size} rows hold no training window (lookback + horizon = "
            f"{span}); pass train_size >= {span}."
        )
    if size > cutoffs[0] + 1:
        raise ValueError(
            f"train_size={size} is longer than the {cutoffs[0] + 1} rows of history "
            "before the first cutoff; pass a smaller train_size, fewer cutoffs or a "
            "smaller step."
        )
    return [(c - size + 1, c) for c in cutoffs]


def _resolve_forecaster(
    forecaster: Any, lookback: int | None, horizon: int | None
) -> SeriesForecaster:
    """A SeriesForecaster from a forecaster or a window estimator."""
    if forecaster_tags(forecaster).input == "series":
        for key, value in (("lookback", lookback), ("horizon", horizon)):
            own = getattr(forecaster, key)
            if value is not None and value != own:
                raise ValueError(
                    f"{key}={value} differs from the forecaster's {key}={own}; pass "
                    f"{key}=None to use the forecaster's, or set it on the forecaster."
                )
        return forecaster
    if not (hasattr(forecaster, "fit") and hasattr(forecaster, "predict")):
        raise TypeError(
            "forecaster must be a SeriesForecaster or a window estimator with fit "
            f"and predict; got {type(forecaster).__name__}."
        )
    missing = [
        k for k, v in (("lookback", lookback), ("horizon", horizon)) if v is None
    ]
    if missing:
        raise ValueError(
            f"{' and '.join(missing)} must be given when forecaster is a window "
            f"estimator ({type(forecaster).__name__}); pass lookback= and horizon=, "
            "or a SeriesForecaster that holds them."
        )
    return SeriesForecaster(forecaster, lookback=lookback, horizon=horizon)


@validate_params(
    {
        "forecaster": "no_validation",
        "df": "no_validation",
        "coverage": "no_validation",  # check_coverage: one message everywhere
        "refit": ["boolean"],
        **_BACKTEST_CONSTRAINTS,
    },
    prefer_skip_nested_validation=False,  # the forecasters it fits validate
)
def backtest(
    forecaster: Any,
    df: Any,
    lookback: int | None = None,
    horizon: int | None = None,
    *,
    n_cutoffs: int = 3,
    step: int | None = None,
    window: str = "expanding",
    train_size: int | None = None,
    coverage: Any = None,
    refit: bool = True,
) -> pd.DataFrame:
    """Forecast at several cutoffs of a series and line the forecasts up with the truth.

    At each cutoff a clone of the forecaster is fitted on the history up to and
    including the cutoff and forecasts the ``horizon`` steps after it (or,
    with ``refit=False``, the clone fitted at the first cutoff is updated with
    the rows since). The last cutoff is ``horizon`` steps before the end of
    ``df``; the others are ``step`` steps apart before it.

    Parameters
    ----------
    forecaster : SeriesForecaster or estimator object
        A :class:`~sktime_patches.series.SeriesForecaster`, or a window regressor
        (e.g. ``PatchForecaster``, or a ``Pipeline`` of ``SpacetimePatcher`` and
        ``Ridge``), which is wrapped in one with ``lookback`` and ``horizon``.
    df : pd.DataFrame, pd.Series or array-like of shape (n_timesteps, n_channels)
        The series, oldest row first, with a regular time index (see
        ``SeriesForecaster``).
    lookback : int or None, default=None
        Steps each forecast starts from; None takes the forecaster's. Required for
        a window regressor.
    horizon : int or None, default=None
        Steps to forecast at each cutoff; None takes the forecaster's. Required
        for a window regressor.
    n_cutoffs : int, default=3
        Number of cutoffs.
    step : int or None, default=None
        Steps between consecutive cutoffs; None means ``horizon``, so that the
        forecast periods tile the end of the series without overlap.
    window : {"expanding", "sliding"}, default="expanding"
        ``"expanding"`` trains on all the history before each cutoff;
        ``"sliding"`` on the last ``train_size`` steps only.
    train_size : int or None, default=None
        Rows of history for ``window="sliding"``; None means the rows before the
        first cutoff, so that every cutoff trains on as much as the first.
    coverage : float, list of float or None, default=None
        Also forecast prediction intervals of these coverages (the forecaster's
        ``predict_interval``: wrap the window model in
        :class:`~sktime_patches.conformal.ConformalForecaster`, or use a
        ``PatchForecaster`` with ``quantiles``; a ``PatchForecaster`` alone is
        conformalised on its early-stopping windows, ``intervals_`` of
        :class:`~sktime_patches.series.SeriesForecaster`).
    refit : bool, default=True
        True fits a clone at every cutoff. False fits one at the first cutoff
        and, at each later one, gives it the rows since the previous cutoff
        (:meth:`~sktime_patches.series.SeriesForecaster.update`): the point
        model is not trained again, and adaptive intervals learn from every
        value as it is observed, each forecast scored only once its value is
        known (a forecast made at row ``t`` for step ``h`` at row ``t + h``),
        never from a value after the cutoff they forecast from. For one
        series without covariates.

    Returns
    -------
    tidy : pd.DataFrame
        One row per cutoff, forecast step and column, ordered that way, with
        columns ``cutoff`` (last time stamp seen), ``timestamp`` (the time
        forecast), ``step`` (1 .. horizon), ``column`` (the column name),
        ``actual`` and ``forecast``. Summarise it with :func:`backtest_errors`.
        With ``coverage``, also ``lower_<c>`` and ``upper_<c>`` for each
        coverage ``c`` (e.g. ``lower_0.9``), and ``scale``: the mean absolute
        step change of the column over the training rows of the cutoff, which
        scales the interval score (MSIS).

    See Also
    --------
    backtest_errors : Mean squared and absolute errors per cutoff, step or column.
    BacktestSplit : The same cutoffs as a CV splitter over windows.

    Notes
    -----
    With a forecaster of ``stride=1``, the forecast at each cutoff is exactly what
    ``cross_val_score`` evaluates on the windows of ``make_windows(df, lookback,
    horizon)`` with ``cv=BacktestSplit(lookback, horizon, n_cutoffs, step, window,
    train_size)``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sktime_patches.backtesting import backtest, backtest_errors
    >>> t = np.arange(60.0)
    >>> df = pd.DataFrame(
    ...     {"y": np.cos(2 * np.pi * t / 12)},
    ...     index=pd.period_range("2020-01", periods=60, freq="M"),
    ... )
    >>> tidy = backtest(Ridge(alpha=1e-6), df, lookback=24, horizon=3, n_cutoffs=2)
    >>> tidy.round({"actual": 3, "forecast": 3})
        cutoff timestamp  step column  actual  forecast
    0  2024-06   2024-07     1      y  -1.000    -1.000
    1  2024-06   2024-08     2      y  -0.866    -0.866
    2  2024-06   2024-09     3      y  -0.500    -0.500
    3  2024-09   2024-10     1      y   0.000     0.000
    4  2024-09   2024-11     2      y   0.500     0.500
    5  2024-09   2024-12     3      y   0.866     0.866
    >>> backtest_errors(tidy).round(6)
             mse  mae
    cutoff
    2024-06  0.0  0.0
    2024-09  0.0  0.0
    """
    forecaster = _resolve_forecaster(forecaster, lookback, horizon)
    lookback, horizon = forecaster.lookback, forecaster.horizon
    if lookback == "auto":  # chosen at every cutoff, on its training rows alone;
        lookback = max(horizon, 8)  # the rows must hold the shortest candidate

    frame, _ = to_frame(df, "df")
    rows = _cutoff_rows(
        len(frame), lookback, horizon, n_cutoffs, step, window, train_size, "df"
    )
    kind, freq = time_axis(frame.index, "df", forecaster.freq)
    check_values(frame, "df")
    if kind == "DatetimeIndex" and frame.index.freq is None:
        frame = frame.copy(deep=False)  # validate and infer the frequency once
        frame.index = pd.DatetimeIndex(frame.index, freq=freq)

    cover = None if coverage is None else check_coverage(coverage)[0]
    n_channels = frame.shape[1]
    parts = []
    fitted, seen = None, -1
    for start, cutoff in rows:
        train = frame.iloc[start : cutoff + 1]
        if refit or fitted is None:
            fitted = clone(forecaster).fit(train)
        else:  # the rows since the last cutoff: values observed by now only
            fitted.update(frame.iloc[seen + 1 : cutoff + 1])
        seen = cutoff
        forecast = fitted.predict()
        actual = frame.iloc[cutoff + 1 : cutoff + 1 + horizon]
        size = horizon * n_channels
        part = pd.DataFrame(
            {
                "cutoff": frame.index.take(np.full(size, cutoff)),
                "timestamp": actual.index.repeat(n_channels),
                "step": np.repeat(np.arange(1, horizon + 1), n_channels),
                "column": np.tile(np.asarray(frame.columns, dtype=object), horizon),
                "actual": actual.to_numpy(dtype=np.float64).ravel(),
                "forecast": forecast.to_numpy(dtype=np.float64).ravel(),
            }
        )
        if cover is not None:
            bands = fitted.predict_interval(coverage=cover.tolist())
            for c in cover:
                for side in ("lower", "upper"):
                    values = bands.xs((c, side), axis=1, level=[1, 2])
                    part[f"{side}_{c:g}"] = values.to_numpy(np.float64).ravel()
            steps = np.abs(np.diff(train.to_numpy(dtype=np.float64), axis=0))
            part["scale"] = np.tile(steps.mean(axis=0), horizon)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def backtest_errors(
    tidy: pd.DataFrame, by: str | Sequence[str] = "cutoff"
) -> pd.DataFrame:
    """Mean squared and mean absolute error of a backtest, grouped.

    Parameters
    ----------
    tidy : pd.DataFrame
        The frame returned by :func:`backtest`.
    by : str or list of str, default="cutoff"
        Columns of ``tidy`` to group by: ``"cutoff"`` (one row per cutoff),
        ``"step"`` (error by forecast step), ``"column"``, or a list such as
        ``["step", "column"]``.

    Returns
    -------
    errors : pd.DataFrame
        Indexed by the groups, with columns ``mse`` and ``mae`` (averaged over
        the forecast steps and columns of each group). When ``tidy`` holds
        intervals (``backtest(..., coverage=...)``), also, for each coverage
        ``c``: ``coverage_<c>`` (the share of actual values inside),
        ``width_<c>`` (the mean width) and ``msis_<c>`` (the interval score
        divided by ``scale``, :func:`~sktime_patches.metrics.msis`), and
        ``pinball``: the quantile loss averaged over the intervals' bounds as
        quantile levels.

    Examples
    --------
    >>> import pandas as pd
    >>> from sktime_patches.backtesting import backtest_errors
    >>> tidy = pd.DataFrame({
    ...     "cutoff": [9, 9, 12, 12], "timestamp": [10, 11, 13, 14],
    ...     "step": [1, 2, 1, 2], "column": ["y", "y", "y", "y"],
    ...     "actual": [1.0, 2.0, 3.0, 4.0], "forecast": [1.0, 3.0, 1.0, 4.0],
    ... })
    >>> backtest_errors(tidy)
            mse  mae
    cutoff
    9       0.5  0.5
    12      2.0  1.0
    >>> backtest_errors(tidy, by="step")
          mse  mae
    step
    1     2.0  1.0
    2     0.5  0.5
    """
    if not isinstance(tidy, pd.DataFrame):
        raise TypeError(
            f"tidy must be the DataFrame returned by backtest(); got "
            f"{type(tidy).__name__}."
        )
    missing = [c for c in TIDY_COLUMNS if c not in tidy.columns]
    if missing:
        raise ValueError(
            f"tidy is missing column(s) {missing}; pass the DataFrame returned by "
            "backtest()."
        )
    keys = [by] if isinstance(by, str) else list(by)
    unknown = [k for k in keys if k not in ("cutoff", "timestamp", "step", "column")]
    if not keys or unknown:
        raise ValueError(
            f"by={by!r} is not a grouping of tidy; pass one or more of 'cutoff', "
            "'timestamp', 'step', 'column'."
        )
    for name in ("forecast", "actual"):
        bad = ~np.isfinite(tidy[name].to_numpy(dtype=np.float64))
        if bad.any():
            first = tidy.loc[bad].iloc[0]
            raise ValueError(
                f"tidy has {int(bad.sum())} missing or infinite {name} value(s) "
                f"(first: cutoff {first['cutoff']}, step {first['step']}, column "
                f"{first['column']!r}), which would drop out of the averages; fix "
                "the forecaster (a diverged fit?) or drop those rows first."
            )
    error = tidy["forecast"] - tidy["actual"]
    parts = pd.DataFrame({"mse": error**2, "mae": error.abs()})
    coverages = _interval_coverages(tidy)
    if coverages:
        actual = tidy["actual"].to_numpy(dtype=np.float64)
        pinball = np.zeros(len(tidy))
        scale = tidy["scale"].to_numpy(dtype=np.float64)
        for c in coverages:
            lo = tidy[f"lower_{c:g}"].to_numpy(dtype=np.float64)
            hi = tidy[f"upper_{c:g}"].to_numpy(dtype=np.float64)
            parts[f"coverage_{c:g}"] = ((actual >= lo) & (actual <= hi)).astype(float)
            parts[f"width_{c:g}"] = hi - lo
            parts[f"msis_{c:g}"] = interval_scores(actual, lo, hi, c) / scale
            # the bounds are the (1 - c) / 2 and (1 + c) / 2 quantiles
            bounds = np.stack([lo, hi], axis=-1)
            pinball += pinball_values(actual, bounds, [(1 - c) / 2, (1 + c) / 2])
        parts["pinball"] = pinball / len(coverages)
    grouped = parts.groupby([tidy[k] for k in keys], sort=True)
    return grouped.mean()


def _interval_coverages(tidy: pd.DataFrame) -> list[float]:
    """The coverages of a backtest's interval columns (``lower_<c>``)."""
    found = []
    for name in tidy.columns:
        if isinstance(name, str) and name.startswith("lower_"):
            c = float(name.removeprefix("lower_"))
            missing = [k for k in (f"upper_{c:g}", "scale") if k not in tidy.columns]
            if missing:
                raise ValueError(
                    f"tidy has {name!r} but not {missing}; pass the DataFrame "
                    "returned by backtest(..., coverage=...)."
                )
            found.append(c)
    return sorted(found)


class BacktestSplit(BaseCrossValidator):
    """The cutoffs of :func:`backtest` as train/test splits of windows.

    For the windows ``X, y = make_windows(df, lookback, horizon)`` (``stride=1``;
    window ``i`` reads rows ``i .. i + lookback - 1`` and forecasts the
    ``horizon`` rows after), each cutoff ``c`` (a row of ``df``) gives:

    - test: the one window whose input ends at the cutoff (``i = c - lookback +
      1``), the forecast ``backtest`` makes there;
    - train: the windows whose targets end at or before the cutoff, i.e. the
      windows a forecaster fitted on ``df`` up to the cutoff is trained on. The
      ``horizon - 1`` windows in between are left out as a gap, so no training
      target overlaps a test target (``TimeSeriesSplit(gap=horizon)`` leaves one
      more out).

    Parameters
    ----------
    lookback : int
        Steps per input window.
    horizon : int
        Steps forecast per window.
    n_cutoffs : int, default=3
        Number of splits.
    step : int or None, default=None
        Rows (= windows) between consecutive cutoffs; None means ``horizon``.
    window : {"expanding", "sliding"}, default="expanding"
        Train on all the windows before each cutoff, or on the windows inside the
        last ``train_size`` rows only.
    train_size : int or None, default=None
        Rows of history for ``window="sliding"`` (``train_size - lookback -
        horizon + 1`` windows); None means the rows before the first cutoff.

    See Also
    --------
    backtest : The same cutoffs at the series level.
    sklearn.model_selection.TimeSeriesSplit : Time-ordered folds of several samples.

    Notes
    -----
    Every test fold holds one window (``horizon * n_channels`` target values),
    so score with an error metric such as ``scoring="neg_mean_squared_error"``:
    R², the default ``score`` of regressors, is not defined for one sample. With
    that scoring the scores are minus the per-cutoff ``mse`` of
    ``backtest_errors(backtest(...))``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import cross_val_score
    >>> from sktime_patches import make_windows
    >>> from sktime_patches.backtesting import BacktestSplit
    >>> X, y = make_windows(np.arange(20.0), lookback=4, horizon=2)
    >>> cv = BacktestSplit(lookback=4, horizon=2, n_cutoffs=2)
    >>> for train, test in cv.split(X):
    ...     print(train, test)
    [ 0  1  2  3  4  5  6  7  8  9 10] [12]
    [ 0  1  2  3  4  5  6  7  8  9 10 11 12] [14]
    >>> scores = cross_val_score(
    ...     Ridge(), X[:, :, 0], y[:, :, 0], cv=cv, scoring="neg_mean_squared_error"
    ... )
    >>> scores.shape
    (2,)
    """

    def __init__(
        self,
        lookback: int,
        horizon: int,
        n_cutoffs: int = 3,
        step: int | None = None,
        window: str = "expanding",
        train_size: int | None = None,
    ) -> None:
        validate_parameter_constraints(
            _CUTOFF_CONSTRAINTS,
            {
                "lookback": lookback,
                "horizon": horizon,
                "n_cutoffs": n_cutoffs,
                "step": step,
                "window": window,
                "train_size": train_size,
            },
            caller_name=type(self).__name__,
        )
        self.lookback = lookback
        self.horizon = horizon
        self.n_cutoffs = n_cutoffs
        self.step = step
        self.window = window
        self.train_size = train_size

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Generate train and test indices of windows, one pair per cutoff.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback, n_channels)
            Windows of ``make_windows(df, lookback, horizon)``, in time order
            (only their number is used; 2-D and flattened windows work too).
        y : array-like, default=None
            Ignored.
        groups : array-like, default=None
            Ignored.

        Yields
        ------
        train : ndarray of int
            Indices of the training windows.
        test : ndarray of int
            Index of the test window (one).
        """
        n_windows = _num_samples(X)
        n_rows = n_windows + self.lookback + self.horizon - 1
        rows = _cutoff_rows(
            n_rows,
            self.lookback,
            self.horizon,
            self.n_cutoffs,
            self.step,
            self.window,
            self.train_size,
            "X",
        )
        for start, cutoff in rows:
            last_train = cutoff - self.lookback - self.horizon + 1
            yield (
                np.arange(start, last_train + 1),
                np.array([cutoff - self.lookback + 1]),
            )

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of splits: ``n_cutoffs``.

        Parameters
        ----------
        X, y, groups : object
            Ignored.

        Returns
        -------
        n_splits : int
            The number of cutoffs.
        """
        return self.n_cutoffs


@validate_params(
    {
        "forecaster": [SeriesForecaster],
        "df": "no_validation",
        "holdout": [_POSITIVE_INT],
        "season": [_POSITIVE_INT, None],
        "coverage": "no_validation",  # check_coverage: one message everywhere
    },
    prefer_skip_nested_validation=False,  # the forecasters it fits validate
)
def holdout_errors(
    forecaster: SeriesForecaster,
    df: Any,
    holdout: int,
    *,
    season: int | None = None,
    coverage: Any = None,
) -> tuple[pd.DataFrame, SeriesForecaster]:
    """Score a forecaster on the last ``holdout`` rows beside the baselines.

    The forecaster, and the three baselines at its lookback (repeat the last
    value, repeat the last season, the closed-form last-value ridge), are each
    fitted on all but the last ``holdout`` rows; every window whose ``horizon``
    targets lie in those rows (its history may reach back before them) is
    forecast, and the errors average over those windows, steps and columns.

    Parameters
    ----------
    forecaster : SeriesForecaster
        The forecaster to score (cloned, then fitted on the training rows).
    df : pd.DataFrame
        The history, with a regular time index.
    holdout : int
        Rows at the end kept out of training; at least the horizon.
    season : int or None, default=None
        Steps per season of the seasonal naive forecast; None takes it from
        the index's frequency (:func:`~sktime_patches.baselines.season_length`).
    coverage : float, list of float or None, default=None
        Also score the forecaster's prediction intervals of these coverages
        on the same windows (those of its window model, or of its
        ``intervals_``), as fitted on the training rows.

    Returns
    -------
    errors : pd.DataFrame
        One row per model (the forecaster first, named after its window
        estimator), columns ``"mae"``, ``"mse"`` and ``"mase"`` (each column's
        MAE divided by the in-sample MAE of the seasonal naive forecast on the
        training rows, ``mean |y[t] - y[t - season]|``, averaged over the
        columns; below 1.0 beats that naive forecast). With ``coverage``, also
        ``coverage_<c>`` (the share of held-out values inside the intervals of
        coverage ``c``) and ``width_<c>`` (their mean width) for the
        forecaster, NaN for the baselines (an interval that could not be
        bounded has an infinite width, with an
        :class:`~sktime_patches.exceptions.UnboundedIntervalWarning`).
    fitted : SeriesForecaster
        The forecaster fitted on the training rows.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sktime_patches.backtesting import holdout_errors
    >>> from sktime_patches.series import SeriesForecaster
    >>> t = np.arange(200)
    >>> df = pd.DataFrame(
    ...     {"y": np.sin(2 * np.pi * t / 7)},
    ...     index=pd.date_range("2024-01-01", periods=200, freq="D"),
    ... )
    >>> errors, _ = holdout_errors(SeriesForecaster(Ridge(), 14, 3), df, holdout=30)
    >>> list(errors.index)
    ['Ridge', 'repeat last', 'seasonal naive (7)', 'linear (ridge)']
    >>> float(errors.loc["seasonal naive (7)", "mae"]) < 1e-12
    True
    """
    from .baselines import LastValueRidge, RepeatLast, SeasonalNaive, season_length
    from .windows import make_windows

    cover = None if coverage is None else check_coverage(coverage)[0]
    frame, _ = to_frame(df, "df")
    kind, freq = time_axis(frame.index, "df", forecaster.freq)
    values = check_values(frame, "df")
    horizon = forecaster.horizon
    if holdout < horizon:
        raise ValueError(
            f"holdout={holdout} is shorter than the horizon ({horizon}); pass "
            f"holdout >= {horizon}, so that at least one forecast lies in it."
        )
    train = frame.iloc[:-holdout]
    fitted = clone(forecaster).fit(train)
    lookback = fitted.lookback_
    if season is None:
        season = season_length(freq) if kind != "RangeIndex" else 1
    season = min(season, lookback)
    X3, y3 = make_windows(values[-(holdout + lookback) :], lookback, horizon)
    point = point_forecaster(fitted.estimator_)  # whose point forecast is scored
    models = {type(point).__name__: fitted}
    for name, baseline in (
        ("repeat last", RepeatLast()),
        (f"seasonal naive ({season})", SeasonalNaive(season)),
        ("linear (ridge)", LastValueRidge()),
    ):
        models[name] = SeriesForecaster(baseline, lookback, horizon).fit(train)
    history = values[: len(train)]
    step = min(season, len(history) - 1)
    naive_mae = np.mean(np.abs(history[step:] - history[:-step]), axis=0)
    # a column the naive forecast repeats exactly has no scale to divide by
    tiny = 1e-9 * np.maximum(np.abs(history).max(axis=0), 1e-300)
    naive_mae = np.where(naive_mae > tiny, naive_mae, np.nan)
    rows = {}
    for name, model in models.items():
        estimator = model.estimator_
        pred = np.asarray(estimator.predict(window_input(estimator, X3)))
        errors = pred.reshape(y3.shape) - y3
        ratio = np.abs(errors).mean(axis=(0, 1)) / naive_mae
        rows[name] = {
            "mae": float(np.abs(errors).mean()),
            "mse": float((errors**2).mean()),
            # NaN when no column has a scale (the naive forecast is exact)
            "mase": float(np.nanmean(ratio)) if np.isfinite(ratio).any() else np.nan,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    if cover is not None:
        for name, value in _interval_figures(fitted, X3, y3, cover).items():
            table[name] = [value] + [np.nan] * (len(table) - 1)
    return table, fitted


def _interval_figures(
    fitted: SeriesForecaster, X3: np.ndarray, y3: np.ndarray, cover: np.ndarray
) -> dict[str, float]:
    """Coverage and mean width of a fitted forecaster's intervals of the
    windows ``X3`` against their targets ``y3``, per coverage."""
    model = fitted.intervals_ if fitted.intervals_ is not None else fitted.estimator_
    if not hasattr(model, "predict_interval"):
        fitted.predict_interval(coverage=cover.tolist())  # says how to get them
    with np.errstate(invalid="ignore"):  # an infinite width is said in words
        bounds = np.asarray(
            model.predict_interval(window_input(fitted.estimator_, X3), cover)
        ).reshape(*y3.shape, len(cover), 2)
        figures = {}
        for k, c in enumerate(cover):
            lower, upper = bounds[..., k, 0], bounds[..., k, 1]
            inside = (y3 >= lower) & (y3 <= upper)
            figures[f"coverage_{c:g}"] = float(inside.mean())
            figures[f"width_{c:g}"] = float((upper - lower).mean())
    return figures
