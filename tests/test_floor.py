"""The linear floor: a default PatchForecaster whose network does not beat
LastValueRidge on the validation windows *is* that model, to the last digit;
and the time budget (max_time) that stops a training at its best epoch."""

import numpy as np
import pandas as pd
import pytest
from helpers import raises, seasonal, tiny

from sktime_patches import (
    PatchForecaster,
    SeriesForecaster,
    SeriesWindows,
    load,
    make_windows,
)
from sktime_patches.backtesting import holdout_errors
from sktime_patches.baselines import LastValueRidge

SMALL = tiny(patch_len=6, max_epochs=2)
#: A network that cannot move from its ridge start: it never beats the ridge.
STILL = {**SMALL, "lr": 1e-12}


@pytest.fixture(scope="module")
def linear_windows():
    """A series the ridge forecasts almost perfectly (a noisy sine): a tiny
    network trained two epochs does not beat it."""
    X, y = make_windows(seasonal(500, period=12, noise=0.3, channels=2), 24, 6)
    return X[:400], y[:400], X[420:]


@pytest.fixture(scope="module")
def nonlinear_windows():
    """A series whose next steps depend on the sign of its level (a threshold
    switch the linear model cannot follow), in windows."""
    rng = np.random.default_rng(0)
    n, level = 3000, np.zeros(3000)
    for t in range(1, n):
        level[t] = (0.9 if level[t - 1] > 0 else -0.5) * level[t - 1]
        level[t] += rng.normal()
    X, y = make_windows(level, 12, 3)
    return X[:2500], y[:2500], X[2500:]


class TestFloor:
    def test_a_network_that_does_not_beat_the_ridge_is_the_ridge_exactly(
        self, linear_windows
    ):
        X, y, X_new = linear_windows
        model = PatchForecaster(**SMALL).fit(X, y)
        assert isinstance(model.linear_floor_, LastValueRidge)
        scores = model.validation_scores_
        assert scores["network"] >= scores["linear"] * (1 - 1e-5)
        baseline = LastValueRidge().fit(X, y)
        np.testing.assert_array_equal(model.predict(X_new), baseline.predict(X_new))
        assert model.linear_floor_.alpha_ == baseline.alpha_

    def test_explicit_validation_windows_choose_as_the_baseline_does(
        self, linear_windows
    ):
        X, y, X_new = linear_windows
        model = PatchForecaster(**SMALL).fit(X[:300], y[:300], X_val=X, y_val=y)
        baseline = LastValueRidge().fit(X[:300], y[:300], X_val=X, y_val=y)
        np.testing.assert_array_equal(model.predict(X_new), baseline.predict(X_new))

    def test_a_network_that_beats_the_ridge_is_kept(self, nonlinear_windows):
        X, y, X_new = nonlinear_windows
        model = PatchForecaster(**tiny(patch_len=4, max_epochs=6, lr=3e-3))
        model.fit(X, y)
        assert model.linear_floor_ is None
        scores = model.validation_scores_
        assert scores["network"] < scores["linear"]
        # and it is scored on the windows the baseline chose its penalty on
        baseline = LastValueRidge().fit(X, y)
        assert scores["linear"] == pytest.approx(baseline.validation_mse_)
        assert not np.allclose(model.predict(X_new), baseline.predict(X_new))

    def test_never_worse_than_the_baseline_on_its_validation_windows(
        self, linear_windows, nonlinear_windows
    ):
        for X, y, _ in (linear_windows, nonlinear_windows):
            model = PatchForecaster(**tiny(patch_len=4, max_epochs=3)).fit(X, y)
            held = slice(len(X) - int(np.ceil(0.1 * len(X))), None)
            baseline = LastValueRidge().fit(X, y)
            scale = baseline.scale_
            # both fitted without the validation windows, scored on them (the
            # baseline scales by the spread of every window, this one by that of
            # its own: hence the tolerance)
            inner = LastValueRidge(alphas=(baseline.alpha_,)).fit(
                X[: len(X) - int(np.ceil(0.1 * len(X))) - y.shape[1]],
                y[: len(X) - int(np.ceil(0.1 * len(X))) - y.shape[1]],
            )
            ridge_mse = np.mean(((inner.predict(X[held]) - y[held]) / scale) ** 2)
            assert model.validation_scores_["linear"] == pytest.approx(
                ridge_mse, rel=1e-4
            )
            assert model.validation_scores_["network"] < ridge_mse or (
                model.linear_floor_ is not None
            )

    def test_linear_floor_false_keeps_the_network(self, linear_windows):
        X, y, X_new = linear_windows
        model = PatchForecaster(linear_floor=False, **SMALL).fit(X, y)
        assert model.linear_floor_ is None and model.validation_scores_ is None
        assert not np.array_equal(
            model.predict(X_new), LastValueRidge().fit(X, y).predict(X_new)
        )

    def test_no_floor_without_a_ridge_or_for_quantiles(self, linear_windows):
        X, y, _ = linear_windows
        plain = PatchForecaster(linear_skip="learned", **SMALL).fit(X, y)
        assert plain.linear_floor_ is None and plain.validation_scores_ is None
        quantiles = PatchForecaster(quantiles=(0.1, 0.9), **SMALL).fit(X, y)
        assert quantiles.linear_floor_ is None

    def test_without_validation_windows_the_model_is_the_baseline(self, linear_windows):
        X, y, X_new = linear_windows
        model = PatchForecaster(validation_fraction=0, **SMALL).fit(X, y)
        assert model.validation_scores_ is None
        baseline = LastValueRidge(validation_fraction=0).fit(X, y)
        np.testing.assert_array_equal(model.predict(X_new), baseline.predict(X_new))

    def test_a_verbose_fit_says_which_model_it_kept(self, linear_windows, capsys):
        X, y, _ = linear_windows
        PatchForecaster(verbose=1, **SMALL).fit(X, y)
        out = capsys.readouterr().out
        assert "The network does not beat the linear baseline on the validation " in out
        assert "the model is LastValueRidge (alpha=" in out and "), exactly." in out

    def test_the_floor_is_saved_and_loaded(self, linear_windows, tmp_path):
        X, y, X_new = linear_windows
        model = PatchForecaster(**SMALL).fit(X, y)
        model.save(tmp_path / "m.skp")
        loaded = load(tmp_path / "m.skp")
        assert isinstance(loaded.linear_floor_, LastValueRidge)
        np.testing.assert_array_equal(loaded.predict(X_new), model.predict(X_new))

    def test_series_windows_and_arrays_give_the_same_floor(self):
        series = seasonal(400, period=12, noise=0.3)
        windows = SeriesWindows([series.astype(np.float32)], 24, 6)
        X, y = windows.to_arrays()
        on_windows = PatchForecaster(**STILL).fit(windows)
        on_arrays = PatchForecaster(**STILL).fit(X, y)
        assert on_windows.linear_floor_ is not None
        assert on_arrays.linear_floor_ is not None
        np.testing.assert_allclose(
            on_windows.predict(X), on_arrays.predict(X), rtol=1e-9, atol=1e-9
        )

    def test_the_holdout_table_shows_the_same_numbers_for_both_rows(self):
        index = pd.date_range("2024-01-01", periods=400, freq="D")
        df = pd.DataFrame({"y": seasonal(400, period=7, noise=0.3)[:, 0]}, index)
        forecaster = SeriesForecaster(PatchForecaster(**STILL), lookback=28, horizon=7)
        errors, fitted = holdout_errors(forecaster, df, holdout=60)
        assert fitted.estimator_.linear_floor_ is not None
        pd.testing.assert_series_equal(
            errors.loc["PatchForecaster"],
            errors.loc["linear (ridge)"],
            check_names=False,
        )


class TestLastValueRidgeOnSeriesWindows:
    def test_it_fits_and_forecasts_as_on_the_same_windows_in_arrays(self):
        series = [seasonal(300, seed=0, channels=2), seasonal(250, seed=1, channels=2)]
        windows = SeriesWindows([s.astype(np.float32) for s in series], 20, 5)
        X, y = windows.to_arrays()
        on_arrays = LastValueRidge().fit(X, y, X_val=X[-50:], y_val=y[-50:])
        on_windows = LastValueRidge().fit(windows, X_val=X[-50:], y_val=y[-50:])
        assert on_windows.alpha_ == on_arrays.alpha_
        np.testing.assert_allclose(
            on_windows.predict(windows), on_arrays.predict(X), rtol=1e-9, atol=1e-9
        )
        assert on_windows.predict(windows).shape == (len(windows), 5, 2)

    def test_its_latest_windows_of_each_series_choose_the_penalty(self):
        series = [seasonal(300, seed=0), seasonal(250, seed=1)]
        windows = SeriesWindows([s.astype(np.float32) for s in series], 20, 5)
        model = LastValueRidge().fit(windows)
        train, valid = windows.time_split(0.1, gap=5)
        inner = LastValueRidge(alphas=(model.alpha_,)).fit(train)
        truth = valid.targets()
        mse = np.mean(((inner.predict(valid) - truth) / model.scale_) ** 2)
        assert model.validation_mse_ == pytest.approx(
            mse, rel=1e-4
        )  # scale_: see above

    def test_a_series_windows_with_y_is_refused(self):
        windows = SeriesWindows([seasonal(100)], 20, 5)
        with raises(
            ValueError, "A SeriesWindows carries its own targets; pass y=None with it."
        ):
            LastValueRidge().fit(windows, np.zeros((len(windows), 5)))

    def test_windows_of_another_shape_are_refused_at_predict(self):
        model = LastValueRidge().fit(SeriesWindows([seasonal(100)], 20, 5))
        with raises(
            ValueError,
            "X is a SeriesWindows of lookback 10 with 1 channel(s), but "
            "LastValueRidge was fitted on lookback 20 with 1; pass windows of "
            "that shape.",
        ):
            model.predict(SeriesWindows([seasonal(100)], 10, 5))


class TestMaxTime:
    def test_a_spent_budget_stops_training_at_the_best_epoch_so_far(
        self, linear_windows, capsys
    ):
        X, y, X_new = linear_windows
        model = PatchForecaster(
            max_time=1e-3, verbose=1, **tiny(patch_len=6, max_epochs=50)
        )
        model.fit(X, y)
        assert model.max_time_reached_
        assert model.n_epochs_ < 50
        # only complete epochs are in the history
        assert all("train_loss" in row for row in model.history_)
        assert model.predict(X_new).shape == (len(X_new), 6, 2)
        assert "Training stopped by max_time=0.001s after " in capsys.readouterr().out

    def test_an_unspent_budget_changes_nothing(self, linear_windows):
        X, y, X_new = linear_windows
        free = PatchForecaster(linear_floor=False, **SMALL).fit(X, y)
        budget = PatchForecaster(linear_floor=False, max_time=1e6, **SMALL).fit(X, y)
        assert not budget.max_time_reached_
        np.testing.assert_array_equal(free.predict(X_new), budget.predict(X_new))

    @pytest.mark.parametrize("bad", [0, -1.0, "soon"])
    def test_max_time_must_be_a_positive_number(self, linear_windows, bad):
        X, y, _ = linear_windows
        with pytest.raises(ValueError, match="The 'max_time' parameter"):
            PatchForecaster(max_time=bad, **SMALL).fit(X, y)
