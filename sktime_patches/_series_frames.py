"""SeriesForecaster's pandas side: series in, windows out, forecasts back in the
form they came.

Reading a history (one frame, a Series, an array, or a panel of them) into
checked values on a regular time axis; its covariates and calendar features
as extra channels; the training windows (:func:`training_windows`); the last
window of every series a forecast starts from, with the known future
appended; and the forecast written back with the next time stamps, in the
form of the history (:func:`assemble`). :class:`Layout` holds what ``fit``
learned about that form, so that ``predict`` reads and writes the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.tseries.offsets import BaseOffset

from ._panel import Panel, is_panel, to_panel
from ._validation import (
    ARRAY_1D,
    ARRAY_2D,
    DATAFRAME,
    SERIES,
    check_panel_time,
    check_values,
    datetime_freq,
    index_kind,
    time_axis,
    to_frame,
)
from .calendar import calendar_features, default_calendar

__all__ = [
    "History",
    "Layout",
    "Series",
    "add_covariates",
    "aligned",
    "assemble",
    "check_rows",
    "complete_last_window",
    "filled",
    "fitted_history",
    "freq_text",
    "future_index",
    "future_rows",
    "read_fit_history",
    "read_new_rows",
    "read_predict_history",
    "realised_windows",
    "training_windows",
]


@dataclass
class Series:
    """One series of a history: its values and time axis, checked."""

    label: str
    values: np.ndarray
    index: pd.Index | None
    columns: pd.Index
    axis_kind: str
    freq: Any
    name: Any = None


@dataclass
class History:
    """The series of a history, the form they came in, and (when predicting)
    their windows and last time stamps."""

    series: list[Series]
    kind: str
    panel: Panel | None
    X: Any = None
    lasts: list = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    """What ``fit`` learned about the form of the series, and the parameters
    that say how to read them: ``predict`` reads and writes the same form.

    Parameters
    ----------
    owner : str
        The estimator's class name, for messages.
    id_col, time_col : hashable or None
        The panel's id column and the time column (``SeriesForecaster``'s).
    horizon, lookback : int
        Steps forecast, and steps a forecast starts from.
    fill : str or None
        How gaps in a last window are filled.
    columns : pd.Index
        The targets' columns.
    freq : DateOffset or int
        The step of the time index.
    index_kind : str
        ``"DatetimeIndex"``, ``"PeriodIndex"`` or ``"RangeIndex"``.
    index_name : hashable
        The name of the time index.
    kind : str
        The form of the history (a DataFrame, a Series, an array).
    series_name : hashable
        The name of a Series history.
    panel : Panel or None
        The panel's form (without its frames).
    n_targets : int
        Channels forecast.
    x_columns, calendar_columns : list
        The covariates of ``X``, and the calendar features.
    future_covariates : list
        Those of the covariates known over the horizon.
    tz : str or None, default=None
        The time zone of a DatetimeIndex (None: naive time stamps).
    """

    owner: str
    id_col: Any
    time_col: Any
    horizon: int
    lookback: int
    fill: str | None
    columns: pd.Index
    freq: Any
    index_kind: str
    index_name: Any
    kind: str
    series_name: Any
    panel: Panel | None
    n_targets: int
    x_columns: list
    calendar_columns: list
    future_covariates: list
    tz: str | None = None

    @property
    def covariates(self) -> list:
        """Every channel besides the targets: the covariates, then the calendar."""
        return [*self.x_columns, *self.calendar_columns]

    @property
    def future_given(self) -> list:
        """The future covariates ``X`` must give (the calendar is computed)."""
        return [c for c in self.future_covariates if c not in self.calendar_columns]

    def future_stamps(self, last: Any, steps: int) -> pd.Index:
        """The ``steps`` time stamps after ``last``."""
        return future_index(last, self.index_kind, self.freq, steps, self.index_name)


# ---------------------------------------------------------------------------
# Small pieces
# ---------------------------------------------------------------------------


def future_index(last: Any, kind: str, freq: Any, horizon: int, name: Any) -> pd.Index:
    """The ``horizon`` time stamps after ``last``.

    Examples
    --------
    >>> future_index(pd.Timestamp("2024-01-31"), "DatetimeIndex",
    ...              pd.offsets.Day(), 2, "ds").tolist()
    [Timestamp('2024-02-01 00:00:00'), Timestamp('2024-02-02 00:00:00')]
    >>> future_index(9, "RangeIndex", 1, 3, None).tolist()
    [10, 11, 12]
    """
    if kind == "DatetimeIndex":
        return pd.date_range(
            last + freq, periods=horizon, freq=freq, unit=last.unit, name=name
        )
    if kind == "PeriodIndex":
        return pd.period_range(last + 1, periods=horizon, freq=freq, name=name)
    return pd.RangeIndex(last + freq, last + freq * (horizon + 1), freq, name=name)


def freq_text(freq: Any) -> str:
    """A frequency as messages show it: ``'h'``, or a RangeIndex step.

    Examples
    --------
    >>> freq_text(pd.offsets.Hour()), freq_text(2)
    ("'h'", '2')
    """
    return repr(freq.freqstr if isinstance(freq, BaseOffset) else freq)


def filled(values: np.ndarray, fill: str) -> np.ndarray:
    """A series with its gaps filled: carried forward (then backward), or
    interpolated linearly (the nearest value at the ends).

    Examples
    --------
    >>> filled(np.array([[np.nan], [1.0], [np.nan], [3.0]]), "interpolate").ravel()
    array([1., 1., 2., 3.])
    """
    if not np.isnan(values).any():
        return values
    frame = pd.DataFrame(values)
    if fill == "ffill":
        frame = frame.ffill().bfill()
    else:
        frame = frame.interpolate(limit_direction="both")
    return frame.to_numpy(dtype=np.float64)


def aligned(frame: pd.DataFrame, index: pd.Index, label: str, name: str) -> np.ndarray:
    """``frame``'s values on the time stamps ``index`` (each must be there)."""
    if frame.index.has_duplicates:
        raise ValueError(
            f"{name} for {label} has duplicated time stamps; pass one row per time "
            "stamp."
        )
    absent = index.difference(frame.index)
    if len(absent):
        raise ValueError(
            f"{name} has no row for {len(absent)} time stamp(s) of {label} (first: "
            f"{_shown(absent)}); pass covariates on every time stamp of the series."
        )
    return frame.reindex(index).to_numpy(dtype=np.float64, na_value=np.nan)


def _shown(stamps: Sequence[Any]) -> str:
    """The first three of ``stamps``, and how many more."""
    more = f" and {len(stamps) - 3} more" if len(stamps) > 3 else ""
    return ", ".join(str(t) for t in stamps[:3]) + more


# ---------------------------------------------------------------------------
# Reading a history
# ---------------------------------------------------------------------------


def _frames(
    df: Any, name: str, id_col: Any, time_col: Any, require_time_col: bool
) -> tuple[list[pd.DataFrame], list[str], str, Panel | None]:
    """The frame of every series of ``df`` (one, or a panel's), how
    messages name each, the form ``df`` came in and the panel.

    A ``time_col`` missing from a single frame is an error in ``fit``
    (``require_time_col``); ``predict`` also takes a frame already indexed
    by time.
    """
    if is_panel(df, id_col):
        if isinstance(df, pd.DataFrame) and isinstance(df.index, pd.MultiIndex):
            first = df.index.get_level_values(0)
            if df.index.nlevels == 2 and not isinstance(
                first, (pd.DatetimeIndex, pd.PeriodIndex)
            ):  # (time, id) order: to_panel says so
                check_panel_time(
                    df.index.get_level_values(1),
                    f"the time level of {name}.index",
                    f"{name}.index = {name}.index.set_levels(pd.to_datetime("
                    f"{name}.index.levels[1]{{utc}}), level=1)",
                )
        elif isinstance(df, pd.DataFrame) and time_col in df.columns:
            check_panel_time(df[time_col], f"{name}[{time_col!r}]")
        elif isinstance(df, pd.DataFrame) and id_col is not None:
            check_panel_time(df.index, f"{name}.index")
        panel = to_panel(df, name, id_col, time_col)
        labels = [f"{panel.label(i)} of {name}" for i in range(len(panel.frames))]
        pairs = zip(panel.frames, labels, strict=True)
        frames = [to_frame(frame, label)[0] for frame, label in pairs]
        return frames, labels, panel.kind, panel
    if time_col is not None and isinstance(df, pd.DataFrame):
        if time_col in df.columns:
            df = df.set_index(time_col)
        elif require_time_col:
            raise ValueError(
                f"time_col={time_col!r} is not a column of {name}; "
                f"its columns are {[str(c) for c in df.columns]}."
            )
    frame, kind = to_frame(df, name)
    return [frame], [name], kind, None


def read_fit_history(
    df: Any, name: str, id_col: Any, time_col: Any, freq: Any
) -> History:
    """Every series of ``df`` checked (time axis, values), in one form (fit)."""
    frames, labels, kind, panel = _frames(df, name, id_col, time_col, True)
    series = []
    for frame, label in zip(frames, labels, strict=True):
        if len(frame) == 0:
            raise ValueError(f"{label} has no rows; pass at least one time step.")
        axis_kind, step = time_axis(frame.index, label, freq)
        values = check_values(frame, label, allow_missing=True)
        series_name = df.name if kind == SERIES else None
        series.append(
            Series(
                label, values, frame.index, frame.columns, axis_kind, step, series_name
            )
        )
    first = series[0]
    for other in series[1:]:
        if (other.axis_kind, other.freq) != (first.axis_kind, first.freq):
            raise ValueError(
                f"{other.label} has a {other.axis_kind} at frequency "
                f"{freq_text(other.freq)}, but {first.label} has a "
                f"{first.axis_kind} at frequency {freq_text(first.freq)}; every "
                "series of a panel needs the same kind of index and frequency."
            )
    return History(series, kind, panel)


def check_rows(history: History, span: int, what: str) -> None:
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


def _covariate_frames(
    history: History, X: Any, name: str, id_col: Any, time_col: Any
) -> list:
    """The covariate frame of each series of ``history``, from ``X`` in the
    same form (None when ``X`` is None)."""
    if X is None:
        return [None] * len(history.series)
    if history.panel is not None:
        panel = to_panel(X, name, id_col, time_col)
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
        if time_col is not None and time_col in frame.columns:
            frame = frame.set_index(time_col)
        frames = [frame]
    checked = []
    for frame, series in zip(frames, history.series, strict=True):
        label = name if history.panel is None else f"{name} of {series.label}"
        frame, _ = to_frame(frame, label)
        checked.append(frame)
    return checked


def _calendar_names(calendar: bool | Sequence[str], index: pd.Index) -> list[str]:
    """The calendar features in use (none, those of the frequency, or the
    ones named)."""
    if calendar is False:
        return []
    if calendar is True:
        calendar_features(index[:2])  # a time index: checked
        return default_calendar(index)
    names = list(calendar)
    calendar_features(index[:2], names)  # known names: checked
    return names


def add_covariates(
    history: History,
    X: Any,
    id_col: Any,
    time_col: Any,
    future_covariates: Sequence[Any] | None,
    calendar: bool | Sequence[str],
) -> tuple[list, list, list]:
    """Append each series' covariates and calendar features to its values
    (fit); return the names of the covariates of ``X``, of the calendar
    features and of every covariate known in the future."""
    frames = _covariate_frames(history, X, "X", id_col, time_col)
    names: list = [] if frames[0] is None else list(frames[0].columns)
    future = [] if future_covariates is None else list(future_covariates)
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
    cal_names = _calendar_names(calendar, history.series[0].index)
    for series, frame in zip(history.series, frames, strict=True):
        parts = [series.values]
        if frame is not None:
            parts.append(aligned(frame, series.index, series.label, "X"))
        if cal_names:
            cal = calendar_features(series.index, cal_names)
            parts.append(cal.to_numpy(dtype=np.float64))
        series.values = np.hstack(parts)
    calendar_columns = [f"{n}_{f}" for n in cal_names for f in ("sin", "cos")]
    return names, calendar_columns, future + calendar_columns


def training_windows(
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


# ---------------------------------------------------------------------------
# The history a forecast starts from
# ---------------------------------------------------------------------------


def fitted_history(
    layout: Layout,
    last_window: np.ndarray,
    lasts: list,
    series_ids: list | None,
) -> History:
    """The history seen in ``fit``: its last windows and last time stamps."""
    windows = last_window if last_window.ndim == 3 else last_window[None]
    labels = (
        [f"series {i!r}" for i in series_ids]
        if series_ids is not None
        else ["the history seen in fit"]
    )
    series = [
        Series(
            labels[i],
            windows[i],
            None,
            layout.columns,
            layout.index_kind,
            layout.freq,
            layout.series_name,
        )
        for i in range(len(windows))
    ]
    return History(series, layout.kind, layout.panel, lasts=lasts)


def _check_one(frame: pd.DataFrame, kind: str, label: str, layout: Layout) -> Series:
    """Validate one series passed to ``predict`` against the fit."""
    cls, columns = layout.owner, layout.columns
    if list(frame.columns) != list(columns):
        if kind in (ARRAY_1D, ARRAY_2D):
            raise ValueError(
                f"{label} has {frame.shape[1]} channel(s), but {cls} was fitted "
                f"on {len(columns)}; pass an array of shape (n_timesteps, "
                f"{len(columns)})."
            )
        raise ValueError(
            f"{label} has columns {list(frame.columns)}, but {cls} was fitted on "
            f"columns {list(columns)}; pass the same columns in the same "
            "order, e.g. df[forecaster.columns_]."
        )
    if len(frame) < layout.lookback:
        raise ValueError(
            f"{label} has {len(frame)} row(s), fewer than the lookback="
            f"{layout.lookback} steps a forecast starts from; pass at least "
            f"{layout.lookback} rows of history."
        )
    index, freq = frame.index, layout.freq
    axis_kind = index_kind(index, label)
    zone, fitted_zone = getattr(index, "tz", None), getattr(layout, "tz", None)
    if axis_kind == "DatetimeIndex" and str(zone) != str(fitted_zone):

        def said(tz: Any) -> str:
            return "naive time stamps" if tz is None else f"time zone {str(tz)!r}"

        raise ValueError(
            f"{label} has {said(zone)}, but {cls} was fitted on {said(fitted_zone)}; "
            "pass a history in the time zone of fit, e.g. "
            + (
                "index.tz_localize(None)"
                if fitted_zone is None
                else f"index.tz_convert({str(fitted_zone)!r})"
                if zone is not None
                else f"index.tz_localize({str(fitted_zone)!r})"
            )
            + "."
        )
    own = index.freq if axis_kind != "RangeIndex" else None
    if axis_kind != layout.index_kind or (own is not None and own != freq):
        theirs = "" if own is None else f" at frequency {own.freqstr!r}"
        raise ValueError(
            f"{label} has a {axis_kind}{theirs}, but {cls} was fitted on a "
            f"{layout.index_kind} at frequency {freq_text(freq)}; pass a "
            "history with the same kind of index and frequency as in fit."
        )
    if axis_kind == "DatetimeIndex":
        datetime_freq(index, label, freq)
    else:
        _, step = time_axis(index, label, None)
        if axis_kind == "RangeIndex" and len(index) > 1 and step != freq:
            raise ValueError(
                f"{label} has a RangeIndex with step {step}, but {cls} was "
                f"fitted on a RangeIndex with step {freq}; pass a history "
                "with the same step."
            )
    values = check_values(frame, label, allow_missing=True)
    return Series(label, values, index, frame.columns, axis_kind, freq, None)


def read_predict_history(df: Any, X: Any, layout: Layout) -> History:
    """A history passed to ``predict``, every series checked against the fit,
    with its last time stamps and (when the fit had them) its covariates."""
    frames, labels, kind, panel = _frames(
        df, "df", layout.id_col, layout.time_col, False
    )
    series = []
    for frame, label in zip(frames, labels, strict=True):
        # a panel's frames are DataFrames whatever their columns
        one = _check_one(frame, DATAFRAME if panel else kind, label, layout)
        one.name = df.name if kind == SERIES else None
        series.append(one)
    history = History(series, kind, panel, lasts=[s.index[-1] for s in series])
    if layout.covariates:
        _add_history_covariates(history, X, layout)
    return history


def _add_history_covariates(history: History, X: Any, layout: Layout) -> None:
    """Append the covariates of a history passed to ``predict``."""
    x_columns = layout.x_columns
    if x_columns and X is None:
        raise ValueError(
            f"the model was fitted with covariates {x_columns}; pass X= "
            "with their values over the rows of df"
            + (
                f" and over the next {layout.horizon} time stamps for the future "
                f"ones, {layout.future_given}."
                if layout.future_given
                else "."
            )
        )
    frames = _covariate_frames(history, X, "X", layout.id_col, layout.time_col)
    names = list(dict.fromkeys(c.rsplit("_", 1)[0] for c in layout.calendar_columns))
    for series, frame in zip(history.series, frames, strict=True):
        parts = [series.values]
        if x_columns:
            missing = [c for c in x_columns if c not in frame.columns]
            if missing:
                raise ValueError(
                    f"X has no column(s) {missing}; the model was fitted with "
                    f"covariates {x_columns}."
                )
            parts.append(aligned(frame[x_columns], series.index, series.label, "X"))
        if names:
            parts.append(calendar_features(series.index, names).to_numpy(float))
        series.values = np.hstack(parts)


def future_rows(history: History, X: Any, layout: Layout) -> np.ndarray:
    """The next ``horizon`` rows of every series: the known-future
    covariates (and calendar) in their channels, zeros elsewhere."""
    horizon, covariates = layout.horizon, layout.covariates
    given = layout.future_given
    if given and X is None:
        raise ValueError(
            f"the model was fitted with future covariates {given}; pass X= with "
            f"their values over the next {horizon} time stamps."
        )
    frames = None
    if given:
        frames = _covariate_frames(history, X, "X", layout.id_col, layout.time_col)
    for frame in frames or ():
        missing = [c for c in given if c not in frame.columns]
        if missing:
            raise ValueError(
                f"X has no column(s) {missing}; the model was fitted with the "
                f"future covariates {given}, which the forecast needs over "
                f"the next {horizon} time stamps."
            )
    rows = np.zeros((len(history.series), horizon, layout.n_targets + len(covariates)))
    for i, last in enumerate(history.lasts):
        stamps = layout.future_stamps(last, horizon)
        label = history.series[i].label
        for column in layout.future_covariates:
            k = layout.n_targets + covariates.index(column)
            if column in layout.calendar_columns:
                name = column.rsplit("_", 1)[0]
                rows[i, :, k] = calendar_features(stamps, [name])[column]
                continue
            future = frames[i][column].reindex(stamps)
            absent = future.index[future.isna().to_numpy()]
            if len(absent):
                raise ValueError(
                    f"X has no value of the future covariate {column!r} for "
                    f"{label} at {_shown(absent)}; the forecast needs it at each "
                    f"of the next {horizon} time stamps ({stamps[0]} .. "
                    f"{stamps[-1]})."
                )
            rows[i, :, k] = future.to_numpy(dtype=np.float64)
    return rows


def complete_last_window(series: Series, lookback: int, fill: str | None) -> np.ndarray:
    """A series' last ``lookback`` rows, its gaps filled by ``fill`` or
    refused."""
    window = series.values[-lookback:]
    if not np.isnan(window).any():
        return window
    if fill is None:
        rows = np.flatnonzero(np.isnan(window).any(axis=1))
        stamps = (
            [series.index[len(series.values) - len(window) + r] for r in rows]
            if series.index is not None
            else [f"row {r - len(window)} of the last window" for r in rows]
        )
        raise ValueError(
            f"{series.label} has missing values in the last lookback="
            f"{lookback} rows a forecast starts from (at {_shown(stamps)}); pass "
            "fill='ffill' or fill='interpolate' to SeriesForecaster, or fill "
            "them first."
        )
    window = filled(series.values, fill)[-lookback:]
    if np.isnan(window).any():  # a column with no value at all
        raise ValueError(
            f"{series.label} has a column with no value in its history, so "
            f"fill={fill!r} has nothing to fill from; pass a history "
            "with values in every column."
        )
    return window


def assemble(
    history: History,
    values: np.ndarray,
    steps: int,
    columns: pd.Index,
    layout: Layout,
    extra: tuple[int, ...] = (),
) -> Any:
    """Per-series outputs ``(n_series, steps, n_channels * prod(extra))`` in
    the form of the history."""
    kind = history.kind
    if history.panel is None and kind in (ARRAY_1D, ARRAY_2D):
        out = values[0].reshape(steps, len(layout.columns), *extra)
        return out[:, 0].copy() if kind == ARRAY_1D else out
    frames = []
    for i, series in enumerate(history.series):
        index = layout.future_stamps(history.lasts[i], steps)
        if kind == SERIES and not extra:
            return pd.Series(values[i][:, 0], index=index, name=series.name)
        frames.append(pd.DataFrame(values[i], index=index, columns=columns.copy()))
    if history.panel is None:
        return frames[0]
    return history.panel.assemble(frames)


def read_new_rows(df: Any, layout: Layout, cutoff: Any) -> tuple[np.ndarray, Any]:
    """Rows passed to ``update``: checked against the fit and continuing the
    history after ``cutoff``; their values ``(n_rows, n_channels)`` (NaN
    allowed: a gap) and the new cutoff. An array continues the history by
    position."""
    frame, kind = to_frame(df, "df")
    cls, columns = layout.owner, layout.columns
    if kind in (ARRAY_1D, ARRAY_2D):
        if frame.shape[1] != len(columns):
            raise ValueError(
                f"df has {frame.shape[1]} channel(s), but {cls} was fitted on "
                f"{len(columns)}; pass an array of shape (n_new_rows, "
                f"{len(columns)})."
            )
        frame = frame.set_axis(columns, axis=1)
    elif list(frame.columns) != list(columns):
        raise ValueError(
            f"df has columns {list(frame.columns)}, but {cls} was fitted on "
            f"columns {list(columns)}; pass the same columns in the same order, "
            "e.g. df[forecaster.columns_]."
        )
    n = len(frame)
    if n == 0:
        raise ValueError("df has no rows; pass the rows that follow the history.")
    expected = future_index(
        cutoff, layout.index_kind, layout.freq, n, layout.index_name
    )
    if kind not in (ARRAY_1D, ARRAY_2D):
        index = frame.index
        if len(index) != n or not np.array_equal(
            np.asarray(index, dtype=object), np.asarray(expected, dtype=object)
        ):
            raise ValueError(
                f"df must continue the history: its {n} row(s) should be at "
                f"{expected[0]} .. {expected[-1]} (the steps after the cutoff "
                f"{cutoff} at frequency {freq_text(layout.freq)}); got "
                f"{index[0]} .. {index[-1]}. Pass the rows that follow the "
                "history, in order (a missing row as NaN)."
            )
    values = check_values(frame, "df", allow_missing=True)
    return values, expected[-1]


def realised_windows(
    values: np.ndarray, first_new: int, lookback: int, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """The forecasts that rows ``first_new ..`` of ``values`` realise.

    Row ``t`` realises step ``h`` (1 .. horizon) of the forecast made from the
    window ending at row ``t - h``, for every such window that lies in
    ``values`` and has no missing input; row after row, step 1 first.

    Returns
    -------
    X : ndarray of shape (n, lookback, n_channels)
        The windows.
    y : ndarray of shape (n, horizon * n_channels)
        Their targets, NaN but at the step realised (laid out ``(horizon,
        n_channels)`` flattened).

    Examples
    --------
    >>> X, y = realised_windows(np.arange(6.0)[:, None], 4, 2, 2)
    >>> X[:, :, 0].tolist()
    [[2.0, 3.0], [1.0, 2.0], [3.0, 4.0], [2.0, 3.0]]
    >>> y.tolist()
    [[4.0, nan], [nan, 4.0], [5.0, nan], [nan, 5.0]]
    """
    n_channels = values.shape[1]
    windows, targets = [], []
    for t in range(first_new, len(values)):
        for h in range(1, horizon + 1):
            end = t - h + 1  # the window is values[end - lookback : end]
            if end - lookback < 0:
                continue
            window = values[end - lookback : end]
            if np.isnan(window).any():
                continue
            target = np.full((horizon, n_channels), np.nan)
            target[h - 1] = values[t]
            windows.append(window)
            targets.append(target.reshape(-1))
    if not windows:
        return np.empty((0, lookback, n_channels)), np.empty((0, horizon * n_channels))
    return np.stack(windows), np.stack(targets)
