"""Helpers shared by the tests: exact error messages, seeded synthetic series.

Importable from any test module (pytest puts ``tests/`` on ``sys.path``).
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def raises(exc: type[BaseException], msg: str):
    """``pytest.raises`` that requires the whole message, word for word."""
    return pytest.raises(exc, match="^" + re.escape(msg) + "$")


def warns_exactly(category: type[Warning], msg: str):
    """``pytest.warns`` that requires a warning of ``category`` with the whole
    message, word for word."""
    return pytest.warns(category, match="^" + re.escape(msg) + "$")


# ---------------------------------------------------------------------------
# Tiny networks: what keeps a test's training to about a second
# ---------------------------------------------------------------------------


def tiny(**changes):
    """Keyword arguments of a PatchForecaster small enough for a test to train
    in about a second: tokens and recurrent states of 8, a fixed seed; explicit,
    never the defaults (those are retuned). ``changes`` add to them or
    override them (the epochs, the patch length, ...)."""
    return {"d_model": 8, "hidden_size": 8, "random_state": 0, **changes}


#: For tests of what training does (the loss falls, the same training on
#: arrays and on a SeriesWindows): a random start of the linear skip, since the
#: ridge start of the defaults would already be near the optimum of these easy
#: series (the ridge start has its own tests, test_linear_init.py).
TRAINING = tiny(
    patch_len=8,
    d_model=16,
    hidden_size=16,
    batch_size=64,
    max_epochs=2,
    linear_skip="learned",
)


def seasonal(n=300, period=24, noise=0.05, seed=0, channels=1):
    """A sine of ``period`` steps per channel (each channel phase-shifted by
    one radian) plus Gaussian noise: ``(n, channels)``, seeded."""
    t = np.arange(n)[:, None]
    phase = np.arange(channels)[None, :]
    rng = np.random.default_rng(seed)
    return np.sin(2 * np.pi * t / period + phase) + noise * rng.normal(
        size=(n, channels)
    )


def many(lengths=(200, 260, 320), channels=1):
    """Several seasonal series of the given lengths, each with its own seed."""
    return [seasonal(n, seed=i, channels=channels) for i, n in enumerate(lengths)]


def windows_of(series_list, lookback, horizon, stride=1):
    """make_windows of each series, concatenated: what SeriesWindows must equal."""
    from sktime_patches import make_windows

    parts = [make_windows(s, lookback, horizon, stride) for s in series_list]
    return (
        np.concatenate([p[0] for p in parts]).astype(np.float32),
        np.concatenate([p[1] for p in parts]).astype(np.float32),
    )


# ---------------------------------------------------------------------------
# CSV files: read_series_csv and the command line meet the same conditions and
# answer each with the same message
# ---------------------------------------------------------------------------

N_ROWS = 60


def daily_frame(n_rows: int = N_ROWS) -> pd.DataFrame:
    t = np.arange(n_rows, dtype=np.float64)
    return pd.DataFrame(
        {
            "date": pd.date_range("2024-01-01", periods=n_rows, freq="D").strftime(
                "%Y-%m-%d"
            ),
            "a": np.sin(2 * np.pi * t / 7),
            "b": 0.5 * t,
            "city": ["Oslo"] * n_rows,
        }
    )


def write_bad_files(folder: Path) -> None:
    """Every file the error cases below refer to."""
    good = daily_frame()
    Path(folder, "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" * 4)
    Path(folder, "empty.csv").write_text("")
    Path(folder, "header.csv").write_text("date,a,b\n")
    good.to_csv(Path(folder, "semicolon.csv"), sep=";", index=False)
    good.drop(columns="date").to_csv(Path(folder, "nodates.csv"), index=False)
    good[["date", "city"]].to_csv(Path(folder, "textonly.csv"), index=False)
    bad_date = good.copy()
    bad_date.loc[4, "date"] = "soon"
    bad_date.to_csv(Path(folder, "baddate.csv"), index=False)
    dup = good.copy()
    dup.loc[10, "date"] = dup.loc[9, "date"]
    dup.to_csv(Path(folder, "dup.csv"), index=False)
    gaps = good.drop(index=[20, 21, 40]).reset_index(drop=True)
    gaps.to_csv(Path(folder, "gaps.csv"), index=False)
    missing = good.copy()
    missing.loc[[6, 7], "b"] = np.nan
    missing.to_csv(Path(folder, "missing.csv"), index=False)
    inf = good.copy()
    inf.loc[3, "a"] = np.inf
    inf.to_csv(Path(folder, "inf.csv"), index=False)
    daily_frame(5).to_csv(Path(folder, "short.csv"), index=False)
    daily_frame(2).to_csv(Path(folder, "two.csv"), index=False)
    Path(folder, "sub").mkdir()


#: name -> (file, read_series_csv keyword arguments, the same on the command
#: line, the message both give)
CSV_CASES = {
    "no file": (
        "nope.csv",
        {},
        [],
        "csv 'nope.csv': no such file; pass the path of an existing CSV file.",
    ),
    "folder": ("sub", {}, [], "csv 'sub': is a folder; pass the path of a CSV file."),
    "binary": (
        "image.png",
        {},
        [],
        "csv 'image.png': not a CSV file (it holds binary data); pass a "
        "comma-separated text file with a header row (or its separator: sep=).",
    ),
    "empty": (
        "empty.csv",
        {},
        [],
        "csv 'empty.csv': the file is empty; pass a comma-separated text file with a "
        "header row (or its separator: sep=).",
    ),
    "header only": (
        "header.csv",
        {},
        [],
        "csv 'header.csv': has a header but no rows; pass a file with data rows.",
    ),
    "semicolons": (
        "semicolon.csv",
        {},
        [],
        "csv 'semicolon.csv': found one column 'date;a;b;city'; the file seems "
        "separated by ';', so pass sep=';'.",
    ),
    "no date column": (
        "nodates.csv",
        {},
        [],
        "csv 'nodates.csv': no column parses as dates (columns: 'a', 'b', 'city'); "
        "add a date column such as 2024-01-31, or name it with date_col=.",
    ),
    "unknown date column": (
        "data.csv",
        {"date_col": "day"},
        ["--date-col", "day"],
        "date_col='day': not a column of 'data.csv'; its columns are 'date', 'a', "
        "'b', 'city'.",
    ),
    "date column not dates": (
        "data.csv",
        {"date_col": "city"},
        ["--date-col", "city"],
        "date column 'city': the column does not parse as dates (first value: "
        "'Oslo'); pass a column of dates such as 2024-01-31 or 2024-01-31 12:00.",
    ),
    "a value not a date": (
        "baddate.csv",
        {},
        [],
        "date column 'date': 1 value(s) are empty or not dates (first on line 6: "
        "'soon'); fix or remove those rows.",
    ),
    "duplicated dates": (
        "dup.csv",
        {},
        [],
        "date column 'date' has 1 duplicated timestamp(s) (first: 2024-01-10 "
        "00:00:00); each time step must appear once, so keep one row per time "
        "step, e.g. average the duplicates.",
    ),
    "uneven dates": (
        "gaps.csv",
        {},
        [],
        "date column 'date': the dates are not evenly spaced, so no frequency can "
        "be inferred (the usual step is 1 days 00:00:00, but 2 step(s) differ, the "
        "first after 2024-01-20 00:00:00); resample the data to one row per 'D' "
        "step first, filling the gaps.",
    ),
    "too few rows for a frequency": (
        "two.csv",
        {},
        [],
        "csv 'two.csv': has 2 row(s), too few to infer the frequency of the dates; "
        "pass a file with at least 3 rows.",
    ),
    "unknown column": (
        "data.csv",
        {"columns": ["a", "c"]},
        ["--columns", "a", "c"],
        "columns='c': not a column of 'data.csv'; its columns are 'date', 'a', "
        "'b', 'city'.",
    ),
    "text column": (
        "data.csv",
        {"columns": ["city"]},
        ["--columns", "city"],
        "columns='city': not numeric (it holds 'Oslo'); pass only columns of numbers.",
    ),
    "date column as values": (
        "data.csv",
        {"columns": ["date"]},
        ["--columns", "date"],
        "columns='date': is the date column; pass only columns of values to forecast.",
    ),
    "no numeric column": (
        "textonly.csv",
        {},
        [],
        "csv 'textonly.csv': no numeric column besides the date column 'date' "
        "(columns: 'date', 'city'); add one, or check the separator (sep=).",
    ),
    "missing values": (
        "missing.csv",
        {},
        [],
        "csv 'missing.csv': column 'b' has 2 missing value(s) (first on line 8); "
        "fill them in the file (e.g. interpolate), or leave the column out "
        "(columns=).",
    ),
    "infinite values": (
        "inf.csv",
        {},
        [],
        "csv 'inf.csv': column 'a' has 1 infinite value(s) (first on line 5); "
        "replace them in the file, or leave the column out (columns=).",
    ),
}


#: What the command line says instead, where it differs: its own options'
#: names; None where it now reads the file (gaps, as the Python API reads them
#: with allow_missing=True).
CLI_MESSAGES = {
    name: message.replace("sep=';'", "--sep ';'")
    .replace("sep=)", "--sep)")
    .replace("date_col=.", "--date-col.")
    .replace("date_col='day'", "--date-col 'day'")
    .replace("columns='", "--columns '")
    .replace("(columns=)", "(--columns)")
    for name, (_, _, _, message) in CSV_CASES.items()
}
CLI_MESSAGES.update({"uneven dates": None, "missing values": None})
