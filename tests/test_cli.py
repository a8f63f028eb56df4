"""Tests of the ``sktime-patches`` command line: files written, exit codes, messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sktime_patches.cli import default_lookback, main
from sktime_patches.lookback import select_lookback

N_ROWS = 60
# tiny, fast training settings; the forecasts are checked for shape, not skill
FAST = ["--max-epochs", "1", "--patch-len", "4", "--quiet"]


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


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Run in a temporary folder, so that messages show short relative paths."""
    monkeypatch.chdir(tmp_path)
    daily_frame().to_csv("data.csv", index=False)
    return tmp_path


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def read_forecast(path) -> pd.DataFrame:
    return pd.read_csv(path, index_col=0, parse_dates=True)


class TestForecast:
    def test_writes_the_next_timestamps_and_numeric_columns(self, workdir, capsys):
        code, out, err = run(
            ["forecast", "data.csv", "--horizon", 5, "--lookback", 14, "--out",
             "fc.csv", *FAST],
            capsys,
        )  # fmt: skip
        assert (code, err) == (0, "")
        fc = read_forecast("fc.csv")
        expected = pd.date_range("2024-03-01", periods=5, freq="D", name="date")
        pd.testing.assert_index_equal(fc.index, expected, check_freq=False)
        assert list(fc.columns) == ["a", "b"]  # 'city' is text: left out
        assert np.isfinite(fc.to_numpy()).all()
        assert "lookback=14 (--lookback), horizon=5, patch_len=4" in out
        assert out.strip().splitlines()[-1].endswith("written to fc.csv")

    def test_columns_and_plot(self, workdir, capsys):
        code, out, _ = run(
            ["forecast", "data.csv", "--horizon", 3, "--columns", "b", "--out",
             "fc.csv", "--plot", "fc.png", *FAST],
            capsys,
        )  # fmt: skip
        assert code == 0
        assert list(read_forecast("fc.csv").columns) == ["b"]
        assert Path("fc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert out.strip().splitlines()[-1] == "plot written to fc.png"

    def test_default_lookback_is_reported(self, workdir, capsys):
        code, out, _ = run(
            ["forecast", "data.csv", "--horizon", 6, "--out", "fc.csv", *FAST], capsys
        )
        assert code == 0
        values = daily_frame()[["a", "b"]].to_numpy()
        chosen = select_lookback(values, 6)
        assert list(chosen.scores) == [8, 16]
        assert (
            f"lookback={chosen.lookback} (chosen by the linear model's error on the "
            "last 20% of rows among 8, 16), horizon=6" in out
        )

    def test_a_file_too_short_to_compare_lookbacks_takes_the_longest_that_fits(
        self, tmp_path, monkeypatch, capsys
    ):
        monkeypatch.chdir(tmp_path)
        daily_frame(14).to_csv("short.csv", index=False)
        code, out, _ = run(
            ["forecast", "short.csv", "--horizon", 6, "--out", "fc.csv", *FAST], capsys
        )
        assert code == 0
        assert default_lookback(14, 6) == 4
        assert "lookback=4 (the longest that fits), horizon=6" in out

    def test_date_column_found_anywhere_rows_sorted_day_first(self, workdir, capsys):
        weeks = pd.date_range("2023-01-03", periods=40, freq="W-TUE")
        df = pd.DataFrame(
            {
                "id": np.arange(40),  # numeric: never taken for dates
                "week": weeks.strftime("%d/%m/%Y"),
                "sales": np.arange(40, dtype=float) ** 0.5,
            }
        ).iloc[::-1]  # newest first, as many downloads are
        df.to_csv("weekly.csv", index=False)
        code, out, _ = run(
            ["forecast", "weekly.csv", "--horizon", 4, "--columns", "sales", "--out",
             "fc.csv", *FAST],
            capsys,
        )  # fmt: skip
        assert code == 0
        assert "frequency 'W-TUE'" in out
        fc = read_forecast("fc.csv")
        expected = pd.date_range(weeks[-1], periods=5, freq="W-TUE")[1:]
        assert list(fc.index) == list(expected)
        assert fc.index.name == "week"

    def test_hourly_data_and_explicit_date_column(self, workdir, capsys):
        stamps = pd.date_range("2024-05-01", periods=50, freq="h")
        pd.DataFrame(
            {"load": np.cos(np.arange(50) / 4), "at": stamps.strftime("%Y-%m-%d %H:%M")}
        ).to_csv("hourly.csv", index=False)
        code, _, _ = run(
            ["forecast", "hourly.csv", "--horizon", 2, "--date-col", "at", "--out",
             "fc.csv", *FAST],
            capsys,
        )  # fmt: skip
        assert code == 0
        fc = read_forecast("fc.csv")
        assert list(fc.index) == list(
            pd.date_range("2024-05-03 02:00", periods=2, freq="h")
        )
        assert list(fc.columns) == ["load"]

    def test_same_seed_same_forecast(self, workdir, capsys):
        for out in ("one.csv", "two.csv"):
            argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8,
                    "--seed", 7, "--out", out, *FAST]  # fmt: skip
            assert run(argv, capsys)[0] == 0
        assert Path("one.csv").read_text() == Path("two.csv").read_text()

    def test_progress_goes_to_stderr(self, workdir, capsys):
        argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8, "--out",
                "fc.csv", "--max-epochs", 1, "--patch-len", 4]  # fmt: skip
        code, out, err = run(argv, capsys)
        assert code == 0
        assert "train_loss" in err  # the epoch table
        assert "train_loss" not in out


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


FC = ["forecast", "data.csv", "--horizon", "3", "--out", "fc.csv"]
ERRORS = {
    "no file": (
        ["forecast", "nope.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'nope.csv': no such file; pass the path of an existing CSV file.",
    ),
    "folder": (
        ["forecast", "sub", "--horizon", "3", "--out", "fc.csv"],
        "csv 'sub': is a folder; pass the path of a CSV file.",
    ),
    "binary": (
        ["forecast", "image.png", "--horizon", "3", "--out", "fc.csv"],
        "csv 'image.png': not a CSV file (it holds binary data); pass a "
        "comma-separated text file with a header row (or --sep).",
    ),
    "empty": (
        ["forecast", "empty.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'empty.csv': the file is empty; pass a comma-separated text file with a "
        "header row (or --sep).",
    ),
    "header only": (
        ["forecast", "header.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'header.csv': has a header but no rows; pass a file with data rows.",
    ),
    "semicolons": (
        ["forecast", "semicolon.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'semicolon.csv': found one column 'date;a;b;city'; the file seems "
        "separated by ';', so pass --sep ';'.",
    ),
    "no date column": (
        ["forecast", "nodates.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'nodates.csv': no column parses as dates (columns: 'a', 'b', 'city'); "
        "add a date column such as 2024-01-31, or name it with --date-col.",
    ),
    "unknown date column": (
        [*FC, "--date-col", "day"],
        "--date-col 'day': not a column of 'data.csv'; its columns are 'date', 'a', "
        "'b', 'city'.",
    ),
    "date column not dates": (
        [*FC, "--date-col", "city"],
        "--date-col 'city': the column does not parse as dates (first value: "
        "'Oslo'); pass a column of dates such as 2024-01-31 or 2024-01-31 12:00.",
    ),
    "a value not a date": (
        ["forecast", "baddate.csv", "--horizon", "3", "--out", "fc.csv"],
        "--date-col 'date': 1 value(s) are empty or not dates (first on line 6: "
        "'soon'); fix or remove those rows.",
    ),
    "duplicated dates": (
        ["forecast", "dup.csv", "--horizon", "3", "--out", "fc.csv"],
        "--date-col 'date': 1 date(s) appear more than once (first: 2024-01-10 "
        "00:00:00); keep one row per time step, e.g. average the duplicates.",
    ),
    "uneven dates": (
        ["forecast", "gaps.csv", "--horizon", "3", "--out", "fc.csv"],
        "--date-col 'date': the dates are not evenly spaced, so no frequency can be "
        "inferred (the usual step is 1 days 00:00:00, but 2 step(s) differ, the "
        "first after 2024-01-20 00:00:00); resample the data to one row per 'D' "
        "step first, filling the gaps.",
    ),
    "too few rows for a frequency": (
        ["forecast", "two.csv", "--horizon", "1", "--out", "fc.csv"],
        "csv 'two.csv': has 2 row(s), too few to infer the frequency of the dates; "
        "pass a file with at least 3 rows.",
    ),
    "unknown column": (
        [*FC, "--columns", "a", "c"],
        "--columns 'c': not a column of 'data.csv'; its columns are 'date', 'a', "
        "'b', 'city'.",
    ),
    "text column": (
        [*FC, "--columns", "city"],
        "--columns 'city': not numeric (it holds 'Oslo'); pass only columns of "
        "numbers.",
    ),
    "date column as values": (
        [*FC, "--columns", "date"],
        "--columns 'date': is the date column; pass only columns of values to "
        "forecast.",
    ),
    "no numeric column": (
        ["forecast", "textonly.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'textonly.csv': no numeric column besides the date column 'date' "
        "(columns: 'date', 'city'); add one, or check --sep.",
    ),
    "missing values": (
        ["forecast", "missing.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'missing.csv': column 'b' has 2 missing value(s) (first on line 8); "
        "fill them in the file (e.g. interpolate), or leave the column out with "
        "--columns.",
    ),
    "infinite values": (
        ["forecast", "inf.csv", "--horizon", "3", "--out", "fc.csv"],
        "csv 'inf.csv': column 'a' has 1 infinite value(s) (first on line 5); "
        "replace them in the file, or leave the column out with --columns.",
    ),
    "horizon < 1": (
        ["forecast", "data.csv", "--horizon", "0", "--out", "fc.csv"],
        "--horizon 0: must be a positive integer; pass e.g. --horizon 12.",
    ),
    "lookback < 1": (
        [*FC, "--lookback", "-2"],
        "--lookback -2: must be a positive integer; pass e.g. --lookback 12.",
    ),
    "max epochs < 1": (
        [*FC, "--max-epochs", "0"],
        "--max-epochs 0: must be a positive integer; pass e.g. --max-epochs 30.",
    ),
    "too short for lookback + horizon": (
        [*FC, "--lookback", "58"],
        "--lookback 58: 'data.csv' has 60 rows, fewer than --lookback + --horizon = "
        "61; pass --lookback 57 or less, a smaller --horizon, or a longer file.",
    ),
    "too short for the horizon": (
        ["forecast", "short.csv", "--horizon", "4", "--out", "fc.csv"],
        "--horizon 4: 'short.csv' has 5 rows, too few to forecast 4 steps (the "
        "default lookback needs at least horizon + 2 = 6 rows); pass a smaller "
        "--horizon or a longer file.",
    ),
    "patch longer than lookback": (
        [*FC, "--lookback", "6", "--patch-len", "8"],
        "--patch-len 8: longer than the lookback (6 steps); pass --patch-len 6 or "
        "less, or a longer --lookback.",
    ),
    "output folder missing": (
        ["forecast", "data.csv", "--horizon", "3", "--out", "nowhere/fc.csv"],
        "--out 'nowhere/fc.csv': the folder 'nowhere' does not exist; create it "
        "first or pass a path in an existing folder.",
    ),
    "output is a folder": (
        ["forecast", "data.csv", "--horizon", "3", "--out", "sub"],
        "--out 'sub': is a folder; pass a file name, e.g. 'sub/forecast.csv'.",
    ),
    "plot type unknown": (
        [*FC, "--plot", "fc.txt"],
        "--plot 'fc.txt': unknown image type '.txt'; pass a file name ending in "
        ".png, .svg, .pdf or another type matplotlib writes.",
    ),
    "demo column unknown": (
        ["demo", "--column", "flu", "--out", "fc.csv", "--plot", "fc.png"],
        "--column 'flu': not a column of the ILI data; pass one of '% WEIGHTED "
        "ILI', '%UNWEIGHTED ILI', 'AGE 0-4', 'AGE 5-24', 'ILITOTAL', 'NUM. OF "
        "PROVIDERS', 'OT'.",
    ),
    "demo holdout too long": (
        ["demo", "--holdout", "900", "--out", "fc.csv", "--plot", "fc.png"],
        "--holdout 900: leaves 66 of the 966 weeks to train on, fewer than "
        "--lookback + --horizon = 128; pass a smaller --holdout, --lookback or "
        "--horizon.",
    ),
}


class TestErrors:
    @pytest.mark.parametrize("case", list(ERRORS))
    def test_one_line_exit_2(self, workdir, capsys, case):
        write_bad_files(workdir)
        argv, message = ERRORS[case]
        code, out, err = run(argv, capsys)
        assert code == 2
        assert out == ""
        assert err == f"sktime-patches: error: {message}\n"
        assert not Path("fc.csv").exists()

    @pytest.mark.parametrize(
        "argv, fragment",
        [
            (["forecast", "data.csv", "--out", "fc.csv"], "--horizon"),
            (["forecast", "data.csv", "--horizon", "x", "--out", "fc.csv"], "'x'"),
            (["forecast", "data.csv", "--horizon", "3"], "--out"),
            (["predict"], "invalid choice: 'predict'"),
            ([], "COMMAND"),
        ],
    )
    def test_argparse_errors_exit_2(self, workdir, capsys, argv, fragment):
        code, out, err = run(argv, capsys)
        assert code == 2
        assert out == ""
        assert err.startswith("usage: sktime-patches")
        assert "error:" in err and fragment in err
        assert "Traceback" not in err

    def test_help_exits_0_and_explains_the_lookback(self, capsys):
        code, out, _ = run(["forecast", "--help"], capsys)
        assert code == 0
        assert "among 1, 2 and 4 times max(horizon, 8) steps" in out
        assert "scored on the last 20% of them" in out


class TestDemo:
    def test_forecast_csv_and_plot(self, tmp_path, capsys):
        fc, png = tmp_path / "demo.csv", tmp_path / "demo.png"
        argv = ["demo", "--lookback", 32, "--horizon", 8, "--holdout", 40,
                "--out", fc, "--plot", png, *FAST]  # fmt: skip
        code, out, err = run(argv, capsys)
        assert (code, err) == (0, "")
        forecast = read_forecast(fc)
        # the ILI series ends on Tuesday 2020-06-30; the forecast is the 8 weeks after
        expected = pd.date_range("2020-07-07", periods=8, freq="W-TUE", name="date")
        assert list(forecast.index) == list(expected)
        assert list(forecast.columns) == ["% WEIGHTED ILI"]
        assert png.read_bytes()[:4] == b"\x89PNG"
        assert "held-out tail (33 windows in the last 40 weeks): MAE" in out


def test_installed_console_script(tmp_path):
    """The ``sktime-patches`` entry point runs, forecasts, and fails in one line."""
    script = Path(sys.executable).with_name("sktime-patches")
    if not script.exists():
        pytest.skip("the console script is not installed next to this Python")
    daily_frame().to_csv(tmp_path / "data.csv", index=False)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    ok = subprocess.run(
        [str(script), "forecast", "data.csv", "--horizon", "4", "--out", "fc.csv",
         "--plot", "fc.png", *FAST],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert len(read_forecast(tmp_path / "fc.csv")) == 4
    assert (tmp_path / "fc.png").stat().st_size > 0
    bad = subprocess.run(
        [str(script), "forecast", "data.csv", "--horizon", "4", "--out", "fc.csv",
         "--columns", "nope"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr == (
        "sktime-patches: error: --columns 'nope': not a column of 'data.csv'; its "
        "columns are 'date', 'a', 'b', 'city'.\n"
    )
