"""SeriesForecaster: forecast the next steps of a DataFrame with a window model."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Sequence
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

from ._panel import Panel
from ._series_frames import (
    History,
    Layout,
    add_covariates,
    assemble,
    check_rows,
    complete_last_window,
    filled,
    fitted_history,
    future_rows,
    read_fit_history,
    read_new_rows,
    read_predict_history,
    realised_windows,
    training_windows,
)
from ._tags import ForecasterTags, forecaster_tags
from ._validation import check_coverage, check_history_argument, check_levels
from .conformal import ConformalForecaster, held_out_windows
from .lookback import choose_lookback
from .persistence import Reader, SaveMixin, Writer, fitted_attributes
from .windows import SeriesWindows

__all__ = ["SeriesForecaster", "window_input"]


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


def _check_flattened_windows(estimator: Any, n_channels: int) -> None:
    """Refuse a Pipeline that would flatten windows of several channels before
    a step that reads them 3-D (its channels would be read as time steps)."""
    if n_channels == 1 or not isinstance(estimator, Pipeline) or _accepts_3d(estimator):
        return
    steps = [s for _, s in estimator.steps if s is not None and s != "passthrough"]
    reader = next((s for s in steps[1:] if _accepts_3d(s)), None)
    if reader is None:
        return
    first, name = type(steps[0]).__name__, type(reader).__name__
    raise ValueError(
        f"estimator is a Pipeline whose first step ({first}) takes 2-D input, so "
        f"windows of {n_channels} channels would reach {name} flattened, their "
        f"channels read as time steps. {name} takes 3-D windows and scales each "
        f"window itself (RevIN-style), so drop {first}: pass {name}(...) alone, "
        "or begin the Pipeline with a step that takes 3-D windows."
    )


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


def _conformalised(estimator: Any, data: tuple, n_channels: int) -> Any:
    """A fitted window model that gives no intervals itself, conformalised on
    the windows it held out of its training (nothing trained again); None
    when it gives intervals or held none out."""
    if forecaster_tags(estimator).intervals:
        return None
    held = held_out_windows(estimator, *data, *(None,) * (2 - len(data)))
    if held is None:
        return None
    conformal = ConformalForecaster(estimator, adapt="tracking", channels=n_channels)
    return conformal.calibrate(*held)


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
        ``fit`` among ``max(horizon, 8)`` steps doubled up to 720 (or up to
        ``horizon`` when longer), and at most half the rows left after one
        horizon, by the error of the
        closed-form last-value ridge on the latest 20% of the rows
        (:func:`~sktime_patches.lookback.select_lookback`: one Gram matrix per
        candidate, seconds even on long series); ``lookback_`` holds the choice
        and ``lookback_scores_`` every candidate's validation error. A series
        too short to compare them takes the longest candidate
        (:func:`~sktime_patches.lookback.choose_lookback`).
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
        by each column's standard deviation), empty when the series was too
        short to compare them; None otherwise.
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
    intervals_ : ConformalForecaster or None
        When ``estimator_`` gives no intervals itself (declared by its tags:
        e.g. a :class:`~sktime_patches.PatchForecaster` without
        ``quantiles``) but holds windows out of its training (a
        ``PatchForecaster``'s early-stopping windows): ``estimator_``
        conformalised on those windows, with ``adapt="tracking"``
        (:class:`~sktime_patches.conformal.ConformalForecaster`), which
        :meth:`predict_interval` and :meth:`predict_quantiles` use and
        :meth:`update` tracks; nothing is trained for it and the point
        forecast is ``estimator_``'s. None otherwise (``estimator_`` gives
        the intervals, or none can be had without training again).
    recent_ : ndarray of shape (lookback_ + horizon, n_channels) or None
        The last rows seen (fewer when the history is shorter), from which
        :meth:`update` scores the forecasts the new rows realise; None for a
        panel or with covariates.

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
        state = {"panel": writer.value(form, f"{where}.panel")}
        intervals = fitted.pop("intervals_", None)
        if intervals is not None:  # its model is estimator_: saved once
            state["intervals"] = writer.estimator(
                intervals, f"{where}.intervals_", leave_out=("estimator",)
            )
        return {**state, "fitted": writer.values(fitted, where)}

    def __load_state__(self, state: dict[str, Any], reader: Reader) -> None:
        """Set the fitted attributes, and the panel's form (without frames)."""
        super().__load_state__(state, reader)
        if "fitted" in state:
            form = reader.value(state["panel"])
            self._panel_form = (
                None if form is None else Panel(form[0], list(form[1]), [], *form[2:])
            )
            intervals = None
            if "intervals" in state:
                intervals = reader.estimator(
                    state["intervals"], given={"estimator": self.estimator_}
                )
            self.intervals_ = intervals

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
        history = read_fit_history(df, "df", self.id_col, self.time_col, self.freq)
        n_targets = history.series[0].values.shape[1]
        x_columns, calendar_columns, future = add_covariates(
            history,
            X,
            self.id_col,
            self.time_col,
            self.future_covariates,
            self.calendar,
        )
        covariates = x_columns + calendar_columns
        lookback, scores = self._choose_lookback(history, n_targets)
        # with covariates: the targets first, then the covariates
        roles = n_targets if covariates else None
        future_idx = [n_targets + covariates.index(c) for c in future]
        estimator = self._configured(
            clone(self.estimator), lookback, roles, future_idx, n_targets
        )
        _check_flattened_windows(estimator, history.series[0].values.shape[1])
        data, n_windows, n_skipped = self._training_data(
            estimator, history, lookback, roles, future_idx
        )
        estimator.fit(*data)  # the one door into the window model
        if self.verbose and n_skipped:
            print(
                f"{n_skipped} of {n_windows + n_skipped} training windows touch a "
                f"missing value and were left out; {n_windows} trained."
            )
        self.estimator_ = estimator
        self.intervals_ = _conformalised(estimator, data, n_targets)
        self.lookback_ = lookback
        self.lookback_scores_ = scores
        self.n_windows_ = n_windows
        self.n_skipped_windows_ = int(n_skipped)
        self._set_form(history, n_targets, x_columns, calendar_columns, future)
        return self

    def update(self, df: Any) -> SeriesForecaster:
        """Take the rows that follow the history: forecasts start from them,
        and the intervals learn from the values they realise.

        The window model is not trained again. Each new row realises, for
        every step ``h`` of the horizon, the forecast made ``h`` rows before
        it; those forecasts are scored as their values arrive (never before)
        and given to the intervals' model, which follows a drift of the
        errors: the conformalised network of ``intervals_`` (tracked,
        ``adapt="tracking"``), or a
        :class:`~sktime_patches.conformal.ConformalForecaster` given as
        ``estimator`` (see its ``adapt``). ``predict()`` then forecasts from
        the end of the new rows, and ``cutoff_`` moves to their last time
        stamp.

        Parameters
        ----------
        df : pd.DataFrame, pd.Series or array-like
            The new rows of the series, in the form given to :meth:`fit` (its
            columns; an array by position), at the time stamps that follow
            ``cutoff_``. A missing value (NaN) realises nothing and leaves out
            the windows it falls in.

        Returns
        -------
        self : SeriesForecaster
            This forecaster, updated.

        Examples
        --------
        The noise grows tenfold after the fit: as the new weeks arrive, the
        intervals widen with it.

        >>> import numpy as np
        >>> import pandas as pd
        >>> from sklearn.linear_model import Ridge
        >>> from sktime_patches.conformal import ConformalForecaster
        >>> rng = np.random.default_rng(0)
        >>> t = np.arange(700)
        >>> noise = np.where(t < 500, 0.05, 0.5) * rng.standard_normal(700)
        >>> sales = pd.Series(
        ...     np.sin(2 * np.pi * t / 7) + noise,
        ...     index=pd.date_range("2020-01-01", periods=700, freq="D"),
        ... )
        >>> model = SeriesForecaster(
        ...     ConformalForecaster(Ridge(), adapt="tracking", step_size=0.1),
        ...     lookback=14, horizon=3,
        ... ).fit(sales.iloc[:500])
        >>> def width(model):
        ...     bands = model.predict_interval(coverage=0.9)
        ...     return float((bands.iloc[:, 1] - bands.iloc[:, 0]).mean())
        >>> before = width(model)
        >>> for start in range(500, 700, 50):
        ...     model = model.update(sales.iloc[start : start + 50])
        >>> model.cutoff_
        Timestamp('2021-11-30 00:00:00')
        >>> bool(width(model) > 5 * before)
        True
        """
        check_is_fitted(self)
        recent = getattr(self, "recent_", None)
        if recent is None:
            what = "a panel" if self.series_ids_ is not None else "covariates"
            raise ValueError(
                f"update takes the new rows of one series without covariates, but "
                f"this {type(self).__name__} was fitted with {what}; refit it on "
                "the longer history instead."
            )
        new, cutoff = read_new_rows(df, self._layout(), self.cutoff_)
        values = np.concatenate([recent, new])
        model = self._tracked_model()
        if model is not None:
            X3, y = realised_windows(values, len(recent), self.lookback_, self.horizon)
            if len(X3):
                model.update(window_input(self.estimator_, X3), y)
        self.recent_ = values[-(self.lookback_ + self.horizon) :]
        lasts = values if self.fill is None else filled(values, self.fill)
        self.last_window_ = lasts[-self.lookback_ :].copy()
        self.cutoff_ = cutoff
        return self

    def _tracked_model(self) -> Any:
        """The model whose intervals learn from new values: ``intervals_``,
        else ``estimator_`` when it gives intervals and takes updates."""
        intervals = getattr(self, "intervals_", None)
        if intervals is not None:
            return intervals
        estimator = self.estimator_
        if forecaster_tags(estimator).intervals and hasattr(estimator, "update"):
            return estimator
        return None

    def _choose_lookback(
        self, history: History, n_targets: int
    ) -> tuple[int, dict[int, float] | None]:
        """The lookback (``lookback``, or the one ``"auto"`` chooses on the
        longest series' targets) and the candidates' scores, checked against
        the rows of every series."""
        auto = self.lookback == "auto"
        if auto:
            check_rows(
                history, self.horizon + 2, "lookback='auto' needs horizon + 2 = "
            )
            longest = max((s.values for s in history.series), key=len)[:, :n_targets]
            selection = choose_lookback(filled(longest, "interpolate"), self.horizon)
            lookback, scores = selection.lookback, dict(selection.scores)
        else:
            lookback, scores = self.lookback, None
        check_rows(
            history,
            lookback + self.horizon,
            f"lookback + horizon = {lookback} + {self.horizon} = "
            + ("" if not auto else f"(lookback='auto' chose {lookback}) "),
        )
        return lookback, scores

    def _training_data(
        self,
        estimator: Any,
        history: History,
        lookback: int,
        n_targets: int | None,
        future: list[int],
    ) -> tuple[tuple, int, int]:
        """What the window model's ``fit`` takes: a SeriesWindows when it
        declares it trains on one (windows cut on demand, batch by batch:
        memory grows with the series, not with the number of windows times
        their length), else windows and 2-D targets as arrays (always with
        covariates); and the windows trained and left out."""
        values = [s.values for s in history.series]
        if n_targets is None and forecaster_tags(estimator).series_windows:
            windows = SeriesWindows(
                values, lookback, self.horizon, self.stride, missing="skip"
            )
            return (windows,), len(windows), windows.n_skipped
        labels = [s.label for s in history.series]
        X3, y3, n_skipped = training_windows(
            values, labels, lookback, self.horizon, self.stride, n_targets, future
        )
        data = (window_input(estimator, X3), y3.reshape(len(y3), -1))
        return data, len(X3), n_skipped

    def _set_form(
        self,
        history: History,
        n_targets: int,
        x_columns: list,
        calendar_columns: list,
        future: list,
    ) -> None:
        """The fitted attributes that describe the series' form (what
        ``predict`` reads and writes back) and where they end."""
        first = history.series[0]
        self.columns_ = first.columns.copy()
        self.freq_ = first.freq
        cutoffs = [s.index[-1] for s in history.series]
        self.cutoff_ = max(cutoffs) if history.panel else cutoffs[0]
        self.cutoffs_ = (
            pd.Series(cutoffs, index=pd.Index(history.panel.ids, name="id"))
            if history.panel
            else None
        )
        self.series_ids_ = list(history.panel.ids) if history.panel else None
        # the windows predict() starts from; fill uses the whole series
        lasts = np.stack(
            [
                (s.values if self.fill is None else filled(s.values, self.fill))[
                    -self.lookback_ :
                ]
                for s in history.series
            ]
        )
        self.last_window_ = lasts if history.panel else lasts[0].copy()
        self.recent_ = None
        if not history.panel and not (x_columns or calendar_columns):
            self.recent_ = first.values[-(self.lookback_ + self.horizon) :].copy()
        self._index_kind = first.axis_kind
        self._index_name = first.index.name
        zone = getattr(first.index, "tz", None)
        self._tz = None if zone is None else str(zone)
        self._kind = history.kind
        self._series_name = first.name
        self._panel_form = history.panel
        self.covariates_ = x_columns + calendar_columns
        self.future_covariates_ = future
        self._n_targets = n_targets
        self._x_columns = x_columns
        self._calendar_columns = calendar_columns

    def _layout(self) -> Layout:
        """What ``fit`` learned about the series' form, for ``predict``."""
        return Layout(
            owner=type(self).__name__,
            id_col=self.id_col,
            time_col=self.time_col,
            horizon=self.horizon,
            lookback=self.lookback_,
            fill=self.fill,
            columns=self.columns_,
            freq=self.freq_,
            index_kind=self._index_kind,
            index_name=self._index_name,
            kind=self._kind,
            series_name=self._series_name,
            panel=self._panel_form,
            n_targets=self._n_targets,
            x_columns=self._x_columns,
            calendar_columns=self._calendar_columns,
            future_covariates=self.future_covariates_,
            # files saved before the time zone was kept: the cutoff's
            tz=getattr(self, "_tz", getattr(self.cutoff_, "tz", None)),
        )

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
        return self._forecast("predict", df, X, horizon)

    def predict_interval(
        self,
        df: Any = None,
        coverage: Any = 0.9,
        horizon: int | None = None,
        X: Any = None,
    ) -> pd.DataFrame | np.ndarray | dict:
        """Prediction intervals over the ``horizon`` steps after the history.

        From the window model's ``predict_interval``: a
        :class:`~sktime_patches.conformal.ConformalForecaster` around any
        window model (calibrated intervals), a
        :class:`~sktime_patches.PatchForecaster` fitted with ``quantiles``
        (the network's own quantiles), or, for a ``PatchForecaster``
        without, the network conformalised on the windows it held out to stop
        early (``intervals_``: the same point forecast, nothing trained
        again). A coverage that needs more calibration windows than there
        are gives infinite bounds and an
        :class:`~sktime_patches.exceptions.UnboundedIntervalWarning`.

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
        levels = (cover.tolist(), ["lower", "upper"])
        return self._forecast(
            "predict_interval", df, X, horizon, levels, cover.tolist()
        )

    def predict_quantiles(
        self,
        df: Any = None,
        alpha: Any = (0.05, 0.95),
        horizon: int | None = None,
        X: Any = None,
    ) -> pd.DataFrame | np.ndarray | dict:
        """Forecast quantiles over the ``horizon`` steps after the history.

        From the window model's ``predict_quantiles``, or its conformal
        intervals (see :meth:`predict_interval`).

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
        return self._forecast(
            "predict_quantiles", df, X, horizon, (levels.tolist(),), levels.tolist()
        )

    # --------------------------------------------------------------- helpers
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

    def _history(self, df: Any, X: Any = None) -> History:
        """The windows a forecast starts from, as the estimator takes them,
        with each series' last time stamp (and, with covariates, the known
        future appended)."""
        check_is_fitted(self)
        if X is not None and not self.covariates_:
            raise ValueError(
                "X was passed, but the model was fitted without covariates; pass "
                "X=None, or refit with fit(df, X)."
            )
        layout = self._layout()
        if df is None and X is not None:
            self._refuse_unread_covariates(X)
        if df is None:
            lasts = list(self.cutoffs_) if self.cutoffs_ is not None else [self.cutoff_]
            history = fitted_history(layout, self.last_window_, lasts, self.series_ids_)
        else:
            history = read_predict_history(df, X, layout)
        windows = np.stack(
            [complete_last_window(s, self.lookback_, self.fill) for s in history.series]
        )
        if self.future_covariates_:
            windows = np.concatenate([windows, future_rows(history, X, layout)], axis=1)
        history.X = window_input(self.estimator_, windows)
        return history

    def _refuse_unread_covariates(self, X: Any) -> None:
        """Past covariates in ``X`` without ``df``: a forecast from the
        history seen in fit reads theirs, so new values would be ignored."""
        future = list(self.future_covariates_)
        past = [c for c in self._x_columns if c not in future]
        if isinstance(X, dict):
            first = next(iter(X.values()), None)
            given = [] if first is None else list(pd.DataFrame(first).columns)
        else:
            given = list(getattr(X, "columns", []))
        unread = [c for c in past if c in given]
        if not unread:
            return
        raise ValueError(
            f"X holds the past covariates {unread}, which predict() without df "
            "does not read: it forecasts from the history seen in fit, its "
            "covariates included. To forecast from new values, pass the history "
            "too, predict(df, X=X) with X over the rows of df"
            + (
                f"; or pass X with the future covariates only, X[{future!r}]."
                if future
                else "; or pass X=None."
            )
        )

    def _forecast(
        self,
        method: str,
        df: Any,
        X: Any,
        horizon: int | None,
        levels: tuple[list, ...] = (),
        *args: Any,
    ) -> Any:
        """The window model's ``method`` on the last windows of the history,
        the first ``horizon`` steps in the form of the history; ``levels``
        (coverages and bounds, quantile levels) are the values per step and
        channel, below the columns."""
        check_history_argument(df, method)
        steps = self._steps(horizon)
        history = self._history(df, X)
        with np.errstate(invalid="ignore"):  # infinite bounds are said in words
            out = np.asarray(self._method(method)(history.X, *args))
        n = len(history.series)
        extra = tuple(len(level) for level in levels)
        values = self._per_step(out, method, n, int(np.prod(extra)))
        values = values.reshape(n, self.horizon, -1)[:, :steps]
        columns = self.columns_
        if levels:
            columns = pd.MultiIndex.from_product([columns, *levels])
        return assemble(history, values, steps, columns, self._layout(), extra)

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
        model = self.estimator_
        if name != "predict" and getattr(self, "intervals_", None) is not None:
            model = self.intervals_
        method = getattr(model, name, None)
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
        n_channels: int = 1,
    ) -> Any:
        """The window model, given the settings of ours it takes and leaves
        unset: its own ``lookback`` / ``horizon`` parameters, and those its
        tags declare (``settings``): the windows one horizon spans as its
        ``gap``, the channels of the forecast as its ``channels``, and, with
        covariates (``n_targets`` set), which channels are
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
        ours: dict[str, Any] = {
            "gap": -(-self.horizon // self.stride),  # ceil
            "channels": n_channels,  # the forecast's: the targets'
        }
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
