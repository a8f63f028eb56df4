"""Tests of backtest, backtest_errors and BacktestSplit (and that they agree)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from helpers import raises
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline

from sktime_patches import SpacetimePatcher, make_windows
from sktime_patches.backtesting import (
    TIDY_COLUMNS,
    BacktestSplit,
    backtest,
    backtest_errors,
)
from sktime_patches.series import SeriesForecaster

N_ROWS, LOOKBACK, HORIZON = 60, 12, 4


def patch_ridge() -> object:
    return make_pipeline(SpacetimePatcher(patch_len=4, features="stats"), Ridge())


@pytest.fixture
def df() -> pd.DataFrame:
    """Two noisy seasonal random walks, daily."""
    rng = np.random.default_rng(0)
    t = np.arange(N_ROWS)
    noise = rng.normal(size=(N_ROWS, 2)).cumsum(axis=0)
    season = np.sin(2 * np.pi * t / 7)[:, None] * [1.0, 3.0]
    return pd.DataFrame(
        noise + season,
        index=pd.date_range("2024-01-01", periods=N_ROWS, freq="D", name="day"),
        columns=["x", "y"],
    )


class TestBacktest:
    def test_cutoffs_and_tidy_layout(self, df):
        tidy = backtest(Ridge(), df, LOOKBACK, HORIZON, n_cutoffs=3)
        assert tuple(tidy.columns) == TIDY_COLUMNS
        assert len(tidy) == 3 * HORIZON * 2
        # the last cutoff is horizon rows before the end; the others step back
        cutoffs = df.index[[47, 51, 55]]
        assert list(tidy["cutoff"].unique()) == list(cutoffs)
        first = tidy[tidy["cutoff"] == cutoffs[0]]
        assert list(first["timestamp"]) == list(df.index[48:52].repeat(2))
        assert list(first["step"]) == [1, 1, 2, 2, 3, 3, 4, 4]
        assert list(first["column"]) == ["x", "y"] * 4
        assert tidy["timestamp"].max() == df.index[-1]
        assert (tidy["timestamp"] > tidy["cutoff"]).all()
        # actual is the truth at (timestamp, column)
        stacked = df.stack()
        expected = stacked.loc[
            list(zip(tidy["timestamp"], tidy["column"], strict=True))
        ]
        np.testing.assert_array_equal(tidy["actual"], expected.to_numpy())

    def test_step_between_cutoffs(self, df):
        tidy = backtest(Ridge(), df, LOOKBACK, HORIZON, n_cutoffs=4, step=1)
        assert list(tidy["cutoff"].unique()) == list(df.index[52:56])

    def test_forecast_is_the_forecasters(self, df):
        tidy = backtest(patch_ridge(), df, LOOKBACK, HORIZON, n_cutoffs=2)
        for cutoff_row in (51, 55):
            fitted = SeriesForecaster(patch_ridge(), LOOKBACK, HORIZON)
            forecast = fitted.fit(df.iloc[: cutoff_row + 1]).predict()
            part = tidy[tidy["cutoff"] == df.index[cutoff_row]]
            np.testing.assert_allclose(part["forecast"], forecast.to_numpy().ravel())

    @pytest.mark.parametrize(
        ("window", "train_size", "first_rows"),
        [
            ("expanding", None, [0, 0, 0]),
            ("sliding", None, [0, 4, 8]),
            ("sliding", 20, [28, 32, 36]),
        ],
    )
    def test_training_history_per_cutoff(self, df, window, train_size, first_rows):
        """A mean model forecasts the mean target of exactly the windows it saw."""
        tidy = backtest(
            DummyRegressor(),
            df,
            LOOKBACK,
            HORIZON,
            n_cutoffs=3,
            window=window,
            train_size=train_size,
        )
        _, y = make_windows(df, LOOKBACK, HORIZON)
        for first, cutoff_row in zip(first_rows, (47, 51, 55), strict=True):
            windows = y[first : cutoff_row - LOOKBACK - HORIZON + 2]
            part = tidy[tidy["cutoff"] == df.index[cutoff_row]]
            np.testing.assert_allclose(part["forecast"], windows.mean(axis=0).ravel())

    def test_forecaster_holds_the_window_sizes(self, df):
        forecaster = SeriesForecaster(Ridge(), LOOKBACK, HORIZON)
        tidy = backtest(forecaster, df, n_cutoffs=2)
        pd.testing.assert_frame_equal(
            tidy, backtest(Ridge(), df, LOOKBACK, HORIZON, n_cutoffs=2)
        )
        assert not hasattr(forecaster, "estimator_")  # clones were fitted

    @pytest.mark.parametrize(
        "index",
        [
            pd.period_range("1990", periods=N_ROWS, freq="Y"),
            pd.RangeIndex(0, 3 * N_ROWS, 3),
            pd.DatetimeIndex(list(pd.date_range("2024", periods=N_ROWS, freq="W-TUE"))),
        ],
    )
    def test_other_time_indexes(self, df, index):
        tidy = backtest(Ridge(), df.set_axis(index), LOOKBACK, HORIZON, n_cutoffs=2)
        assert list(tidy["cutoff"].unique()) == list(index[[51, 55]])
        assert list(tidy["timestamp"].unique()) == list(index[52:60])

    def test_series_and_array(self, df):
        tidy = backtest(Ridge(), df["y"], LOOKBACK, HORIZON, n_cutoffs=2)
        assert set(tidy["column"]) == {"y"}
        tidy = backtest(Ridge(), df.to_numpy(), LOOKBACK, HORIZON, n_cutoffs=2)
        assert list(tidy["cutoff"].unique()) == [51, 55]
        assert set(tidy["column"]) == {0, 1}


class TestBacktestErrors:
    def test_per_cutoff_step_and_column(self, df):
        tidy = backtest(Ridge(), df, LOOKBACK, HORIZON, n_cutoffs=3)
        error = tidy["forecast"] - tidy["actual"]
        by_cutoff = backtest_errors(tidy)
        assert list(by_cutoff.columns) == ["mse", "mae"]
        assert list(by_cutoff.index) == list(df.index[[47, 51, 55]])
        first = tidy["cutoff"] == df.index[47]
        assert by_cutoff["mse"].iloc[0] == pytest.approx((error[first] ** 2).mean())
        assert by_cutoff["mae"].iloc[0] == pytest.approx(error[first].abs().mean())
        by_step = backtest_errors(tidy, by="step")
        assert list(by_step.index) == [1, 2, 3, 4]
        both = backtest_errors(tidy, by=["step", "column"])
        assert both.shape == (8, 2)
        assert both.loc[(2, "y"), "mae"] == pytest.approx(
            error[(tidy["step"] == 2) & (tidy["column"] == "y")].abs().mean()
        )

    def test_bad_input(self):
        msg = (
            "tidy is missing column(s) ['forecast']; pass the DataFrame returned by "
            "backtest()."
        )
        frame = pd.DataFrame(columns=list(TIDY_COLUMNS[:-1]))
        with raises(ValueError, msg):
            backtest_errors(frame)
        msg = (
            "by='horizon' is not a grouping of tidy; pass one or more of 'cutoff', "
            "'timestamp', 'step', 'column'."
        )
        with raises(ValueError, msg):
            backtest_errors(pd.DataFrame(columns=list(TIDY_COLUMNS)), by="horizon")
        msg = "tidy must be the DataFrame returned by backtest(); got list."
        with raises(TypeError, msg):
            backtest_errors([])


class TestBacktestSplit:
    def test_train_and_test_windows(self):
        X, _ = make_windows(np.zeros(N_ROWS), LOOKBACK, HORIZON)  # 45 windows
        cv = BacktestSplit(LOOKBACK, HORIZON, n_cutoffs=3)
        splits = list(cv.split(X))
        assert cv.get_n_splits() == len(splits) == 3
        for (train, test), cutoff_row in zip(splits, (47, 51, 55), strict=True):
            # the test window reads up to the cutoff and forecasts what follows
            np.testing.assert_array_equal(test, [cutoff_row - LOOKBACK + 1])
            np.testing.assert_array_equal(
                train, np.arange(cutoff_row - LOOKBACK - HORIZON + 2)
            )
            # gap: the last training target ends at the cutoff, before the test target
            last_target_row = train[-1] + LOOKBACK + HORIZON - 1
            first_test_target_row = test[0] + LOOKBACK
            assert last_target_row == cutoff_row < first_test_target_row
        assert splits[-1][1][0] == len(X) - 1

    def test_sliding_train_windows(self):
        X = np.zeros((45, LOOKBACK))
        cv = BacktestSplit(LOOKBACK, HORIZON, window="sliding", train_size=20)
        sizes = [len(train) for train, _ in cv.split(X)]
        assert sizes == [20 - LOOKBACK - HORIZON + 1] * 3

    def test_is_time_series_split_with_a_gap_of_horizon_minus_one(self):
        """With step=1, sklearn's TimeSeriesSplit gives the same folds."""
        X = np.zeros((45, LOOKBACK))
        ours = BacktestSplit(LOOKBACK, HORIZON, n_cutoffs=5, step=1).split(X)
        sklearns = TimeSeriesSplit(n_splits=5, test_size=1, gap=HORIZON - 1).split(X)
        for (a_train, a_test), (b_train, b_test) in zip(ours, sklearns, strict=True):
            np.testing.assert_array_equal(a_train, b_train)
            np.testing.assert_array_equal(a_test, b_test)

    @pytest.mark.parametrize(("window", "step"), [("expanding", None), ("sliding", 3)])
    def test_agrees_with_backtest(self, df, window, step):
        """cross_val_score on windows scores exactly the forecasts backtest makes."""
        tidy = backtest(
            patch_ridge(),
            df,
            LOOKBACK,
            HORIZON,
            n_cutoffs=3,
            step=step,
            window=window,
        )
        X, y = make_windows(df, LOOKBACK, HORIZON)
        cv = BacktestSplit(LOOKBACK, HORIZON, n_cutoffs=3, step=step, window=window)
        scores = cross_val_score(
            patch_ridge(),
            X,
            y.reshape(len(y), -1),
            cv=cv,
            scoring="neg_mean_squared_error",
        )
        assert scores.shape == (3,)
        np.testing.assert_allclose(-scores, backtest_errors(tidy)["mse"].to_numpy())

    def test_grid_search(self, df):
        X, y = make_windows(df, LOOKBACK, HORIZON)
        search = GridSearchCV(
            patch_ridge(),
            {"spacetimepatcher__patch_len": [3, 6], "ridge__alpha": [0.1, 10.0]},
            cv=BacktestSplit(LOOKBACK, HORIZON, n_cutoffs=2),
            scoring="neg_mean_absolute_error",
        ).fit(X, y.reshape(len(y), -1))
        assert len(search.cv_results_["params"]) == 4
        assert "split1_test_score" in search.cv_results_
        assert "split2_test_score" not in search.cv_results_

    def test_repr(self):
        assert " ".join(repr(BacktestSplit(24, 12)).split()) == (
            "BacktestSplit(horizon=12, lookback=24, n_cutoffs=3, step=None, "
            "train_size=None, window='expanding')"
        )


class TestErrors:
    def test_series_too_short_for_the_cutoffs(self, df):
        msg = (
            "df has 60 row(s), but n_cutoffs=12 cutoffs 4 step(s) apart need at least "
            "64 (lookback + horizon = 16 to train on before the first cutoff, then "
            "(n_cutoffs - 1) * step + horizon = 48 to forecast); pass a smaller "
            "n_cutoffs or step, or a longer series."
        )
        with raises(ValueError, msg):
            backtest(Ridge(), df, LOOKBACK, HORIZON, n_cutoffs=12)
        backtest(Ridge(), df, LOOKBACK, HORIZON, n_cutoffs=11)  # just fits

    def test_too_few_windows_for_the_splitter(self):
        msg = (
            "X has 45 window(s), but n_cutoffs=12 cutoffs 4 step(s) apart need at "
            "least 49 (1 to train on, horizon - 1 = 3 left out as a gap, then "
            "(n_cutoffs - 1) * step + 1 = 45 to test); pass a smaller n_cutoffs or "
            "step, or more windows."
        )
        with raises(ValueError, msg):
            list(BacktestSplit(LOOKBACK, HORIZON, n_cutoffs=12).split(np.zeros(45)))
        assert len(list(BacktestSplit(12, 4, n_cutoffs=11).split(np.zeros(45)))) == 11

    def test_train_size(self, df):
        msg = (
            "train_size=30 only applies to window='sliding'; pass window='sliding', or "
            "train_size=None to train on all the history before each cutoff."
        )
        with raises(ValueError, msg):
            backtest(Ridge(), df, LOOKBACK, HORIZON, train_size=30)
        msg = (
            "train_size=15 rows hold no training window (lookback + horizon = 16); "
            "pass train_size >= 16."
        )
        with raises(ValueError, msg):
            backtest(Ridge(), df, LOOKBACK, HORIZON, window="sliding", train_size=15)
        msg = (
            "train_size=49 is longer than the 48 rows of history before the first "
            "cutoff; pass a smaller train_size, fewer cutoffs or a smaller step."
        )
        with raises(ValueError, msg):
            backtest(Ridge(), df, LOOKBACK, HORIZON, window="sliding", train_size=49)

    def test_window_sizes(self, df):
        msg = (
            "lookback and horizon must be given when forecaster is a window estimator "
            "(Ridge); pass lookback= and horizon=, or a SeriesForecaster that holds "
            "them."
        )
        with raises(ValueError, msg):
            backtest(Ridge(), df)
        msg = (
            "horizon=5 differs from the forecaster's horizon=4; pass horizon=None to "
            "use the forecaster's, or set it on the forecaster."
        )
        with raises(ValueError, msg):
            backtest(SeriesForecaster(Ridge(), LOOKBACK, HORIZON), df, horizon=5)
        msg = (
            "forecaster must be a SeriesForecaster or a window estimator with fit and "
            "predict; got str."
        )
        with raises(TypeError, msg):
            backtest("ridge", df, LOOKBACK, HORIZON)

    def test_parameters(self, df):
        with pytest.raises(
            ValueError, match=re.escape("The 'window' parameter of backtest must be")
        ):
            backtest(Ridge(), df, LOOKBACK, HORIZON, window="rolling")
        msg = (
            "The 'n_cutoffs' parameter of BacktestSplit must be an int in the range "
            "[1, inf). Got 0 instead."
        )
        with raises(ValueError, msg):
            BacktestSplit(LOOKBACK, HORIZON, n_cutoffs=0)

    def test_series_checks_run_once_on_the_whole_series(self, df):
        gappy = df.drop(df.index[10])
        gappy.index = pd.DatetimeIndex(list(gappy.index))
        msg = (
            "df has a DatetimeIndex without a frequency, and none can be inferred: its "
            "timestamps are not evenly spaced (the usual step is 1 days 00:00:00, but "
            "1 step(s) differ, the first after 2024-01-10 00:00:00). Resample it to a "
            "regular frequency first, e.g. df.asfreq('D').interpolate() or "
            "df.resample('D').mean()."
        )
        with raises(ValueError, msg):
            backtest(Ridge(), gappy, LOOKBACK, HORIZON)


class TestHoldoutErrors:
    def test_every_model_scored_on_the_windows_inside_the_holdout(self):
        from sktime_patches import make_windows
        from sktime_patches.backtesting import holdout_errors

        t = np.arange(150)
        df = pd.DataFrame(
            {"weekly": np.sin(2 * np.pi * t / 7), "trend": 0.1 * t},
            index=pd.date_range("2024-01-01", periods=150, freq="D"),
        )
        errors, fitted = holdout_errors(SeriesForecaster(Ridge(), 14, 3), df, 20)
        assert list(errors.columns) == ["mae", "mse", "mase"]
        assert fitted.cutoff_ == df.index[-21]  # fitted without the last 20 rows
        X, y = make_windows(df.to_numpy()[-34:], 14, 3)
        pred = fitted.estimator_.predict(X.reshape(len(X), -1)).reshape(y.shape)
        assert errors.loc["Ridge", "mae"] == pytest.approx(np.abs(pred - y).mean())
        # repeat-last on the trend column errs by 0.1 per step ahead
        last = np.repeat(X[:, -1:], 3, axis=1)
        assert errors.loc["repeat last", "mse"] == pytest.approx(
            ((last - y) ** 2).mean()
        )
        # MASE divides each column by its seasonal naive in-sample MAE; the weekly
        # column has none (the naive forecast repeats it exactly), so only the
        # trend column counts
        naive = 0.1 * 7
        expected = np.abs(pred - y)[:, :, 1].mean() / naive
        assert errors.loc["Ridge", "mase"] == pytest.approx(expected)

    def test_a_holdout_shorter_than_the_horizon_is_refused(self):
        from sktime_patches.backtesting import holdout_errors

        df = pd.DataFrame({"y": np.arange(60.0)})
        with raises(
            ValueError,
            "holdout=2 is shorter than the horizon (3); pass holdout >= 3, so that "
            "at least one forecast lies in it.",
        ):
            holdout_errors(SeriesForecaster(Ridge(), 5, 3), df, 2)


def test_backtest_errors_refuses_a_missing_forecast():
    tidy = backtest(Ridge(), pd.DataFrame({"y": np.arange(40.0)}), 5, 2, n_cutoffs=2)
    tidy.loc[3, "forecast"] = np.nan
    with raises(
        ValueError,
        f"tidy has 1 missing or infinite forecast value(s) (first: cutoff "
        f"{tidy.loc[3, 'cutoff']}, step {tidy.loc[3, 'step']}, column 'y'), which "
        "would drop out of the averages; fix the forecaster (a diverged fit?) or "
        "drop those rows first.",
    ):
        backtest_errors(tidy)


class TestBacktestIntervals:
    def test_interval_columns_and_their_scores(self, df):
        from sktime_patches.conformal import ConformalForecaster
        from sktime_patches.metrics import interval_scores, pinball_values

        model = ConformalForecaster(Ridge(), calibration_fraction=0.3)
        tidy = backtest(model, df, LOOKBACK, HORIZON, n_cutoffs=3, coverage=[0.5, 0.9])
        assert list(tidy.columns) == [
            *TIDY_COLUMNS, "lower_0.5", "upper_0.5", "lower_0.9", "upper_0.9", "scale"
        ]  # fmt: skip
        # the same numbers as the fitted forecaster's predict_interval
        first_cutoff = len(df) - HORIZON - 1 - 2 * HORIZON
        fitted = SeriesForecaster(model, LOOKBACK, HORIZON).fit(
            df.iloc[: first_cutoff + 1]
        )
        bands = fitted.predict_interval(coverage=0.9)
        first = tidy.iloc[: 2 * HORIZON]
        np.testing.assert_allclose(
            first["upper_0.9"], bands.xs(("upper"), axis=1, level=2).to_numpy().ravel()
        )
        steps = np.abs(np.diff(df.iloc[: first_cutoff + 1].to_numpy(), axis=0))
        np.testing.assert_allclose(first["scale"], np.tile(steps.mean(0), HORIZON))

        errors = backtest_errors(tidy, by="column")
        assert list(errors.columns) == [
            "mse", "mae", "coverage_0.5", "width_0.5", "msis_0.5",
            "coverage_0.9", "width_0.9", "msis_0.9", "pinball",
        ]  # fmt: skip
        x = tidy[tidy["column"] == "x"]
        inside = (x["actual"] >= x["lower_0.9"]) & (x["actual"] <= x["upper_0.9"])
        assert errors.loc["x", "coverage_0.9"] == inside.mean()
        assert errors.loc["x", "width_0.9"] == pytest.approx(
            (x["upper_0.9"] - x["lower_0.9"]).mean()
        )
        score = interval_scores(x["actual"], x["lower_0.9"], x["upper_0.9"], 0.9)
        assert errors.loc["x", "msis_0.9"] == pytest.approx((score / x["scale"]).mean())
        bounds = x[["lower_0.5", "upper_0.5", "lower_0.9", "upper_0.9"]].to_numpy()
        pinball = pinball_values(x["actual"], bounds, [0.25, 0.75, 0.05, 0.95])
        assert errors.loc["x", "pinball"] == pytest.approx(pinball.mean())

    def test_a_forecaster_without_intervals_and_a_partial_tidy_are_refused(self, df):
        with raises(
            AttributeError,
            "SeriesForecaster's estimator (Ridge) has no predict_interval; wrap it "
            "in sktime_patches.conformal.ConformalForecaster for calibrated "
            "intervals, or use PatchForecaster(quantiles=...).",
        ):
            backtest(Ridge(), df, LOOKBACK, HORIZON, coverage=0.9)
        tidy = backtest(Ridge(), df, LOOKBACK, HORIZON).assign(**{"lower_0.9": 0.0})
        with raises(
            ValueError,
            "tidy has 'lower_0.9' but not ['upper_0.9', 'scale']; pass the "
            "DataFrame returned by backtest(..., coverage=...).",
        ):
            backtest_errors(tidy)


class TestAdaptiveBacktest:
    """``refit=False``: fitted at the first cutoff, then given the rows since
    each cutoff; the intervals learn only from values already observed."""

    @pytest.fixture
    def drift(self) -> pd.DataFrame:
        rng = np.random.default_rng(3)
        t = np.arange(600)
        noise = np.where(t < 400, 0.05, 0.5) * rng.standard_normal(600)
        return pd.DataFrame(
            {"y": np.sin(2 * np.pi * t / 12) + noise},
            index=pd.date_range("2020-01-01", periods=600, freq="D"),
        )

    def forecaster(self):
        from sktime_patches.conformal import ConformalForecaster

        return SeriesForecaster(
            ConformalForecaster(Ridge(), adapt="tracking", step_size=0.1), 24, 4
        )

    def test_the_first_cutoff_is_fitted_the_later_ones_updated(self, drift):
        kwargs = {"n_cutoffs": 40, "step": 6, "coverage": 0.9}
        updated = backtest(self.forecaster(), drift, refit=False, **kwargs)
        refitted = backtest(self.forecaster(), drift, **kwargs)
        first = updated["cutoff"] == updated["cutoff"].iloc[0]
        pd.testing.assert_frame_equal(updated[first], refitted[first])
        # later cutoffs: the first cutoff's model, forecasting from later rows
        model = self.forecaster().fit(drift.loc[: updated["cutoff"].iloc[0]])
        last = updated["cutoff"].iloc[-1]
        assert np.allclose(
            updated.loc[updated["cutoff"] == last, "forecast"],
            model.predict(drift.loc[:last]).to_numpy().ravel(),
        )
        # the noise grew after row 400: the updated intervals widened with it
        errors = backtest_errors(updated)
        assert errors["width_0.9"].iloc[-1] > 4 * errors["width_0.9"].iloc[0]

    def test_no_value_after_a_cutoff_moves_its_intervals(self, drift):
        """Values changed after cutoff k leave every forecast and interval
        made at cutoffs up to k as they were."""
        kwargs = {"n_cutoffs": 20, "step": 5, "coverage": [0.8, 0.95], "refit": False}
        tidy = backtest(self.forecaster(), drift, **kwargs)
        cutoffs = tidy["cutoff"].unique()
        k = cutoffs[10]
        changed = drift.copy()
        changed.loc[changed.index > k, "y"] *= 10
        again = backtest(self.forecaster(), changed, **kwargs)
        made = tidy["cutoff"] <= k
        columns = ["forecast", "lower_0.8", "upper_0.8", "lower_0.95", "upper_0.95"]
        pd.testing.assert_frame_equal(tidy.loc[made, columns], again.loc[made, columns])
        later = tidy["cutoff"] > k
        assert not np.allclose(
            tidy.loc[later, "upper_0.95"], again.loc[later, "upper_0.95"]
        )


def test_holdout_errors_score_the_intervals_beside_the_point_errors(df):
    from sktime_patches.backtesting import holdout_errors
    from sktime_patches.conformal import ConformalForecaster

    forecaster = SeriesForecaster(ConformalForecaster(Ridge()), 12, 3)
    plain, _ = holdout_errors(forecaster, df, holdout=20)
    errors, fitted = holdout_errors(forecaster, df, holdout=20, coverage=[0.8, 0.95])
    pd.testing.assert_frame_equal(errors[["mae", "mse", "mase"]], plain)
    assert list(errors.columns[3:]) == [
        "coverage_0.8", "width_0.8", "coverage_0.95", "width_0.95"
    ]  # fmt: skip
    X, y = make_windows(df.to_numpy()[-(20 + 12) :], 12, 3)
    bounds = fitted.estimator_.predict_interval(X.reshape(len(X), -1), 0.8)
    y = y.reshape(len(y), -1)
    inside = (y >= bounds[..., 0]) & (y <= bounds[..., 1])
    row = errors.iloc[0]
    assert row["coverage_0.8"] == pytest.approx(inside.mean())
    assert row["width_0.8"] == pytest.approx(np.diff(bounds, axis=-1).mean())
    assert errors.iloc[1:, 3:].isna().all().all()  # the baselines: no intervals
