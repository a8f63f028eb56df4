"""Calendar features of a time index: known in advance, so future covariates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CALENDAR_FEATURES", "calendar_features", "default_calendar"]

#: Each feature's period: it is encoded as the sine and cosine of ``2 pi
#: value / period``, so that its last value sits next to its first (hour 23
#: beside hour 0, December beside January).
CALENDAR_FEATURES: dict[str, float] = {
    "minute": 60.0,
    "hour": 24.0,
    "dayofweek": 7.0,
    "dayofmonth": 31.0,
    "dayofyear": 365.25,
    "weekofyear": 52.18,
    "month": 12.0,
    "quarter": 4.0,
}


def _values(index: pd.DatetimeIndex | pd.PeriodIndex, name: str) -> np.ndarray:
    if name == "dayofmonth":
        return np.asarray(index.day, dtype=np.float64) - 1
    if name == "weekofyear":
        stamps = index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index
        return np.asarray(stamps.isocalendar().week, dtype=np.float64) - 1
    attribute = {"dayofweek": "day_of_week", "dayofyear": "day_of_year"}.get(name, name)
    values = np.asarray(getattr(index, attribute), dtype=np.float64)
    # months, quarters and days of the year count from 1
    return values - 1 if name in ("month", "quarter", "dayofyear") else values


def default_calendar(index: pd.Index) -> list[str]:
    """The calendar features that vary within a year at the index's step.

    Parameters
    ----------
    index : pd.DatetimeIndex or pd.PeriodIndex
        Time stamps (their first step sets the frequency).

    Returns
    -------
    names : list of str
        Features of :data:`CALENDAR_FEATURES`.

    Examples
    --------
    >>> import pandas as pd
    >>> default_calendar(pd.date_range("2024-01-01", periods=3, freq="h"))
    ['hour', 'dayofweek', 'dayofyear']
    >>> default_calendar(pd.period_range("2024-01", periods=3, freq="M"))
    ['month']
    """
    if isinstance(index, pd.PeriodIndex):
        step = index.freq.n * pd.Timedelta(index[1].start_time - index[0].start_time)
    else:
        step = pd.Timedelta(index[1] - index[0]) if len(index) > 1 else pd.Timedelta(0)
    if step < pd.Timedelta(hours=1):
        return ["minute", "hour", "dayofweek", "dayofyear"]
    if step < pd.Timedelta(days=1):
        return ["hour", "dayofweek", "dayofyear"]
    if step < pd.Timedelta(days=7):
        return ["dayofweek", "dayofyear"]
    if step < pd.Timedelta(days=28):
        return ["weekofyear"]
    if step < pd.Timedelta(days=89):
        return ["month"]
    return ["quarter"]


def calendar_features(
    index: pd.Index, names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Sine and cosine of calendar positions of each time stamp.

    Parameters
    ----------
    index : pd.DatetimeIndex or pd.PeriodIndex
        Time stamps.
    names : list of str or None, default=None
        Features, among :data:`CALENDAR_FEATURES`; None: :func:`default_calendar`.

    Returns
    -------
    features : pd.DataFrame of shape (len(index), 2 * len(names))
        Columns ``<name>_sin`` and ``<name>_cos``, on ``index``.

    Examples
    --------
    >>> import pandas as pd
    >>> stamps = pd.date_range("2024-01-01", periods=3, freq="6h")
    >>> calendar_features(stamps, ["hour"]).round(3)
                         hour_sin  hour_cos
    2024-01-01 00:00:00       0.0       1.0
    2024-01-01 06:00:00       1.0       0.0
    2024-01-01 12:00:00       0.0      -1.0
    """
    if not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        raise ValueError(
            f"calendar features need a DatetimeIndex or PeriodIndex; got a "
            f"{type(index).__name__}. Index the series by dates, or pass "
            "calendar=False."
        )
    names = default_calendar(index) if names is None else list(names)
    unknown = [n for n in names if n not in CALENDAR_FEATURES]
    if unknown:
        raise ValueError(
            f"calendar={names!r} names unknown feature(s) {unknown}; pass some of "
            f"{list(CALENDAR_FEATURES)}, or True for those of the data's frequency."
        )
    columns: dict[str, Any] = {}
    for name in names:
        angle = 2 * np.pi * _values(index, name) / CALENDAR_FEATURES[name]
        columns[f"{name}_sin"] = np.sin(angle)
        columns[f"{name}_cos"] = np.cos(angle)
    return pd.DataFrame(columns, index=index)
