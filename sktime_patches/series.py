"""SeriesForecaster: forecast the next steps of a DataFrame with a window model."""

from __future__ import annotations

import datetime
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pandas.tseries.offsets import BaseOffset
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.model_selection._search import BaseSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._validation import (
    ARRAY_1D,
    ARRAY_2D,
    SERIES,
    check_coverage,
    check_levels,
    check_values,
    datetime_freq,
    index_kind,
    time_axis,
    to_frame,
)
from .conformal import ConformalForecaster
from .forecaster import PatchForecaster
from .lookback import select_lookback
from .windows import SeriesWindows, make_windows

__all__ = ["SeriesForecaster", "window_input"]


def _future_index(last: Any, kind: str, freq: Any, horizon: int, name: Any) -> pd.Index:
    """The ``horizon`` time stamps after ``last``."""
    if kind == "DatetimeIndex":
        return pd.date_range(
            last + freq, periods=horizon, freq=freq, unit=last.unit, name=name
        )
    if kind == "PeriodIndex":
        return pd.period_range(last + 1, periods=horizon, freq=freq, name=name)
    return pd.RangeIndex(last + freq, last + freq * (horizon + 1), freq, name=name)


# ---------------------------------------------------------------------------
# Windows for the inner estimator
# ---------------------------------------------------------------------------


def _accepts_3d(estimator: Any) -> bool:
    """Whether ``estimator`` takes windows ``(n, lookback, n_channels)`` as they are.

    Read from the ``three_d_array`` input tag; a Pipeline takes what its first
    step takes, a search (GridSearchCV, ...) what its estimator takes.
    """
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps:
            if step is not None and not (isinstance(step, str)):
                return _accepts_3d(step)
        return False
    if isinstance(estimator, BaseSearchCV):
        return _accepts_3d(estimator.estimator)
    try:
        return bool(get_tags(estimator).input_tags.three_d_array)
    except (AttributeError, TypeError):
        return False


def _takes_series_windows(estimator: Any) -> bool:
    """Whether ``estimator`` trains on a SeriesWindows (windows cut on demand):
    a PatchForecaster, or a ConformalForecaster around one."""
    if isinstance(estimator, ConformalForecaster):
        return _takes_series_windows(estimator.estimator)
    return isinstance(estimator, PatchForecaster)


def window_input(estimator: Any, X3: np.ndarray) -> np.ndarray:
    """Windows as an estimator takes them: 3-D, or flat.

    Parameters
    ----------
    estimator : estimator object
        A window regressor, a Pipeline or a search; 3-D windows go to those
        whose ``three_d_array`` input tag is set.
    X3 : ndarray of shape (n_windows, lookback, n_channels)
        Windows.

    Returns
    -------
    X : ndarray of shape (n_windows, lookback, n_channels) or (n_windows, \
lookback * n_channels)
        The windows, flattened time-major (step 0 of every channel, then step
        1, ...) for an estimator that takes 2-D input.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sktime_patches import PatchForecaster
    >>> from sktime_patches.series import window_input
    >>> X3 = np.zeros((5, 8, 2))
    >>> window_input(PatchForecaster(), X3).shape, window_input(Ridge(), X3).shape
    ((5, 8, 2), (5, 16))
    """
    if _accepts_3d(estimator):
        return X3
    return X3.reshape(len(X3), -1)


class SeriesForecaster(BaseEstimator):
    """Forecast the next ``horizon`` steps of a DataFrame with a window regressor.

    ``fit`` cuts the series into windows (:func:`~sktime_patches.make_windows`) and
    fits a clone of ``estimator`` on them; ``predict`` feeds it the last
    ``lookback`` rows and returns the forecast as a DataFrame indexed by the next
    ``horizon`` time stamps at the series' frequency, with the same columns.

    Parameters
    ----------
    estimator : estimator object
        A scikit-learn regressor of windows: ``fit(X, y)`` with windows ``X`` of
        shape ``(n_windows, lookback, n_channels)`` and 2-D targets ``y`` of shape
        ``(n_windows, horizon * n_channels)`` laid out as ``y3d.reshape(n_windows,
        -1)``. Estimators whose ``three_d_array`` input tag is set
        (:class:`~sktime_patches.PatchForecaster`,
        :class:`~sktime_patches.SpacetimePatcher`, or a Pipeline starting with one)
        get 3-D windows; any other regressor (e.g. ``Ridge``) gets them flattened
        to ``(n_windows, lookback * n_channels)``. If the estimator has
        ``lookback`` / ``horizon`` parameters set to None, its clone gets the
        values of this forecaster; values it has are left for it to check.
    lookback : int or "auto"
        Steps of history each forecast starts from. ``"auto"`` picks it in
        ``fit`` among 1, 2 and 4 times ``max(horizon, 8)`` steps (at most 1024,
        and at most half the rows left after one horizon) by the error of the
        closed-form last-value ridge on the latest 20% of the rows
        (:func:`~sktime_patches.lookback.select_lookback`: one Gram matrix per
        candidate, seconds even on long series); ``lookback_`` holds the choice
        and ``lookback_scores_`` every candidate's validation error.
    horizon : int
        Steps to forecast.
    stride : int, default=1
        Steps between the starts of consecutive training windows.
    freq : str, DateOffset or None, default=None
        Frequency of a DatetimeIndex, e.g. ``"h"`` or ``"W-TUE"``. None takes the
        index's ``freq``, or infers it when the index has none. A PeriodIndex and
        an integer (Range) index carry their own steps and take ``freq=None``.

    Attributes
    ----------
    estimator_ : estimator object
        The clone of ``estimator`` fitted on the windows.
    columns_ : pd.Index
        Column names seen in ``fit`` (``0 .. n_channels - 1`` for an array).
    freq_ : DateOffset or int
        Step of the time index: a pandas offset for a DatetimeIndex or
        PeriodIndex, an int for a RangeIndex (1 for an array).
    cutoff_ : pd.Timestamp, pd.Period or int
        Last time stamp seen in ``fit``; ``predict()`` forecasts the steps after it.
    lookback_ : int
        The lookback in use (``lookback``, or the one ``"auto"`` chose).
    lookback_scores_ : dict of int to float or None
        With ``lookback="auto"``: each candidate's validation MSE (values divided
        by each column's standard deviation); None otherwise.
    last_window_ : ndarray of shape (lookback_, n_channels)
        The last ``lookback_`` rows seen in ``fit``, which ``predict()`` starts
        from.
    n_windows_ : int
        Number of training windows.

    See Also
    --------
    make_windows : Cut a series into windows.
    sktime_patches.backtesting.backtest : Evaluate a forecaster at several cutoffs.

    Notes
    -----
    **Why a meta-estimator.** The learning problem lives at the window level, where
    scikit-learn's contract holds (samples are windows, targets are their futures),
    so any regressor, Pipeline or search can learn it and be cross-validated on
    windows. What is specific to series (time index, frequency, column names, the
    next time stamps) is bookkeeping around it. Wrapping the window model, rather
    than giving every model a DataFrame API, keeps that bookkeeping in one place
    and lets ``SeriesForecaster(Ridge(), ...)`` and
    ``SeriesForecaster(PatchForecaster(), ...)`` be compared like for like; the
    inner model stays reachable as ``estimator`` (``set_params(estimator__alpha=
    ...)``) and, once fitted, as ``estimator_``.

    **Why the inner y is 2-D.** The targets are passed as ``(n_windows, horizon *
    n_channels)``, the form every scikit-learn regressor, multi-output wrapper and
    scorer accepts; the 3-D ``(n_windows, horizon, n_channels)`` is recovered by
    ``y.reshape(n_windows, horizon, n_channels)``, and that is how the forecast is
    read back.

    The index must be regular: sorted, without duplicates, at one frequency.
    Resample irregular data first (``df.asfreq(...)`` then ``interpolate()``, or
    ``df.resample(...).mean()``).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sktime_patches import SpacetimePatcher
    >>> from sktime_patches.series import SeriesForecaster
    >>> t = np.arange(120)
    >>> df = pd.DataFrame(
    ...     {"trend": 0.5 * t, "weekly": np.sin(2 * np.pi * t / 7)},
    ...     index=pd.date_range("2024-01-01", periods=120, freq="D"),
    ... )
    >>> model = make_pipeline(
    ...     SpacetimePatcher(patch_len=7, features="stats"), Ridge(alpha=1e-6)
    ... )
    >>> forecaster = SeriesForecaster(model, lookback=28, horizon=3).fit(df)
    >>> forecaster.cutoff_, forecaster.freq_
    (Timestamp('2024-04-29 00:00:00'), <Day>)
    >>> forecaster.predict().round(2)
                trend  weekly
    2024-04-30   60.0    0.78
    2024-05-01   60.5    0.97
    2024-05-02   61.0    0.43

    A plain regressor gets the windows flattened, and ``predict(df)`` forecasts
    from the end of another history with the same columns:

    >>> forecaster = SeriesForecaster(Ridge(), lookback=14, horizon=2).fit(df)
    >>> forecaster.predict(df.iloc[:50]).index
    DatetimeIndex(['2024-02-20', '2024-02-21'], dtype='datetime64[us]', freq='D')
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
        "lookback": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
        "freq": [str, BaseOffset, datetime.timedelta, None],
    }

    def __init__(
        self,
        estimator: Any,
        lookback: int | str,
        horizon: int,
        stride: int = 1,
        freq: str | BaseOffset | None = None,
    ) -> None:
        self.estimator = estimator
        self.lookback = lookback
        self.horizon = horizon
        self.stride = stride
        self.freq = freq

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, df: Any) -> SeriesForecaster:
        """Cut ``df`` into windows and fit a clone of ``estimator`` on them.

        Parameters
        ----------
        df : pd.DataFrame, pd.Series or array-like of shape (n_timesteps,) or \
(n_timesteps, n_channels)
            The history, oldest row first, with numeric columns and a regular
            DatetimeIndex, PeriodIndex or RangeIndex (arrays get a RangeIndex).
            Needs at least ``lookback + horizon`` rows.

        Returns
        -------
        self : SeriesForecaster
            The fitted forecaster.
        """
        frame, kind = to_frame(df, "df")
        n_rows = len(frame)
        auto = self.lookback == "auto"
        if auto:
            span, what = self.horizon + 2, "lookback='auto' needs horizon + 2 = "
        else:
            span = self.lookback + self.horizon
            what = f"lookback + horizon = {self.lookback} + {self.horizon} = "
        if n_rows < span:
            raise ValueError(
                f"df has {n_rows} row(s), fewer than one training window needs "
                f"({what}{span}); pass a longer history or a smaller "
                "lookback/horizon."
            )
        axis_kind, freq = time_axis(frame.index, "df", self.freq)
        values = check_values(frame, "df")
        if auto:
            selection = select_lookback(values, self.horizon)
            lookback, scores = selection.lookback, dict(selection.scores)
        else:
            lookback, scores = self.lookback, None

        estimator = clone(self.estimator)
        self._sync_window_params(estimator, lookback)
        if _takes_series_windows(estimator):
            # windows cut on demand, batch by batch: memory grows with the
            # series, not with the number of windows times their length
            windows = SeriesWindows(values, lookback, self.horizon, self.stride)
            estimator.fit(windows)
            n_windows = len(windows)
        else:
            X3, y3 = make_windows(values, lookback, self.horizon, self.stride)
            estimator.fit(window_input(estimator, X3), y3.reshape(len(y3), -1))
            n_windows = len(X3)

        self.estimator_ = estimator
        self.columns_ = frame.columns.copy()
        self.freq_ = freq
        self.cutoff_ = frame.index[-1]
        self.lookback_ = lookback
        self.lookback_scores_ = scores
        self.last_window_ = values[-lookback:].copy()
        self.n_windows_ = n_windows
        self._index_kind = axis_kind
        self._index_name = frame.index.name
        self._kind = kind
        self._series_name = df.name if kind == SERIES else None
        return self

    def predict(self, df: Any = None) -> pd.DataFrame | pd.Series | np.ndarray:
        """Forecast the ``horizon`` steps after the end of the history.

        Parameters
        ----------
        df : pd.DataFrame, pd.Series, array-like or None, default=None
            None forecasts after the history seen in ``fit`` (from
            ``last_window_``). Otherwise another (e.g. extended) history of the
            same columns and frequency, at least ``lookback`` rows long; the
            forecast starts after its last row.

        Returns
        -------
        forecast : pd.DataFrame of shape (horizon, n_channels)
            Indexed by the ``horizon`` time stamps after the cutoff, with the
            columns seen in ``fit``. A Series history gives a Series, an array
            history an array of shape ``(horizon,)`` or ``(horizon, n_channels)``.
        """
        X, last, kind, name = self._last_window(df)
        pred = np.asarray(self.estimator_.predict(X))
        values = self._per_step(pred, "predict").reshape(self.horizon, -1)
        if kind == ARRAY_1D:
            return values[:, 0].copy()
        if kind == ARRAY_2D:
            return values
        index = self._future(last)
        if kind == SERIES:
            return pd.Series(values[:, 0], index=index, name=name)
        return pd.DataFrame(values, index=index, columns=self.columns_.copy())

    def predict_interval(
        self, df: Any = None, coverage: Any = 0.9
    ) -> pd.DataFrame | np.ndarray:
        """Prediction intervals over the ``horizon`` steps after the history.

        Needs an estimator with ``predict_interval``: a
        :class:`~sktime_patches.conformal.ConformalForecaster` around any
        window model (calibrated intervals), or a
        :class:`~sktime_patches.PatchForecaster` fitted with ``quantiles``
        (the network's own quantiles).

        Parameters
        ----------
        df : pd.DataFrame, pd.Series, array-like or None, default=None
            The history to forecast from, as for :meth:`predict`.
        coverage : float or list of float, default=0.9
            Nominal coverage(s) in (0, 1).

        Returns
        -------
        intervals : pd.DataFrame or ndarray
            Indexed by the ``horizon`` time stamps after the cutoff, with
            columns ``(column, coverage, "lower" / "upper")``: sktime's layout
            for ``predict_interval``. An array history gives an array of shape
            ``(horizon, n_channels, n_coverages, 2)`` (``(horizon,
            n_coverages, 2)`` for 1-D).

        Examples
        --------
        >>> import numpy as np
        >>> import pandas as pd
        >>> from sklearn.linear_model import Ridge
        >>> from sktime_patches.conformal import ConformalForecaster
        >>> from sktime_patches.series import SeriesForecaster
        >>> rng = np.random.default_rng(0)
        >>> t = np.arange(600)
        >>> sales = pd.Series(
        ...     10 + np.sin(2 * np.pi * t / 7) + 0.2 * rng.standard_normal(600),
        ...     index=pd.date_range("2024-01-01", periods=600, freq="D"),
        ...     name="sales",
        ... )
        >>> model = SeriesForecaster(
        ...     ConformalForecaster(Ridge()), lookback=28, horizon=3
        ... ).fit(sales)
        >>> bands = model.predict_interval(coverage=[0.8, 0.95])
        >>> bands.columns.tolist()[:2]
        [('sales', 0.8, 'lower'), ('sales', 0.8, 'upper')]
        >>> bands.shape
        (3, 4)
        >>> wider = bands[("sales", 0.95, "upper")] > bands[("sales", 0.8, "upper")]
        >>> bool(wider.all())
        True
        """
        cover, _ = check_coverage(coverage)
        X, last, kind, _ = self._last_window(df)
        method = self._method("predict_interval")
        bounds = np.asarray(method(X, cover.tolist()))
        bounds = self._per_step(bounds, "predict_interval", len(cover) * 2)
        values = bounds.reshape(self.horizon, len(self.columns_), len(cover), 2)
        if kind == ARRAY_1D:
            return values[:, 0].copy()
        if kind == ARRAY_2D:
            return values
        columns = pd.MultiIndex.from_product(
            [self.columns_, cover.tolist(), ["lower", "upper"]]
        )
        return pd.DataFrame(
            values.reshape(self.horizon, -1), index=self._future(last), columns=columns
        )

    def predict_quantiles(
        self, df: Any = None, alpha: Any = (0.05, 0.95)
    ) -> pd.DataFrame | np.ndarray:
        """Forecast quantiles over the ``horizon`` steps after the history.

        Needs an estimator with ``predict_quantiles`` (see
        :meth:`predict_interval`).

        Parameters
        ----------
        df : pd.DataFrame, pd.Series, array-like or None, default=None
            The history to forecast from, as for :meth:`predict`.
        alpha : float or list of float, default=(0.05, 0.95)
            Quantile level(s) in (0, 1).

        Returns
        -------
        quantiles : pd.DataFrame or ndarray
            Indexed by the ``horizon`` time stamps after the cutoff, with
            columns ``(column, alpha)``: sktime's layout for
            ``predict_quantiles``. An array history gives an array of shape
            ``(horizon, n_channels, n_alpha)`` (``(horizon, n_alpha)`` for 1-D).
        """
        check_levels(alpha, "alpha")
        levels = np.asarray(alpha, dtype=np.float64).reshape(-1)
        X, last, kind, _ = self._last_window(df)
        method = self._method("predict_quantiles")
        values = np.asarray(method(X, levels.tolist()))
        values = self._per_step(values, "predict_quantiles", len(levels))
        values = values.reshape(self.horizon, len(self.columns_), len(levels))
        if kind == ARRAY_1D:
            return values[:, 0].copy()
        if kind == ARRAY_2D:
            return values
        columns = pd.MultiIndex.from_product([self.columns_, levels.tolist()])
        return pd.DataFrame(
            values.reshape(self.horizon, -1), index=self._future(last), columns=columns
        )

    def _last_window(self, df: Any) -> tuple[np.ndarray, Any, str, Any]:
        """The window a forecast starts from, as the estimator takes it, with
        the last time stamp, the kind of history and a Series' name."""
        check_is_fitted(self)
        if df is None:
            window, last, kind = self.last_window_, self.cutoff_, self._kind
            name = self._series_name
        else:
            window, last, kind = self._check_history(df)
            name = df.name if kind == SERIES else None
        return window_input(self.estimator_, window[None, :, :]), last, kind, name

    def _per_step(self, out: np.ndarray, what: str, per_value: int = 1) -> np.ndarray:
        """Check an estimator's output for one window holds a value per step,
        channel and ``per_value``."""
        n_channels = len(self.columns_)
        expected = self.horizon * n_channels * per_value
        if out.size != expected:
            raise ValueError(
                f"estimator_.{what} returned {out.size} value(s) for one window, "
                f"but horizon * n_channels = {self.horizon} * {n_channels} = "
                f"{self.horizon * n_channels}"
                + (f" times {per_value}" if per_value > 1 else "")
                + " were expected; the estimator must predict 2-D y of shape "
                "(n_windows, horizon * n_channels)."
            )
        return out

    def _method(self, name: str) -> Any:
        method = getattr(self.estimator_, name, None)
        if method is None:
            raise AttributeError(
                f"{type(self).__name__}'s estimator "
                f"({type(self.estimator_).__name__}) has no {name}; wrap it in "
                "sktime_patches.conformal.ConformalForecaster for calibrated "
                "intervals, or use PatchForecaster(quantiles=...)."
            )
        return method

    def _future(self, last: Any) -> pd.Index:
        return _future_index(
            last, self._index_kind, self.freq_, self.horizon, self._index_name
        )

    def _sync_window_params(self, estimator: Any, lookback: int) -> None:
        """Give an estimator's unset ``lookback`` / ``horizon`` parameters ours,
        and an unset ``gap`` (:class:`~sktime_patches.conformal.ConformalForecaster`)
        the windows one horizon spans.

        Values the user set are left alone: the estimator checks them against the
        windows itself (a PatchForecaster may read fewer steps than the window).
        """
        params = estimator.get_params(deep=False)
        window_gap = -(-self.horizon // self.stride)  # ceil: windows in a horizon
        updates = {
            key: value
            for key, value in (
                ("lookback", lookback),
                ("horizon", self.horizon),
                ("gap", window_gap),
            )
            if key in params and params[key] is None
        }
        if updates:
            estimator.set_params(**updates)

    def _check_history(self, df: Any) -> tuple[np.ndarray, Any, str]:
        """Validate a history passed to ``predict``; return its last window."""
        cls = type(self).__name__
        frame, kind = to_frame(df, "df")
        if list(frame.columns) != list(self.columns_):
            if kind in (ARRAY_1D, ARRAY_2D):
                raise ValueError(
                    f"df has {frame.shape[1]} channel(s), but {cls} was fitted on "
                    f"{len(self.columns_)}; pass an array of shape (n_timesteps, "
                    f"{len(self.columns_)})."
                )
            raise ValueError(
                f"df has columns {list(frame.columns)}, but {cls} was fitted on "
                f"columns {list(self.columns_)}; pass the same columns in the same "
                "order, e.g. df[forecaster.columns_]."
            )
        if len(frame) < self.lookback_:
            raise ValueError(
                f"df has {len(frame)} row(s), fewer than the lookback={self.lookback_} "
                f"steps a forecast starts from; pass at least {self.lookback_} rows "
                "of history."
            )
        index = frame.index
        axis_kind = index_kind(index, "df")
        own = index.freq if axis_kind != "RangeIndex" else None
        if axis_kind != self._index_kind or (own is not None and own != self.freq_):
            theirs = "" if own is None else f" at frequency {own.freqstr!r}"
            fitted = self.freq_
            fitted = fitted.freqstr if isinstance(fitted, BaseOffset) else fitted
            raise ValueError(
                f"df has a {axis_kind}{theirs}, but {cls} was fitted on a "
                f"{self._index_kind} at frequency {fitted!r}; pass a history with "
                "the same kind of index and frequency as in fit."
            )
        if axis_kind == "DatetimeIndex":
            datetime_freq(index, "df", self.freq_)
        else:
            _, step = time_axis(index, "df", None)
            if axis_kind == "RangeIndex" and len(index) > 1 and step != self.freq_:
                raise ValueError(
                    f"df has a RangeIndex with step {step}, but {cls} was fitted on "
                    f"a RangeIndex with step {self.freq_}; pass a history with the "
                    "same step."
                )
        values = check_values(frame, "df")
        return values[-self.lookback_ :], index[-1], kind
