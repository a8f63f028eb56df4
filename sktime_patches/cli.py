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
    """The lookback ``forecast`` takes when ``--lookback`` is not given and the
    file is too short to compare candidate lookbacks.

    The command line leaves the choice to ``SeriesForecaster(lookback="auto")``
    (:func:`~sktime_patches.lookback.choose_lookback`), whose longest
    candidate is this value on every file too short to compare candidates;
    kept to state the rule. Four horizons of history, but at most half of the
    rows left after one horizon, ``(n_rows - horizon) // 2``: that leaves at
    least ``lookback + 1`` training windows. Returns 0 when the file is too
    short for any lookback.

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


def _positive_int(text: str) -> int:
    """argparse ``type=`` of the counts (``--horizon``, ``--lookback``, ...): an
    integer of 1 or more; argparse names the option in its error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an integer; pass a positive integer such as 12"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"{value} is not a positive integer; pass 1 or more, such as 12"
        )
    return value


def _seconds(text: str) -> float:
    """argparse ``type=`` of ``--max-time``: a positive, finite number of
    seconds; argparse names the option in its error."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds; pass e.g. 120"
        ) from None
    if not (value > 0 and value < float("inf")):
        raise argparse.ArgumentTypeError(
            f"{text} is not a positive number of seconds; pass e.g. 120"
        )
    return value


def _coverage(text: str) -> float:
    """argparse ``type=`` of ``--coverage``: a share strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number; pass a coverage such as 0.9"
        ) from None
    if not 0 < value < 1:
        hint = f" ({value / 100:g} for {value:g}%)" if 1 < value < 100 else ""
        raise argparse.ArgumentTypeError(
            f"{value:g} is not between 0 and 1; pass a share such as 0.9{hint}"
        )
    return value


def _with_intervals(forecast: Any, bands: Any) -> Any:
    """The forecast with a lower and an upper column per column and coverage
    (``<column>_lower_<c>``), each after its column."""
    import pandas as pd

    parts = []
    for col in forecast.columns:
        parts.append(forecast[[col]])
        for c in bands[col].columns.get_level_values(0).unique():
            for side in ("lower", "upper"):
                parts.append(bands[(col, c, side)].rename(f"{col}_{side}_{c:g}"))
    return pd.concat(parts, axis=1)


def _check_writable(name: str, path: str, suffixes: Sequence[str] = ()) -> None:
    """Fail before training when an output file could not be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise CLIError(
            f"{name} {path!r}: the folder {os.path.dirname(path)!r} does not exist; "
            "create it first or pass a path in an existing folder."
        )
    if not os.access(folder, os.W_OK):
        raise CLIError(
            f"{name} {path!r}: the folder {os.path.dirname(path) or '.'!r} is not "
            "writable; pass a path in a folder you can write to."
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

    try:
        with _writing("--plot", path):
            fig.savefig(path, dpi=100)
    finally:
        plt.close(fig)


def _write_csv(frame: Any, path: str) -> None:
    with _writing("--out", path):
        _float32_digits(frame).to_csv(path)


@contextlib.contextmanager
def _writing(name: str, path: str) -> Iterator[None]:
    """An output that cannot be written is a bad argument, said in one line."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CLIError(
            f"{name} {path!r}: cannot be written ({reason}); pass a path in a "
            "folder you can write to."
        ) from None


def _print_holdout(errors: Any, holdout: int) -> None:
    """The models' errors on the held-out rows, one line each, best MAE marked;
    the forecaster's interval coverage and mean width per coverage beside."""
    intervals = [c for c in errors.columns if c.startswith(("coverage_", "width_"))]
    print(
        f"error on the last {holdout} rows (every window whose forecast lies "
        "there; MASE below 1 beats the seasonal naive forecast"
        + (
            "; COVERAGE: the share of held-out values inside the model's "
            "intervals, WIDTH: their mean width"
            if intervals
            else ""
        )
        + "):"
    )
    best = errors["mae"].idxmin()

    def heading(name: str) -> str:
        what, _, level = name.partition("_")
        return f"{what.upper()} {100 * float(level):g}%" if level else name.upper()

    table = errors.rename(columns=heading).to_string(
        float_format=lambda v: f"{v:.4g}", col_space=10, na_rep="-"
    )
    header, *lines = table.splitlines()
    print(f"  {header}")
    for line, name in zip(lines, errors.index, strict=True):
        print(f"  {line}" + ("  <- lowest MAE" if name == best else ""))


def _float32_digits(frame: Any) -> Any:
    """The forecast with the digits float32 holds: the network computes in
    float32, so ``83.9212`` rather than ``83.92120361328125`` in the file."""
    import numpy as np
    import pandas as pd

    values = frame.to_numpy(dtype=np.float32)
    shortest = [[float(str(v)) for v in row] for row in values]
    return pd.DataFrame(shortest, index=frame.index, columns=frame.columns)


def _use_agg() -> None:
    """The command line only writes files: draw without a window system."""
    import matplotlib

    matplotlib.use("Agg")


# ---------------------------------------------------------------------------
# demo
# ---------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from . import PatchForecaster
    from .backtesting import holdout_errors
    from .datasets import load_ili
    from .plotting import plot_forecast
    from .series import SeriesForecaster

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
            max_time=args.max_time,
            # the defaults for a series this short are the best ILI setting of
            # the benchmarks (benchmarks/TRIED.md): a scale-equivariant
            # correction to the ridge, trained on absolute errors, in small
            # batches, with averaged weights
            random_state=args.random_state,
            verbose=0 if args.quiet else 1,
        ),
        lookback=lookback,
        horizon=horizon,
    )
    print(
        f"Fitting PatchForecaster on the bundled ILI series (column {column!r}, "
        f"lookback={lookback}, horizon={horizon}, {len(train)} weeks of training "
        f"data, the last {holdout} held out)"
        + ("" if args.quiet else "; progress on stderr"),
        flush=True,
    )
    with _progress_to_stderr():
        errors, forecaster = holdout_errors(forecaster, values, holdout)
    _print_holdout(errors, holdout)
    # forecast the weeks after the end of the data, from its last `lookback` weeks
    future = forecaster.predict(values)
    _write_csv(future, args.out)
    print(f"forecast of the next {horizon} weeks written to {args.out}")
    _use_agg()
    fig, _ = plot_forecast(
        train,
        forecaster.predict(train),
        values.iloc[-holdout:],
        n_history=3 * lookback,
        figsize=(9, 4),
    )
    fig.suptitle(
        f"Bundled ILI data: {horizon}-week forecast into the {holdout} held-out weeks"
    )
    _save_figure(fig, args.plot)
    print(f"plot written to {args.plot}")
    return 0


# ---------------------------------------------------------------------------
# forecast
# ---------------------------------------------------------------------------


def _forecast(args: argparse.Namespace) -> int:
    _check_writable("--out", args.out)
    if args.plot is not None:
        _check_writable("--plot", args.plot, _plot_suffixes())
    data = _read_csv(args)
    _check_rows(args, len(data))
    _check_holdout_gaps(args, data)
    forecaster = _series_forecaster(args)
    held = "" if args.holdout is None else f", the last {args.holdout} held out"
    print(
        f"Fitting PatchForecaster on {args.csv} ({len(data)} rows at frequency "
        f"{data.index.freqstr!r}{held}, {len(data.columns)} column(s), "
        f"horizon={args.horizon})" + ("" if args.quiet else "; progress on stderr"),
        flush=True,
    )
    from .exceptions import SktimePatchesError

    asked = sorted(set(args.coverage or ()))
    try:
        with _unbounded() as unbounded:
            with _progress_to_stderr():
                if args.holdout is None:
                    fitted, errors = forecaster.fit(data), None
                else:
                    from .backtesting import holdout_errors

                    errors, fitted = holdout_errors(
                        forecaster, data, args.holdout, coverage=asked or None
                    )
            _print_fitted(args, fitted)
            _check_last_window(args, data, fitted)  # before predict refuses
            forecast = fitted.predict(data)  # the steps after the end of the file
            bands = fitted.predict_interval(data, coverage=asked) if asked else None
    except SktimePatchesError as exc:  # e.g. TrainingDivergedError
        print(f"{PROG}: error: training failed: {_one_line(exc)}", file=sys.stderr)
        return 1
    except (TypeError, ValueError) as exc:  # a check of the estimators
        raise CLIError(_one_line(exc)) from None
    coverage = [c for c in asked if c not in unbounded]
    for c in sorted(unbounded):  # never an infinite bound without a word
        print(
            f"{PROG}: warning: {unbounded[c]} Left out of --out"
            + (" and --plot." if args.plot is not None else "."),
            file=sys.stderr,
        )
    if errors is not None:
        gone = [f"{what}_{c:g}" for c in unbounded for what in ("coverage", "width")]
        _print_holdout(errors.drop(columns=gone, errors="ignore"), args.holdout)
    if bands is not None:
        bands = bands.loc[:, bands.columns.get_level_values(1).isin(coverage)]
    _write_csv(forecast if not coverage else _with_intervals(forecast, bands), args.out)
    shares = " and ".join(f"{100 * c:g}%" for c in coverage)
    print(
        f"forecast of the next {args.horizon} steps ({forecast.index[0]} .. "
        f"{forecast.index[-1]})"
        + (f" with {shares} prediction intervals" if coverage else "")
        + f" written to {args.out}"
    )
    if args.plot is not None:
        _plot_forecast(args, data, fitted, forecast, bands if coverage else None)
    if asked and not coverage:
        print(
            f"{PROG}: error: no interval of the coverage(s) asked could be bounded "
            f"({', '.join(f'{c:g}' for c in asked)}); the forecast was written "
            "without them. Pass a lower --coverage or a longer file.",
            file=sys.stderr,
        )
        return 1
    return 0


@contextlib.contextmanager
def _unbounded() -> Iterator[dict[float, str]]:
    """Collect, by coverage, the one-line warnings of intervals that could not
    be bounded (filled on exit); every other warning goes through as usual."""
    from .exceptions import UnboundedIntervalWarning

    found: dict[float, str] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnboundedIntervalWarning)
        yield found
    for caught_one in caught:
        message = caught_one.message
        if isinstance(message, UnboundedIntervalWarning):
            found.setdefault(message.coverage, str(message))
        else:
            warnings.warn_explicit(
                message, caught_one.category, caught_one.filename, caught_one.lineno
            )


def _read_csv(args: argparse.Namespace) -> Any:
    """The CSV file as a regular DataFrame; a bad file is a bad argument."""
    from .exceptions import DataFormatError
    from .io import WORDING, read_series_csv

    token = WORDING.set("cli")  # the file's messages name options, not keywords
    try:
        data = read_series_csv(
            args.csv,
            date_col=args.date_col,
            columns=args.columns,
            sep=args.sep,
            decimal=args.decimal,
            allow_missing=True,  # gaps, as the Python API reads them
        )
    except DataFormatError as exc:
        raise CLIError(str(exc)) from None
    finally:
        WORDING.reset(token)
    absent = int(data.isna().all(axis=1).sum())
    cells = int(data.isna().to_numpy().sum())
    if cells:
        print(
            f"{args.csv}: {cells} missing value(s)"
            + (
                f" ({absent} of them whole rows, dates absent from the "
                f"{data.index.freqstr!r} grid)"
                if absent
                else ""
            )
            + " read as gaps: the training windows that touch one are left out",
            flush=True,
        )
    return data


def _check_rows(args: argparse.Namespace, n_rows: int) -> None:
    """Refuse, naming the options, arguments the file has too few rows for
    (the estimators' own checks would name their parameters instead)."""
    horizon, holdout, lookback = args.horizon, args.holdout, args.lookback
    if holdout is not None and holdout < horizon:
        raise CLIError(
            f"--holdout {holdout}: shorter than --horizon {horizon}; pass --holdout "
            f"{horizon} or more, so that at least one forecast lies in it."
        )
    rows = n_rows if holdout is None else n_rows - holdout
    if holdout is not None and rows < horizon + 2:
        raise CLIError(
            f"--holdout {holdout}: leaves {rows} of the {n_rows} rows to train on, "
            f"too few to forecast {horizon} steps; pass a smaller --holdout or "
            "--horizon."
        )
    if lookback is None and n_rows < horizon + 2:
        raise CLIError(
            f"--horizon {horizon}: {args.csv!r} has {n_rows} rows, too few to "
            f"forecast {horizon} steps (the default lookback needs at least "
            f"horizon + 2 = {horizon + 2} rows); pass a smaller --horizon or "
            "a longer file."
        )
    if lookback is not None and rows < lookback + horizon:
        where = f"{args.csv!r} has"
        if holdout is not None:
            where = f"{args.csv!r} without its --holdout {holdout} rows has"
        raise CLIError(
            f"--lookback {lookback}: {where} {rows} rows, fewer than "
            f"--lookback + --horizon = {lookback + horizon}; pass --lookback "
            f"{rows - horizon} or less, a smaller --horizon, or a longer file."
        )
    if None not in (lookback, args.patch_len) and args.patch_len > lookback:
        raise CLIError(
            f"--patch-len {args.patch_len}: longer than the lookback ({lookback} "
            f"steps); pass --patch-len {lookback} or less, or a longer --lookback."
        )


def _series_forecaster(args: argparse.Namespace) -> Any:
    """The forecaster the options ask for: the lookback and the patch length
    are the library's defaults unless given."""
    from . import PatchForecaster
    from .series import SeriesForecaster

    model: Any = PatchForecaster(
        patch_len=args.patch_len,
        max_epochs=args.max_epochs,
        max_time=args.max_time,
        random_state=args.random_state,
        verbose=0 if args.quiet else 1,
    )
    if args.coverage:  # the network's forecast, calibrated at no cost to it
        from .conformal import ConformalForecaster

        model = ConformalForecaster(model)
    lookback = "auto" if args.lookback is None else args.lookback
    return SeriesForecaster(
        model, lookback=lookback, horizon=args.horizon, fill=args.fill
    )


def _check_holdout_gaps(args: argparse.Namespace, data: Any) -> None:
    """The held-out comparison cannot read gaps: say so before training."""
    import numpy as np

    holes = np.argwhere(data.isna().to_numpy())
    if args.holdout is None or not len(holes):
        return
    row, col = holes[0]
    raise CLIError(
        f"--holdout {args.holdout}: the errors of the model and of the baselines "
        f"on the held-out rows are measured without gaps, but {args.csv!r} has "
        f"{len(holes)} missing value(s) (first in column "
        f"{str(data.columns[col])!r} at {data.index[row]}); fill them in the file "
        "(e.g. interpolate), or leave out --holdout: the forecast itself skips "
        "the training windows that touch a gap."
    )


def _check_last_window(args: argparse.Namespace, data: Any, fitted: Any) -> None:
    """Gaps in the rows a forecast starts from need --fill; say how many
    training windows the gaps left out."""
    import numpy as np

    if fitted.n_skipped_windows_:
        total = fitted.n_windows_ + fitted.n_skipped_windows_
        print(
            f"{fitted.n_skipped_windows_} of {total} training windows touch a gap "
            f"and were left out; {fitted.n_windows_} trained",
            flush=True,
        )
    last = data.iloc[-fitted.lookback_ :]
    holes = np.argwhere(last.isna().to_numpy())
    if args.fill is None and len(holes):
        row, col = holes[0]
        raise CLIError(
            f"{args.csv!r}: the last {fitted.lookback_} rows, which the forecast "
            f"starts from, have {len(holes)} missing value(s) (first in column "
            f"{str(last.columns[col])!r} at {last.index[row]}); pass --fill ffill "
            "or --fill interpolate, or fill them in the file."
        )


def _print_fitted(args: argparse.Namespace, fitted: Any) -> None:
    """What the model chose: its lookback (and how), its patch length, and
    how epochs sampled a long file's windows."""
    from ._tags import point_forecaster

    network = point_forecaster(fitted)
    scores = fitted.lookback_scores_
    how = "--lookback"
    if scores is not None:
        how = "the longest that fits"
        if scores:
            how = "chosen by the linear model's error on the last 20% of rows " + (
                "among " + ", ".join(str(c) for c in scores)
            )
    print(
        f"fitted with lookback={fitted.lookback_} ({how}), horizon={args.horizon}, "
        f"patch_len={network.patch_len_}",
        flush=True,
    )
    scores = getattr(network, "validation_scores_", None)
    if getattr(network, "linear_floor_", None) is not None:
        why = (
            "no validation windows to judge the network on"
            if scores is None
            else "the network did not beat it on the validation windows (MSE "
            f"{scores['network']:.4g} against {scores['linear']:.4g})"
        )
        print(
            "the model is the linear baseline, exactly the 'linear (ridge)' model "
            f"(LastValueRidge): {why}",
            flush=True,
        )
    elif scores is not None:
        print(
            "the model is the network: it beats the linear baseline on the "
            f"validation windows (MSE {scores['network']:.4g} against "
            f"{scores['linear']:.4g})",
            flush=True,
        )
    if getattr(network, "max_time_reached_", False):
        print(
            f"training stopped at --max-time {args.max_time:g}s after "
            f"{network.n_epochs_} epoch(s); the model is the best epoch so far",
            flush=True,
        )
    cap = network.resolved_params_["windows_per_epoch"]
    if cap is not None and fitted.n_windows_ > cap:
        print(
            f"{fitted.n_windows_:,} training windows: each epoch trained on a fresh "
            f"random {cap:,} of them (PatchForecaster's windows_per_epoch), so an "
            "epoch takes the same time however long the file",
            flush=True,
        )


def _plot_forecast(
    args: argparse.Namespace, data: Any, fitted: Any, forecast: Any, bands: Any
) -> None:
    """The history and the forecast (into the held-out rows, beside what
    happened, with --holdout), the first columns only."""
    from .plotting import plot_forecast

    _use_agg()
    columns = list(data.columns)
    drawn = columns[:MAX_PLOT_COLUMNS]
    if len(columns) > len(drawn):
        print(
            f"plotting the first {len(drawn)} of {len(columns)} columns "
            "(choose others with --columns)",
            file=sys.stderr,
        )
    name, lookback = os.path.basename(args.csv), fitted.lookback_
    if args.holdout is None:
        fig, _ = plot_forecast(
            data,
            forecast,
            columns=drawn,
            n_history=min(len(data), 3 * lookback),
            intervals=bands,
        )
        fig.suptitle(f"{name}: {args.horizon}-step forecast")
    else:  # the first forecast into the held-out rows, against what happened
        history = data.iloc[: -args.holdout]
        # the coverages bounded (those of the forecast's bands)
        coverage = (
            [] if bands is None else sorted(set(bands.columns.get_level_values(1)))
        )
        fig, _ = plot_forecast(
            history,
            fitted.predict(history),
            data.iloc[-args.holdout :],
            columns=drawn,
            n_history=min(len(history), 3 * lookback),
            intervals=(
                fitted.predict_interval(history, coverage=coverage)
                if coverage
                else None
            ),
        )
        fig.suptitle(f"{name}: {args.horizon}-step forecast into the held-out rows")
    _save_figure(fig, args.plot)
    print(f"plot written to {args.plot}")


# ---------------------------------------------------------------------------
# Parser and entry point
# ---------------------------------------------------------------------------

_FORECAST_EPILOG = """\
The date column is the one named by --date-col, or else the first text column
whose values parse as dates (e.g. 2024-01-31, 31/01/2024, 2024-01-31 12:00). Rows
are sorted by date, and the dates must be evenly spaced (hourly, daily, weekly,
monthly, ...): the frequency is inferred from them and gives the timestamps of
the forecast. Every chosen column must be numeric. Gaps (empty cells, or dates
absent from a regular grid) are read as missing values, as the Python API reads
them: the training windows that touch one are left out (the count is printed),
and gaps in the last rows the forecast starts from need --fill.

The lookback (steps of history each forecast reads) is chosen, when --lookback
is not given, among max(horizon, 8) steps doubled up to 720 (or up to the
horizon when longer), and at most half of the rows left after one horizon, by
the error of a linear model
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
    from ._version import __version__

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
            type=_positive_int,
            default=max_epochs,
            metavar="N",
            help=f"most training epochs; early stopping may end sooner "
            f"(default: {max_epochs})",
        )
        p.add_argument(
            "--max-time",
            type=_seconds,
            default=None,
            metavar="SECONDS",
            help="most seconds the training may take: it then stops and keeps the "
            "best epoch so far (default: no limit)",
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
    demo.add_argument("--lookback", type=_positive_int, default=104, metavar="L")
    demo.add_argument("--horizon", type=_positive_int, default=24, metavar="H")
    demo.add_argument("--patch-len", type=_positive_int, default=8, metavar="P")
    demo.add_argument(
        "--holdout",
        type=_positive_int,
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
        "--horizon",
        type=_positive_int,
        required=True,
        metavar="H",
        help="steps to forecast",
    )
    fc.add_argument(
        "--lookback",
        type=_positive_int,
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
        type=_positive_int,
        metavar="P",
        help="steps per patch (default: PatchForecaster's, at most the lookback)",
    )
    fc.add_argument(
        "--sep", default=",", help="field separator of the CSV file (default: ',')"
    )
    fc.add_argument(
        "--decimal",
        default=".",
        help="decimal point of the numbers, e.g. ',' for 12,5 (default: '.')",
    )
    fc.add_argument(
        "--fill",
        choices=("ffill", "interpolate"),
        help="fill gaps in the last rows the forecast starts from: carry the "
        "last value forward, or interpolate (training skips the windows that "
        "touch a gap either way)",
    )
    fc.add_argument(
        "--holdout",
        type=_positive_int,
        metavar="N",
        help="keep the last N rows out of training, and print the error on them "
        "of the model, repeat-last, the seasonal naive forecast and the linear "
        "model (the plot then shows the forecast into them beside what happened)",
    )
    fc.add_argument(
        "--coverage",
        type=_coverage,
        nargs="+",
        metavar="C",
        help="also write prediction intervals of these coverages, e.g. 0.8 0.95: "
        "columns <column>_lower_<C> and <column>_upper_<C> in --out, bands in "
        "--plot, and with --holdout their coverage and mean width on the "
        "held-out rows (conformal: calibrated on the windows the network holds "
        "out to stop early, or, on a short file, on every window through "
        "time-ordered folds; the forecast is the same as without). A coverage "
        "the file has too few windows for is said and left out",
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
