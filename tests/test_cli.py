"""Tests of the ``sktime-patches`` command line: files written, exit codes, messages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import CLI_MESSAGES, CSV_CASES, daily_frame, write_bad_files

from sktime_patches.cli import default_lookback, main
from sktime_patches.lookback import select_lookback

# tiny, fast training settings; the forecasts are checked for shape, not skill
FAST = ["--max-epochs", "1", "--patch-len", "4", "--quiet"]


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
    def test_max_time_stops_the_training_and_says_so(self, workdir, capsys):
        code, out, _ = run(
            ["forecast", "data.csv", "--horizon", 5, "--lookback", 14, "--out",
             "fc.csv", "--max-epochs", 50, "--patch-len", 4, "--quiet",
             "--max-time", 0.001],
            capsys,
        )  # fmt: skip
        assert code == 0
        assert "training stopped at --max-time 0.001s after " in out
        assert "the model is the best epoch so far" in out

    @pytest.mark.parametrize(
        "bad, why",
        [
            ("soon", "'soon' is not a number of seconds; pass e.g. 120"),
            ("0", "0 is not a positive number of seconds; pass e.g. 120"),
            ("inf", "inf is not a positive number of seconds; pass e.g. 120"),
        ],
    )
    def test_max_time_must_be_seconds(self, workdir, capsys, bad, why):
        code, _, err = run(
            ["forecast", "data.csv", "--horizon", 5, "--max-time", bad], capsys
        )
        assert code == 2
        assert f"argument --max-time: {why}" in err

    def test_says_which_model_it_kept_beside_the_baseline(self, workdir, capsys):
        code, out, _ = run(
            ["forecast", "data.csv", "--horizon", 5, "--lookback", 14, "--out",
             "fc.csv", *FAST],
            capsys,
        )  # fmt: skip
        assert code == 0
        assert (
            "the model is the linear baseline, exactly the 'linear (ridge)' model "
            "(LastValueRidge): "
            in out
            or "the model is the network: it beats the linear baseline on the "
            "validation windows (MSE "
            in out
        )

    def test_writes_the_next_timestamps_and_numeric_columns(self, workdir, capsys):
        code, out, err = run(
            ["forecast", "data.csv", "--horizon", 5, "--lookback", 14, "--out",
             "fc.csv", *FAST],
            capsys,
        )  # fmt: skip
        assert (code, err) == (0, "")
        fc = read_forecast("fc.csv")
        expected = pd.date_range("2024-03-01", periods=5, freq="D", name="date")
        assert fc.index.equals(expected) and fc.index.name == "date"
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

    def test_coverage_writes_bounds_after_each_column_and_draws_bands(
        self, workdir, capsys
    ):
        # long enough to calibrate a 95% interval (19 windows or more; a
        # shorter file is refused, tests/test_hard_inputs_cli.py)
        daily_frame(240).to_csv("long.csv", index=False)
        code, out, err = run(
            ["forecast", "long.csv", "--horizon", 4, "--lookback", 14, "--out",
             "fc.csv", "--plot", "fc.png", "--coverage", "0.95", "0.8", *FAST],
            capsys,
        )  # fmt: skip
        assert (code, err) == (0, "")
        fc = read_forecast("fc.csv")
        assert list(fc.columns) == [
            "a", "a_lower_0.8", "a_upper_0.8", "a_lower_0.95", "a_upper_0.95",
            "b", "b_lower_0.8", "b_upper_0.8", "b_lower_0.95", "b_upper_0.95",
        ]  # fmt: skip
        for col in ("a", "b"):
            assert (fc[f"{col}_lower_0.95"] <= fc[f"{col}_lower_0.8"]).all()
            assert (fc[f"{col}_lower_0.8"] <= fc[col]).all()
            assert (fc[col] <= fc[f"{col}_upper_0.8"]).all()
        assert "with 80% and 95% prediction intervals written to fc.csv" in out
        assert Path("fc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_default_lookback_is_reported(self, workdir, capsys):
        code, out, _ = run(
            ["forecast", "data.csv", "--horizon", 6, "--out", "fc.csv", *FAST], capsys
        )
        assert code == 0
        values = daily_frame()[["a", "b"]].to_numpy()
        chosen = select_lookback(values, 6)
        assert list(chosen.scores) == [8, 16, 27]
        assert (
            f"lookback={chosen.lookback} (chosen by the linear model's error on the "
            "last 20% of rows among 8, 16, 27), horizon=6" in out
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

    def test_holdout_scores_the_model_beside_the_baselines(self, workdir, capsys):
        from sktime_patches import PatchForecaster
        from sktime_patches.backtesting import holdout_errors
        from sktime_patches.io import read_series_csv
        from sktime_patches.series import SeriesForecaster

        argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8, "--holdout",
                10, "--out", "fc.csv", "--plot", "fc.png", *FAST]  # fmt: skip
        code, out, err = run(argv, capsys)
        assert (code, err) == (0, "")
        assert "(60 rows at frequency 'D', the last 10 held out," in out
        model = PatchForecaster(patch_len=4, max_epochs=1, random_state=0)
        errors, _ = holdout_errors(
            SeriesForecaster(model, 8, 3), read_series_csv("data.csv"), 10
        )
        lines = out.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("error on"))
        rows = [re.split(r"\s{2,}", line.strip()) for line in lines[at + 2 : at + 6]]
        assert [row[0] for row in rows] == list(errors.index)
        for row in rows:
            expected = errors.loc[row[0], ["mae", "mse", "mase"]].to_list()
            assert [float(v) for v in row[1:4]] == pytest.approx(expected, rel=1e-3)
        assert "seasonal naive (7)" in errors.index  # daily data: a week
        assert Path("fc.png").read_bytes()[:4] == b"\x89PNG"
        fc = read_forecast("fc.csv")  # after the end of the file, not the holdout
        assert fc.index[0] == pd.Timestamp("2024-03-01")

    def test_holdout_with_coverage_scores_the_intervals_at_no_cost(
        self, workdir, capsys
    ):
        """--coverage adds the intervals' coverage and mean width per level to
        the holdout table, and leaves the model's errors as they were."""
        argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8, "--holdout",
                10, "--out", "fc.csv", *FAST]  # fmt: skip
        code, plain, _ = run(argv, capsys)
        assert code == 0
        code, out, err = run([*argv, "--coverage", "0.8", "0.95"], capsys)
        assert (code, err) == (0, "")

        def table(text):
            lines = text.splitlines()
            at = next(i for i, row in enumerate(lines) if row.startswith("error on"))
            return (
                lines[at],
                lines[at + 1].split(),
                [re.split(r"\s{2,}", row.strip()) for row in lines[at + 2 : at + 6]],
            )

        intro, header, rows = table(out)
        assert intro.endswith(
            "; COVERAGE: the share of held-out values inside the model's "
            "intervals, WIDTH: their mean width):"
        )
        assert header == ["MAE", "MSE", "MASE", "COVERAGE", "80%", "WIDTH", "80%",
                          "COVERAGE", "95%", "WIDTH", "95%"]  # fmt: skip
        model = rows[0]
        coverage_80, width_80, coverage_95, width_95 = map(float, model[4:8])
        assert 0 <= coverage_80 <= coverage_95 <= 1 and 0 < width_80 <= width_95
        assert all(row[4:8] == ["-"] * 4 for row in rows[1:])  # baselines
        # the same point forecast: the same errors, to the digit
        assert [row[:4] for row in rows] == [row[:4] for row in table(plain)[2]]

    def test_a_coverage_that_cannot_be_bounded_is_said_and_left_out(
        self, workdir, capsys
    ):
        """60 rows: 50 windows, every one calibrating; 99% needs 99."""
        argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8, "--out",
                "fc.csv", "--plot", "fc.png", *FAST]  # fmt: skip
        code, out, err = run([*argv, "--coverage", "0.8", "0.99"], capsys)
        assert code == 0
        assert err == (
            "sktime-patches: warning: coverage=0.99 needs at least 99 calibration "
            "windows, but there are 50 (every window, cross-conformal): its "
            "intervals are infinite; pass more history, or ask a coverage of at "
            "most 0.98. "
            "Left out of --out and --plot.\n"
        )
        fc = read_forecast("fc.csv")
        assert list(fc.columns) == [
            "a", "a_lower_0.8", "a_upper_0.8", "b", "b_lower_0.8", "b_upper_0.8"
        ]  # fmt: skip
        assert np.isfinite(fc.to_numpy()).all()
        assert "with 80% prediction intervals written to fc.csv" in out
        # every coverage unbounded: the forecast alone, and exit 1
        code, out, err = run([*argv, "--coverage", "0.99"], capsys)
        assert code == 1
        assert err.splitlines()[-1] == (
            "sktime-patches: error: no interval of the coverage(s) asked could be "
            "bounded (0.99); the forecast was written without them. Pass a lower "
            "--coverage or a longer file."
        )
        assert list(read_forecast("fc.csv").columns) == ["a", "b"]

    def test_quiet_is_quiet_and_the_csv_has_float32_digits(self, workdir, capsys):
        argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8, "--out",
                "fc.csv", *FAST]  # fmt: skip
        code, out, err = run(argv, capsys)
        assert (code, err) == (0, "")
        assert "progress" not in out
        for line in Path("fc.csv").read_text().splitlines()[1:]:
            for value in line.split(",")[1:]:  # at most 9 significant digits
                assert len(value.replace("-", "").replace(".", "").lstrip("0")) <= 9

    def test_an_output_that_cannot_be_written_is_one_line(self, workdir, capsys):
        argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8, "--out",
                "/proc/fc.csv", *FAST]  # fmt: skip
        code, _, err = run(argv, capsys)
        assert code == 2
        assert err == (
            "sktime-patches: error: --out '/proc/fc.csv': cannot be written (No such "
            "file or directory); pass a path in a folder you can write to.\n"
        )

    def test_progress_goes_to_stderr(self, workdir, capsys):
        argv = ["forecast", "data.csv", "--horizon", 3, "--lookback", 8, "--out",
                "fc.csv", "--max-epochs", 1, "--patch-len", 4]  # fmt: skip
        code, out, err = run(argv, capsys)
        assert code == 0
        assert "train_loss" in err  # the epoch table
        assert "train_loss" not in out


FC = ["forecast", "data.csv", "--horizon", "3", "--out", "fc.csv"]
ERRORS = {
    **{
        name: (["forecast", path, "--horizon", "3", "--out", "fc.csv", *argv], message)
        for name, (path, _, argv, _) in CSV_CASES.items()
        if (message := CLI_MESSAGES[name]) is not None
    },
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
    "holdout shorter than the horizon": (
        [*FC, "--holdout", "2"],
        "--holdout 2: shorter than --horizon 3; pass --holdout 3 or more, so that "
        "at least one forecast lies in it.",
    ),
    "holdout leaves too little": (
        [*FC, "--holdout", "56"],
        "--holdout 56: leaves 4 of the 60 rows to train on, too few to forecast 3 "
        "steps; pass a smaller --holdout or --horizon.",
    ),
    "lookback too long for the rows left by holdout": (
        [*FC, "--holdout", "20", "--lookback", "38"],
        "--lookback 38: 'data.csv' without its --holdout 20 rows has 40 rows, "
        "fewer than --lookback + --horizon = 41; pass --lookback 37 or less, a "
        "smaller --horizon, or a longer file.",
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
            (
                [*FC, "--lookback", "-2"],
                "argument --lookback: -2 is not a positive integer; pass 1 or more, "
                "such as 12",
            ),
            (
                ["forecast", "data.csv", "--horizon", "0", "--out", "fc.csv"],
                "argument --horizon: 0 is not a positive integer",
            ),
            (
                [*FC, "--max-epochs", "2.5"],
                "argument --max-epochs: '2.5' is not an integer; pass a positive "
                "integer such as 12",
            ),
            (["forecast", "data.csv", "--horizon", "3"], "--out"),
            (
                [*FC, "--coverage", "95"],
                "argument --coverage: 95 is not between 0 and 1; pass a share such "
                "as 0.9 (0.95 for 95%)",
            ),
            (
                [*FC, "--coverage", "high"],
                "argument --coverage: 'high' is not a number; pass a coverage such "
                "as 0.9",
            ),
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
        assert "among max(horizon, 8) steps doubled up to 720" in " ".join(out.split())
        assert "scored on the last 20% of them" in " ".join(out.split())


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
        lines = out.splitlines()
        at = lines.index(
            "error on the last 40 rows (every window whose forecast lies there; MASE "
            "below 1 beats the seasonal naive forecast):"
        )
        assert lines[at + 1].split() == ["MAE", "MSE", "MASE"]
        names = [
            re.split(r"\s{2,}", line.strip())[0] for line in lines[at + 2 : at + 6]
        ]
        assert names == [
            "PatchForecaster", "repeat last", "seasonal naive (32)", "linear (ridge)"
        ]  # fmt: skip
        assert sum("<- lowest MAE" in line for line in lines[at + 2 : at + 6]) == 1


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


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["forecast", "--help"],
        ["forecast", "data.csv", "--horizon", "0", "--out", "fc.csv"],
    ],
)
def test_help_version_and_argument_errors_do_not_import_torch(argv):
    """They answer at once: torch and scikit-learn load only to train."""
    code = (
        "import sys\n"
        "from sktime_patches.cli import main\n"
        f"rc = main({argv!r})\n"
        "heavy = sorted(m for m in ('torch', 'sklearn', 'skorch') if m in sys.modules)\n"
        "print(rc, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    rc, heavy = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert heavy == "[]"
    assert rc in ("0", "2")


def test_the_defaults_are_the_librarys(workdir, capsys):
    """Without --lookback and --patch-len the command line forecasts what
    SeriesForecaster(lookback="auto") around PatchForecaster() forecasts."""
    from sktime_patches import PatchForecaster
    from sktime_patches.io import read_series_csv
    from sktime_patches.series import SeriesForecaster

    argv = ["forecast", "data.csv", "--horizon", 4, "--out", "fc.csv",
            "--max-epochs", 1, "--quiet"]  # fmt: skip
    code, out, _ = run(argv, capsys)
    assert code == 0
    data = read_series_csv("data.csv")
    model = SeriesForecaster(
        PatchForecaster(max_epochs=1, random_state=0), lookback="auto", horizon=4
    ).fit(data)
    expected = model.predict(data).astype(np.float32).astype(np.float64)
    np.testing.assert_allclose(read_forecast("fc.csv").to_numpy(), expected, rtol=1e-6)
    assert f"fitted with lookback={model.lookback_} (chosen" in out
    assert f"patch_len={model.estimator_.patch_len_}" in out
