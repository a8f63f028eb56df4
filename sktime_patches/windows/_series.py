"""SeriesWindows: a lazy torch Dataset of the windows of one or many series."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch.utils.data import Dataset, default_collate

from .._validation import FILL_HINT, check_finite, check_series, check_window_sizes
from ._split import split_counts

__all__ = ["SeriesWindows", "collate_windows"]


class SeriesWindows(Dataset):
    """All ``(lookback, horizon)`` windows of one or many series, cut on demand.

    A map-style :class:`torch.utils.data.Dataset` for data whose windows do not
    fit in memory: it stores only the raw values (one ``float32`` array of all
    series end to end) and a table of where each series' windows start, and cuts
    a window when it is asked for one. Window ``i`` of series ``s`` starts at step
    ``i * stride`` of ``s``, exactly as :func:`~sktime_patches.make_windows` cuts
    it; series follow one another in the order given. No window crosses from one
    series into the next.

    :class:`~sktime_patches.PatchForecaster` trains on it directly
    (``fit(dataset)``, no ``y``) and validates on the latest windows of each
    series.

    Parameters
    ----------
    series : array-like, pd.Series, pd.DataFrame, list or dict of them
        One series: a 1-D or 2-D ``(n_timesteps, n_channels)`` array, a
        ``pd.Series`` or a ``pd.DataFrame`` (numeric columns, sorted index).
        Many series: a list (or tuple) of those, or a dict ``{id: series}``; they
        may differ in length but not in channels. Or a long-format DataFrame
        with one row per (series, time step) and an ``id_col``.
    lookback : int
        Steps in each input window.
    horizon : int
        Steps to forecast after each window (at least 1).
    stride : int, default=1
        Steps between the starts of consecutive windows of a series.
    id_col : str or None, default=None
        Column of a long-format DataFrame naming the series of each row. Series
        keep the order of their first row.
    time_col : str or None, default=None
        Column of a long-format DataFrame with the time of each row; rows must
        already be in time order within each series (this is checked, not
        fixed). None takes the rows in the order they come.
    value_cols : list of str or None, default=None
        Columns of a long-format DataFrame that are channels; None uses every
        column except ``id_col`` and ``time_col``.
    missing : {"raise", "skip"}, default="raise"
        What a missing value (NaN) in a series does: ``"raise"`` refuses it,
        naming where it is; ``"skip"`` keeps the series and leaves out every
        window whose input or target touches a NaN (windows of a series keep
        their stride grid). A series left with no complete window is refused
        by name. Infinite values are refused either way.

    Attributes
    ----------
    n_series : int
        Number of series.
    n_channels : int
        Channels per step.
    series_lengths : ndarray of shape (n_series,)
        Steps of each series.
    series_ids : list
        The ``id_col`` values or dict keys; positions ``0 .. n_series - 1``
        otherwise.
    channel_names : list of str or None
        Column names, when the series were DataFrames, Series or long format.
    nbytes : int
        Bytes of raw values held (the windows themselves are never stored).
    n_skipped : int
        Windows left out because they touch a missing value
        (``missing="skip"``); 0 otherwise.

    See Also
    --------
    make_windows : The same windows of one series, as arrays.
    collate_windows : Batches :meth:`__getitems__` output without copying.

    Notes
    -----
    Indexing returns ``(X, y)`` as ``float32`` tensors of shapes ``(lookback,
    n_channels)`` and ``(horizon, n_channels)``. :meth:`__getitems__` (which
    torch's ``DataLoader`` calls with a whole batch of indices) cuts all the
    windows of a batch with one numpy gather rather than one Python call per
    window; :func:`collate_windows` then hands the batch on as is.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches.windows import SeriesWindows
    >>> short, long = np.arange(10.0), np.arange(100.0, 114.0)
    >>> ds = SeriesWindows([short, long], lookback=4, horizon=2, stride=2)
    >>> len(ds), ds.series_lengths.tolist()
    (8, [10, 14])
    >>> X, y = ds[3]  # the first window of the second series
    >>> X[:, 0].tolist(), y[:, 0].tolist()
    ([100.0, 101.0, 102.0, 103.0], [104.0, 105.0])

    A gap: the windows that touch it are left out, the others kept.

    >>> gappy = np.arange(12.0)
    >>> gappy[5] = np.nan
    >>> ds = SeriesWindows(gappy, lookback=3, horizon=1, missing="skip")
    >>> len(ds), ds.n_skipped
    (5, 4)
    >>> ds.locate()["start"].tolist()  # windows 2-5 would touch step 5
    [0, 1, 6, 7, 8]
    """

    def __init__(
        self,
        series: Any,
        lookback: int,
        horizon: int,
        stride: int = 1,
        *,
        id_col: str | None = None,
        time_col: str | None = None,
        value_cols: Sequence[str] | None = None,
        missing: str = "raise",
    ) -> None:
        check_window_sizes(lookback, horizon, stride)
        if missing not in ("raise", "skip"):
            raise ValueError(
                f"missing={missing!r} is not one of ('raise', 'skip'); pass 'skip' "
                "to leave out the windows that touch a missing value."
            )
        if horizon < 1:
            raise ValueError(
                f"horizon must be >= 1 for SeriesWindows (every window needs a "
                f"target); got horizon={horizon}."
            )
        self.lookback = int(lookback)
        self.horizon = int(horizon)
        self.stride = int(stride)
        values, bounds, ids, names, labels = _collect(
            series, id_col, time_col, value_cols, allow_missing=missing == "skip"
        )
        lengths = np.diff(bounds)
        span = self.lookback + self.horizon
        short = np.flatnonzero(lengths < span)
        if len(short):
            shown = ", ".join(
                f"{labels[i]} ({lengths[i]} steps)" for i in short[:5]
            ) + (f" and {len(short) - 5} more" if len(short) > 5 else "")
            raise ValueError(
                f"{len(short)} of {len(lengths)} series are shorter than one window "
                f"needs (lookback + horizon = {self.lookback} + {self.horizon} = "
                f"{span} steps): {shown}. Drop or pad those series, or pass a "
                "smaller lookback/horizon."
            )
        self._values = values
        self._bounds = bounds
        self.series_ids = ids
        self.channel_names = names
        full = (lengths - span) // self.stride + 1
        if missing == "skip" and np.isnan(values).any():
            first, counts, owner = _complete_runs(values, bounds, span, self.stride)
            empty = np.flatnonzero(np.bincount(owner, counts, len(lengths)) == 0)
            if len(empty):
                shown = ", ".join(labels[i] for i in empty[:5]) + (
                    f" and {len(empty) - 5} more" if len(empty) > 5 else ""
                )
                raise ValueError(
                    f"{len(empty)} of {len(lengths)} series have no complete window "
                    f"(lookback + horizon = {span} steps without a missing value): "
                    f"{shown}. Fill their gaps (e.g. interpolate()), drop them, or "
                    "pass a smaller lookback/horizon."
                )
            self._first, self._owner = first, owner
            self._set_counts(counts)
            self.n_skipped = int(full.sum() - counts.sum())
        else:
            self._first = bounds[:-1].copy()
            self._owner = np.arange(len(lengths), dtype=np.int64)
            self._set_counts(full)
            self.n_skipped = 0

    # ------------------------------------------------------------- table
    def _set_counts(self, counts: np.ndarray) -> None:
        self._count = np.asarray(counts, dtype=np.int64)
        self._cum = np.concatenate([[0], np.cumsum(self._count)]).astype(np.int64)
        self._views: tuple[np.ndarray, np.ndarray] | None = None

    def _view(
        self, first: np.ndarray, counts: np.ndarray, lookback: int | None = None
    ) -> SeriesWindows:
        """A SeriesWindows over the same values with another window table."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._first = np.asarray(first, dtype=np.int64)
        if lookback is not None:
            new.lookback = lookback
        new._set_counts(counts)
        return new

    @property
    def n_series(self) -> int:
        return len(self._bounds) - 1

    @property
    def n_channels(self) -> int:
        return self._values.shape[1]

    @property
    def series_lengths(self) -> np.ndarray:
        return np.diff(self._bounds)

    @property
    def nbytes(self) -> int:
        return int(self._values.nbytes)

    def __len__(self) -> int:
        return int(self._cum[-1])

    def __repr__(self) -> str:
        return (
            f"SeriesWindows({len(self)} windows of {self.n_series} series, "
            f"lookback={self.lookback}, horizon={self.horizon}, stride={self.stride}, "
            f"n_channels={self.n_channels})"
        )

    def _rows(self, indices: Any) -> np.ndarray:
        """Row of ``_values`` where each window starts: the offset table lookup."""
        idx = np.asarray(indices)
        if idx.dtype.kind not in "iu":
            raise TypeError(
                f"SeriesWindows indices must be integers; got dtype {idx.dtype}."
            )
        idx = idx.astype(np.int64, copy=False)
        n = len(self)
        if idx.size and (idx.min() < -n or idx.max() >= n):
            bad = idx[(idx < -n) | (idx >= n)][0]
            raise IndexError(
                f"window index {bad} is out of range for a SeriesWindows of {n} "
                "windows."
            )
        idx = np.where(idx < 0, idx + n, idx)
        s = np.searchsorted(self._cum, idx, side="right") - 1
        return self._first[s] + (idx - self._cum[s]) * self.stride

    # ----------------------------------------------------------- indexing
    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Window ``index``: ``(X (lookback, n_channels), y (horizon, n_channels))``."""
        if not isinstance(index, (int, np.integer)) or isinstance(index, bool):
            raise TypeError(
                f"SeriesWindows index must be an int; got {index!r}. Use "
                "__getitems__(list_of_ints) for a batch."
            )
        r = int(self._rows(index))
        L = self.lookback
        X = self._values[r : r + L].copy()
        y = self._values[r + L : r + L + self.horizon].copy()
        return torch.from_numpy(X), torch.from_numpy(y)

    def __getitems__(self, indices: Sequence[int]) -> _WindowBatch:
        """A batch of windows, cut with one gather for ``X`` and one for ``y``.

        Returns a sequence of ``(X, y)`` samples (what torch expects) that also
        holds the stacked tensors ``X`` ``(batch, lookback, n_channels)`` and
        ``y`` ``(batch, horizon, n_channels)``, which :func:`collate_windows`
        returns without copying.
        """
        rows = self._rows(indices)
        win_x, win_y = self._windows_views()
        # sliding views are (n_rows, n_channels, steps): gather, then channels last
        X = np.ascontiguousarray(win_x[rows].transpose(0, 2, 1))
        y = np.ascontiguousarray(win_y[rows + self.lookback].transpose(0, 2, 1))
        return _WindowBatch(torch.from_numpy(X), torch.from_numpy(y))

    def _windows_views(self) -> tuple[np.ndarray, np.ndarray]:
        if self._views is None:
            swv = np.lib.stride_tricks.sliding_window_view
            self._views = (
                swv(self._values, self.lookback, axis=0),
                swv(self._values, self.horizon, axis=0),
            )
        return self._views

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_views"] = None  # strided views would pickle as every window
        return state

    # -------------------------------------------------------------- views
    def time_split(
        self, validation_fraction: float, gap: int | None = None
    ) -> tuple[SeriesWindows, SeriesWindows]:
        """Split every series' windows in time: earlier ones train, the latest
        ``validation_fraction`` validate.

        Per series, the last ``ceil(n_windows * validation_fraction)`` windows
        validate and the ``gap`` windows before them are dropped; a series with
        too few windows for both (fewer training than validation windows) only
        trains (the rule of :func:`~sktime_patches.windows.time_ordered_indices`,
        applied to each series). Both parts share this dataset's values
        (nothing is copied).

        Parameters
        ----------
        validation_fraction : float
            Share of each series' windows, taken from its end, to validate on.
        gap : int or None, default=None
            Windows left out between the parts; None means
            ``ceil(horizon / stride)``, the fewest for which no training target
            overlaps a validation target.

        Returns
        -------
        train, valid : SeriesWindows
            ``valid`` may be empty.

        Examples
        --------
        >>> import numpy as np
        >>> ds = SeriesWindows([np.arange(30.0), np.arange(60.0)], 8, 2)
        >>> train, valid = ds.time_split(0.2)
        >>> len(ds), len(train), len(valid)
        (72, 52, 16)
        """
        if not 0 <= validation_fraction < 1:
            raise ValueError(
                f"validation_fraction must be in [0, 1); got {validation_fraction!r}."
            )
        if gap is None:
            gap = math.ceil(self.horizon / self.stride)
        # per series (a series may own several runs of windows between gaps)
        owner, count = self._owner, self._count
        n = np.bincount(owner, count, self.n_series).astype(np.int64)
        n_train, n_valid = split_counts(n, validation_fraction, gap)
        # windows of the same series in the runs before each run
        before = np.cumsum(count) - count
        first_of = np.zeros(self.n_series, dtype=np.int64)
        first_of[owner[::-1]] = before[::-1]  # the first run of each series
        before = before - first_of[owner]
        train_count = np.clip(n_train[owner] - before, 0, count)
        skip = np.clip(n[owner] - n_valid[owner] - before, 0, count)
        train = self._view(self._first, train_count)
        valid = self._view(self._first + skip * self.stride, count - skip)
        return train, valid

    def with_lookback(self, lookback: int) -> SeriesWindows:
        """The same windows reading only their last ``lookback`` steps.

        Window ``i`` keeps its targets; its input is cut ``self.lookback -
        lookback`` steps later. Shares the values (nothing is copied).

        Parameters
        ----------
        lookback : int
            Steps of each window to keep, from 1 to this dataset's lookback.

        Returns
        -------
        SeriesWindows
            As many windows as this one, with ``lookback`` input steps each.

        Examples
        --------
        >>> import numpy as np
        >>> ds = SeriesWindows([np.arange(10.0), np.arange(100.0, 114.0)], 4, 2, 2)
        >>> short = ds.with_lookback(2)
        >>> len(ds), len(short), short.lookback
        (8, 8, 2)
        >>> X, y = short[3]  # the first window of the second series, cut later
        >>> X[:, 0].tolist(), y[:, 0].tolist()
        ([102.0, 103.0], [104.0, 105.0])
        """
        if not 1 <= lookback <= self.lookback:
            raise ValueError(
                f"lookback={lookback} must be between 1 and the dataset's lookback "
                f"({self.lookback})."
            )
        if lookback == self.lookback:
            return self
        return self._view(
            self._first + (self.lookback - lookback), self._count, lookback=lookback
        )

    # ----------------------------------------------------------- as arrays
    def to_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Every window as arrays, like :func:`~sktime_patches.make_windows`.

        This materialises all windows, so use it on small data only.

        Returns
        -------
        X : ndarray of shape (n_windows, lookback, n_channels)
            Input windows, float32.
        y : ndarray of shape (n_windows, horizon, n_channels)
            Their targets, float32.

        Examples
        --------
        >>> import numpy as np
        >>> ds = SeriesWindows([np.arange(10.0), np.arange(100.0, 114.0)], 4, 2, 2)
        >>> X, y = ds.to_arrays()
        >>> X.shape, y.shape, X.dtype
        ((8, 4, 1), (8, 2, 1), dtype('float32'))
        """
        batch = self.__getitems__(np.arange(len(self)))
        return batch.X.numpy(), batch.y.numpy()

    def targets(self) -> np.ndarray:
        """The targets of every window, e.g. to score a forecast of this dataset.

        Returns
        -------
        y : ndarray of shape (n_windows, horizon, n_channels)
            The ``horizon`` values after each window, float32.

        Examples
        --------
        >>> import numpy as np
        >>> ds = SeriesWindows([np.arange(10.0), np.arange(100.0, 114.0)], 4, 2, 2)
        >>> y = ds.targets()
        >>> y.shape
        (8, 2, 1)
        >>> y[3, :, 0].tolist()  # after the first window of the second series
        [104.0, 105.0]
        """
        rows = self._rows(np.arange(len(self)))
        _, win_y = self._windows_views()
        return np.ascontiguousarray(win_y[rows + self.lookback].transpose(0, 2, 1))

    def last_steps(self, indices: Any) -> np.ndarray:
        """The last input step of windows ``indices``.

        Parameters
        ----------
        indices : array-like of int
            Window indices, as for ``dataset[i]``.

        Returns
        -------
        values : ndarray of shape (len(indices), n_channels)
            Row ``k`` is the last step of the input of window ``indices[k]``.

        Examples
        --------
        >>> import numpy as np
        >>> ds = SeriesWindows(np.arange(10.0), lookback=4, horizon=2)
        >>> ds.last_steps([0, 4])[:, 0].tolist()
        [3.0, 7.0]
        """
        return self._values[self._rows(np.asarray(indices)) + self.lookback - 1]

    def last_windows(self) -> np.ndarray:
        """The last ``lookback`` steps of every series, to forecast past its end.

        Returns
        -------
        X : ndarray of shape (n_series, lookback, n_channels)
            One input window per series, float32, in the order of the series.

        Examples
        --------
        >>> import numpy as np
        >>> ds = SeriesWindows([np.arange(10.0), np.arange(100.0, 114.0)], 4, 2, 2)
        >>> X = ds.last_windows()
        >>> X.shape
        (2, 4, 1)
        >>> X[:, :, 0].tolist()
        [[6.0, 7.0, 8.0, 9.0], [110.0, 111.0, 112.0, 113.0]]
        """
        win_x, _ = self._windows_views()
        return np.ascontiguousarray(
            win_x[self._bounds[1:] - self.lookback].transpose(0, 2, 1)
        )

    def locate(self, indices: Any = None) -> pd.DataFrame:
        """Which series each window comes from and the step where it starts.

        Parameters
        ----------
        indices : array-like of int or None, default=None
            Windows to locate; None locates all.

        Returns
        -------
        pd.DataFrame
            Columns ``series_id`` and ``start`` (the 0-based step of the
            series where the window's input begins), one row per window.
        """
        idx = np.arange(len(self)) if indices is None else np.asarray(indices)
        rows = self._rows(idx)
        s = np.searchsorted(self._bounds, rows, side="right") - 1
        ids = np.asarray(self.series_ids, dtype=object)[s]
        return pd.DataFrame({"series_id": ids, "start": rows - self._bounds[s]})


class _WindowBatch(Sequence):
    """A batch from :meth:`SeriesWindows.__getitems__`: a sequence of ``(X, y)``
    samples that also holds them stacked, so collating costs nothing."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor) -> None:
        self.X = X
        self.y = y

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return _WindowBatch(self.X[i], self.y[i])
        return self.X[i], self.y[i]

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        return zip(self.X, self.y, strict=True)


def collate_windows(batch: Any) -> Any:
    """Collate a batch of :class:`SeriesWindows` without copying it.

    A ``collate_fn`` for torch's ``DataLoader``: the stacked ``(X, y)`` of a
    batch cut by ``SeriesWindows.__getitems__`` are returned as they are;
    anything else goes to torch's ``default_collate``, so it is safe for any
    dataset.

    Parameters
    ----------
    batch : sequence
        What the dataset returned for one batch of indices.

    Returns
    -------
    batch : tuple of torch.Tensor or what default_collate returns
        ``(X, y)`` of shapes ``(batch_size, lookback, n_channels)`` and
        ``(batch_size, horizon, n_channels)`` for a SeriesWindows batch.

    Examples
    --------
    >>> import numpy as np
    >>> from torch.utils.data import DataLoader
    >>> ds = SeriesWindows(np.arange(100.0), lookback=12, horizon=4)
    >>> X, y = next(iter(DataLoader(ds, batch_size=32, collate_fn=collate_windows)))
    >>> tuple(X.shape), tuple(y.shape), X.dtype
    ((32, 12, 1), (32, 4, 1), torch.float32)
    """
    if isinstance(batch, _WindowBatch):
        return batch.X, batch.y
    return default_collate(batch)


# ------------------------------------------------------------ input forms
def _complete_runs(
    values: np.ndarray, bounds: np.ndarray, span: int, stride: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The windows of every series that touch no NaN, as runs: ``(first row,
    number of windows, series)`` per run of complete rows (windows on each
    series' stride grid)."""
    complete = ~np.isnan(values).any(axis=1)
    firsts, counts, owners = [], [], []
    for s in range(len(bounds) - 1):
        origin, end = int(bounds[s]), int(bounds[s + 1])
        rows = np.concatenate([[False], complete[origin:end], [False]])
        edges = np.flatnonzero(np.diff(rows.astype(np.int8)))
        starts, stops = edges[0::2] + origin, edges[1::2] + origin
        aligned = origin + -(-(starts - origin) // stride) * stride
        n = np.maximum((stops - aligned - span) // stride + 1, 0)
        firsts.append(aligned)
        counts.append(n)
        owners.append(np.full(len(n), s))
    first, count, owner = (
        np.concatenate(parts).astype(np.int64) for parts in (firsts, counts, owners)
    )
    keep = count > 0
    return first[keep], count[keep], owner[keep]


def _collect(
    series: Any,
    id_col: str | None,
    time_col: str | None,
    value_cols: Sequence[str] | None,
    allow_missing: bool = False,
) -> tuple[np.ndarray, np.ndarray, list, list[str] | None, list[str]]:
    """Read every input form into ``(values (T, C) float32, bounds (S + 1,),
    ids, channel names, labels for messages)``."""
    if id_col is not None or time_col is not None or value_cols is not None:
        return _collect_long(series, id_col, time_col, value_cols, allow_missing)
    if isinstance(series, np.ndarray) and series.ndim == 3:
        raise ValueError(
            f"series is a 3-D array {series.shape}, which looks like windows; pass "
            "the series themselves (a 2-D (n_timesteps, n_channels) array or a list "
            "of them), or fit PatchForecaster on windows arrays directly."
        )
    if isinstance(series, Mapping):
        ids = list(series)
        items = [series[k] for k in ids]
        labels = [f"series {k!r}" for k in ids]
    elif isinstance(series, (list, tuple)) and not (
        len(series) and np.ndim(series[0]) == 0
    ):
        items = list(series)
        ids = list(range(len(items)))
        labels = [f"series[{i}]" for i in ids]
    else:
        items, ids, labels = [series], [0], ["series"]
    if not items:
        raise ValueError(
            "series is empty (no series given); pass a series or a non-empty list "
            "of them."
        )
    checked = []
    names: list[str] | None = None
    for i, (item, label) in enumerate(zip(items, labels, strict=True)):
        values, _, cols = check_series(item, label, allow_missing)
        if i == 0:
            names = cols
        else:
            if values.shape[1] != checked[0].shape[1]:
                raise ValueError(
                    f"{label} has {values.shape[1]} channel(s) but {labels[0]} has "
                    f"{checked[0].shape[1]}; every series must have the same "
                    "channels, in the same order."
                )
            if cols is not None and names is not None and cols != names:
                raise ValueError(
                    f"{label} has columns {cols} but {labels[0]} has {names}; every "
                    "series must have the same channels, in the same order (e.g. "
                    f"frame[{names!r}])."
                )
        checked.append(values)
    bounds = np.concatenate([[0], np.cumsum([len(v) for v in checked])])
    out = np.empty((int(bounds[-1]), checked[0].shape[1]), dtype=np.float32)
    with np.errstate(over="ignore"):  # too large for float32: reported below
        for v, start in zip(checked, bounds[:-1], strict=True):
            out[start : start + len(v)] = v
    _check_float32_finite(out, bounds, labels, allow_missing)
    return out, bounds.astype(np.int64), ids, names, labels


def _collect_long(
    frame: Any,
    id_col: str | None,
    time_col: str | None,
    value_cols: Sequence[str] | None,
    allow_missing: bool = False,
) -> tuple[np.ndarray, np.ndarray, list, list[str] | None, list[str]]:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            "id_col, time_col and value_cols describe a long-format DataFrame, but "
            f"series is a {type(frame).__name__}; pass a DataFrame with one row per "
            "(series, time step), or leave them None."
        )
    if id_col is None:
        raise ValueError(
            "A long-format DataFrame needs id_col, the column naming each row's "
            "series; pass id_col='...' (or a single series without time_col/"
            "value_cols)."
        )
    columns = list(frame.columns)
    for arg, col in (("id_col", id_col), ("time_col", time_col)):
        if col is not None and col not in columns:
            raise ValueError(
                f"{arg}={col!r} is not a column of the DataFrame; its columns are "
                f"{[str(c) for c in columns]}."
            )
    if value_cols is None:
        value_cols = [c for c in columns if c not in (id_col, time_col)]
    else:
        value_cols = list(value_cols)
        missing = [c for c in value_cols if c not in columns]
        if missing:
            raise ValueError(
                f"value_cols names {missing}, which are not columns of the "
                f"DataFrame; its columns are {[str(c) for c in columns]}."
            )
    if not value_cols:
        raise ValueError(
            "The DataFrame has no value columns besides id_col and time_col; pass "
            "at least one numeric column of values."
        )
    non_numeric = [
        str(c)
        for c in value_cols
        if not pd.api.types.is_numeric_dtype(frame[c])
        or pd.api.types.is_bool_dtype(frame[c])
    ]
    if non_numeric:
        raise TypeError(
            f"Value column(s) {non_numeric} are not numeric; pass value_cols=[...] "
            "naming only numeric columns, or drop the others."
        )
    if len(frame) == 0:
        raise ValueError("The DataFrame has no rows; pass at least one series.")
    codes, uniques = pd.factorize(frame[id_col], sort=False)
    if (codes < 0).any():
        raise ValueError(
            f"id_col={id_col!r} has missing values; give every row a series id."
        )
    ids = list(uniques)
    labels = [f"series {k!r}" for k in ids]
    grouped = bool(np.all(codes[1:] >= codes[:-1]))
    order = None if grouped else np.argsort(codes, kind="stable")
    codes_sorted = codes if order is None else codes[order]
    if time_col is not None:
        t = frame[time_col].to_numpy()
        t = t if order is None else t[order]
        same = codes_sorted[1:] == codes_sorted[:-1]
        bad = np.flatnonzero(same & ~(t[1:] > t[:-1]))
        if len(bad):
            label = labels[codes_sorted[bad[0]]]
            before, after = pd.Index(t[bad[0] : bad[0] + 2])  # readable scalars
            what = "repeats" if after == before else "goes back to"
            raise ValueError(
                f"{label} is not sorted by {time_col!r}: its time {what} "
                f"{after} after {before}. Sort the rows first, e.g. "
                f"frame.sort_values([{id_col!r}, {time_col!r}]), and drop duplicates."
            )
    with np.errstate(over="ignore"):  # too large for float32: reported below
        values = frame[value_cols].to_numpy(dtype=np.float32)
    if order is not None:
        values = values[order]
    counts = np.bincount(codes, minlength=len(ids))
    bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    _check_float32_finite(values, bounds, labels, allow_missing)
    return values, bounds, ids, [str(c) for c in value_cols], labels


def _check_float32_finite(
    values: np.ndarray, bounds: np.ndarray, labels: list[str], allow_missing: bool
) -> None:
    """Locate the first NaN/inf (also values too large for float32) by series;
    NaN passes when ``allow_missing``."""
    finite = np.isfinite(values) | (np.isnan(values) if allow_missing else False)
    if finite.all():
        return
    row = int(np.argmax(~finite.all(axis=1)))
    s = int(np.searchsorted(bounds, row, side="right") - 1)
    part = values[bounds[s] : bounds[s + 1]]
    if allow_missing:
        part = np.where(np.isnan(part), 0.0, part)
    check_finite(
        labels[s],
        part,
        FILL_HINT.replace("before windowing", "first")
        + " Values beyond float32's range (about 3.4e38) also become inf.",
    )
