"""CSV files -> regular time series: a DataFrame on a DatetimeIndex with a frequency.

:func:`read_series_csv` is what ``sktime-patches forecast`` reads files with; a
file it cannot turn into a regular series raises :class:`DataFormatError` with
one message that names the file, the column or row at fault and the fix.
"""

from __future__ import annotations

import contextvars
import os
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._validation import check_no_duplicates, guess_freq, infer_freq, uneven_steps
from .exceptions import DataFormatError

__all__ = ["read_series_csv"]

#: Whose words the messages use: ``"python"`` (``sep=';'``), or ``"cli"``
#: (``--sep ';'``) while the command line reads a file.
WORDING: contextvars.ContextVar[str] = contextvars.ContextVar(
    "sktime_patches_wording", default="python"
)


def _arg(name: str, value: str | None = None) -> str:
    """An argument as the reader would write it: ``sep=';'`` in Python,
    ``--sep ';'`` on the command line (``value`` None: the name alone)."""
    if WORDING.get() == "cli":
        option = "--" + name.replace("_", "-")
        return option if value is None else f"{option} {value}"
    return f"{name}=" if value is None else f"{name}={value}"


def _fix_format() -> str:
    return (
        "pass a comma-separated text file with a header row (or its separator: "
        f"{_arg('sep')})."
    )


def _read_csv(path: str, sep: str, decimal: str) -> pd.DataFrame:
    if not os.path.exists(path):
        raise DataFormatError(
            f"csv {path!r}: no such file; pass the path of an existing CSV file."
        )
    if os.path.isdir(path):
        raise DataFormatError(
            f"csv {path!r}: is a folder; pass the path of a CSV file."
        )
    with open(path, "rb") as fh:
        if b"\0" in fh.read(8192):
            raise DataFormatError(
                f"csv {path!r}: not a CSV file (it holds binary data); {_fix_format()}"
            )
    try:
        # round_trip: the nearest float to each decimal written, exactly
        frame = pd.read_csv(
            path, sep=sep, decimal=decimal, float_precision="round_trip"
        )
    except pd.errors.EmptyDataError:
        raise DataFormatError(
            f"csv {path!r}: the file is empty; {_fix_format()}"
        ) from None
    except UnicodeDecodeError:
        raise DataFormatError(
            f"csv {path!r}: not a CSV file (it is not UTF-8 text); {_fix_format()}"
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "no detail"
        raise DataFormatError(
            f"csv {path!r}: not a CSV file (pandas could not parse it: {detail}); "
            f"{_fix_format()}"
        ) from None
    if frame.shape[1] == 1:
        header = str(frame.columns[0])
        for other in (";", "\t", "|"):
            if other in header and other != sep:
                raise DataFormatError(
                    f"csv {path!r}: found one column {header!r}; the file seems "
                    f"separated by {other!r}, so pass {_arg('sep', repr(other))}."
                )
    if len(frame) == 0:
        raise DataFormatError(
            f"csv {path!r}: has a header but no rows; pass a file with data rows."
        )
    return frame


def _parse_dates(column: pd.Series) -> pd.Series | None:
    """A column as datetimes (NaT where a value does not parse), or None.

    The format is guessed from the first non-empty value, month-first and
    day-first: the guess that parses more values wins; on a tie (``01/02/2024``
    reads both ways) the one whose dates are evenly spaced, so that month-start
    dates written day-first read as months, not as a few days of January.
    """
    try:
        from pandas.tseries.api import guess_datetime_format
    except ImportError:  # pragma: no cover - pandas < 2.2
        from pandas._libs.tslibs.parsing import guess_datetime_format

    text = column.astype("string")
    present = text.dropna()
    if len(present) == 0:
        return None
    first = str(present.iloc[0]).strip()
    best, best_rank = None, None
    for dayfirst in (False, True):
        try:
            with warnings.catch_warnings():  # "Parsing dates in %d/%m/%Y format..."
                warnings.simplefilter("ignore")
                fmt = guess_datetime_format(first, dayfirst=dayfirst)
                if fmt is None:
                    continue
                parsed = _to_datetime(text.str.strip(), fmt)
        except (TypeError, ValueError, OverflowError):
            continue
        rank = (int(parsed.notna().sum()), _evenly_spaced(parsed))
        if best_rank is None or rank > best_rank:
            best, best_rank = parsed, rank
    return best


def _to_datetime(text: pd.Series, fmt: str) -> pd.Series:
    """Parse with ``fmt``; dates with several UTC offsets (daylight saving
    time) become one time axis in UTC."""
    try:
        return pd.to_datetime(text, format=fmt, errors="coerce")
    except ValueError:
        if "%z" not in fmt:
            raise
        return pd.to_datetime(text, format=fmt, errors="coerce", utc=True)


def _evenly_spaced(dates: pd.Series) -> bool:
    """Whether the parsed dates, sorted, have a frequency pandas can infer."""
    index = pd.DatetimeIndex(dates.dropna()).sort_values()
    try:
        return len(index) >= 3 and infer_freq(index) is not None
    except (TypeError, ValueError):
        return False


_DECIMAL_COMMA = r"^\s*[-+]?\d{1,3}(\.\d{3})*,\d+\s*$|^\s*[-+]?\d+,\d+\s*$"


def _decimal_comma_column(frame: pd.DataFrame, skip: str) -> tuple[str, str] | None:
    """A text column whose values are numbers written with a decimal comma
    (``12,5`` or ``1.234,5``): its name and an example, or None."""
    for name in frame.columns:
        col = frame[name]
        if name == skip or _is_numeric(col):
            continue
        text = col.dropna().astype(str)
        if len(text) and text.str.match(_DECIMAL_COMMA).mean() > 0.9:
            return str(name), str(text.iloc[0])
    return None


def _names(columns: Any, limit: int = 12) -> str:
    names = [repr(str(c)) for c in columns]
    if len(names) > limit:
        names = [*names[:limit], f"... ({len(names) - limit} more)"]
    return ", ".join(names)


def _line(row: int) -> int:
    """Line number in the file of data row ``row`` (line 1 is the header)."""
    return row + 2


def _is_numeric(column: pd.Series) -> bool:
    dtype = column.dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(
        dtype
    )


def _find_date_column(frame: pd.DataFrame, path: str, date_col: str | None) -> str:
    if date_col is not None:
        if date_col not in frame.columns:
            raise DataFormatError(
                f"{_arg('date_col', repr(date_col))}: not a column of {path!r}; its "
                "columns are "
                f"{_names(frame.columns)}."
            )
        return date_col
    for name in frame.columns:
        col = frame[name]
        if _is_numeric(col) or pd.api.types.is_bool_dtype(col.dtype):
            continue
        if _parse_dates(col) is not None:
            return name
    raise DataFormatError(
        f"csv {path!r}: no column parses as dates (columns: "
        f"{_names(frame.columns)}); add a date column such as 2024-01-31, or name "
        f"it with {_arg('date_col')}."
    )


def _time_index(
    frame: pd.DataFrame, path: str, date_col: str, allow_missing: bool = False
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The date column as a sorted DatetimeIndex with an inferred frequency, and
    the order of the rows that sorts it; with ``allow_missing``, dates absent
    from a regular grid are kept as missing rows (the index is then the whole
    grid, longer than the rows)."""
    what = f"date column {date_col!r}"
    dates = _parse_dates(frame[date_col])
    if dates is None or dates.isna().all():
        first = frame[date_col].dropna()
        example = f" (first value: {str(first.iloc[0])!r})" if len(first) else ""
        raise DataFormatError(
            f"{what}: the column does not parse as dates{example}; pass a column of "
            "dates such as 2024-01-31 or 2024-01-31 12:00."
        )
    bad = np.flatnonzero(dates.isna().to_numpy())
    if len(bad):
        value = frame[date_col].iloc[bad[0]]
        raise DataFormatError(
            f"{what}: {len(bad)} value(s) are empty or not dates (first on line "
            f"{_line(bad[0])}: {str(value) if pd.notna(value) else 'empty'!r}); "
            "fix or remove those rows."
        )
    try:
        index = pd.DatetimeIndex(dates, name=date_col)
    except (TypeError, ValueError) as exc:  # e.g. mixed time zones
        raise DataFormatError(
            f"{what}: the dates cannot form one time axis ({exc}); write them in "
            "one format and time zone."
        ) from None
    try:
        check_no_duplicates(
            index, what, "keep one row per time step, e.g. average the duplicates"
        )
    except ValueError as exc:
        raise DataFormatError(str(exc)) from None
    order = np.argsort(index.asi8, kind="stable")
    index = index[order]
    if len(index) < 3:
        raise DataFormatError(
            f"csv {path!r}: has {len(index)} row(s), too few to infer the frequency "
            "of the dates; pass a file with at least 3 rows."
        )
    freq = infer_freq(index)
    if freq is None and allow_missing:  # dates absent from a grid: gaps
        guess = guess_freq(index)
        grid = pd.date_range(index[0], index[-1], freq=guess, name=date_col)
        if len(grid) <= 10 * len(index) and index.isin(grid).all():
            return grid, order
    if freq is None:
        usual, n_odd, first = uneven_steps(index)
        raise DataFormatError(
            f"{what}: the dates are not evenly spaced, so no frequency can be "
            f"inferred (the usual step is {usual}, but {n_odd} step(s) differ, "
            f"the first after {first}); resample the data to one row per "
            f"{guess_freq(index)!r} step first, filling the gaps."
        )
    return pd.DatetimeIndex(index, freq=freq), order


def _value_columns(
    frame: pd.DataFrame, path: str, date_col: str, columns: Sequence[str] | None
) -> list[str]:
    if columns is None:
        chosen = [c for c in frame.columns if c != date_col and _is_numeric(frame[c])]
        if not chosen:
            _refuse_decimal_comma(frame, path, date_col)
            raise DataFormatError(
                f"csv {path!r}: no numeric column besides the date column "
                f"{date_col!r} (columns: {_names(frame.columns)}); add one, or "
                f"check the separator ({_arg('sep')})."
            )
        return chosen
    chosen = list(dict.fromkeys(columns))
    for name in chosen:
        if name not in frame.columns:
            raise DataFormatError(
                f"{_arg('columns', repr(name))}: not a column of {path!r}; its "
                "columns are "
                f"{_names(frame.columns)}."
            )
        if name == date_col:
            raise DataFormatError(
                f"{_arg('columns', repr(name))}: is the date column; pass only "
                "columns of "
                "values to forecast."
            )
        col = frame[name]
        if not _is_numeric(col):
            _refuse_decimal_comma(frame[[name]], path, date_col)
            is_text = pd.to_numeric(col, errors="coerce").isna() & col.notna()
            example = col[is_text].iloc[0] if is_text.any() else col.dropna().iloc[0]
            raise DataFormatError(
                f"{_arg('columns', repr(name))}: not numeric (it holds "
                f"{str(example)!r}); pass "
                "only columns of numbers."
            )
    return chosen


def _refuse_decimal_comma(frame: pd.DataFrame, path: str, date_col: str) -> None:
    found = _decimal_comma_column(frame, date_col)
    if found is not None:
        name, example = found
        raise DataFormatError(
            f"csv {path!r}: column {name!r} holds numbers written with a decimal "
            f"comma ({example!r}); pass {_arg('decimal', repr(','))}, and a "
            f"separator other than the comma ({_arg('sep', repr(';'))}) if the file "
            "uses one."
        )


def _check_values(
    values: pd.DataFrame, order: np.ndarray, path: str, allow_missing: bool = False
) -> None:
    array = values.to_numpy(dtype=np.float64)
    missing = np.zeros_like(array, dtype=bool) if allow_missing else np.isnan(array)
    for bad, what, fix in (
        (missing, "missing", "fill them in the file (e.g. interpolate)"),
        (np.isinf(array), "infinite", "replace them in the file"),
    ):
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise DataFormatError(
                f"csv {path!r}: column {values.columns[col]!r} has "
                f"{int(bad[:, col].sum())} {what} value(s) (first on line "
                f"{_line(int(order[row]))}); {fix}, or leave the column out "
                f"({_arg('columns')})."
            )


def read_series_csv(
    path: str | os.PathLike,
    *,
    date_col: str | None = None,
    columns: Sequence[str] | None = None,
    sep: str = ",",
    decimal: str = ".",
    allow_missing: bool = False,
) -> pd.DataFrame:
    """Read a CSV file as a regular time series.

    The date column is ``date_col``, or the first non-numeric column whose values
    parse as dates (month-first or day-first, whichever parses more values;
    dates with several UTC offsets, as daylight saving time writes them, are
    converted to UTC).
    Rows are sorted by date; the dates must be evenly spaced (hourly, daily,
    business-daily, weekly, monthly, ...), and their frequency, inferred, is set
    on the index. The value columns are ``columns``, or every numeric column
    besides the date; they must be complete and finite.

    Parameters
    ----------
    path : str or path-like
        The CSV file: a header row, a date column, numbers.
    date_col : str or None, default=None
        The date column; None finds it.
    columns : sequence of str or None, default=None
        The value columns; None takes every numeric column.
    sep : str, default=","
        Field separator.
    decimal : str, default="."
        Decimal point of the numbers (``","`` for ``12,5``; a column written
        that way without it is detected and named).
    allow_missing : bool, default=False
        Keep gaps as missing values (NaN), as ``SeriesForecaster`` reads them
        (it skips the training windows that touch one): empty cells, and
        dates absent from a regular grid (rows of NaN are added at them, the
        index then runs over the whole grid). False refuses both.

    Returns
    -------
    df : pd.DataFrame of shape (n_rows, n_columns)
        The values, as float64, on a ``DatetimeIndex`` (named after the date
        column) with its frequency set, sorted by date.

    Raises
    ------
    DataFormatError
        When the file cannot be read as a regular series; the message names the
        file, column or line and what to do.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> from sktime_patches.io import read_series_csv
    >>> path = os.path.join(tempfile.mkdtemp(), "sales.csv")
    >>> pd.DataFrame(
    ...     {"day": ["15/01/2024", "13/01/2024", "14/01/2024"], "sales": [3, 1, 2]}
    ... ).to_csv(path, index=False)
    >>> df = read_series_csv(path)  # day-first dates, rows sorted by date
    >>> df.index.freqstr, df["sales"].tolist()
    ('D', [1.0, 2.0, 3.0])
    """
    path = os.fspath(path)
    frame = _read_csv(path, sep, decimal)
    date_col = _find_date_column(frame, path, date_col)
    index, order = _time_index(frame, path, date_col, allow_missing)
    chosen = _value_columns(frame, path, date_col, columns)
    data = frame[chosen].iloc[order].astype("float64")
    _check_values(data, order, path, allow_missing)
    if len(index) != len(data):  # rows of NaN at the dates absent from the grid
        stamps = pd.DatetimeIndex(_parse_dates(frame[date_col]).iloc[order])
        data.index = stamps
        return data.reindex(index)
    data.index = index
    return data
