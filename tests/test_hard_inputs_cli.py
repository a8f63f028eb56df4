"""The command line under hard inputs (issue 28): gaps read as the API reads
them, options named in its own words, no infinite bound written."""

import re

import numpy as np
import pandas as pd
import pytest
from helpers import CLI_MESSAGES, CSV_CASES, daily_frame

from sktime_patches.cli import main
from sktime_patches.io import read_series_csv

FAST = ["--max-epochs", "1", "--patch-len", "2", "--quiet", "--lookback", "8"]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    frame = daily_frame(120)
    frame.drop(index=[20, 21, 40]).to_csv("absent.csv", index=False)
    cells = frame.copy()
    cells.loc[[30, 31], "b"] = np.nan
    cells.to_csv("cells.csv", index=False)
    end = frame.copy()
    end.loc[117, "a"] = np.nan
    end.to_csv("end.csv", index=False)
    frame.to_csv("semicolon.csv", sep=";", index=False)
    daily_frame(40).to_csv("short.csv", index=False)
    return tmp_path


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_dates_absent_from_the_grid_are_gaps_as_in_python(workdir, capsys):
    code, out, err = run(
        ["forecast", "absent.csv", "--horizon", 3, "--out", "fc.csv", *FAST], capsys
    )
    assert (code, err) == (0, "")
    assert (
        "absent.csv: 6 missing value(s) (3 of them whole rows, dates absent from the "
        "'D' grid) read as gaps: the training windows that touch one are left out"
    ) in out
    data = read_series_csv("absent.csv", allow_missing=True)
    assert len(data) == 120 and data.index.freqstr == "D"
    assert int(data.isna().all(axis=1).sum()) == 3
    assert "of 110 training windows touch a gap and were left out" in out


def test_empty_cells_are_gaps_as_in_python(workdir, capsys):
    code, out, err = run(
        ["forecast", "cells.csv", "--horizon", 3, "--out", "fc.csv", *FAST], capsys
    )
    assert (code, err) == (0, "")
    assert "cells.csv: 2 missing value(s) read as gaps" in out
    assert "12 of 110 training windows touch a gap and were left out; 98 trained" in out
    assert len(pd.read_csv("fc.csv")) == 3


def test_a_gap_in_the_last_rows_needs_fill(workdir, capsys):
    code, _, err = run(
        ["forecast", "end.csv", "--horizon", 3, "--out", "fc.csv", *FAST], capsys
    )
    assert code == 2
    assert err == (
        "sktime-patches: error: 'end.csv': the last 8 rows, which the forecast "
        "starts from, have 1 missing value(s) (first in column 'a' at 2024-04-27 "
        "00:00:00); pass --fill ffill or --fill interpolate, or fill them in the "
        "file.\n"
    )


@pytest.mark.parametrize("fill", ["ffill", "interpolate"])
def test_fill_fills_the_last_rows(workdir, capsys, fill):
    code, _, err = run(
        ["forecast", "end.csv", "--horizon", 3, "--out", "fc.csv", "--fill", fill,
         *FAST],
        capsys,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert np.isfinite(pd.read_csv("fc.csv", index_col=0).to_numpy()).all()


def test_holdout_with_gaps_says_why_it_cannot(workdir, capsys):
    code, _, err = run(
        ["forecast", "cells.csv", "--horizon", 3, "--out", "fc.csv", "--holdout", 10,
         *FAST],
        capsys,
    )  # fmt: skip
    assert code == 2
    assert err == (
        "sktime-patches: error: --holdout 10: the errors of the model and of the "
        "baselines on the held-out rows are measured without gaps, but 'cells.csv' "
        "has 2 missing value(s) (first in column 'b' at 2024-01-31 00:00:00); fill "
        "them in the file (e.g. interpolate), or leave out --holdout: the forecast "
        "itself skips the training windows that touch a gap.\n"
    )


def test_an_infinite_interval_is_said_and_not_written(workdir, capsys):
    code, _, err = run(
        ["forecast", "short.csv", "--horizon", 3, "--out", "fc.csv", "--coverage",
         "0.99", *FAST],
        capsys,
    )  # fmt: skip
    assert code == 1  # every level asked is unbounded
    assert err.startswith(
        "sktime-patches: warning: coverage=0.99 needs at least 99 calibration "
        "windows, but there are "
    )
    assert ", or ask a coverage of at most 0." in err
    assert "sktime-patches: error: no interval of the coverage(s) asked" in err
    written = pd.read_csv("fc.csv", index_col=0)
    assert list(written.columns) == ["a", "b"]  # the forecast, no bounds
    assert np.isfinite(written.to_numpy()).all()


def test_the_coverage_the_refusal_names_works(workdir, capsys):
    code, _, err = run(
        ["forecast", "short.csv", "--horizon", 3, "--out", "fc.csv", "--coverage",
         "0.99", *FAST],
        capsys,
    )  # fmt: skip
    most = re.search(r"a coverage of at most (0\.\d+)\.", err).group(1)
    code, _, err = run(
        ["forecast", "short.csv", "--horizon", 3, "--out", "fc.csv", "--coverage",
         most, *FAST],
        capsys,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert np.isfinite(pd.read_csv("fc.csv", index_col=0).to_numpy()).all()


def test_advice_names_the_option_not_the_keyword(workdir, capsys):
    code, _, err = run(
        ["forecast", "semicolon.csv", "--horizon", 3, "--out", "fc.csv"], capsys
    )
    assert code == 2
    assert "pass --sep ';'." in err
    assert "sep=" not in err


@pytest.mark.parametrize(
    "name", [n for n, m in CLI_MESSAGES.items() if m is not None], ids=str
)
def test_no_cli_message_holds_a_python_keyword(name):
    message = CLI_MESSAGES[name]
    for keyword in ("sep=", "date_col=", "columns=", "decimal="):
        assert keyword not in message


@pytest.mark.parametrize("name", list(CSV_CASES), ids=str)
def test_no_python_message_holds_an_option(name):
    message = CSV_CASES[name][3]
    for option in ("--sep", "--date-col", "--columns", "--decimal"):
        assert option not in message
