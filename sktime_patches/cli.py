"""The ``sktime-patches`` command line: a demo forecast and forecasts of any CSV.

``sktime-patches demo`` fits on the ILI series bundled with the package;
``sktime-patches forecast data.csv --horizon H --out forecast.csv`` forecasts the
next ``H`` rows of the numeric columns of any CSV file with a date column. Training
progress (skorch's epoch table and progress bar) goes to stderr, results to stdout.
A bad file or argument prints one line to stderr, ``sktime-patches: error: ...``,
naming the argument, the value and the fix, and exits with code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["build_parser", "default_lookback", "main"]

PROG = "sktime-patches"
#: Exit code of a bad file or argument (as argparse uses for its own errors).
EXIT_USAGE = 2
#: Panels drawn at most by ``forecast --plot`` (one per column).
MAX_PLOT_COLUMNS = 8


class CLIError(Exception):
    """A bad file or argument; its message is printed as one line."""


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


def default_lookback(n_rows: int, horizon: int) -> int:
    """The lookback ``forecast`` falls back on when ``--lookback`` is not given
    and the file is too short to compare candidate lookbacks
    (:func:`~sktime_patches.lookback.select_lookback` chooses otherwise).

    Four horizons of history, but at most half of the rows left after one
    horizon, ``(n_rows - horizon) // 2``: that leaves at least ``lookback + 1``
    training windows. Returns 0 when the file is too short for any lookback.

    Parameters
    ----------
    n_rows : int
        Rows (time steps) in the data.
    horizon : int
        Steps to forecast.

    Returns
    -------
    lookback : int
        ``min(4 * horizon, (n_rows - horizon) // 2)``, or 0 when that is below 1.

    Examples
    --------
    >>> from sktime_patches.cli import default_lookback
    >>> default_lookback(966, 24)  # weekly ILI: four horizons
    96
    >>> default_lookback(100, 24)  # a short file: half of what is left
    38
    """
    return max(0, min(4 * horizon, (n_rows - horizon) // 2))


def _positive(name: str, value: int | None, example: int) -> None:
    if value is not None and value < 1:
        raise CLIError(
            f"{name} {value}: must be a positive integer; pass e.g. {name} {example}."
        )


def _check_writable(name: str, path: str, suffixes: Sequence[str] = ()) -> None:
    """Fail before training when an output file could not be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CLIError(
            f"{name} {path!r}: the folder {os.path.dirname(path)!r} does not exist; "
            "create it first or pass a path in an existing folder."
        )
    if os.path.isdir(path):
        example = os.path.join(path, "forecast" + (".png" if suffixes else ".csv"))
        raise CLIError(
            f"{name} {path!r}: is a folder; pass a file name, e.g. {example!r}."
        )
    if suffixes:
        ext = os.path.splitext(path)[1].lower()
        if ext not in suffixes:
            raise CLIError(
                f"{name} {path!r}: unknown image type {ext or '(none)'!r}; pass a "
                "file name ending in .png, .svg, .pdf or another type matplotlib "
                "writes."
            )


def _plot_suffixes() -> list[str]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return sorted("." + ext for ext in FigureCanvasAgg.get_supported_filetypes())


@contextlib.contextmanager
def _progress_to_stderr() -> Iterator[None]:
    """skorch prints its epoch table to stdout; send it to stderr with its bar."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def _save_figure(fig: Any, path: str) -> None:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=100)
    plt.close(fig)


def _use_agg() -> None:
    """The command line only writes files: draw without a window system."""
    import matplotlib

    matplotlib.use("Agg")


# ---------------------------------------------------------------------------
# demo
# ---------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    import numpy as np

    from . import PatchForecaster, make_windows
    from .datasets import load_ili
    from .plotting import plot_forecast
    from .series import SeriesForecaster

    _positive("--lookback", args.lookback, 104)
    _positive("--horizon", args.horizon, 24)
    _positive("--holdout", args.holdout, 104)
    _positive("--max-epochs", args.max_epochs, 30)
    _positive("--patch-len", args.patch_len, 8)
    _check_writable("--out", args.out)
    _check_writable("--plot", args.plot, _plot_suffixes())
    df = load_ili()
    if args.column not in df.columns:
        raise CLIError(
            f"--column {args.column!r}: not a column of the ILI data; pass one of "
            f"{', '.join(repr(c) for c in df.columns)}."
        )
    lookback, horizon, column, holdout = (
        args.lookback,
        args.horizon,
        args.column,
        args.holdout,
    )
    if len(df) - holdout < lookback + horizon:
        raise CLIError(
            f"--holdout {holdout}: leaves {len(df) - holdout} of the {len(df)} weeks "
            f"to train on, fewer than --lookback + --horizon = {lookback + horizon}; "
            "pass a smaller --holdout, --lookback or --horizon."
        )
    values = df[[column]]
    # train on all but the last `holdout` weeks; test on the windows inside them
    train = values.iloc[:-holdout]
    forecaster = SeriesForecaster(
        PatchForecaster(
            patch_len=args.patch_len,
            max_epochs=args.max_epochs,
            # the best ILI setting of the benchmarks (benchmarks/TRIED.md): flu
            # seasons of very different heights want a scale-equivariant
            # correction, trained on absolute errors, small batches for a short
            # series, and averaged weights
            loss="mae",
            ema_halflife=1.0,
            batch_size=32,
            correction_scale="window",
            random_state=args.random_state,
            verbose=0 if args.quiet else 1,
        ),
        lookback=lookback,
        horizon=horizon,
    )
    print(
        f"Fitting PatchForecaster on the bundled ILI series (column {column!r}, "
        f"lookback={lookback}, horizon={horizon}, {len(train)} weeks of training "
        "data); progress on stderr",
        flush=True,
    )
    with _progress_to_stderr():
        forecaster.fit(train)
    X_test, y_test = make_windows(
        values.iloc[-(holdout + lookback) :], lookback, horizon
    )
    if len(X_test):
        pred = forecaster.estimator_.predict(X_test).reshape(y_test.shape)
        naive = np.repeat(X_test[:, -1:], horizon, axis=1)
        mae = float(np.mean(np.abs(pred - y_test)))
        mae_naive = float(np.mean(np.abs(naive - y_test)))
        print(
            f"held-out tail ({len(X_test)} windows in the last {holdout} weeks): "
            f"MAE {mae:.4g} (repeat-last: {mae_naive:.4g})"
        )
    # forecast the weeks after the end of the data, from its last `lookback` weeks
    future = forecaster.predict(values)
    future.to_csv(args.out)
    print(f"forecast of the next {horizon} weeks written to {args.out}")
    _use_agg()
    fig, _ = plot_forecast(values, future, n_history=3 * lookback, figsize=(9, 4))
    fig.suptitle(
        f"ILI {column}: {horizon}-week forecast after {values.index[-1]:%Y-%m-%d}"
    )
    _save_figure(fig, args.plot)
    print(f"plot written to {args.plot}")
    return 0


# ---------------------------------------------------------------------------
# forecast: reading and checking a CSV
# ---------------------------------------------------------------------------


def _read_csv(path: str, sep: str) -> Any:
    import pandas as pd

    if not os.path.exists(path):
        raise CLIError(
            f"csv {path!r}: no such file; pass the path of an existing CSV file."
        )
    if os.path.isdir(path):
        raise CLIError(f"csv {path!r}: is a folder; pass the path of a CSV file.")
    fix = "pass a comma-separated text file with a header row (or --sep)."
    with open(path, "rb") as fh:
        if b"\0" in fh.read(8192):
            raise CLIError(
                f"csv {path!r}: not a CSV file (it holds binary data); {fix}"
            )
    try:
        frame = pd.read_csv(path, sep=sep)
    except pd.errors.EmptyDataError:
        raise CLIError(f"csv {path!r}: the file is empty; {fix}") from None
    except UnicodeDecodeError:
        raise CLIError(
            f"csv {path!r}: not a CSV file (it is not UTF-8 text); {fix}"
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "no detail"
        raise CLIError(
            f"csv {path!r}: not a CSV file (pandas could not parse it: {detail}); {fix}"
        ) from None
    if frame.shape[1] == 1:
        header = str(frame.columns[0])
        for other in (";", "\t", "|"):
            if other in header and other != sep:
                raise CLIError(
                    f"csv {path!r}: found one column {header!r}; the file seems "
                    f"separated by {other!r}, so pass --sep {other!r}."
                )
    if len(frame) == 0:
        raise CLIError(
            f"csv {path!r}: has a header but no rows; pass a file with data rows."
        )
    return frame


def _parse_dates(column: Any) -> Any | None:
    """A column as datetimes (NaT where a value does not parse), or None.

    The format is guessed from the first non-empty value, trying month-first and
    then day-first; the guess that parses more values wins.
    """
    import pandas as pd

    try:
        from pandas.tseries.api import guess_datetime_format
    except ImportError:  # pragma: no cover - pandas < 2.2
        from pandas._libs.tslibs.parsing import guess_datetime_format

    text = column.astype("string")
    present = text.dropna()
    if len(present) == 0:
        return None
    first = str(present.iloc[0]).strip()
    best = None
    for dayfirst in (False, True):
        try:
            with warnings.catch_warnings():  # "Parsing dates in %d/%m/%Y format..."
                warnings.simplefilter("ignore")
                fmt = guess_datetime_format(first, dayfirst=dayfirst)
                if fmt is None:
                    continue
                parsed = pd.to_datetime(text.str.strip(), format=fmt, errors="coerce")
        except (TypeError, ValueError, OverflowError):
            continue
        if best is None or parsed.notna().sum() > best.notna().sum():
            best = parsed
    return best


def _find_date_column(frame: Any, path: str, date_col: str | None) -> str:
    import pandas as pd

    if date_col is not None:
        if date_col not in frame.columns:
            raise CLIError(
                f"--date-col {date_col!r}: not a column of {path!r}; its columns are "
                f"{_names(frame.columns)}."
            )
        return date_col
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(
            col.dtype
        ):
            continue
        if _parse_dates(col) is not None:
            return name
    raise CLIError(
        f"csv {path!r}: no column parses as dates (columns: "
        f"{_names(frame.columns)}); add a date column such as 2024-01-31, or name "
        "it with --date-col."
    )


def _names(columns: Any, limit: int = 12) -> str:
    names = [repr(str(c)) for c in columns]
    if len(names) > limit:
        names = [*names[:limit], f"... ({len(names) - limit} more)"]
    return ", ".join(names)


def _line(row: int) -> int:
    """Line number in the file of data row ``row`` (line 1 is the header)."""
    return row + 2


def _time_index(frame: Any, path: str, date_col: str) -> Any:
    """The date column as a sorted DatetimeIndex with an inferred frequency."""
    import numpy as np
    import pandas as pd

    from .series import _guess_freq, _infer_freq, _uneven_steps

    flag = f"--date-col {date_col!r}"
    dates = _parse_dates(frame[date_col])
    if dates is None or dates.isna().all():
        first = frame[date_col].dropna()
        example = f" (first value: {str(first.iloc[0])!r})" if len(first) else ""
        raise CLIError(
            f"{flag}: the column does not parse as dates{example}; pass a column of "
            "dates such as 2024-01-31 or 2024-01-31 12:00."
        )
    bad = np.flatnonzero(dates.isna().to_numpy())
    if len(bad):
        value = frame[date_col].iloc[bad[0]]
        raise CLIError(
            f"{flag}: {len(bad)} value(s) are empty or not dates (first on line "
            f"{_line(bad[0])}: {str(value) if pd.notna(value) else 'empty'!r}); "
            "fix or remove those rows."
        )
    try:
        index = pd.DatetimeIndex(dates, name=date_col)
    except (TypeError, ValueError) as exc:  # e.g. mixed time zones
        raise CLIError(
            f"{flag}: the dates cannot form one time axis ({exc}); write them in "
            "one format and time zone."
        ) from None
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        n_dup = int(index.duplicated().sum())
        raise CLIError(
            f"{flag}: {n_dup} date(s) appear more than once (first: {dup}); keep one "
            "row per time step, e.g. average the duplicates."
        )
    order = np.argsort(index.asi8, kind="stable")
    index = index[order]
    if len(index) < 3:
        raise CLIError(
            f"csv {path!r}: has {len(index)} row(s), too few to infer the frequency "
            "of the dates; pass a file with at least 3 rows."
        )
    freq = _infer_freq(index)
    if freq is None:
        usual, n_odd, first = _uneven_steps(index)
        raise CLIError(
            f"{flag}: the dates are not evenly spaced, so no frequency can be "
            f"inferred (the usual step is {usual}, but {n_odd} step(s) differ, "
            f"the first after {first}); resample the data to one row per "
            f"{_guess_freq(index)!r} step first, filling the gaps."
        )
    return pd.DatetimeIndex(index, freq=freq), order


def _value_columns(
    frame: Any, path: str, date_col: str, columns: Sequence[str] | None
) -> list[str]:
    import pandas as pd

    def numeric(name: str) -> bool:
        dtype = frame[name].dtype
        return pd.api.types.is_numeric_dtype(dtype) and not (
            pd.api.types.is_bool_dtype(dtype)
        )

    if columns is None:
        chosen = [c for c in frame.columns if c != date_col and numeric(c)]
        if not chosen:
            raise CLIError(
                f"csv {path!r}: no numeric column besides the date column "
                f"{date_col!r} (columns: {_names(frame.columns)}); add one, or "
                "check --sep."
            )
        return chosen
    chosen = list(dict.fromkeys(columns))
    for name in chosen:
        if name not in frame.columns:
            raise CLIError(
                f"--columns {name!r}: not a column of {path!r}; its columns are "
                f"{_names(frame.columns)}."
            )
        if name == date_col:
            raise CLIError(
                f"--columns {name!r}: is the date column; pass only columns of "
                "values to forecast."
            )
        if not numeric(name):
            col = frame[name]
            is_text = pd.to_numeric(col, errors="coerce").isna() & col.notna()
            example = col[is_text].iloc[0] if is_text.any() else col.dropna().iloc[0]
            raise CLIError(
                f"--columns {name!r}: not numeric (it holds {str(example)!r}); pass "
                "only columns of numbers."
            )
    return chosen


def _check_values(values: Any, order: Any, path: str) -> None:
    import numpy as np

    array = values.to_numpy(dtype=np.float64)
    for bad, what, fix in (
        (np.isnan(array), "missing", "fill them in the file (e.g. interpolate)"),
        (np.isinf(array), "infinite", "replace them in the file"),
    ):
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise CLIError(
                f"csv {path!r}: column {values.columns[col]!r} has "
                f"{int(bad[:, col].sum())} {what} value(s) (first on line "
                f"{_line(int(order[row]))}); {fix}, or leave the column out with "
                "--columns."
            )


# ---------------------------------------------------------------------------
# forecast
# ---------------------------------------------------------------------------


def _forecast(args: argparse.Namespace) -> int:
    _positive("--horizon", args.horizon, 12)
    _positive("--lookback", args.lookback, 4 * max(args.horizon, 1))
    _positive("--max-epochs", args.max_epochs, 30)
    _positive("--patch-len", args.patch_len, 8)
    _check_writable("--out", args.out)
    if args.plot is not None:
        _check_writable("--plot", args.plot, _plot_suffixes())

    frame = _read_csv(args.csv, args.sep)
    date_col = _find_date_column(frame, args.csv, args.date_col)
    index, order = _time_index(frame, args.csv, date_col)
    columns = _value_columns(frame, args.csv, date_col, args.columns)
    data = frame[columns].iloc[order].astype("float64")
    data.index = index
    _check_values(data, order, args.csv)

    n_rows, horizon = len(data), args.horizon
    if args.lookback is None:
        if default_lookback(n_rows, horizon) < 1:
            raise CLIError(
                f"--horizon {horizon}: {args.csv!r} has {n_rows} rows, too few to "
                f"forecast {horizon} steps (the default lookback needs at least "
                f"horizon + 2 = {horizon + 2} rows); pass a smaller --horizon or "
                "a longer file."
            )
        from .lookback import select_lookback

        try:
            selection = select_lookback(data.to_numpy(), horizon)
        except ValueError:  # too short to compare: the longest that fits
            lookback, how = default_lookback(n_rows, horizon), "the longest that fits"
        else:
            lookback = selection.lookback
            how = (
                "chosen by the linear model's error on the last 20% of rows among "
                + (", ".join(str(c) for c in selection.scores))
            )
    else:
        lookback, how = args.lookback, "--lookback"
        if n_rows < lookback + horizon:
            raise CLIError(
                f"--lookback {lookback}: {args.csv!r} has {n_rows} rows, fewer than "
                f"--lookback + --horizon = {lookback + horizon}; pass --lookback "
                f"{n_rows - horizon} or less, a smaller "
                "--horizon, or a longer file."
            )

    from . import PatchForecaster
    from ._patching import default_patch_len
    from .exceptions import SktimePatchesError
    from .series import SeriesForecaster

    if args.patch_len is not None and args.patch_len > lookback:
        raise CLIError(
            f"--patch-len {args.patch_len}: longer than the lookback ({lookback} "
            f"steps); pass --patch-len {lookback} or less, or a longer --lookback."
        )
    patch_len = args.patch_len
    if patch_len is None:  # the model's default for this lookback
        patch_len = default_patch_len(lookback)

    model = PatchForecaster(
        patch_len=patch_len,
        max_epochs=args.max_epochs,
        random_state=args.random_state,
        verbose=0 if args.quiet else 1,
    )
    forecaster = SeriesForecaster(model, lookback=lookback, horizon=horizon)
    print(
        f"Fitting PatchForecaster on {args.csv} ({n_rows} rows at frequency "
        f"{index.freqstr!r}, {len(columns)} column(s), lookback={lookback} "
        f"({how}), horizon={horizon}, patch_len={patch_len}); progress on stderr",
        flush=True,
    )
    try:
        with _progress_to_stderr():
            forecaster.fit(data)
    except SktimePatchesError as exc:  # e.g. TrainingDivergedError
        print(f"{PROG}: error: training failed: {_one_line(exc)}", file=sys.stderr)
        return 1
    except (TypeError, ValueError) as exc:  # a check of the estimators
        raise CLIError(_one_line(exc)) from None
    forecast = forecaster.predict()
    forecast.to_csv(args.out)
    print(
        f"forecast of the next {horizon} steps ({forecast.index[0]} .. "
        f"{forecast.index[-1]}) written to {args.out}"
    )
    if args.plot is not None:
        from .plotting import plot_forecast

        _use_agg()
        drawn = columns[:MAX_PLOT_COLUMNS]
        if len(columns) > len(drawn):
            print(
                f"plotting the first {len(drawn)} of {len(columns)} columns "
                "(choose others with --columns)",
                file=sys.stderr,
            )
        fig, _ = plot_forecast(
            data, forecast, columns=drawn, n_history=min(n_rows, 3 * lookback)
        )
        fig.suptitle(f"{os.path.basename(args.csv)}: {horizon}-step forecast")
        _save_figure(fig, args.plot)
        print(f"plot written to {args.plot}")
    return 0


# ---------------------------------------------------------------------------
# Parser and entry point
# ---------------------------------------------------------------------------

_FORECAST_EPILOG = """\
The date column is the one named by --date-col, or else the first text column
whose values parse as dates (e.g. 2024-01-31, 31/01/2024, 2024-01-31 12:00). Rows
are sorted by date, and the dates must be evenly spaced (hourly, daily, weekly,
monthly, ...): the frequency is inferred from them and gives the timestamps of
the forecast. Every chosen column must be numeric and complete (no empty cells).

The lookback (steps of history each forecast reads) is chosen, when --lookback
is not given, among 1, 2 and 4 times max(horizon, 8) steps (at most 1024, and at
most half of the rows left after one horizon) by the error of a linear model
fitted on the earlier rows and scored on the last 20% of them.

example:
  sktime-patches forecast sales.csv --horizon 12 --out forecast.csv --plot fc.png
"""


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of ``sktime-patches``.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser, with the sub-commands ``demo`` and ``forecast``.

    Examples
    --------
    >>> from sktime_patches.cli import build_parser
    >>> args = build_parser().parse_args(
    ...     ["forecast", "data.csv", "--horizon", "12", "--out", "fc.csv"]
    ... )
    >>> args.command, args.horizon, args.lookback, args.date_col
    ('forecast', 12, None, None)
    """
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Patch-based deep forecasting with scikit-learn estimators.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, max_epochs: int) -> None:
        p.add_argument(
            "--max-epochs",
            type=int,
            default=max_epochs,
            metavar="N",
            help=f"most training epochs; early stopping may end sooner "
            f"(default: {max_epochs})",
        )
        p.add_argument(
            "--seed",
            "--random-state",
            dest="random_state",
            type=int,
            default=0,
            metavar="S",
            help="random seed: the same seed gives the same forecast (default: 0)",
        )
        p.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help="do not show the training progress (epoch table and bar on stderr)",
        )

    demo = sub.add_parser(
        "demo",
        help="fit on the bundled ILI data, forecast, plot",
        description="Fit PatchForecaster on the weekly ILI series bundled with the "
        "package, print its error on a held-out tail, and write the forecast of "
        "the weeks after the data and a plot.",
    )
    demo.add_argument(
        "--column", default="% WEIGHTED ILI", help="ILI column to forecast"
    )
    demo.add_argument("--lookback", type=int, default=104, metavar="L")
    demo.add_argument("--horizon", type=int, default=24, metavar="H")
    demo.add_argument("--patch-len", type=int, default=8, metavar="P")
    demo.add_argument(
        "--holdout",
        type=int,
        default=104,
        metavar="N",
        help="weeks at the end kept out of training to measure the error",
    )
    common(demo, max_epochs=30)
    demo.add_argument("--out", default="forecast.csv", help="forecast CSV to write")
    demo.add_argument("--plot", default="forecast.png", help="plot to write")
    demo.set_defaults(func=_demo)

    fc = sub.add_parser(
        "forecast",
        help="forecast the next steps of the columns of a CSV file",
        description="Fit PatchForecaster (through SeriesForecaster) on the numeric "
        "columns of a CSV file and write the forecast of the next --horizon "
        "steps, indexed by their timestamps, with the same columns.",
        epilog=_FORECAST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fc.add_argument("csv", help="the CSV file: a header row, a date column, numbers")
    fc.add_argument(
        "--horizon", type=int, required=True, metavar="H", help="steps to forecast"
    )
    fc.add_argument(
        "--lookback",
        type=int,
        metavar="L",
        help="steps of history each forecast reads (default: see below)",
    )
    fc.add_argument(
        "--date-col",
        metavar="C",
        help="the date column (default: the first column that parses as dates)",
    )
    fc.add_argument(
        "--columns",
        nargs="+",
        metavar="NAME",
        help="columns to forecast (default: every numeric column)",
    )
    fc.add_argument(
        "--out", required=True, metavar="CSV", help="forecast CSV file to write"
    )
    fc.add_argument(
        "--plot",
        metavar="PNG",
        help=f"also draw history and forecast into this image (.png, .pdf, .svg, "
        f"...; the first {MAX_PLOT_COLUMNS} columns)",
    )
    fc.add_argument(
        "--patch-len",
        type=int,
        metavar="P",
        help="steps per patch (default: PatchForecaster's, at most the lookback)",
    )
    fc.add_argument(
        "--sep", default=",", help="field separator of the CSV file (default: ',')"
    )
    common(fc, max_epochs=30)
    fc.set_defaults(func=_forecast)
    return parser


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``sktime-patches`` command line.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments after the program name; None reads ``sys.argv[1:]``.

    Returns
    -------
    code : int
        The exit code: 0 on success, 2 for a bad file or argument (after one line
        ``sktime-patches: error: ...`` on stderr, or argparse's usage message),
        1 when training fails.

    Examples
    --------
    >>> from sktime_patches.cli import main
    >>> main(["forecast", "no-such-file.csv", "--horizon", "3", "--out", "fc.csv"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.func(args)
    except CLIError as exc:
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
