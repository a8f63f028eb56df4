"""Panels of many series: the input forms SeriesForecaster takes, and back.

Three forms hold many series, each with its own time index:

- ``"long"``: one row per (series, time step), an id column (Nixtla's
  ``unique_id, ds, y`` layout), the time in a column or in the index;
- ``"multiindex"``: a DataFrame indexed by ``(id, time)`` (sktime's
  ``pd-multiindex``);
- ``"dict"``: ``{id: DataFrame or Series}``.

:func:`to_panel` reads any of them into a :class:`Panel` (one frame per
series, the same columns); :meth:`Panel.assemble` writes per-series results
back in the form given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Panel", "is_panel", "to_panel"]


@dataclass
class Panel:
    """Many series in one form.

    Attributes
    ----------
    kind : {"long", "multiindex", "dict"}
        The form they came in.
    ids : list
        Series ids, in the order of their first row (or of the dict).
    frames : list of pd.DataFrame
        One frame per series, indexed by its time stamps, the value columns.
    id_name, time_name : hashable
        The id column (or level) and the time column (or level) names.
    """

    kind: str
    ids: list
    frames: list[pd.DataFrame]
    id_name: Any = None
    time_name: Any = None

    def label(self, i: int) -> str:
        """How messages name series ``i``."""
        return f"series {self.ids[i]!r}"

    def assemble(self, parts: list[pd.DataFrame]) -> Any:
        """Per-series frames (indexed by time) in the form the panel came in.

        ``"dict"`` gives a dict; ``"multiindex"`` a frame indexed by ``(id,
        time)``; ``"long"`` one with the id and time as columns when the
        columns are flat, else (intervals, quantiles) indexed by ``(id,
        time)``.
        """
        if self.kind == "dict":
            return dict(zip(self.ids, parts, strict=True))
        names = [self.id_name, self.time_name]
        stacked = pd.concat(parts, keys=self.ids, names=names)
        if self.kind == "long" and stacked.columns.nlevels == 1:
            return stacked.reset_index()
        return stacked


def is_panel(data: Any, id_col: Any) -> bool:
    """Whether ``data`` holds many series (see the module's forms)."""
    if id_col is not None or isinstance(data, Mapping):
        return True
    return isinstance(data, pd.DataFrame) and isinstance(data.index, pd.MultiIndex)


def to_panel(data: Any, name: str, id_col: Any = None, time_col: Any = None) -> Panel:
    """Read a panel in any of the forms of this module.

    Parameters
    ----------
    data : pd.DataFrame or dict
        The series.
    name : str
        The argument's name, for messages.
    id_col, time_col : hashable or None
        For the long form: the id column, and the time column (None: the
        time is the index).

    Returns
    -------
    Panel
    """
    if isinstance(data, Mapping):
        if not data:
            raise ValueError(f"{name} is an empty dict; pass at least one series.")
        ids = list(data)
        frames = []
        for key in ids:
            item = data[key]
            if isinstance(item, pd.Series):
                item = item.to_frame()
            if not isinstance(item, pd.DataFrame):
                raise TypeError(
                    f"{name}[{key!r}] is a {type(item).__name__}; a dict is a panel: "
                    "one pandas DataFrame or Series per series id, indexed by time. "
                    f"For the columns of one series, pass pd.DataFrame({name})."
                )
            frames.append(item)
        return _checked(Panel("dict", ids, frames), name)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"id_col={id_col!r} describes a long DataFrame, but {name} is a "
            f"{type(data).__name__}; pass a DataFrame with one row per (series, "
            "time step), or id_col=None."
        )
    if isinstance(data.index, pd.MultiIndex):
        if data.index.nlevels != 2:
            raise ValueError(
                f"{name} has a MultiIndex of {data.index.nlevels} levels; a panel "
                "is indexed by (series id, time): two levels."
            )
        id_name, time_name = data.index.names
        first, second = (data.index.get_level_values(k) for k in (0, 1))
        if _is_time(first) and not _is_time(second):
            raise ValueError(
                f"{name} has a MultiIndex ordered (time, id): its first level "
                f"{id_name!r} holds time stamps, its second {time_name!r} does "
                "not; a panel is indexed by (series id, time): pass "
                f"{name}.swaplevel().sort_index()."
            )
        if first.isna().any():
            raise ValueError(
                f"{name} has {int(first.isna().sum())} row(s) without a series id "
                f"(a missing value in the first level of its index, {id_name!r}); "
                f"give every row a series id, or drop those rows, e.g. "
                f"{name}[{name}.index.get_level_values(0).notna()]."
            )
        codes, ids = pd.factorize(first, sort=False)
        frames = [
            data.iloc[codes == k].droplevel(0) for k in range(len(ids))
        ]  # in the order of first appearance
        return _checked(
            Panel("multiindex", list(ids), frames, id_name, time_name), name
        )
    columns = list(data.columns)
    for arg, col in (("id_col", id_col), ("time_col", time_col)):
        if col is not None and col not in columns:
            raise ValueError(
                f"{arg}={col!r} is not a column of {name}; its columns are "
                f"{[str(c) for c in columns]}."
            )
    if data[id_col].isna().any():
        raise ValueError(
            f"{name}[{id_col!r}] has missing ids; give every row a series id."
        )
    frame = data.set_index(time_col) if time_col is not None else data
    time_name = time_col if time_col is not None else frame.index.name
    codes, ids = pd.factorize(frame[id_col], sort=False)
    frames = _split_by(frame.drop(columns=[id_col]), codes, len(ids))
    return _checked(Panel("long", list(ids), frames, id_col, time_name), name)


def _is_time(level: pd.Index) -> bool:
    """Whether an index level holds time stamps (dates or periods)."""
    return isinstance(level, (pd.DatetimeIndex, pd.PeriodIndex)) or (
        level.dtype == object
        and len(level) > 0
        and all(isinstance(v, pd.Timestamp) for v in level[:10])
    )


def _split_by(frame: pd.DataFrame, codes: Any, n: int) -> list[pd.DataFrame]:
    """The rows of each code ``0 .. n - 1``, in their order: one stable sort
    and slices (not a scan of every row per series)."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n + 1))
    ordered = frame.iloc[order]
    return [ordered.iloc[bounds[k] : bounds[k + 1]] for k in range(n)]


def _checked(panel: Panel, name: str) -> Panel:
    """Every series has the columns of the first, and its time zone."""
    zones = [getattr(frame.index, "tz", None) for frame in panel.frames]
    for i, zone in enumerate(zones[1:], start=1):
        if str(zone) != str(zones[0]):

            def said(tz: Any) -> str:
                return "naive time stamps" if tz is None else f"time zone {str(tz)!r}"

            raise ValueError(
                f"{panel.label(i)} of {name} has {said(zone)}, but "
                f"{panel.label(0)} has {said(zones[0])}; every series of a panel "
                "needs one time zone: convert them first, e.g. "
                "index.tz_localize('UTC') for naive stamps and "
                "index.tz_convert('UTC') for aware ones."
            )
    first = list(panel.frames[0].columns)
    for i, frame in enumerate(panel.frames[1:], start=1):
        if list(frame.columns) != first:
            raise ValueError(
                f"{panel.label(i)} of {name} has columns {list(frame.columns)}, but "
                f"{panel.label(0)} has {first}; every series needs the same "
                "columns, in the same order."
            )
    return panel
