"""Every input check of the package and its error message, in one place.

Messages follow one pattern: what was wrong, the value received, and what to pass
instead. Tests assert them word for word, so change them with care.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset
from sklearn.utils._param_validation import Interval, StrOptions

from ._patching import PADDINGS

__all__ = [
    "ARRAY_1D",
    "ARRAY_2D",
    "DATAFRAME",
    "FILL_HINT",
    "PATCHING_CONSTRAINTS",
    "SERIES",
    "check_channel_groups",
    "check_channel_list",
    "check_finite",
    "check_finite_values",
    "check_history_argument",
    "check_lookback",
    "check_no_duplicates",
    "check_panel_time",
    "check_patch_fits",
    "check_series",
    "check_time_order",
    "check_values",
    "check_window_arrays",
    "check_window_sizes",
    "check_windows_rank",
    "check_y_windows",
    "datetime_freq",
    "guess_freq",
    "index_kind",
    "infer_freq",
    "median_index",
    "series_array",
    "time_axis",
    "to_frame",
    "uneven_steps",
    "validate_windows",
    "y_in_form",
]

#: scikit-learn parameter constraints of the patching hyper-parameters, shared by
#: SpacetimePatcher and PatchForecaster so the two accept exactly the same values.
PATCHING_CONSTRAINTS: dict = {
    "patch_len": [Interval(Integral, 1, None, closed="left"), None],
    "stride": [Interval(Integral, 1, None, closed="left"), None],
    "channel_groups": [Interval(Integral, 1, None, closed="left"), list, tuple, None],
    "padding": [StrOptions(set(PADDINGS))],
}


def check_finite(name: str, arr: np.ndarray, hint: str) -> None:
    """Raise a ValueError that locates the first NaN or inf of ``arr``."""
    finite = np.isfinite(arr)
    if finite.all():
        return
    bad = np.argwhere(~finite)
    first = tuple(int(i) for i in bad[0])
    value = arr[first]
    kind = "NaN" if np.isnan(value) else "inf"
    raise ValueError(
        f"Input {name} contains {len(bad)} non-finite value(s) ({kind} first, at "
        f"index {first}); {hint}"
    )


FILL_HINT = (
    "fill the gaps before windowing, e.g. series.interpolate() or an imputer, "
    "or drop the affected windows."
)


def check_levels(values: Any, name: str) -> np.ndarray:
    """Probability levels (quantiles, coverages) as a sorted float array.

    Each must be a finite number strictly between 0 and 1, and none may repeat.

    Examples
    --------
    >>> check_levels([0.9, 0.1], "quantiles").tolist()
    [0.1, 0.9]
    """
    example = "[0.8, 0.95]" if name == "coverage" else "[0.1, 0.5, 0.9]"
    fix = f"pass numbers strictly between 0 and 1, e.g. {name}={example}."
    try:
        levels = np.asarray(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers; got {values!r}; {fix}") from None
    if levels.size == 0:
        raise ValueError(f"{name} is empty; {fix}")
    bad = levels[~((levels > 0) & (levels < 1))]
    if bad.size:
        raise ValueError(f"{name} must lie in (0, 1); got {bad.tolist()}; {fix}")
    if np.unique(levels).size != levels.size:
        raise ValueError(f"{name} repeats a level: {levels.tolist()}; {fix}")
    return np.sort(levels)


def median_index(levels: np.ndarray) -> int:
    """The position of the median (0.5) among sorted quantile levels (or where
    it would be inserted).

    Examples
    --------
    >>> median_index(np.array([0.1, 0.5, 0.9])), median_index(np.array([0.5]))
    (1, 0)
    """
    return int(np.searchsorted(levels, 0.5))


def check_coverage(coverage: Any) -> tuple[np.ndarray, bool]:
    """Interval coverages as an array, and whether one number was given.

    Examples
    --------
    >>> check_coverage(0.9)
    (array([0.9]), True)
    """
    scalar = np.ndim(coverage) == 0
    check_levels(coverage, "coverage")
    levels = np.asarray(coverage, dtype=np.float64).reshape(-1)  # order given
    return levels, scalar


def bound_positions(coverage: float, levels: np.ndarray, fix: str) -> tuple[int, int]:
    """Where the quantiles bounding a central interval of ``coverage`` are in
    ``levels``; an error names the two needed and ``fix`` says what to do.

    Examples
    --------
    >>> bound_positions(0.8, np.array([0.1, 0.5, 0.9]), "")
    (0, 2)
    """
    low = round(float(1 - coverage) / 2, 12)
    high = round(float(1 + coverage) / 2, 12)
    picks = [np.flatnonzero(np.abs(levels - v) < 1e-9) for v in (low, high)]
    if picks[0].size == 0 or picks[1].size == 0:
        raise ValueError(
            f"coverage={round(float(coverage), 12)!r} needs the quantiles {low!r} "
            f"and {high!r}, but the estimator forecasts {levels.tolist()}; {fix}"
        )
    return int(picks[0][0]), int(picks[1][0])


def match_levels(
    wanted: Any, available: np.ndarray, name: str, where: str
) -> np.ndarray:
    """Positions of the levels ``wanted`` in ``available`` (to 1e-9).

    A level that is not available gets an error naming the ones that are.
    """
    positions = []
    for level in np.asarray(wanted, dtype=np.float64).reshape(-1):
        close = np.flatnonzero(np.abs(available - level) < 1e-9)
        if close.size == 0:
            raise ValueError(
                f"{name}={round(float(level), 12)!r} is not among the levels {where} "
                f"({available.tolist()}); pass one of them, or refit with "
                f"quantiles that include {round(float(level), 12)!r}."
            )
        positions.append(int(close[0]))
    return np.asarray(positions, dtype=np.intp)


def check_windows_rank(X: np.ndarray, name: str = "X") -> None:
    """Windows are 2-D ``(n_windows, lookback)`` or 3-D ``(n_windows, lookback,
    n_channels)``."""
    if X.ndim not in (2, 3):
        raise ValueError(
            f"{name} must be 2-D (n_windows, lookback) or 3-D (n_windows, lookback, "
            f"n_channels); got an array with shape {X.shape}. Use "
            "sktime_patches.make_windows(series, lookback, horizon) to cut a series "
            "into windows."
        )
    if X.ndim == 3 and X.shape[2] == 0:
        raise ValueError(
            f"{name} has 0 channels (shape {X.shape}); pass windows with at least "
            "one channel."
        )


def check_window_arrays(X: np.ndarray, name: str = "X") -> np.ndarray:
    """Check rank and finiteness of already converted windows; return float X."""
    check_windows_rank(X, name)
    check_finite(name, X, FILL_HINT)
    return X


def check_y_windows(
    y: Any, n_windows: int, n_channels: int, horizon: int | None, estimator: str
) -> tuple[np.ndarray, int]:
    """Validate targets against windows; return ``y`` as 3-D and the horizon.

    ``y`` may be 1-D ``(n_windows,)`` (horizon 1, one channel), 2-D
    ``(n_windows, horizon * n_channels)`` laid out as ``y3d.reshape(n_windows, -1)``,
    or 3-D ``(n_windows, horizon, n_channels)``.
    """
    from sklearn.utils import check_array

    if y is None:
        raise ValueError(
            f"{estimator} requires y to be passed, but the target y is None. Pass "
            "the future values of each window, shape (n_windows, horizon) or "
            "(n_windows, horizon, n_channels)."
        )
    if np.asarray(y).dtype.kind == "c":
        raise ValueError(  # scikit-learn's words first: its checks look for them
            f"Complex data not supported: y holds complex numbers (dtype "
            f"{np.asarray(y).dtype}), targets hold real values; pass y.real, or "
            "abs(y), as the data mean."
        )
    y = check_array(
        y,
        ensure_2d=False,
        allow_nd=True,
        dtype=np.float64,
        input_name="y",
        ensure_all_finite=False,  # located below, by window, step and channel
    )
    if y.ndim > 3:
        raise ValueError(
            f"y must be 1-D, 2-D (n_windows, horizon * n_channels) or 3-D "
            f"(n_windows, horizon, n_channels); got shape {y.shape}."
        )
    if y.shape[0] != n_windows:
        raise ValueError(
            f"X and y have different numbers of windows: X has {n_windows}, y has "
            f"{y.shape[0]}; pass one target row per window."
        )
    if y.ndim == 1:
        y3 = y.reshape(n_windows, 1, 1)
        if n_channels != 1:
            raise ValueError(
                f"y is 1-D but X has {n_channels} channels; pass y with shape "
                f"(n_windows, horizon, {n_channels}) or (n_windows, horizon * "
                f"{n_channels})."
            )
    elif y.ndim == 2:
        if y.shape[1] % n_channels:
            raise ValueError(
                f"y has {y.shape[1]} columns, which is not a multiple of the "
                f"{n_channels} channels of X; a 2-D y must be laid out as "
                "y3d.reshape(n_windows, -1) with shape (n_windows, horizon * "
                "n_channels)."
            )
        y3 = y.reshape(n_windows, y.shape[1] // n_channels, n_channels)
    else:
        y3 = y
        if y.shape[2] != n_channels:
            raise ValueError(
                f"y has {y.shape[2]} channels but X has {n_channels}; every channel "
                "of X is also a target, so pass y with shape (n_windows, horizon, "
                f"{n_channels})."
            )
    if y3.shape[1] == 0:
        raise ValueError(
            f"y holds 0 steps per window (shape {y.shape}); pass the future values "
            "of each window, at least one step: make_windows(series, lookback, "
            "horizon) with horizon >= 1 gives them."
        )
    if not np.isfinite(y3).all():
        bad = np.argwhere(~np.isfinite(y3))
        window, step, channel = (int(i) for i in bad[0])
        what = "NaN" if np.isnan(y3[window, step, channel]) else "inf"
        raise ValueError(
            f"y has {len(bad)} missing or infinite value(s) ({what} first: window "
            f"{window}, step {step}, channel {channel}); drop the windows whose "
            "targets touch a gap, or fill the series before cutting it into "
            "windows (e.g. series.interpolate())."
        )
    if horizon is not None and y3.shape[1] != horizon:
        raise ValueError(
            f"horizon={horizon} but y holds {y3.shape[1]} step(s) per window (y "
            f"shape {y.shape}); pass horizon={y3.shape[1]}, or horizon=None to take "
            "it from y."
        )
    return y3, y3.shape[1]


def y_in_form(pred: np.ndarray, y_ndim: int, extra: int = 0) -> np.ndarray:
    """A forecast ``(n, horizon, n_channels, *extra axes)`` in the form of the
    ``y`` seen in ``fit`` (what :func:`check_y_windows` read): 1-D ``(n,)``,
    2-D ``(n, horizon * n_channels)`` or 3-D, each followed by the ``extra``
    trailing axes.

    Examples
    --------
    >>> pred = np.zeros((5, 4, 2, 3))  # three quantiles
    >>> y_in_form(pred, 2, extra=1).shape, y_in_form(pred, 3, extra=1).shape
    ((5, 8, 3), (5, 4, 2, 3))
    """
    n, tail = pred.shape[0], pred.shape[pred.ndim - extra :]
    if y_ndim == 1:
        return pred.reshape(n, *tail)
    if y_ndim == 2:
        return pred.reshape(n, -1, *tail)
    return pred


def check_window_sizes(lookback: Any, horizon: Any, stride: Any) -> None:
    """Window sizes are ints: ``lookback >= 1``, ``horizon >= 0``, ``stride >= 1``."""
    for name, value, low in (
        ("lookback", lookback, 1),
        ("horizon", horizon, 0),
        ("stride", stride, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(
                f"{name} must be an int; got {value!r} of type {type(value).__name__}."
            )
        if value < low:
            raise ValueError(f"{name} must be >= {low}; got {name}={value}.")


def check_patch_fits(
    patch_len: int, lookback: int, stride: int | None = None, padding: str = "end"
) -> None:
    """A patch must fit in the window; with ``padding="end"`` (every step in a
    patch) consecutive patches must not leave steps between them."""
    if patch_len > lookback:
        raise ValueError(
            f"patch_len={patch_len} is longer than the lookback of the windows "
            f"(lookback={lookback}, i.e. {lookback} feature(s) per channel); pass "
            f"patch_len <= {lookback} or longer windows."
        )
    if stride is not None and stride > patch_len and padding == "end":
        raise ValueError(
            f"stride={stride} is longer than patch_len={patch_len}: "
            f"{stride - patch_len} step(s) between consecutive patches would be in "
            f"no patch, but padding='end' covers every step; pass stride <= "
            f"{patch_len}, or padding='none' to skip steps on purpose."
        )


def check_channel_list(channels: Any, name: str, n_channels: int) -> list[int] | None:
    """Channel positions (``target_channels``, ``future_channels``) as a list of
    ints, each in ``range(n_channels)``, none twice; None stays None.

    Examples
    --------
    >>> check_channel_list(np.array([2, 0]), "target_channels", 3)
    [2, 0]
    """
    if channels is None:
        return None
    picked = np.asarray(channels).reshape(-1)
    fix = f"pass distinct channel positions from 0 to {n_channels - 1}"
    if picked.size == 0 or picked.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be channel positions (ints); got {channels!r}; {fix}."
        )
    bad = picked[(picked < 0) | (picked >= n_channels)]
    if bad.size:
        raise ValueError(
            f"{name}={picked.tolist()} names channel(s) {bad.tolist()}, but X has "
            f"{n_channels} channel(s); {fix}."
        )
    if np.unique(picked).size != picked.size:
        raise ValueError(f"{name}={picked.tolist()} repeats a channel; {fix}.")
    return [int(c) for c in picked]


def check_lookback(lookback: int | None, history: int, known: int) -> int:
    """The steps a network reads of windows of ``history`` steps (followed by
    ``known`` rows of known future): ``lookback``, or the whole history for
    None.

    Examples
    --------
    >>> check_lookback(None, 48, 0), check_lookback(24, 48, 12)
    (48, 24)
    """
    if lookback is None:
        return history
    if lookback > history:
        raise ValueError(
            f"lookback={lookback} is longer than the windows of X ({history} "
            f"steps{' before the known future' if known else ''}); pass "
            f"lookback <= {history}, or None to read whole windows."
        )
    return lookback


def check_channel_groups(
    channel_groups: Any,
    n_channels: int,
    columns: Sequence[str] | None = None,
) -> list[list[int]]:
    """Resolve ``channel_groups`` to a partition of ``range(n_channels)``.

    ``None`` gives every channel its own group; an int ``k`` gives consecutive groups
    of ``k`` channels; a sequence of sequences names the groups by channel index or
    by column name. Groups must have equal sizes and cover every channel exactly
    once, so that no channel is silently dropped from the forecast.
    """
    if channel_groups is None:
        return [[c] for c in range(n_channels)]
    if isinstance(channel_groups, (int, np.integer)) and not isinstance(
        channel_groups, bool
    ):
        k = int(channel_groups)
        if k < 1 or n_channels % k:
            raise ValueError(
                f"channel_groups={k} must divide the number of channels "
                f"({n_channels}) into equal groups; pass a divisor of {n_channels}, "
                "or None to treat each channel alone."
            )
        return [list(range(s, s + k)) for s in range(0, n_channels, k)]
    if isinstance(channel_groups, str) or not isinstance(channel_groups, Sequence):
        raise TypeError(
            f"channel_groups must be None, an int or a list of groups (lists of "
            f"channel indices or column names); got {channel_groups!r}."
        )
    names = list(columns) if columns is not None else None
    groups: list[list[int]] = []
    for group in channel_groups:
        if isinstance(group, (str, int, np.integer)):
            group = [group]
        resolved = []
        for ch in group:
            if isinstance(ch, str):
                if names is None or ch not in names:
                    known = names if names is not None else "none (X has no names)"
                    raise ValueError(
                        f"channel_groups names channel {ch!r}, which is not a "
                        f"column of X; known columns: {known}."
                    )
                resolved.append(names.index(ch))
            elif isinstance(ch, (int, np.integer)) and not isinstance(ch, bool):
                if not 0 <= ch < n_channels:
                    raise ValueError(
                        f"channel_groups names channel index {ch}, but X has "
                        f"{n_channels} channel(s); use indices 0..{n_channels - 1}."
                    )
                resolved.append(int(ch))
            else:
                raise TypeError(
                    f"channel_groups entries must be channel indices or column "
                    f"names; got {ch!r}."
                )
        groups.append(resolved)
    sizes = {len(g) for g in groups}
    if len(groups) == 0 or 0 in sizes:
        raise ValueError(
            f"channel_groups={channel_groups!r} contains no channels; pass None to "
            "treat each channel alone."
        )
    if len(sizes) != 1:
        raise ValueError(
            f"channel_groups={channel_groups!r} has groups of different sizes "
            f"{sorted(sizes)}; every group must hold the same number of channels."
        )
    flat = sorted(c for g in groups for c in g)
    if flat != list(range(n_channels)):
        missing = sorted(set(range(n_channels)) - set(flat))
        dup = sorted({c for c in flat if flat.count(c) > 1})
        raise ValueError(
            f"channel_groups={channel_groups!r} must use every channel exactly once "
            f"(missing: {missing}, repeated: {dup}); add the missing channels to a "
            "group or pass None."
        )
    return groups


def check_series(
    series: Any, name: str = "series", allow_missing: bool = False
) -> tuple[np.ndarray, pd.Index | None, list[str] | None]:
    """Validate a series and return ``(values (n_timesteps, n_channels), index,
    column names)``: the same checks, and messages, as every entry point that
    takes a series (:func:`to_frame`, :func:`check_time_order`,
    :func:`check_values`).

    Accepts a numpy array or list (1-D or 2-D), a ``pd.Series`` or a
    ``pd.DataFrame``; the index of a pandas input is checked when it is a time
    axis (dates, periods or numbers), and kept.
    """
    index = columns = None
    if isinstance(series, (pd.DataFrame, pd.Series)):
        frame, kind = to_frame(series, name)
        index = frame.index
        if kind == SERIES:
            columns = [str(series.name) if series.name is not None else "y"]
        else:
            columns = [str(c) for c in frame.columns]
        if isinstance(
            index, (pd.DatetimeIndex, pd.PeriodIndex)
        ) or pd.api.types.is_numeric_dtype(index):
            check_time_order(index, name)
        values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
        labels, stamps = frame.columns, frame.index
    else:  # the array itself, not a copy, when it holds floats already
        arr, _ = series_array(series, name)
        values = arr if arr.dtype.kind == "f" else arr.astype(np.float64)
        if values.size == 0:  # reshape(0, -1) cannot tell the channels
            raise ValueError(
                f"{name} is empty (shape {values.shape}); pass at least one time "
                "step and one channel."
            )
        values = values.reshape(len(values), -1)
        labels, stamps = range(values.shape[1]), range(len(values))
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ValueError(
            f"{name} is empty (shape {values.shape}); pass at least one time step "
            "and one channel."
        )
    check_finite_values(values, labels, stamps, name, allow_missing)
    return values, index, columns


def check_time_order(index: pd.Index, name: str) -> None:
    """A time axis has no repeated time stamps and is sorted: one message each,
    wherever met."""
    check_no_duplicates(
        index, name, f"aggregate them, e.g. {name}.groupby(level=0).mean()"
    )
    if not index.is_monotonic_increasing:
        back = int(np.argmax(index[1:] < index[:-1])) + 1
        raise ValueError(
            f"{name} has an unsorted time index ({index[back]} comes after "
            f"{index[back - 1]}); sort it first, e.g. {name}.sort_index()."
        )


def check_no_duplicates(index: pd.Index, name: str, fix: str) -> None:
    """One message for a time axis with repeated time stamps, wherever met."""
    if index.has_duplicates:
        repeated = index[index.duplicated()]
        raise ValueError(
            f"{name} has {len(repeated)} duplicated timestamp(s) (first: "
            f"{repeated[0]}); each time step must appear once, so {fix}."
        )


# ---------------------------------------------------------------------------
# Series and their time index (SeriesForecaster, backtest, plotting, io)
# ---------------------------------------------------------------------------

# Kinds of input, kept so that a forecast answers in the form it was given.
DATAFRAME, SERIES, ARRAY_1D, ARRAY_2D = "dataframe", "series", "array1d", "array2d"


def series_array(data: Any, name: str) -> tuple[np.ndarray, str]:
    """A series given as a numpy array, list or tuple: the array (not a copy)
    and its kind (``ARRAY_1D`` or ``ARRAY_2D``); check its shape and dtype."""
    if not isinstance(data, (np.ndarray, list, tuple)):
        raise TypeError(
            f"{name} must be a pandas DataFrame or Series, or a numpy array of shape "
            f"(n_timesteps, n_channels); got {type(data).__name__}."
        )
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
    return arr, ARRAY_1D if arr.ndim == 1 else ARRAY_2D


def to_frame(data: Any, name: str) -> tuple[pd.DataFrame, str]:
    """Return ``data`` as a DataFrame with its kind; check it holds numbers."""
    if isinstance(data, pd.DataFrame):
        frame, kind = data, DATAFRAME
    elif isinstance(data, pd.Series):
        frame, kind = data.to_frame(), SERIES
    else:
        arr, kind = series_array(data, name)
        frame = pd.DataFrame(arr.reshape(len(arr), -1))
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


def index_kind(index: pd.Index, name: str) -> str:
    """Classify the time index; raise for anything that is not one."""
    if isinstance(index, pd.DatetimeIndex):
        kind = "DatetimeIndex"
    elif isinstance(index, pd.PeriodIndex):
        kind = "PeriodIndex"
    elif pd.api.types.is_integer_dtype(index.dtype) and index.nlevels == 1:
        kind = "RangeIndex"
    else:
        fix = (
            f"e.g. {name}.index = pd.to_datetime({name}.index) when the dates are "
            f"text, or {name}.reset_index(drop=True) for plain step numbers."
            if re.fullmatch(r"[A-Za-z_]\w*(\[[^\]]+\])*", name)
            else "convert its time stamps with pd.to_datetime (utc=True when they "
            "mix time zones), or number its steps 0, 1, 2, ..."
        )
        raise TypeError(
            f"{name} has an index of type {type(index).__name__} with dtype "
            f"{index.dtype}; pass a DatetimeIndex, PeriodIndex or RangeIndex, {fix}"
        )
    check_time_order(index, name)
    return kind


def check_history_argument(df: Any, method: str) -> None:
    """A number where a series forecaster's ``predict*`` takes the history:
    say which keyword the number was meant for.

    Examples
    --------
    >>> check_history_argument(6, "predict")
    Traceback (most recent call last):
    ...
    TypeError: df is 6, a number, ... e.g. predict(horizon=6).
    """
    if isinstance(df, bool) or not isinstance(df, (int, float, np.number)):
        return
    keyword = "horizon"
    if not float(df).is_integer() or (method != "predict" and 0 < df < 1):
        keyword = {"predict_interval": "coverage", "predict_quantiles": "alpha"}.get(
            method, "horizon"
        )
    raise TypeError(
        f"df is {df!r}, a number, but {method}'s first argument is the history "
        "to forecast from (None: the one seen in fit); pass the number by name, "
        f"e.g. {method}({keyword}={df!r})."
    )


def check_panel_time(times: Any, expr: str, convert: str | None = None) -> None:
    """The time stamps of a panel (its time column or index level, written
    ``expr`` in messages) form one time axis: dates in one time zone, periods
    or step numbers; text dates and mixed time zones or UTC offsets are
    refused with the conversion that works (``convert``, a statement with a
    ``{utc}`` field, when ``expr`` cannot be assigned to).

    Examples
    --------
    >>> check_panel_time(pd.date_range("2024-01-01", periods=3), "df['ds']")
    >>> check_panel_time(pd.Index(["2024-01-01"]), "df['ds']")
    Traceback (most recent call last):
    ...
    ValueError: df['ds'] holds time stamps as text ... pd.to_datetime(df['ds']).
    """
    index = times if isinstance(times, pd.Index) else pd.Index(times)
    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)) or (
        pd.api.types.is_numeric_dtype(index.dtype)
    ):
        return
    present = index[index.notna()]
    if len(present) == 0:
        return
    stamps = [v for v in present[:1000] if isinstance(v, pd.Timestamp)]
    zones = list(dict.fromkeys(str(v.tz) for v in stamps))
    if convert is None:
        convert = f"{expr} = pd.to_datetime({expr}{{utc}})"
    fix = f"convert them first, e.g. {convert.format(utc=', utc=True')}."
    if len(zones) > 1:
        raise ValueError(
            f"{expr} mixes time zones ({zones[0]} and {zones[1]}, first); a time "
            f"axis needs one: {fix}"
        )
    if not isinstance(present[0], str):
        return
    offsets = (
        pd.Series(present.astype(str))
        .str.extract(r"([+-]\d\d:?\d\d|Z)\s*$")[0]
        .dropna()
        .unique()
    )
    if len(offsets) > 1:
        raise ValueError(
            f"{expr} holds time stamps with several UTC offsets ({offsets[0]} and "
            f"{offsets[1]}, first), as daylight saving time writes them; a time "
            f"axis needs one time zone: {fix}"
        )
    raise ValueError(
        f"{expr} holds time stamps as text (first: {present[0]!r}); convert them "
        f"first, e.g. {convert.format(utc='')}."
    )


def infer_freq(index: pd.DatetimeIndex) -> BaseOffset | None:
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


def guess_freq(index: pd.DatetimeIndex) -> str:
    """A frequency alias to suggest for an irregular index.

    Calendar patterns first, as they read in the dates whatever the gaps:
    year, quarter or month starts or ends (``"YS"``, ``"QE"``, ``"MS"``, ...),
    then weekdays only with a usual step of a day (business days, ``"B"``);
    otherwise the usual step, anchored as three evenly spaced stamps name it.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.bdate_range("2024-01-01", periods=30).delete([4, 11])  # holidays
    >>> guess_freq(days)
    'B'
    >>> guess_freq(pd.date_range("2024-01-31", periods=12, freq="ME").delete(5))
    'ME'
    >>> guess_freq(pd.date_range("2024-01-01", periods=50, freq="D").delete(9))
    'D'
    """
    midnight = bool((index.normalize() == index).all())
    if midnight:
        for alias, starts, ends in (
            ("Y", index.is_year_start, index.is_year_end),
            ("Q", index.is_quarter_start, index.is_quarter_end),
            ("M", index.is_month_start, index.is_month_end),
        ):
            if starts.all() and not ends.all():
                return f"{alias}S"
            if ends.all() and not starts.all():
                return f"{alias}E"
    steps = index[1:] - index[:-1]
    usual = steps.value_counts().idxmax()
    if midnight and usual == pd.Timedelta(days=1) and (index.day_of_week < 5).all():
        return "B"
    for i in range(len(steps) - 1):  # three evenly spaced stamps name the anchor
        if steps[i] == usual and steps[i + 1] == usual:
            off = infer_freq(index[i : i + 3])
            if off is not None:
                return off.freqstr
            break
    if usual % pd.Timedelta(days=1) == pd.Timedelta(0):
        return f"{usual.days}D"
    return to_offset(usual).freqstr


def uneven_steps(index: pd.DatetimeIndex) -> tuple[pd.Timedelta, int, Any]:
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


def datetime_freq(index: pd.DatetimeIndex, name: str, freq: Any) -> BaseOffset:
    if freq is None and index.freq is not None:
        return index.freq
    if freq is None:
        off = infer_freq(index)
        if off is not None:
            return off
        if len(index) < 3:
            raise ValueError(
                f"{name} has a DatetimeIndex without a frequency and only "
                f"{len(index)} timestamp(s), too few to infer one; pass freq=, e.g. "
                "freq='D'."
            )
        guess = guess_freq(index)
        usual, n_odd, first = uneven_steps(index)
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


def time_axis(index: pd.Index, name: str, freq: Any) -> tuple[str, Any]:
    """Check a time index; return its kind and frequency (offset, or int step)."""
    kind = index_kind(index, name)
    if kind == "DatetimeIndex":
        return kind, datetime_freq(index, name, freq)
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


def check_values(
    frame: pd.DataFrame, name: str, allow_missing: bool = False
) -> np.ndarray:
    """Values as float64 ``(n_timesteps, n_channels)``; no inf, and no NaN
    unless ``allow_missing``."""
    values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    check_finite_values(values, frame.columns, frame.index, name, allow_missing)
    return values


def check_finite_values(
    values: np.ndarray,
    columns: Sequence[Any],
    index: Sequence[Any],
    name: str,
    allow_missing: bool = False,
) -> None:
    """One message per kind of bad value in a series ``(n_timesteps,
    n_channels)``, locating the first by column and time stamp (or row); NaN
    (a gap) passes when ``allow_missing``, inf never does."""
    if np.isfinite(values).all():
        return
    missing = np.zeros_like(values, dtype=bool) if allow_missing else np.isnan(values)
    for bad, what, fix in (
        (
            missing,
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
                f"{columns[col]!r} at {index[row]}); {fix}."
            )


def _check_window_kind(X: Any, name: str = "X") -> None:
    """Before scikit-learn's own checks, whose messages for these run long: a
    1-D array or one of complex numbers is not a set of windows."""
    if isinstance(X, (pd.DataFrame, pd.Series)) or not hasattr(X, "__len__"):
        return
    try:
        arr = np.asarray(X)
    except (TypeError, ValueError):  # ragged: scikit-learn explains
        return
    if arr.dtype.kind == "c":
        raise ValueError(  # scikit-learn's words first: its checks look for them
            f"Complex data not supported: {name} holds complex numbers (dtype "
            f"{arr.dtype}), windows hold real values; pass {name}.real, or "
            f"abs({name}), as the data mean."
        )
    first = arr.ravel()[0] if arr.dtype.kind in "USO" and arr.size else None
    if isinstance(first, (str, bytes)):  # text; other objects: scikit-learn says
        try:
            float(first)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} holds values that are not numbers (first: {first!r}, dtype "
                f"{arr.dtype}); windows hold numbers: convert the data first, e.g. "
                "pd.to_numeric, and keep dates and labels out of the windows."
            ) from None
    if arr.ndim == 1:
        raise ValueError(
            f"{name} is 1-D (shape {arr.shape}): a single series, not windows. "
            "Reshape your data: cut it into windows (n_windows, lookback) with "
            "sktime_patches.make_windows(series, lookback, horizon), or pass one "
            f"window as {name}.reshape(1, -1)."
        )


def _check_column_names(estimator: Any, X: Any) -> None:
    """DataFrame windows must name their steps as in ``fit``: say which names
    differ, or where the order does, on one line."""
    seen = getattr(estimator, "feature_names_in_", None)
    if seen is None or not isinstance(X, pd.DataFrame):
        return
    given = [str(c) for c in X.columns]
    expected = [str(c) for c in seen]
    if given == expected:
        return
    name = type(estimator).__name__
    unseen = [c for c in given if c not in expected]
    missing = [c for c in expected if c not in given]
    if unseen or missing:
        detail = f"new columns {unseen[:5]} and lacks {missing[:5]}"
    else:
        at = next(
            i for i, (a, b) in enumerate(zip(given, expected, strict=True)) if a != b
        )
        detail = (
            f"the same columns in another order (column {at} is {given[at]!r}, "
            f"{expected[at]!r} in fit)"
        )
    raise ValueError(  # scikit-learn's words first: its checks look for them
        "The feature names should match those that were passed during fit: X "
        f"has {detail}. {name} reads the columns as the steps of each window, in "
        "order; pass X[model.feature_names_in_], or rename the columns as in fit."
    )


def validate_windows(estimator: Any, X: Any, *, reset: bool) -> np.ndarray:
    """Validate windows for an estimator; return them 3-D ``(n_windows, lookback,
    n_channels)`` as float64.

    With ``reset=True`` (in ``fit``) this sets ``n_features_in_`` (the lookback,
    the number of steps per window), ``feature_names_in_`` (for a DataFrame of
    univariate windows) and ``n_channels_in_``. With ``reset=False`` it checks that
    ``X`` matches what ``fit`` saw.
    """
    from sklearn.utils.validation import _num_features, validate_data

    name = type(estimator).__name__
    _check_window_kind(X)
    if not reset:
        _check_column_names(estimator, X)
    if not reset and hasattr(estimator, "n_features_in_"):
        try:
            n_steps = _num_features(X)
        except (TypeError, ValueError):  # 1-D, ragged...: check_array explains
            n_steps = estimator.n_features_in_
        if n_steps != estimator.n_features_in_:
            raise ValueError(
                f"X has {n_steps} features, but {name} is expecting "
                f"{estimator.n_features_in_} features as input (the lookback: steps "
                f"per window); pass windows of {estimator.n_features_in_} steps."
            )
    X = validate_data(
        estimator,
        X,
        reset=reset,
        allow_nd=True,
        dtype=np.float64,
        ensure_all_finite=False,
    )
    check_window_arrays(X)
    X3 = X if X.ndim == 3 else X[:, :, None]
    if reset:
        estimator.n_channels_in_ = X3.shape[2]
    elif X3.shape[2] != estimator.n_channels_in_:
        raise ValueError(
            f"X has {X3.shape[2]} channel(s), but {name} was fitted on "
            f"{estimator.n_channels_in_} channel(s); pass windows with shape "
            f"(n_windows, {estimator.n_features_in_}, {estimator.n_channels_in_})."
        )
    return X3
