"""SeriesForecaster: forecast the next steps of a DataFrame with a window model."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
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

from ._panel import Panel, is_panel, to_panel
from ._tags import ForecasterTags, forecaster_tags
from ._validation import (
    ARRAY_1D,
    ARRAY_2D,
    DATAFRAME,
    SERIES,
    check_coverage,
    check_levels,
    check_values,
    datetime_freq,
    index_kind,
    time_axis,
    to_frame,
)
from .calendar import calendar_features, default_calendar
from .lookback import select_lookback
from .persistence import Reader, SaveMixin, Writer, fitted_attributes
from .windows import SeriesWindows

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


class SeriesForecaster(SaveMixin, BaseEstimator, saved_as="SeriesForecaster"):
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
    id_col : hashable or None, default=None
        For a panel in long form (one row per series and time step, Nixtla's
        ``unique_id, ds, y``): the column naming each row's series.
    time_col : hashable or None, default=None
        For the long form: the column of time stamps; None takes the index.
    fill : {"ffill", "interpolate"} or None, default=None
        What ``predict`` does when the last ``lookback`` rows of a series have
        a missing value: None refuses, naming the series and time stamps;
        ``"ffill"`` carries the last value forward (and the first backward);
        ``"interpolate"`` interpolates linearly between the neighbours (the
        nearest value at the ends). Training never fills: it skips every
        window whose input or target touches a missing value.
    future_covariates : list or None, default=None
        Columns of the covariates ``X`` (see :meth:`fit`) whose values over the
        horizon are known in advance (planned prices, weather forecasts);
        ``predict`` then needs them over the next ``horizon`` time stamps. The
        other columns of ``X`` are past covariates: read over the lookback only.
    calendar : bool or list of str, default=False
        Add known-future calendar features derived from the index (sine and
        cosine of, e.g., the hour, the day of the week, the month;
        :func:`~sktime_patches.calendar.calendar_features`): True picks those
        of the data's frequency, a list names them.
    verbose : int, default=0
        1 says in words what ``fit`` did with missing values.

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
        Last time stamp seen in ``fit``; ``predict()`` forecasts the steps after it
        (for a panel, the latest of ``cutoffs_``).
    cutoffs_ : pd.Series or None
        For a panel: each series' last time stamp, indexed by series id.
    lookback_ : int
        The lookback in use (``lookback``, or the one ``"auto"`` chose).
    lookback_scores_ : dict of int to float or None
        With ``lookback="auto"``: each candidate's validation MSE (values divided
        by each column's standard deviation); None otherwise.
    last_window_ : ndarray
        The last ``lookback_`` rows seen in ``fit``, which ``predict()`` starts
        from: ``(lookback_, n_channels)``, or ``(n_series, lookback_,
        n_channels)`` for a panel (the targets' channels, then the
        covariates'); missing values stay missing (``fill`` fills them from
        the whole series).
    n_windows_ : int
        Number of training windows (complete ones: none touches a missing value).
    n_skipped_windows_ : int
        Windows left out of training because they touch a missing value.
    series_ids_ : list or None
        For a panel: the ids of its series, in order.
    covariates_ : list
        The columns the window model reads besides the targets: the
        covariates ``X`` given to ``fit``, then the calendar features (their
        channels follow the targets' in ``last_window_``).
    future_covariates_ : list
        Those of ``covariates_`` known over the horizon.

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

    **Panels.** ``fit`` also takes many series: a long DataFrame with an
    ``id_col`` (and a ``time_col`` or a time index), a DataFrame indexed by
    ``(id, time)``, or a dict ``{id: DataFrame}``. One global model trains on
    the windows of all of them (a ``PatchForecaster`` through a
    :class:`~sktime_patches.SeriesWindows`: windows cut on demand), and
    ``predict`` returns the same form, each series at its own next time
    stamps. Series may differ in length and start, not in columns or
    frequency; a series too short for one complete window is refused by name.

    **Gaps.** Missing values (NaN) need no filling for training: the windows
    touching them are left out (``n_skipped_windows_``). The index itself
    must be regular: sorted, without duplicates, at one frequency (write a
    missing step as a row of NaN, e.g. ``df.asfreq("D")``).

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
        "id_col": [Hashable, None],
        "time_col": [Hashable, None],
        "fill": [StrOptions({"ffill", "interpolate"}), None],
        "future_covariates": [list, tuple, None],
        "calendar": ["boolean", list, tuple],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator: Any,
        lookback: int | str,
        horizon: int,
        stride: int = 1,
        freq: str | BaseOffset | None = None,
        id_col: Any = None,
        time_col: Any = None,
        fill: str | None = None,
        future_covariates: Sequence[Any] | None = None,
        calendar: bool | Sequence[str] = False,
        verbose: int = 0,
    ) -> None:
        self.estimator = estimator
        self.lookback = lookback
        self.horizon = horizon
        self.stride = stride
        self.freq = freq
        self.id_col = id_col
        self.time_col = time_col
        self.fill = fill
        self.future_covariates = future_covariates
        self.calendar = calendar
        self.verbose = verbose

    def __forecaster_tags__(self) -> ForecasterTags:
        """A forecaster of series: ``fit(df)``, its forecasts from the window
        model ``estimator_``."""
        return ForecasterTags(input="series", point_forecaster="estimator_")

    # ------------------------------------------------------------- save/load
    def __save_state__(self, writer: Writer, where: str) -> dict[str, Any]:
        """The fitted attributes, the panel's form as its four fields."""
        fitted = fitted_attributes(self)
        if not fitted:
            return {}
        panel = fitted.pop("_panel_form")
        form = None
        if panel is not None:
            form = [panel.kind, list(panel.ids), panel.id_name, panel.time_name]
        return {
            "panel": writer.value(form, f"{where}.panel"),
            "fitted": writer.values(fitted, where),
        }

    def __load_state__(self, state: dict[str, Any], reader: Reader) -> None:
        """Set the fitted attributes, and the panel's form (without frames)."""
        super().__load_state__(state, reader)
        if "fitted" in state:
            form = reader.value(state["panel"])
            self._panel_form = (
                None if form is None else Panel(form[0], list(form[1]), [], *form[2:])
            )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, df: Any, X: Any = None) -> SeriesForecaster:
        """Cut ``df`` into windows and fit a clone of ``estimator`` on them.

        Parameters
        ----------
        df : pd.DataFrame, pd.Series, array-like, or a panel
            The history, oldest row first, with numeric columns and a regular
            DatetimeIndex, PeriodIndex or RangeIndex (arrays get a RangeIndex).
            Needs at least ``lookback + horizon`` rows. Or many series (see
            Notes): a long DataFrame with ``id_col``, a DataFrame indexed by
            ``(id, time)``, or a dict of DataFrames.
        X : pd.DataFrame, panel or None, default=None
            Exogenous covariates (sktime's ``X``): numeric columns on the time
            stamps of ``df`` (every one of them; more are ignored), in the same
            form (a panel for a panel). They are inputs, not forecast: the
            window model reads them beside the targets (a ``PatchForecaster``
            through its ``target_channels`` and ``future_channels``, patching
            them together with the targets). Those named by
            ``future_covariates`` are also read over the horizon. Missing values
            are gaps, as in ``df``.

        Returns
        -------
        self : SeriesForecaster
            The fitted forecaster.
        """
        history = self._read(df, "df")
        n_targets = history.series[0].values.shape[1]
        x_columns, calendar_columns, future = self._add_covariates(history, X)
        covariates = x_columns + calendar_columns
        values = [h.values for h in history.series]
        auto = self.lookback == "auto"
        if auto:
            self._check_rows(
                history, self.horizon + 2, "lookback='auto' needs horizon + 2 = "
            )
            longest = max(values, key=len)[:, :n_targets]  # the targets choose
            selection = select_lookback(_filled(longest, "interpolate"), self.horizon)
            lookback, scores = selection.lookback, dict(selection.scores)
        else:
            lookback, scores = self.lookback, None
        span = lookback + self.horizon
        self._check_rows(
            history,
            span,
            f"lookback + horizon = {lookback} + {self.horizon} = "
            + ("" if not auto else f"(lookback='auto' chose {lookback}) "),
        )

        future_idx = [n_targets + covariates.index(c) for c in future]
        estimator = self._configured(
            clone(self.estimator),
            lookback,
            n_targets if covariates else None,
            future_idx,
        )
        if covariates:
            X3, y3, n_skipped = _training_windows(
                values,
                [h.label for h in history.series],
                lookback,
                self.horizon,
                self.stride,
                n_targets,
                future_idx,
            )
            estimator.fit(window_input(estimator, X3), y3.reshape(len(y3), -1))
            n_windows = len(X3)
        elif forecaster_tags(estimator).series_windows:
            # windows cut on demand, batch by batch: memory grows with the
            # series, not with the number of windows times their length
            windows = SeriesWindows(
                values, lookback, self.horizon, self.stride, missing="skip"
            )
            estimator.fit(windows)
            n_windows, n_skipped = len(windows), windows.n_skipped
        else:
            X3, y3, n_skipped = _training_windows(
                values,
                [h.label for h in history.series],
                lookback,
                self.horizon,
                self.stride,
            )
            estimator.fit(window_input(estimator, X3), y3.reshape(len(y3), -1))
            n_windows = len(X3)
        if self.verbose and n_skipped:
            print(
                f"{n_skipped} of {n_windows + n_skipped} training windows touch a "
                f"missing value and were left out; {n_windows} trained."
            )

        first = history.series[0]
        self.estimator_ = estimator
        self.columns_ = first.columns.copy()
        self.freq_ = first.freq
        cutoffs = [h.index[-1] for h in history.series]
        self.cutoff_ = max(cutoffs) if history.panel else cutoffs[0]
        self.cutoffs_ = (
            pd.Series(cutoffs, index=pd.Index(history.panel.ids, name="id"))
            if history.panel
            else None
        )
        self.series_ids_ = list(history.panel.ids) if history.panel else None
        self.lookback_ = lookback
        self.lookback_scores_ = scores
        # the windows predict() starts from; fill uses the whole series
        lasts = np.stack(
            [
                (v if self.fill is None else _filled(v, self.fill))[-lookback:]
                for v in values
            ]
        )
        self.last_window_ = lasts if history.panel else lasts[0].copy()
        self.n_windows_ = n_windows
        self.n_skipped_windows_ = int(n_skipped)
        self._index_kind = first.axis_kind
        self._index_name = first.index.name
        self._kind = history.kind
        self._series_name = first.name
        self._panel_form = history.panel
        self.covariates_ = covariates
        self.future_covariates_ = future
        self._n_targets = n_targets
        self._x_columns = x_columns
        self._calendar_columns = calendar_columns
        return self

    def _covariate_frames(self, history: _History, X: Any, name: str) -> list:
        """The covariate frame of each series of ``history``, from ``X`` in the
        same form (None when ``X`` is None)."""
        if X is None:
            return [None] * len(history.series)
        if history.panel is not None:
            panel = to_panel(X, name, self.id_col, self.time_col)
            by_id = dict(zip(panel.ids, panel.frames, strict=True))
            missing = [i for i in history.panel.ids if i not in by_id]
            if missing:
                raise ValueError(
                    f"{name} has no covariates for series {missing[:5]} of df; pass "
                    "covariates for every series, in the same form as df."
                )
            frames = [by_id[i] for i in history.panel.ids]
        else:
            if not isinstance(X, (pd.DataFrame, pd.Series)):
                raise TypeError(
                    f"{name} must be a pandas DataFrame of covariates on the time "
                    f"stamps of df; got {type(X).__name__}."
                )
            frame = X.to_frame() if isinstance(X, pd.Series) else X
            if self.time_col is not None and self.time_col in frame.columns:
                frame = frame.set_index(self.time_col)
            frames = [frame]
        checked = []
        for frame, series in zip(frames, history.series, strict=True):
            label = name if history.panel is None else f"{name} of {series.label}"
            frame, _ = to_frame(frame, label)
            checked.append(frame)
        return checked

    def _add_covariates(self, history: _History, X: Any) -> tuple[list, list, list]:
        """Append each series' covariates and calendar features to its values
        (fit); return the names of the covariates of ``X``, of the calendar
        features and of every covariate known in the future."""
        frames = self._covariate_frames(history, X, "X")
        names: list = [] if frames[0] is None else list(frames[0].columns)
        future = [] if self.future_covariates is None else list(self.future_covariates)
        unknown = [c for c in future if c not in names]
        if unknown:
            raise ValueError(
                f"future_covariates names {unknown}, which are not columns of X "
                f"({names}); pass columns of X, or X with them."
            )
        for frame in frames[1:]:
            if frame is not None and list(frame.columns) != names:
                raise ValueError(
                    f"X has columns {list(frame.columns)} for one series but {names} "
                    "for the first; every series needs the same covariates."
                )
        cal_names = self._calendar_names(history.series[0].index)
        for series, frame in zip(history.series, frames, strict=True):
            parts = [series.values]
            if frame is not None:
                parts.append(_aligned(frame, series.index, series.label, "X"))
            if cal_names:
                cal = calendar_features(series.index, cal_names)
                parts.append(cal.to_numpy(dtype=np.float64))
            series.values = np.hstack(parts)
        calendar_columns = [f"{n}_{f}" for n in cal_names for f in ("sin", "cos")]
        return names, calendar_columns, future + calendar_columns

    def _calendar_names(self, index: pd.Index) -> list[str]:
        """The calendar features in use (none, those of the frequency, or the
        ones named)."""
        if self.calendar is False:
            return []
        if self.calendar is True:
            calendar_features(index[:2])  # a time index: checked
            return default_calendar(index)
        names = list(self.calendar)
        calendar_features(index[:2], names)  # known names: checked
        return names

    def predict(
        self, df: Any = None, horizon: int | None = None, X: Any = None
    ) -> pd.DataFrame | pd.Series | np.ndarray | dict:
        """Forecast the ``horizon`` steps after the end of the history.

        Parameters
        ----------
        df : pd.DataFrame, pd.Series, array-like, panel or None, default=None
            None forecasts after the history seen in ``fit`` (from
            ``last_window_``). Otherwise another (e.g. extended) history of the
            same columns and frequency, at least ``lookback`` rows long (of
            every series, for a panel: which may hold series not seen in
            ``fit``); the forecast starts after its last row.
        horizon : int or None, default=None
            Steps to return, at most the ``horizon`` the model was fitted for
            (the first ``horizon`` of them); None returns them all.
        X : pd.DataFrame, panel or None, default=None
            Covariates, when ``fit`` had them: over the rows of ``df`` (when
            given) and, for ``future_covariates``, over the next ``horizon``
            time stamps (all of them, whatever ``horizon`` asks).

        Returns
        -------
        forecast : pd.DataFrame of shape (horizon, n_channels), or the panel's form
            Indexed by the ``horizon`` time stamps after the cutoff, with the
            columns seen in ``fit``. A Series history gives a Series, an array
            history an array of shape ``(horizon,)`` or ``(horizon,
            n_channels)``; a panel the same form, each series at its own next
            time stamps.
        """
        steps = self._steps(horizon)
        history = self._history(df, X)
        pred = np.asarray(self.estimator_.predict(history.X))
        values = self._per_step(pred, "predict", len(history.series))
        values = values.reshape(len(history.series), self.horizon, -1)[:, :steps]
        return self._assemble(history, values, steps, self.columns_)

    def predict_interval(
        self,
        df: Any = None,
        coverage: Any = 0.9,
        horizon: int | None = None,
        X: Any = None,
    ) -> pd.DataFrame | np.ndarray | dict:
        """Prediction intervals over the ``horizon`` steps after the history.

        Needs an estimator with ``predict_interval``: a
        :class:`~sktime_patches.conformal.ConformalForecaster` around any
        window model (calibrated intervals), or a
        :class:`~sktime_patches.PatchForecaster` fitted with ``quantiles``
        (the network's own quantiles).

        Parameters
        ----------
        df : pd.DataFrame, pd.Series, array-like, panel or None, default=None
            The history to forecast from, as for :meth:`predict`.
        coverage : float or list of float, default=0.9
            Nominal coverage(s) in (0, 1).
        horizon : int or None, default=None
            Steps to return (the first ones), as for :meth:`predict`.
        X : pd.DataFrame, panel or None, default=None
            Covariates, as for :meth:`predict`.

        Returns
        -------
        intervals : pd.DataFrame, ndarray or dict
            Indexed by the ``horizon`` time stamps after the cutoff, with
            columns ``(column, coverage, "lower" / "upper")``: sktime's layout
            for ``predict_interval``. An array history gives an array of shape
            ``(horizon, n_channels, n_coverages, 2)`` (``(horizon,
            n_coverages, 2)`` for 1-D); a panel a frame indexed by ``(id,
            time)`` (a dict of frames for a dict).

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
        steps = self._steps(horizon)
        history = self._history(df, X)
        method = self._method("predict_interval")
        n = len(history.series)
        bounds = np.asarray(method(history.X, cover.tolist()))
        bounds = self._per_step(bounds, "predict_interval", n, len(cover) * 2)
        values = bounds.reshape(n, self.horizon, -1)[:, :steps]
        columns = pd.MultiIndex.from_product(
            [self.columns_, cover.tolist(), ["lower", "upper"]]
        )
        return self._assemble(history, values, steps, columns, (len(cover), 2))

    def predict_quantiles(
        self,
        df: Any = None,
        alpha: Any = (0.05, 0.95),
        horizon: int | None = None,
        X: Any = None,
    ) -> pd.DataFrame | np.ndarray | dict:
        """Forecast quantiles over the ``horizon`` steps after the history.

        Needs an estimator with ``predict_quantiles`` (see
        :meth:`predict_interval`).

        Parameters
        ----------
        df : pd.DataFrame, pd.Series, array-like, panel or None, default=None
            The history to forecast from, as for :meth:`predict`.
        alpha : float or list of float, default=(0.05, 0.95)
            Quantile level(s) in (0, 1).
        horizon : int or None, default=None
            Steps to return (the first ones), as for :meth:`predict`.
        X : pd.DataFrame, panel or None, default=None
            Covariates, as for :meth:`predict`.

        Returns
        -------
        quantiles : pd.DataFrame, ndarray or dict
            Indexed by the ``horizon`` time stamps after the cutoff, with
            columns ``(column, alpha)``: sktime's layout for
            ``predict_quantiles``. An array history gives an array of shape
            ``(horizon, n_channels, n_alpha)`` (``(horizon, n_alpha)`` for 1-D);
            a panel a frame indexed by ``(id, time)`` (a dict for a dict).
        """
        check_levels(alpha, "alpha")
        levels = np.asarray(alpha, dtype=np.float64).reshape(-1)
        steps = self._steps(horizon)
        history = self._history(df, X)
        method = self._method("predict_quantiles")
        n = len(history.series)
        values = np.asarray(method(history.X, levels.tolist()))
        values = self._per_step(values, "predict_quantiles", n, len(levels))
        values = values.reshape(n, self.horizon, -1)[:, :steps]
        columns = pd.MultiIndex.from_product([self.columns_, levels.tolist()])
        return self._assemble(history, values, steps, columns, (len(levels),))

    # --------------------------------------------------------------- helpers
    @staticmethod
    def _check_rows(history: _History, span: int, what: str) -> None:
        """Every series holds at least ``span`` rows (one training window)."""
        for series in history.series:
            n_rows = len(series.values)
            if n_rows < span:
                raise ValueError(
                    f"{series.label} has {n_rows} row(s), fewer than one training "
                    f"window needs ({what}{span}); pass a longer history or a "
                    "smaller lookback/horizon"
                    + (", or drop the series." if history.panel else ".")
                )

    def _steps(self, horizon: int | None) -> int:
        """The steps a prediction returns: ``horizon`` checked against the
        fitted one."""
        check_is_fitted(self)
        if horizon is None:
            return self.horizon
        if (
            isinstance(horizon, bool)
            or not isinstance(horizon, Integral)
            or horizon < 1
        ):
            raise ValueError(
                f"horizon must be a positive int or None; got {horizon!r}; pass "
                f"1 to {self.horizon}, or None for all {self.horizon} steps."
            )
        if horizon > self.horizon:
            raise ValueError(
                f"horizon={horizon} is longer than the {self.horizon} steps the "
                f"model was fitted to forecast; refit with horizon={horizon} (or "
                f"more), or pass horizon <= {self.horizon}."
            )
        return int(horizon)

    def _frames(
        self, df: Any, name: str, require_time_col: bool
    ) -> tuple[list[pd.DataFrame], list[str], str, Panel | None]:
        """The frame of every series of ``df`` (one, or a panel's), how
        messages name each, the form ``df`` came in and the panel.

        A ``time_col`` missing from a single frame is an error in ``fit``
        (``require_time_col``); ``predict`` also takes a frame already indexed
        by time.
        """
        if is_panel(df, self.id_col):
            panel = to_panel(df, name, self.id_col, self.time_col)
            labels = [f"{panel.label(i)} of {name}" for i in range(len(panel.frames))]
            pairs = zip(panel.frames, labels, strict=True)
            frames = [to_frame(frame, label)[0] for frame, label in pairs]
            return frames, labels, panel.kind, panel
        if self.time_col is not None and isinstance(df, pd.DataFrame):
            if self.time_col in df.columns:
                df = df.set_index(self.time_col)
            elif require_time_col:
                raise ValueError(
                    f"time_col={self.time_col!r} is not a column of {name}; "
                    f"its columns are {[str(c) for c in df.columns]}."
                )
        frame, kind = to_frame(df, name)
        return [frame], [name], kind, None

    def _read(self, df: Any, name: str) -> _History:
        """Every series of ``df`` checked (time axis, values), in one form (fit)."""
        frames, labels, kind, panel = self._frames(df, name, require_time_col=True)
        series = []
        for frame, label in zip(frames, labels, strict=True):
            if len(frame) == 0:
                raise ValueError(f"{label} has no rows; pass at least one time step.")
            axis_kind, freq = time_axis(frame.index, label, self.freq)
            values = check_values(frame, label, allow_missing=True)
            name_ = df.name if kind == SERIES else None
            series.append(
                _Series(
                    label, values, frame.index, frame.columns, axis_kind, freq, name_
                )
            )
        first = series[0]
        for other in series[1:]:
            if (other.axis_kind, other.freq) != (first.axis_kind, first.freq):
                raise ValueError(
                    f"{other.label} has a {other.axis_kind} at frequency "
                    f"{_freq_text(other.freq)}, but {first.label} has a "
                    f"{first.axis_kind} at frequency {_freq_text(first.freq)}; every "
                    "series of a panel needs the same kind of index and frequency."
                )
        return _History(series, kind, panel)

    def _history(self, df: Any, X: Any = None) -> _History:
        """The windows a forecast starts from, as the estimator takes them,
        with each series' last time stamp (and, with covariates, the known
        future appended)."""
        check_is_fitted(self)
        if X is not None and not self.covariates_:
            raise ValueError(
                "X was passed, but the model was fitted without covariates; pass "
                "X=None, or refit with fit(df, X)."
            )
        if df is None:
            windows = self.last_window_
            windows = windows if windows.ndim == 3 else windows[None]
            n = len(windows)
            lasts = list(self.cutoffs_) if self.cutoffs_ is not None else [self.cutoff_]
            labels = (
                [f"series {i!r}" for i in self.series_ids_]
                if self.series_ids_ is not None
                else ["the history seen in fit"]
            )
            history = _History(
                [
                    _Series(
                        labels[i],
                        windows[i],
                        None,
                        self.columns_,
                        self._index_kind,
                        self.freq_,
                        self._series_name,
                    )
                    for i in range(n)
                ],
                self._kind,
                self._panel_form,
            )
            history.lasts = lasts
        else:
            history = self._read_history(df)
            history.lasts = [h.index[-1] for h in history.series]
            if self.covariates_:
                self._history_covariates(history, X)
        windows = np.stack([self._complete_last_window(h) for h in history.series])
        if self.future_covariates_:
            windows = np.concatenate([windows, self._future_rows(history, X)], axis=1)
        history.X = window_input(self.estimator_, windows)
        return history

    def _history_covariates(self, history: _History, X: Any) -> None:
        """Append the covariates of a history passed to ``predict``."""
        if self._x_columns and X is None:
            raise ValueError(
                f"the model was fitted with covariates {self._x_columns}; pass X= "
                "with their values over the rows of df"
                + (
                    f" and over the next {self.horizon} time stamps for the future "
                    f"ones, {self._future_given()}."
                    if self._future_given()
                    else "."
                )
            )
        frames = self._covariate_frames(history, X, "X")
        names = list(dict.fromkeys(c.rsplit("_", 1)[0] for c in self._calendar_columns))
        for series, frame in zip(history.series, frames, strict=True):
            parts = [series.values]
            if self._x_columns:
                missing = [c for c in self._x_columns if c not in frame.columns]
                if missing:
                    raise ValueError(
                        f"X has no column(s) {missing}; the model was fitted with "
                        f"covariates {self._x_columns}."
                    )
                values = _aligned(
                    frame[self._x_columns], series.index, series.label, "X"
                )
                parts.append(values)
            if names:
                parts.append(calendar_features(series.index, names).to_numpy(float))
            series.values = np.hstack(parts)

    def _future_given(self) -> list:
        """The future covariates ``X`` must give (the calendar is computed)."""
        return [c for c in self.future_covariates_ if c not in self._calendar_columns]

    def _future_rows(self, history: _History, X: Any) -> np.ndarray:
        """The next ``horizon`` rows of every series: the known-future
        covariates (and calendar) in their channels, zeros elsewhere."""
        n_channels = self._n_targets + len(self.covariates_)
        given = self._future_given()
        if given and X is None:
            raise ValueError(
                f"the model was fitted with future covariates {given}; pass X= with "
                f"their values over the next {self.horizon} time stamps."
            )
        frames = self._covariate_frames(history, X, "X") if given else None
        for frame in frames or ():
            missing = [c for c in given if c not in frame.columns]
            if missing:
                raise ValueError(
                    f"X has no column(s) {missing}; the model was fitted with the "
                    f"future covariates {given}, which the forecast needs over "
                    f"the next {self.horizon} time stamps."
                )
        rows = np.zeros((len(history.series), self.horizon, n_channels))
        for i, last in enumerate(history.lasts):
            stamps = _future_index(
                last, self._index_kind, self.freq_, self.horizon, self._index_name
            )
            label = history.series[i].label
            for column in self.future_covariates_:
                k = self._n_targets + self.covariates_.index(column)
                if column in self._calendar_columns:
                    name = column.rsplit("_", 1)[0]
                    rows[i, :, k] = calendar_features(stamps, [name])[column]
                    continue
                frame = frames[i]
                future = frame[column].reindex(stamps)
                absent = future.index[future.isna().to_numpy()]
                if len(absent):
                    shown = ", ".join(str(t) for t in absent[:3]) + (
                        f" and {len(absent) - 3} more" if len(absent) > 3 else ""
                    )
                    raise ValueError(
                        f"X has no value of the future covariate {column!r} for "
                        f"{label} at {shown}; the forecast needs it at each of the "
                        f"next {self.horizon} time stamps ({stamps[0]} .. "
                        f"{stamps[-1]})."
                    )
                rows[i, :, k] = future.to_numpy(dtype=np.float64)
        return rows

    def _read_history(self, df: Any) -> _History:
        """A history passed to ``predict``, every series checked against the fit."""
        frames, labels, kind, panel = self._frames(df, "df", require_time_col=False)
        series = []
        for frame, label in zip(frames, labels, strict=True):
            # a panel's frames are DataFrames whatever their columns
            one = self._check_one(frame, DATAFRAME if panel else kind, label)
            one.name = df.name if kind == SERIES else None
            series.append(one)
        return _History(series, kind, panel)

    def _complete_last_window(self, series: _Series) -> np.ndarray:
        """A series' last ``lookback_`` rows, its gaps filled by ``fill`` or
        refused."""
        window = series.values[-self.lookback_ :]
        if not np.isnan(window).any():
            return window
        if self.fill is None:
            rows = np.flatnonzero(np.isnan(window).any(axis=1))
            stamps = (
                [series.index[len(series.values) - len(window) + r] for r in rows]
                if series.index is not None
                else [f"row {r - len(window)} of the last window" for r in rows]
            )
            shown = ", ".join(str(t) for t in stamps[:3]) + (
                f" and {len(stamps) - 3} more" if len(stamps) > 3 else ""
            )
            raise ValueError(
                f"{series.label} has missing values in the last lookback="
                f"{self.lookback_} rows a forecast starts from (at {shown}); pass "
                "fill='ffill' or fill='interpolate' to SeriesForecaster, or fill "
                "them first."
            )
        filled = _filled(series.values, self.fill)[-self.lookback_ :]
        if np.isnan(filled).any():  # a column with no value at all
            raise ValueError(
                f"{series.label} has a column with no value in its history, so "
                f"fill={self.fill!r} has nothing to fill from; pass a history "
                "with values in every column."
            )
        return filled

    def _assemble(
        self,
        history: _History,
        values: np.ndarray,
        steps: int,
        columns: pd.Index,
        extra: tuple[int, ...] = (),
    ) -> Any:
        """Per-series outputs ``(n_series, steps, n_channels * prod(extra))`` in
        the form of the history."""
        kind = history.kind
        if history.panel is None and kind in (ARRAY_1D, ARRAY_2D):
            out = values[0].reshape(steps, len(self.columns_), *extra)
            return out[:, 0].copy() if kind == ARRAY_1D else out
        frames = []
        for i, series in enumerate(history.series):
            index = _future_index(
                history.lasts[i],
                self._index_kind,
                self.freq_,
                steps,
                self._index_name,
            )
            if kind == SERIES and not extra:
                return pd.Series(values[i][:, 0], index=index, name=series.name)
            frames.append(pd.DataFrame(values[i], index=index, columns=columns.copy()))
        if history.panel is None:
            return frames[0]
        return history.panel.assemble(frames)

    def _per_step(
        self, out: np.ndarray, what: str, n_series: int, per_value: int = 1
    ) -> np.ndarray:
        """Check an estimator's output holds, for each of ``n_series`` windows,
        a value per step, channel and ``per_value``."""
        n_channels = len(self.columns_)
        expected = self.horizon * n_channels * per_value
        if out.size != expected * n_series:
            raise ValueError(
                f"estimator_.{what} returned {out.size // n_series} value(s) for "
                f"one window, but horizon * n_channels = {self.horizon} * "
                f"{n_channels} = {self.horizon * n_channels}"
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

    def _configured(
        self,
        estimator: Any,
        lookback: int,
        n_targets: int | None,
        future: list[int],
    ) -> Any:
        """The window model, given the settings of ours it takes and leaves
        unset: its own ``lookback`` / ``horizon`` parameters, and those its
        tags declare (``settings``): the windows one horizon spans as its
        ``gap``, and, with covariates (``n_targets`` set), which channels are
        the targets (the first ``n_targets``) and which are known in the
        future.

        Values the user set are left alone: the estimator checks them against the
        windows itself (a PatchForecaster may read fewer steps than the window).
        """
        params = estimator.get_params(deep=False)
        updates = {
            key: value
            for key, value in (("lookback", lookback), ("horizon", self.horizon))
            if key in params and params[key] is None
        }
        ours: dict[str, Any] = {"gap": -(-self.horizon // self.stride)}  # ceil
        if n_targets is not None:  # targets first, then the covariates
            ours["target_channels"] = list(range(n_targets))
            if future:
                ours["future_channels"] = future
        settings = forecaster_tags(estimator).settings
        deep = estimator.get_params(deep=True)
        updates |= {
            settings[name]: value
            for name, value in ours.items()
            if name in settings and deep.get(settings[name]) is None
        }
        if updates:
            estimator.set_params(**updates)
        return estimator

    def _check_one(self, frame: pd.DataFrame, kind: str, label: str) -> _Series:
        """Validate one series passed to ``predict`` against the fit."""
        cls = type(self).__name__
        if list(frame.columns) != list(self.columns_):
            if kind in (ARRAY_1D, ARRAY_2D):
                raise ValueError(
                    f"{label} has {frame.shape[1]} channel(s), but {cls} was fitted "
                    f"on {len(self.columns_)}; pass an array of shape (n_timesteps, "
                    f"{len(self.columns_)})."
                )
            raise ValueError(
                f"{label} has columns {list(frame.columns)}, but {cls} was fitted on "
                f"columns {list(self.columns_)}; pass the same columns in the same "
                "order, e.g. df[forecaster.columns_]."
            )
        if len(frame) < self.lookback_:
            raise ValueError(
                f"{label} has {len(frame)} row(s), fewer than the lookback="
                f"{self.lookback_} steps a forecast starts from; pass at least "
                f"{self.lookback_} rows of history."
            )
        index = frame.index
        axis_kind = index_kind(index, label)
        own = index.freq if axis_kind != "RangeIndex" else None
        if axis_kind != self._index_kind or (own is not None and own != self.freq_):
            theirs = "" if own is None else f" at frequency {own.freqstr!r}"
            raise ValueError(
                f"{label} has a {axis_kind}{theirs}, but {cls} was fitted on a "
                f"{self._index_kind} at frequency {_freq_text(self.freq_)}; pass a "
                "history with the same kind of index and frequency as in fit."
            )
        if axis_kind == "DatetimeIndex":
            datetime_freq(index, label, self.freq_)
        else:
            _, step = time_axis(index, label, None)
            if axis_kind == "RangeIndex" and len(index) > 1 and step != self.freq_:
                raise ValueError(
                    f"{label} has a RangeIndex with step {step}, but {cls} was "
                    f"fitted on a RangeIndex with step {self.freq_}; pass a history "
                    "with the same step."
                )
        values = check_values(frame, label, allow_missing=True)
        return _Series(label, values, index, frame.columns, axis_kind, self.freq_, None)


def _freq_text(freq: Any) -> str:
    return repr(freq.freqstr if isinstance(freq, BaseOffset) else freq)


@dataclass
class _Series:
    """One series of a history: its values and time axis, checked."""

    label: str
    values: np.ndarray
    index: pd.Index | None
    columns: pd.Index
    axis_kind: str
    freq: Any
    name: Any = None


@dataclass
class _History:
    """The series of a history, the form they came in, and (when predicting)
    their windows and last time stamps."""

    series: list[_Series]
    kind: str
    panel: Panel | None
    X: Any = None
    lasts: list = field(default_factory=list)


def _filled(values: np.ndarray, fill: str) -> np.ndarray:
    """A series with its gaps filled: carried forward (then backward), or
    interpolated linearly (the nearest value at the ends)."""
    if not np.isnan(values).any():
        return values
    frame = pd.DataFrame(values)
    if fill == "ffill":
        frame = frame.ffill().bfill()
    else:
        frame = frame.interpolate(limit_direction="both")
    return frame.to_numpy(dtype=np.float64)


def _aligned(frame: pd.DataFrame, index: pd.Index, label: str, name: str) -> np.ndarray:
    """``frame``'s values on the time stamps ``index`` (each must be there)."""
    if frame.index.has_duplicates:
        raise ValueError(
            f"{name} for {label} has duplicated time stamps; pass one row per time "
            "stamp."
        )
    absent = index.difference(frame.index)
    if len(absent):
        shown = ", ".join(str(t) for t in absent[:3]) + (
            f" and {len(absent) - 3} more" if len(absent) > 3 else ""
        )
        raise ValueError(
            f"{name} has no row for {len(absent)} time stamp(s) of {label} (first: "
            f"{shown}); pass covariates on every time stamp of the series."
        )
    return frame.reindex(index).to_numpy(dtype=np.float64, na_value=np.nan)


def _training_windows(
    values: list[np.ndarray],
    labels: list[str],
    lookback: int,
    horizon: int,
    stride: int,
    n_targets: int | None = None,
    future: Sequence[int] = (),
) -> tuple[np.ndarray, np.ndarray, int]:
    """The windows of every series (``make_windows``'s, concatenated), as
    float64 arrays, without those that touch a missing value they read, and
    how many were left out.

    With covariates, ``y`` holds the first ``n_targets`` channels only, and
    with ``future`` channels each window ``X`` runs ``lookback + horizon``
    rows, its known-future rows holding only those channels (zeros elsewhere:
    a past covariate's future never leaks in).
    """
    span = lookback + horizon
    Xs, ys, skipped = [], [], 0
    for v, label in zip(values, labels, strict=True):
        cut = np.lib.stride_tricks.sliding_window_view(v, span, axis=0)[::stride]
        cut = cut.transpose(0, 2, 1)  # (n, span, C)
        X = cut.copy() if future else cut[:, :lookback].copy()
        if future:
            known = np.zeros(v.shape[1], dtype=bool)
            known[list(future)] = True
            X[:, lookback:, ~known] = 0.0
        y = cut[:, lookback:, :n_targets]
        keep = ~(np.isnan(X).any(axis=(1, 2)) | np.isnan(y).any(axis=(1, 2)))
        skipped += int((~keep).sum())
        if not keep.any():
            where = "" if n_targets is None else " in the targets or covariates"
            raise ValueError(
                f"{label} has no complete window (lookback + horizon = {span} rows "
                f"without a missing value{where}); fill its gaps (e.g. "
                "interpolate()), drop it, or pass a smaller lookback/horizon."
            )
        Xs.append(X[keep])
        ys.append(y[keep].copy())
    return np.concatenate(Xs), np.concatenate(ys), skipped
