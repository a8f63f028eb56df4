"""SeriesForecaster: forecast the next steps of a DataFrame with a window model."""

from __future__ import annotations

import datetime
from numbers import Integral
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.model_selection._search import BaseSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .lookback import select_lookback
from .windows import make_windows

__all__ = ["SeriesForecaster"]

# Kinds of input, kept so that predict answers in the form it was given.
_DATAFRAME, _SERIES, _ARRAY_1D, _ARRAY_2D = "dataframe", "series", "array1d", "array2d"


# ---------------------------------------------------------------------------
# Series checks (candidates for _validation.py; messages are tested verbatim)
# ---------------------------------------------------------------------------


def _to_frame(data: Any, name: str) -> tuple[pd.DataFrame, str]:
    """Return ``data`` as a DataFrame with its kind; check it holds numbers."""
    if isinstance(data, pd.DataFrame):
        frame, kind = data, _DATAFRAME
    elif isinstance(data, pd.Series):
        frame, kind = data.to_frame(), _SERIES
    elif isinstance(data, (np.ndarray, list, tuple)):
        arr = np.asarray(data)
        if arr.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be 1-D (n_timesteps,) or 2-D (n_timesteps, "
                f"n_channels); got an array with shape {arr.shape}."
            )
        if arr.dtype.kind not in "iuf":
            raise TypeError(
                f"{name} must hold real numbers; got an array of dtype {arr.dtype}. "
                "Pass a numeric array, or a DataFrame with numeric columns."
            )
        kind = _ARRAY_1D if arr.ndim == 1 else _ARRAY_2D
        frame = pd.DataFrame(arr.reshape(len(arr), -1))
    else:
        raise TypeError(
            f"{name} must be a pandas DataFrame or Series, or a numpy array of shape "
            f"(n_timesteps, n_channels); got {type(data).__name__}."
        )
    if frame.shape[1] == 0:
        raise ValueError(f"{name} has no columns; pass at least one numeric column.")
    bad = [
        f"{col!r} ({dtype})"
        for col, dtype in frame.dtypes.items()
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    ]
    if bad:
        raise TypeError(
            f"{name} has non-numeric column(s) {', '.join(bad)}; pass only numeric "
            f"columns, e.g. {name}.select_dtypes('number'), and keep dates in the "
            f"index, e.g. {name}.set_index('date')."
        )
    return frame, kind


def _index_kind(index: pd.Index, name: str) -> str:
    """Classify the time index; raise for anything that is not one."""
    if isinstance(index, pd.DatetimeIndex):
        kind = "DatetimeIndex"
    elif isinstance(index, pd.PeriodIndex):
        kind = "PeriodIndex"
    elif pd.api.types.is_integer_dtype(index.dtype) and index.nlevels == 1:
        kind = "RangeIndex"
    else:
        raise TypeError(
            f"{name} has an index of type {type(index).__name__} with dtype "
            f"{index.dtype}; pass a DatetimeIndex, PeriodIndex or RangeIndex, e.g. "
            f"{name}.index = pd.to_datetime({name}.index) when the dates are text, "
            f"or {name}.reset_index(drop=True) for plain step numbers."
        )
    if index.has_duplicates:
        dups = index[index.duplicated()]
        raise ValueError(
            f"{name} has {len(dups)} duplicated timestamp(s) in its index (first: "
            f"{dups[0]}); each time step must appear once, so aggregate them, e.g. "
            f"{name}.groupby(level=0).mean()."
        )
    if not index.is_monotonic_increasing:
        back = int(np.argmax(index[1:] < index[:-1])) + 1
        raise ValueError(
            f"{name} has an unsorted time index ({index[back]} comes after "
            f"{index[back - 1]}); sort it first, e.g. {name}.sort_index()."
        )
    return kind


def _infer_freq(index: pd.DatetimeIndex) -> BaseOffset | None:
    """``pd.infer_freq`` as an offset, without pandas' FutureWarning-style noise.

    pandas 3.1 warns that ``infer_freq`` will return an offset instead of a string;
    opting in to that future behaviour silences it. Older pandas has no such option
    (and no warning) and returns a string, which ``to_offset`` converts.
    """
    try:
        try:
            with pd.option_context("future.infer_freq_returns_offset", True):
                inferred = pd.infer_freq(index)
        except pd.errors.OptionError:  # pragma: no cover - pandas < 3.1
            inferred = pd.infer_freq(index)
    except (TypeError, ValueError):  # fewer than 3 timestamps
        return None
    return None if inferred is None else to_offset(inferred)


def _guess_freq(index: pd.DatetimeIndex) -> str:
    """A frequency alias to suggest for an irregular index (its usual step)."""
    steps = index[1:] - index[:-1]
    usual = steps.value_counts().idxmax()
    for i in range(len(steps) - 1):  # three evenly spaced stamps name the anchor
        if steps[i] == usual and steps[i + 1] == usual:
            off = _infer_freq(index[i : i + 3])
            if off is not None:
                return off.freqstr
            break
    if usual % pd.Timedelta(days=1) == pd.Timedelta(0):
        return f"{usual.days}D"
    return to_offset(usual).freqstr


def _uneven_steps(index: pd.DatetimeIndex) -> tuple[pd.Timedelta, int, Any]:
    """The usual step of an irregular index, how many steps differ from it and
    the timestamp after which the first odd step comes."""
    steps = index[1:] - index[:-1]
    usual = steps.value_counts().idxmax()
    odd = np.flatnonzero(np.asarray(steps != usual))
    return usual, len(odd), index[odd[0]]


def _first_off_grid(index: pd.Index, expected: pd.Index) -> Any:
    """First timestamp of ``index`` that is not where ``expected`` has it."""
    n = min(len(index), len(expected))
    differs = np.asarray(index[:n] != expected[:n])
    return index[int(np.argmax(differs))] if differs.any() else index[-1]


def _datetime_freq(index: pd.DatetimeIndex, name: str, freq: Any) -> BaseOffset:
    if freq is None and index.freq is not None:
        return index.freq
    if freq is None:
        off = _infer_freq(index)
        if off is not None:
            return off
        if len(index) < 3:
            raise ValueError(
                f"{name} has a DatetimeIndex without a frequency and only "
                f"{len(index)} timestamp(s), too few to infer one; pass freq=, e.g. "
                "freq='D'."
            )
        guess = _guess_freq(index)
        usual, n_odd, first = _uneven_steps(index)
        raise ValueError(
            f"{name} has a DatetimeIndex without a frequency, and none can be "
            f"inferred: its timestamps are not evenly spaced (the usual step is "
            f"{usual}, but {n_odd} step(s) differ, the first after "
            f"{first}). Resample it to a regular frequency first, e.g. "
            f"{name}.asfreq({guess!r}).interpolate() or "
            f"{name}.resample({guess!r}).mean()."
        )
    try:
        off = to_offset(freq)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"freq={freq!r} is not a pandas frequency; pass an offset alias such as "
            "'h', 'D', 'W-TUE' or 'MS', or None to infer it from the index."
        ) from exc
    expected = pd.date_range(index[0], periods=len(index), freq=off, unit=index.unit)
    if not index.equals(expected):
        raise ValueError(
            f"{name} has a DatetimeIndex that does not follow freq={off.freqstr!r} "
            f"(first timestamp off that grid: {_first_off_grid(index, expected)}); "
            f"resample it first, e.g. {name}.asfreq({off.freqstr!r}).interpolate() "
            f"or {name}.resample({off.freqstr!r}).mean(), or pass the index's own "
            "frequency."
        )
    return off


def _time_axis(index: pd.Index, name: str, freq: Any) -> tuple[str, Any]:
    """Check a time index; return its kind and frequency (offset, or int step)."""
    kind = _index_kind(index, name)
    if kind == "DatetimeIndex":
        return kind, _datetime_freq(index, name, freq)
    if freq is not None:
        raise ValueError(
            f"freq={freq!r} only applies to a DatetimeIndex, but {name} has a "
            f"{kind}, which carries its own steps; pass freq=None."
        )
    if kind == "PeriodIndex":
        expected = pd.period_range(index[0], periods=len(index), freq=index.freq)
        if not index.equals(expected):
            fs = index.freqstr
            raise ValueError(
                f"{name} has a PeriodIndex with missing periods (first period off "
                f"the {fs!r} grid: {_first_off_grid(index, expected)}); fill the "
                f"gaps first, e.g. {name}.reindex(pd.period_range({name}.index[0], "
                f"{name}.index[-1], freq={fs!r})).interpolate()."
            )
        return kind, index.freq
    values = np.asarray(index, dtype=np.int64)
    steps = np.diff(values)
    step = int(steps[0]) if len(steps) else 1
    if (steps != step).any():
        first = int(np.argmax(steps != step))
        raise ValueError(
            f"{name} has an integer index with uneven steps (step {step} at first, "
            f"then {int(steps[first])} after {values[first]}); pass evenly spaced "
            f"step numbers, e.g. {name}.reset_index(drop=True)."
        )
    return kind, step


def _check_values(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Values as float64 ``(n_timesteps, n_channels)``; no NaN or inf."""
    values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    for bad, what, fix in (
        (
            np.isnan(values),
            "missing",
            f"fill them first, e.g. {name}.interpolate() or {name}.ffill()",
        ),
        (
            np.isinf(values),
            "infinite",
            f"replace them first, e.g. {name}.replace([np.inf, -np.inf], "
            f"np.nan).interpolate()",
        ),
    ):
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(
                f"{name} has {int(bad.sum())} {what} value(s) (first in column "
                f"{frame.columns[col]!r} at {frame.index[row]}); {fix}."
            )
    return values


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


def _window_input(estimator: Any, X3: np.ndarray) -> np.ndarray:
    """Windows as the estimator takes them: 3-D, or flat ``(n, lookback *
    n_channels)`` (time-major: step 0 of every channel, then step 1, ...)."""
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
        frame, kind = _to_frame(df, "df")
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
        index_kind, freq = _time_axis(frame.index, "df", self.freq)
        values = _check_values(frame, "df")
        if auto:
            selection = select_lookback(values, self.horizon)
            lookback, scores = selection.lookback, dict(selection.scores)
        else:
            lookback, scores = self.lookback, None

        estimator = clone(self.estimator)
        self._sync_window_params(estimator, lookback)
        X3, y3 = make_windows(values, lookback, self.horizon, self.stride)
        estimator.fit(_window_input(estimator, X3), y3.reshape(len(y3), -1))

        self.estimator_ = estimator
        self.columns_ = frame.columns.copy()
        self.freq_ = freq
        self.cutoff_ = frame.index[-1]
        self.lookback_ = lookback
        self.lookback_scores_ = scores
        self.last_window_ = values[-lookback:].copy()
        self.n_windows_ = len(X3)
        self._index_kind = index_kind
        self._index_name = frame.index.name
        self._kind = kind
        self._series_name = df.name if kind == _SERIES else None
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
        check_is_fitted(self)
        if df is None:
            window, last, kind = self.last_window_, self.cutoff_, self._kind
            name = self._series_name
        else:
            window, last, kind = self._check_history(df)
            name = df.name if kind == _SERIES else None

        X = window[None, :, :]
        pred = np.asarray(self.estimator_.predict(_window_input(self.estimator_, X)))
        n_channels = len(self.columns_)
        if pred.size != self.horizon * n_channels:
            raise ValueError(
                f"estimator_.predict returned {pred.size} value(s) for one window, "
                f"but horizon * n_channels = {self.horizon} * {n_channels} = "
                f"{self.horizon * n_channels} were expected; the estimator must "
                "predict 2-D y of shape (n_windows, horizon * n_channels)."
            )
        values = pred.reshape(self.horizon, n_channels)
        if kind == _ARRAY_1D:
            return values[:, 0].copy()
        if kind == _ARRAY_2D:
            return values
        index = _future_index(
            last, self._index_kind, self.freq_, self.horizon, self._index_name
        )
        if kind == _SERIES:
            return pd.Series(values[:, 0], index=index, name=name)
        return pd.DataFrame(values, index=index, columns=self.columns_.copy())

    def _sync_window_params(self, estimator: Any, lookback: int) -> None:
        """Give an estimator's unset ``lookback`` / ``horizon`` parameters ours.

        Values the user set are left alone: the estimator checks them against the
        windows itself (a PatchForecaster may read fewer steps than the window).
        """
        params = estimator.get_params(deep=False)
        updates = {
            key: value
            for key, value in (("lookback", lookback), ("horizon", self.horizon))
            if key in params and params[key] is None
        }
        if updates:
            estimator.set_params(**updates)

    def _check_history(self, df: Any) -> tuple[np.ndarray, Any, str]:
        """Validate a history passed to ``predict``; return its last window."""
        cls = type(self).__name__
        frame, kind = _to_frame(df, "df")
        if list(frame.columns) != list(self.columns_):
            if kind in (_ARRAY_1D, _ARRAY_2D):
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
        index_kind = _index_kind(index, "df")
        own = index.freq if index_kind != "RangeIndex" else None
        if index_kind != self._index_kind or (own is not None and own != self.freq_):
            theirs = "" if own is None else f" at frequency {own.freqstr!r}"
            fitted = self.freq_
            fitted = fitted.freqstr if isinstance(fitted, BaseOffset) else fitted
            raise ValueError(
                f"df has a {index_kind}{theirs}, but {cls} was fitted on a "
                f"{self._index_kind} at frequency {fitted!r}; pass a history with "
                "the same kind of index and frequency as in fit."
            )
        if index_kind == "DatetimeIndex":
            _datetime_freq(index, "df", self.freq_)
        else:
            _, step = _time_axis(index, "df", None)
            if index_kind == "RangeIndex" and len(index) > 1 and step != self.freq_:
                raise ValueError(
                    f"df has a RangeIndex with step {step}, but {cls} was fitted on "
                    f"a RangeIndex with step {self.freq_}; pass a history with the "
                    "same step."
                )
        values = _check_values(frame, "df")
        return values[-self.lookback_ :], index[-1], kind
