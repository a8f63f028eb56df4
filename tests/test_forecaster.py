"""PatchForecaster: learning, sklearn composition, persistence and bad input."""

import pickle
import re

import helpers
import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from helpers import tiny
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sktime_patches import PatchForecaster, TrainingDivergedError, make_windows
from sktime_patches._training.runtime import inference_batch_size
from sktime_patches.datasets import load_ili
from sktime_patches.windows import time_ordered_indices

# A random start for the linear skip: these tests are about what training does
# (seeds, early stopping, refits); on these easy series the ridge start of the
# default would already be best, leaving nothing to train. The ridge start has
# its own tests in test_linear_init.py.
TINY = tiny(
    patch_len=4,
    d_model=16,
    hidden_size=16,
    batch_size=64,
    linear_skip="learned",
    # squared errors and the raw weights, so that the validation losses in
    # history_ are the MSEs computed by hand below
    loss="mse",
    ema_halflife=None,
)


def seasonal(n=500, **kwargs):
    return helpers.seasonal(n=n, **kwargs)


@pytest.fixture
def data():
    X, y = make_windows(seasonal(channels=2), lookback=48, horizon=8)
    return X.copy(), y.copy()


class TestLearning:
    def test_training_loss_falls(self, data):
        X, y = data
        # without the linear skip, so the patch/LSTM path itself must learn
        params = {**TINY, "linear_skip": "none"}
        model = PatchForecaster(**params, max_epochs=8, patience=None).fit(X, y)
        losses = model.history_[:, "train_loss"]
        assert len(losses) == 8 == model.n_epochs_
        assert losses[-1] < 0.5 * losses[0]

    def test_beats_repeat_last_on_the_bundled_ili_series(self):
        series = load_ili()[["% WEIGHTED ILI"]]
        X, y = make_windows(series, lookback=52, horizon=12)
        n_test = 100
        model = PatchForecaster(patch_len=4, max_epochs=15, random_state=0)
        model.fit(X[: -n_test - 12], y[: -n_test - 12])
        mse = np.mean((model.predict(X[-n_test:]) - y[-n_test:]) ** 2)
        naive = np.mean((np.repeat(X[-n_test:, -1:], 12, axis=1) - y[-n_test:]) ** 2)
        assert mse < 0.8 * naive

    def test_early_stopping_restores_the_best_epoch(self, data):
        X, y = data
        # a random start, so the best weights are those of a trained epoch (the
        # ridge start competing as epoch 0 is tested in test_linear_init.py)
        model = PatchForecaster(**TINY, max_epochs=12, patience=2, lr=3e-2).fit(X, y)
        valid_losses = model.history_[:, "valid_loss"]
        _, valid = time_ordered_indices(len(X), model.validation_fraction, gap=8)
        # the loss is on errors in units of each channel's training std
        scale = np.asarray(model.net_.criterion_.scale)
        np.testing.assert_allclose(
            scale, X[: len(X) - len(valid) - 8].std((0, 1)), rtol=0.1
        )
        mse = np.mean(((model.predict(X[valid]) - y[valid]) / scale) ** 2)
        assert mse == pytest.approx(min(valid_losses), rel=1e-4)

    def test_explicit_validation_windows(self, data):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=3).fit(
            X[:300], y[:300], X_val=X[350:], y_val=y[350:]
        )
        scale = np.asarray(model.net_.criterion_.scale)  # per-channel train std
        mse = np.mean(((model.predict(X[350:]) - y[350:]) / scale) ** 2)
        assert mse == pytest.approx(min(model.history_[:, "valid_loss"]), rel=1e-4)

    def test_cpu_inference_batches_hold_512_rows_and_do_not_change_forecasts(
        self, data
    ):
        X, y = data  # 48 steps in patches of 4: 12 LSTM steps; 2 channels
        X_val, y_val = np.concatenate([X, X])[:700], np.concatenate([y, y])[:700]
        model = PatchForecaster(**TINY, max_epochs=1).fit(
            X[:300], y[:300], X_val=X_val, y_val=y_val
        )
        # 7168 row-steps // (2 rows x 12 steps) = 298 windows a batch
        assert model.history_[-1, "valid_batch_count"] == 3  # 298 + 298 + 104
        module = model.net_.module_.eval()
        with torch.no_grad():  # every window in one batch
            whole = module(torch.as_tensor(X, dtype=torch.float32)).numpy()
        np.testing.assert_allclose(model.predict(X), whole, rtol=1e-5, atol=1e-6)

    @pytest.mark.parametrize(
        ("device", "n_groups", "n_steps", "batch_size", "expected"),
        [
            ("cpu", 1, 14, 256, 512),  # ETTh1 L=336 in patches of 24, 1 channel
            ("cpu", 7, 14, 256, 73),  # all 7 channels
            ("cpu", 7, 5, 256, 204),  # ILI L=104: 5 patches
            ("cpu", 1000, 14, 256, 1),
            ("cuda", 7, 14, 256, 2048),
            ("cuda:1", 7, 14, 4096, 4096),
        ],
    )
    def test_inference_batch_size(
        self, device, n_groups, n_steps, batch_size, expected
    ):
        assert inference_batch_size(device, n_groups, n_steps, batch_size) == expected

    def test_same_seed_same_predictions_other_seed_differs(self, data):
        X, y = data
        a = PatchForecaster(**TINY, max_epochs=2).fit(X, y).predict(X)
        b = PatchForecaster(**TINY, max_epochs=2).fit(X, y).predict(X)
        c = (
            PatchForecaster(**{**TINY, "random_state": 1}, max_epochs=2)
            .fit(X, y)
            .predict(X)
        )
        np.testing.assert_array_equal(a, b)
        assert not np.allclose(a, c)

    def test_fit_leaves_global_torch_rng_alone(self, data):
        X, y = data
        torch.manual_seed(123)
        expected = torch.rand(3)
        torch.manual_seed(123)
        PatchForecaster(**TINY, max_epochs=1).fit(X, y)
        assert torch.equal(torch.rand(3), expected)


class TestInputForms:
    def test_predict_returns_the_form_fit_got(self, data):
        X, y = data
        n = len(X)
        assert PatchForecaster(**TINY, max_epochs=1).fit(X, y).predict(X).shape == (
            n,
            8,
            2,
        )
        flat = PatchForecaster(**TINY, max_epochs=1).fit(X, y.reshape(n, -1))
        assert flat.predict(X).shape == (n, 16)
        uni = PatchForecaster(**TINY, max_epochs=1).fit(X[..., 0], y[..., 0])
        assert uni.predict(X[..., 0]).shape == (n, 8)
        one = PatchForecaster(**TINY, max_epochs=1).fit(X[..., 0], y[:, 0, 0])
        assert one.predict(X[..., 0]).shape == (n,)

    def test_2d_y_is_the_reshaped_3d_y(self, data):
        X, y = data
        n = len(X)
        p3 = PatchForecaster(**TINY, max_epochs=2).fit(X, y).predict(X)
        p2 = PatchForecaster(**TINY, max_epochs=2).fit(X, y.reshape(n, -1)).predict(X)
        np.testing.assert_allclose(p2, p3.reshape(n, -1), rtol=1e-6)

    def test_dataframe_windows_keep_feature_names(self, data):
        X, y = data
        df = pd.DataFrame(X[..., 0], columns=[f"lag_{48 - i}" for i in range(48)])
        model = PatchForecaster(**TINY, max_epochs=1).fit(df, y[..., 0])
        assert list(model.feature_names_in_) == list(df.columns)
        assert model.n_features_in_ == 48 and model.n_channels_in_ == 1

    def test_lookback_reads_the_most_recent_steps(self, data):
        X, y = data
        model = PatchForecaster(**TINY, lookback=24, max_epochs=1).fit(X, y)
        assert model.lookback_ == 24 and model.net_.module_.lookback == 24
        changed = X.copy()
        changed[:, :24] = 0.0  # steps the network does not read
        np.testing.assert_array_equal(model.predict(changed), model.predict(X))

    def test_score_accepts_every_y_form(self, data):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=3).fit(X, y)
        n = len(X)
        assert model.score(X, y) == pytest.approx(model.score(X, y.reshape(n, -1)))


class TestSklearnComposition:
    def test_pipeline_equals_manual_transform(self, data):
        X, y = data
        scale = FunctionTransformer(lambda a: 10.0 * a)
        pipe = make_pipeline(scale, PatchForecaster(**TINY, max_epochs=2)).fit(
            X, 10 * y
        )
        manual = PatchForecaster(**TINY, max_epochs=2).fit(10 * X, 10 * y)
        np.testing.assert_allclose(pipe.predict(X), manual.predict(10 * X), rtol=1e-5)

    def test_grid_search_over_patch_sizes_with_time_series_split(self, data):
        X, y = data
        y2 = y.reshape(len(y), -1)
        cv = TimeSeriesSplit(n_splits=2, gap=8)
        grid = {"patch_len": [4, 8], "stride": [None, 2]}
        search = GridSearchCV(PatchForecaster(**TINY, max_epochs=2), grid, cv=cv)
        search.fit(X, y2)
        assert search.best_params_ in list(
            {"patch_len": p, "stride": s} for p in (4, 8) for s in (None, 2)
        )
        # each grid cell's score is the score of that configuration fitted by hand
        params = search.cv_results_["params"][1]
        scores = cross_val_score(
            PatchForecaster(**{**TINY, **params}, max_epochs=2), X, y2, cv=cv
        )
        assert search.cv_results_["mean_test_score"][1] == pytest.approx(scores.mean())
        assert search.best_estimator_.patch_len == search.best_params_["patch_len"]

    def test_cross_val_score_with_time_ordered_splits(self, data):
        X, y = data
        y2 = y.reshape(len(y), -1)
        cv = TimeSeriesSplit(n_splits=3, gap=8)
        scores = cross_val_score(PatchForecaster(**TINY, max_epochs=3), X, y2, cv=cv)
        assert scores.shape == (3,) and np.all(np.isfinite(scores))
        train, test = list(cv.split(X))[-1]
        model = PatchForecaster(**TINY, max_epochs=3).fit(X[train], y2[train])
        assert scores[-1] == pytest.approx(model.score(X[test], y2[test]))

    def test_clone_and_set_params_then_refit(self, data):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=1).fit(X, y)
        fresh = clone(model)
        assert not hasattr(fresh, "net_") and fresh.get_params() == model.get_params()
        before = model.predict(X)
        model.set_params(patch_len=8, encoder="mlp").fit(X, y)
        assert model.net_.module_.patch_len == 8
        assert type(model.net_.module_.encoder).__name__ == "MLPPatchEncoder"
        assert not np.allclose(model.predict(X), before)


class TestPersistence:
    def test_pickle_and_joblib_round_trips(self, data, tmp_path):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=2).fit(X, y)
        expected = model.predict(X)
        np.testing.assert_array_equal(
            pickle.loads(pickle.dumps(model)).predict(X), expected
        )
        joblib.dump(model, tmp_path / "model.joblib")
        np.testing.assert_array_equal(
            joblib.load(tmp_path / "model.joblib").predict(X), expected
        )

    def test_warm_start_continues_training(self, data):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=2, patience=None, warm_start=True)
        model.fit(X, y)
        first = model.history_[:, "train_loss"]
        model.fit(X, y)
        assert model.n_epochs_ == 4
        assert model.history_[:2, "train_loss"] == first

    @pytest.mark.parametrize("schedule", ["constant", "cosine"])
    def test_warm_start_takes_the_new_epochs_and_learning_rate(self, data, schedule):
        X, y = data
        model = PatchForecaster(
            **TINY, max_epochs=2, patience=None, warm_start=True, lr_schedule=schedule
        ).fit(X, y)
        model.set_params(max_epochs=3, lr=0.0123).fit(X, y)
        assert model.n_epochs_ == 5
        assert model.resolved_params_["lr"] == 0.0123
        if schedule == "cosine":  # annealed anew from the new rate
            rates = list(model.history_[2:, "event_lr"])
            assert rates[0] == pytest.approx(0.0123)
            assert rates == sorted(rates, reverse=True)
        else:
            assert model.net_.optimizer_.param_groups[0]["lr"] == 0.0123

    @pytest.mark.parametrize(
        ("change", "got"),
        [("channels", "48 steps, 3 channels"), ("lookback", "40 steps, 2 channels")],
    )
    def test_a_refused_warm_start_leaves_the_model_as_it_was(self, data, change, got):
        """The refusal comes before anything is validated or set: the model still
        predicts its own windows, identically (sklearn decides ``first_pass``
        before ``validate_data(reset=first_pass)``)."""
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=1, warm_start=True).fit(X, y)
        before = model.predict(X)
        attributes = (model.n_features_in_, model.n_channels_in_, model.lookback_)
        other = (
            np.concatenate([X, X[:, :, :1]], axis=2)
            if change == "channels"
            else X[:, 8:]
        )
        with pytest.raises(ValueError, match=re.escape(f"got {got}. The fitted model")):
            model.fit(
                other,
                y if change == "lookback" else np.concatenate([y, y[:, :, :1]], axis=2),
            )
        assert (
            model.n_features_in_,
            model.n_channels_in_,
            model.lookback_,
        ) == attributes
        np.testing.assert_array_equal(model.predict(X), before)

    def test_warm_start_refuses_other_shapes(self, data):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=1, warm_start=True).fit(X, y)
        with pytest.raises(
            ValueError,
            match=re.escape(
                "warm_start=True continues training the fitted network, which needs "
                "windows of the same shape as before (48 steps, 8 horizon, 2 channels); "
                "got 48 steps, 4 horizon, 2 channels. The fitted model is unchanged. "
                "Pass warm_start=False to train a new network."
            ),
        ):
            model.fit(X, y[:, :4])

    @pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
    def test_cuda_fit_predicts_like_itself_after_pickle(self, data):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=2, device="cuda").fit(X, y)
        again = pickle.loads(pickle.dumps(model))
        np.testing.assert_allclose(again.predict(X), model.predict(X), rtol=1e-5)


class TestBadInput:
    def test_diverging_fit_raises_and_keeps_no_model(self, data):
        X, y = data
        # an absurd step size, unclipped: the weights, then the loss, overflow
        model = PatchForecaster(
            **TINY, gradient_clip=None, max_epochs=3, norm="none", lr=1e20
        )
        with pytest.raises(
            TrainingDivergedError, match=r"Training diverged at epoch \d"
        ):
            model.fit(X, y)
        assert not hasattr(model, "net_")

    @pytest.mark.parametrize(
        ("params", "y_fn", "message"),
        [
            (
                {"horizon": 5},
                lambda y: y,
                "horizon=5 but y holds 8 step(s) per window (y shape (445, 8, 2)); pass "
                "horizon=8, or horizon=None to take it from y.",
            ),
            (
                {},
                lambda y: y[:, :, :1],
                "y has 1 channels but X has 2; every channel of X is also a target, so "
                "pass y with shape (n_windows, horizon, 2).",
            ),
            (
                {},
                lambda y: y.reshape(len(y), -1)[:, :15],
                "y has 15 columns, which is not a multiple of the 2 channels of X; a 2-D "
                "y must be laid out as y3d.reshape(n_windows, -1) with shape (n_windows, "
                "horizon * n_channels).",
            ),
            (
                {},
                lambda y: y[:-1],
                "X and y have different numbers of windows: X has 445, y has 444; pass "
                "one target row per window.",
            ),
            (
                {"lookback": 60},
                lambda y: y,
                "lookback=60 is longer than the windows of X (48 steps); pass lookback "
                "<= 48, or None to read whole windows.",
            ),
            (
                {"encoder": "lstm"},
                lambda y: y,
                "The 'encoder' parameter of PatchForecaster must be a str among",
            ),
        ],
    )
    def test_messages(self, data, params, y_fn, message):
        X, y = data
        with pytest.raises(ValueError, match=re.escape(message)):
            PatchForecaster(**{**TINY, **params}, max_epochs=1).fit(X, y_fn(y))

    def test_missing_y_and_half_validation_data(self, data):
        X, y = data
        with pytest.raises(
            ValueError,
            match=re.escape(
                "PatchForecaster requires y to be passed, but the target y is None."
            ),
        ):
            PatchForecaster(**TINY).fit(X, None)
        with pytest.raises(
            ValueError,
            match=re.escape(
                "Pass both X_val and y_val (validation windows and their targets), or "
                "neither to validate on the latest training windows."
            ),
        ):
            PatchForecaster(**TINY).fit(X, y, X_val=X)

    @pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is present")
    def test_cuda_without_gpu(self, data):
        X, y = data
        with pytest.raises(
            ValueError,
            match=re.escape(
                "device='cuda' but torch sees no CUDA device; pass device='cpu', or "
                "device='auto' to use a GPU only when there is one."
            ),
        ):
            PatchForecaster(**TINY, device="cuda").fit(X, y)
        assert (
            PatchForecaster(**TINY, device="auto", max_epochs=1).fit(X, y).device_
            == "cpu"
        )

    def test_verbose_prints_the_epoch_table(self, data, capsys):
        X, y = data
        PatchForecaster(**TINY, max_epochs=2, verbose=1).fit(X, y)
        out = capsys.readouterr().out
        assert "train_loss" in out and "valid_loss" in out
        PatchForecaster(**TINY, max_epochs=2, verbose=0).fit(X, y)
        assert capsys.readouterr().out == ""


def test_channels_of_very_different_magnitudes_weigh_alike_in_the_loss():
    series = seasonal(n=400, channels=2) * np.array([1.0, 1e5])
    X, y = make_windows(series, lookback=48, horizon=8)
    model = PatchForecaster(**TINY, max_epochs=2).fit(X, y)
    np.testing.assert_allclose(
        np.asarray(model.net_.criterion_.scale), X[:, -1].std(0), rtol=1e-5
    )
    # losses are in units of each channel's spread, not of the 1e5 channel
    assert model.history_[0, "train_loss"] < 10
    # the small channel is forecast as well as when it is alone
    alone = PatchForecaster(**TINY, max_epochs=2).fit(X[:, :, :1], y[:, :, :1])
    err_joint = np.mean((model.predict(X)[:, :, 0] - y[:, :, 0]) ** 2)
    err_alone = np.mean((alone.predict(X[:, :, :1])[:, :, 0] - y[:, :, 0]) ** 2)
    assert err_joint < 2 * err_alone


def test_the_network_and_the_estimator_share_their_defaults():
    """The hyper-parameters passed straight to the network have one default:
    the module's signature and the estimator's agree (NETWORK_PARAMS)."""
    import inspect

    from sktime_patches._defaults import RECIPES
    from sktime_patches._patching import DEFAULT_PATCH_LEN
    from sktime_patches.nn import NETWORK_PARAMS, PatchLSTMNet

    module = inspect.signature(PatchLSTMNet).parameters
    estimator = PatchForecaster().get_params()
    # "auto" ones: the module's default is the few-rows recipe's value
    resolved = {
        name: RECIPES["few"][name] if estimator[name] == "auto" else estimator[name]
        for name in NETWORK_PARAMS
    }
    assert {name: module[name].default for name in NETWORK_PARAMS} == resolved
    # the estimator derives the patch length from the lookback; the module's
    # default is the longest patch that rule gives
    assert estimator["patch_len"] is None
    assert module["patch_len"].default == DEFAULT_PATCH_LEN


@pytest.mark.parametrize(
    ("n_windows", "n_channels", "recipe"),
    [(2857, 7, "few"), (2858, 7, "many"), (19_999, 1, "few"), (20_000, 1, "many")],
)
def test_auto_hyper_parameters_follow_the_number_of_training_rows(
    n_windows, n_channels, recipe
):
    """Left at "auto", twelve hyper-parameters take the values of the "few"
    recipe below 20,000 training rows (windows times channel groups) and of
    the "many" recipe from there; the net is built and trained with them."""
    from sktime_patches._defaults import RECIPES
    from sktime_patches.nn import RecurrentHead

    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_windows, 8, n_channels)).astype(np.float32)
    y = X[:, -2:, :] + 0.5
    model = PatchForecaster(max_epochs=1, random_state=0).fit(X, y)
    used = model.resolved_params_
    assert {name: used[name] for name in RECIPES[recipe]} == RECIPES[recipe]
    assert list(used) == list(model.get_params())  # every hyper-parameter
    assert used["max_epochs"] == 1 and used["random_state"] == 0
    module = model.net_.module_
    assert model.net_.batch_size == RECIPES[recipe]["batch_size"]
    assert isinstance(module.head, RecurrentHead) == (recipe == "many")
    assert isinstance(module.rnn, torch.nn.GRU) == (recipe == "many")
    assert (model.blend_weight_ is not None) == (recipe == "many")
    losses = {"mse": torch.nn.MSELoss, "mae": torch.nn.L1Loss}
    assert type(model.net_.criterion_.loss) is losses[RECIPES[recipe]["loss"]]
    assert ("weight_averaging" in dict(model.net_.callbacks_)) == (recipe == "few")
    assert model.get_params()["d_model"] == "auto"


@pytest.mark.parametrize("n_windows", [600, 20_000])
def test_auto_fits_exactly_as_its_recipe_passed_explicitly(n_windows):
    """The defaults are the recipe: a default fit and a fit given the recipe's
    values make identical forecasts (the benchmarks' rows rely on it)."""
    from sktime_patches._defaults import RECIPES, data_size

    rng = np.random.default_rng(1)
    X = rng.normal(size=(n_windows, 8, 1)).astype(np.float32)
    y = X[:, -2:, :] * 0.5
    default = PatchForecaster(max_epochs=2, random_state=3).fit(X, y)
    explicit = PatchForecaster(
        max_epochs=2, random_state=3, **RECIPES[data_size(n_windows)]
    ).fit(X, y)
    np.testing.assert_array_equal(default.predict(X[:50]), explicit.predict(X[:50]))
    assert default.resolved_params_ == explicit.resolved_params_


def test_given_hyper_parameters_are_used_whatever_the_data_size():
    X = np.random.default_rng(0).normal(size=(300, 8, 1)).astype(np.float32)
    y = X[:, -2:, :]
    model = PatchForecaster(
        batch_size=8, d_model=4, hidden_size=4, loss="mse", max_epochs=1
    ).fit(X, y)
    used = model.resolved_params_
    assert (used["batch_size"], used["d_model"], used["loss"]) == (8, 4, "mse")
    assert used["head"] == "flatten"  # still "auto": the few-rows recipe's
    assert model.net_.batch_size == 8
    assert model.net_.module_.encoder.proj.out_features == 4


class TestScore:
    def test_pooled_r2_over_every_value_in_any_form_of_y(self, data):
        from sklearn.metrics import r2_score

        X, y = data
        model = PatchForecaster(**TINY, max_epochs=2).fit(X, y)
        pred = model.predict(X)
        expected = r2_score(y.ravel(), pred.ravel())
        assert model.score(X, y) == pytest.approx(expected)
        assert model.score(X, y.reshape(len(y), -1)) == pytest.approx(expected)
        # one window: still defined
        one = model.score(X[:1], y[:1])
        assert np.isfinite(one)
        assert one == pytest.approx(r2_score(y[:1].ravel(), pred[:1].ravel()))
        weights = np.r_[np.ones(len(y) - 1), 0.0]
        assert model.score(X, y, sample_weight=weights) == pytest.approx(
            model.score(X[:-1], y[:-1])
        )

    def test_grid_search_with_backtest_split_and_3d_y_gets_finite_scores(self):
        """The obvious route: GridSearchCV's default scoring, BacktestSplit folds
        of one test window, the 3-D y of make_windows (max_epochs cut, for
        speed)."""
        from sktime_patches.backtesting import BacktestSplit

        X, y = make_windows(seasonal(n=200, channels=1), lookback=36, horizon=12)
        search = GridSearchCV(
            PatchForecaster(max_epochs=1, random_state=0),
            {"patch_len": [6, 12, 24]},
            cv=BacktestSplit(lookback=36, horizon=12, n_cutoffs=4),
        ).fit(X, y)
        scores = search.cv_results_["mean_test_score"]
        assert np.isfinite(scores).all()
        assert search.best_params_["patch_len"] in (6, 12, 24)


def test_best_epoch_says_when_the_model_is_its_ridge_start(data):
    X, y = data
    kept = PatchForecaster(
        **tiny(patch_len=4, lr=1e-12, max_epochs=2, patience=1, random_state=None)
    ).fit(X, y)
    assert kept.best_epoch_ == 0  # a step of 1e-12 cannot beat the start
    trained = PatchForecaster(**TINY, max_epochs=2, patience=None).fit(X, y)
    assert trained.best_epoch_ == trained.n_epochs_ == 2


@pytest.mark.parametrize("norm", ["last", "standard"])
@pytest.mark.parametrize("scale", [1e-12, 1e-6, 1e6, 1e12])
def test_the_forecast_scales_with_the_data(norm, scale):
    """Every normalisation and epsilon is relative to the data: the same
    learnable series in other units gives the same forecast in those units."""
    rng = np.random.default_rng(0)
    t = np.arange(400.0)
    base = np.sin(2 * np.pi * t / 24) + 0.1 * rng.normal(size=400)
    kw = tiny(patch_len=8, d_model=16, hidden_size=16, max_epochs=2, norm=norm)
    X, y = make_windows(base, 48, 6)
    reference = PatchForecaster(**kw).fit(X[:300], y[:300])
    expected = reference.predict(X[300:])
    assert reference.score(X[300:], y[300:]) > 0.9
    scaled = PatchForecaster(**kw).fit(X[:300] * scale, y[:300] * scale)
    np.testing.assert_allclose(
        scaled.predict(X[300:] * scale) / scale, expected, rtol=1e-4, atol=1e-4
    )


class TestOwnRandomStreams:
    """The same random_state gives the same predictions whatever else runs:
    other fits in other threads, or the caller's use of torch's generator."""

    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"encoder": "mlp"},
            {"num_layers": 2},
            {"head": "recurrent", "cell": "gru"},
        ],
    )
    def test_fits_in_parallel_threads_equal_fits_one_after_the_other(self, params):
        from concurrent.futures import ThreadPoolExecutor

        datasets = [
            make_windows(seasonal(n=300, seed=s, noise=0.3), 48, 8) for s in (1, 2)
        ]
        kw = {**TINY, "max_epochs": 3, "dropout": 0.3, "n_jobs": 1, **params}
        kw.pop("random_state")

        def fit(i):
            X, y = datasets[i]
            return PatchForecaster(**kw, random_state=i).fit(X, y).predict(X)

        alone = [fit(0), fit(1)]
        for _ in range(2):
            with ThreadPoolExecutor(2) as pool:
                together = list(pool.map(fit, [0, 1]))
            for a, b in zip(alone, together, strict=True):
                np.testing.assert_array_equal(a, b)

    def test_predict_leaves_the_callers_generator_alone(self, data):
        X, y = data
        model = PatchForecaster(**TINY, max_epochs=1).fit(X, y)
        torch.manual_seed(7)
        expected = torch.rand(3)
        torch.manual_seed(7)
        model.predict(X)
        assert torch.equal(torch.rand(3), expected)


class TestQuantiles:
    LEVELS = (0.9, 0.1, 0.025, 0.975)

    @pytest.fixture
    def noisy(self):
        X, y = make_windows(seasonal(n=1600, noise=0.5), lookback=48, horizon=12)
        return X, y

    def test_the_median_is_always_trained_and_is_the_point_forecast(self, noisy):
        X, y = noisy
        model = PatchForecaster(quantiles=self.LEVELS, random_state=0, n_jobs=1)
        model.fit(X[:1200], y[:1200])
        assert model.quantiles_.tolist() == [0.025, 0.1, 0.5, 0.9, 0.975]
        quantiles = model.predict_quantiles(X[1200:])
        assert quantiles.shape == (len(X) - 1200, 12, 1, 5)
        assert np.array_equal(model.predict(X[1200:]), quantiles[..., 2])
        assert np.all(np.diff(quantiles, axis=-1) >= 0)
        # the levels asked for, in the order asked
        two = model.predict_quantiles(X[1200:], [0.975, 0.1])
        assert np.array_equal(two, quantiles[..., [4, 1]])
        # Gaussian noise of std 0.5: 80% and 95% intervals cover about that
        intervals = model.predict_interval(X[1200:], [0.8, 0.95])
        assert intervals.shape == (len(X) - 1200, 12, 1, 2, 2)
        for k, c in enumerate([0.8, 0.95]):
            inside = (y[1200:] >= intervals[..., k, 0]) & (
                y[1200:] <= intervals[..., k, 1]
            )
            assert abs(inside.mean() - c) < 0.04
        one = model.predict_interval(X[1200:], 0.8)
        assert np.array_equal(one, intervals[..., 0, :])

    def test_outputs_follow_the_form_of_y(self, noisy):
        X, y = noisy
        flat = PatchForecaster(quantiles=(0.1, 0.9), max_epochs=1, random_state=0)
        flat.fit(X[:300, :, 0], y[:300].reshape(300, -1))
        assert flat.predict_quantiles(X[300:310, :, 0]).shape == (10, 12, 3)
        assert flat.predict_interval(X[300:310, :, 0], 0.8).shape == (10, 12, 2)
        one_step = PatchForecaster(quantiles=(0.1, 0.9), max_epochs=1, random_state=0)
        one_step.fit(X[:300, :, 0], y[:300, 0, 0])
        assert one_step.predict(X[300:310, :, 0]).shape == (10,)
        assert one_step.predict_quantiles(X[300:310, :, 0]).shape == (10, 3)
        assert one_step.predict_interval(X[300:310, :, 0], [0.8]).shape == (10, 1, 2)

    def test_the_ridge_start_is_every_level_until_training_spreads_them(self, noisy):
        X, y = noisy
        kw = tiny(max_epochs=2, patience=1)
        start = PatchForecaster(quantiles=(0.1, 0.9), lr=1e-12, **kw).fit(X, y)
        assert start.best_epoch_ == 0
        quantiles = start.predict_quantiles(X[:50])
        assert np.allclose(quantiles[..., 0], quantiles[..., 2])  # zero width
        point = PatchForecaster(lr=1e-12, linear_floor=False, **kw).fit(X, y)
        np.testing.assert_allclose(start.predict(X[:50]), point.predict(X[:50]))
        trained = PatchForecaster(quantiles=(0.1, 0.9), **kw).fit(X, y)
        assert trained.best_epoch_ > 0
        spread = trained.predict_quantiles(X[:50])
        assert np.all(spread[..., 2] - spread[..., 0] > 0)
        # early stopping scored the pinball loss: no squared error is that small
        assert min(trained.history_[:, "valid_loss"]) < 0.25

    def test_errors_name_the_levels(self, noisy):
        X, y = noisy
        point = PatchForecaster(max_epochs=1, random_state=0).fit(X[:200], y[:200])
        message = (
            "PatchForecaster was fitted without quantiles, so it forecasts no "
            "quantiles; refit with e.g. quantiles=(0.05, 0.95), or wrap it in "
            "sktime_patches.conformal.ConformalForecaster for intervals around its "
            "point forecast."
        )
        with helpers.raises(ValueError, message):
            point.predict_quantiles(X[:5])
        with helpers.raises(ValueError, message):
            point.predict_interval(X[:5])
        model = PatchForecaster(quantiles=(0.1, 0.9), max_epochs=1, random_state=0)
        model.fit(X[:200], y[:200])
        with helpers.raises(
            ValueError,
            "coverage=0.9 needs the quantiles 0.05 and 0.95, but the estimator "
            "forecasts [0.1, 0.5, 0.9]; refit with quantiles that include both, or "
            "wrap the model in sktime_patches.conformal.ConformalForecaster.",
        ):
            model.predict_interval(X[:5], 0.9)
        with helpers.raises(
            ValueError,
            "quantiles=0.05 is not among the levels the model was fitted with "
            "(quantiles_) ([0.1, 0.5, 0.9]); pass one of them, or refit with "
            "quantiles that include 0.05.",
        ):
            model.predict_quantiles(X[:5], [0.1, 0.05])
        with helpers.raises(
            ValueError,
            "quantiles must lie in (0, 1); got [1.0]; pass numbers strictly between "
            "0 and 1, e.g. quantiles=[0.1, 0.5, 0.9].",
        ):
            PatchForecaster(quantiles=(0.5, 1.0)).fit(X[:200], y[:200])
        with helpers.raises(
            ValueError,
            "quantiles is empty; pass numbers strictly between 0 and 1, e.g. "
            "quantiles=[0.1, 0.5, 0.9].",
        ):
            PatchForecaster(quantiles=[]).fit(X[:200], y[:200])
        model.set_params(warm_start=True, quantiles=(0.2, 0.8))
        before = model.predict(X[:5])
        with helpers.raises(
            ValueError,
            "warm_start=True continues training the fitted network, whose head "
            "forecasts the quantiles [0.1, 0.5, 0.9]; got quantiles [0.2, 0.5, 0.8]. "
            "The fitted model is unchanged. Pass the same quantiles, or "
            "warm_start=False to train a new network.",
        ):
            model.fit(X[:200], y[:200])
        assert np.array_equal(model.predict(X[:5]), before)


class TestCovariates:
    """target_channels and future_channels: the "MS" setting and known futures."""

    @staticmethod
    def driven(n=2500, lookback=48, horizon=12, seed=0):
        """A daily wave plus 1.5 times a known-future random driver (channel
        2); channel 1 is a past covariate. Windows carry lookback + horizon
        rows; the targets are channel 0."""
        rng = np.random.default_rng(seed)
        t = np.arange(n)
        driver = rng.normal(size=n)
        target = np.sin(2 * np.pi * t / 24) + 1.5 * driver + 0.1 * rng.normal(size=n)
        series = np.stack([target, np.cos(2 * np.pi * t / 24), driver], axis=1)
        starts = np.arange(n - lookback - horizon + 1)
        X = np.stack([series[s : s + lookback + horizon] for s in starts])
        y = X[:, lookback:, :1].copy()
        return X, y

    def test_a_known_future_driver_cuts_the_error_by_more_than_half(self):
        X, y = self.driven()
        split, L = 2000, 48
        blind = PatchForecaster(target_channels=[0], random_state=0, n_jobs=1)
        blind.fit(X[:split, :L], y[:split])
        aware = PatchForecaster(
            target_channels=[0], future_channels=[2], random_state=0, n_jobs=1
        ).fit(X[:split], y[:split])
        assert aware.lookback_ == L and aware.n_features_in_ == L + 12
        mse_blind = np.mean((blind.predict(X[split:, :L]) - y[split:]) ** 2)
        mse_aware = np.mean((aware.predict(X[split:]) - y[split:]) ** 2)
        assert mse_aware < 0.5 * mse_blind
        # the other channels' future rows are ignored
        noisy = X[split:].copy()
        noisy[:, L:, :2] = 1e6
        np.testing.assert_allclose(aware.predict(noisy), aware.predict(X[split:]))

    def test_targets_are_a_subset_in_the_form_of_y(self):
        X, _ = self.driven(n=600)
        model = PatchForecaster(target_channels=[2, 0], max_epochs=1, random_state=0)
        y2 = X[:, 48:, [2, 0]]
        model.fit(X[:, :48], y2.reshape(len(y2), -1))
        assert model.predict(X[:5, :48]).shape == (5, 24)
        assert model.target_channels_ == [2, 0] and model.future_channels_ is None

    def test_errors_name_the_channels(self):
        X, y = self.driven(n=400)
        with helpers.raises(
            ValueError,
            "target_channels=[0, 3] names channel(s) [3], but X has 3 channel(s); "
            "pass distinct channel positions from 0 to 2.",
        ):
            PatchForecaster(target_channels=[0, 3]).fit(X[:, :48], X[:, 48:, :2])
        with helpers.raises(
            ValueError,
            "target_channels=[0, 0] repeats a channel; pass distinct channel "
            "positions from 0 to 2.",
        ):
            PatchForecaster(target_channels=[0, 0]).fit(X[:, :48], X[:, 48:, :2])
        with helpers.raises(
            ValueError,
            "target_channels and future_channels patch every channel in one group, "
            "the targets with their covariates; got channel_groups=3. Pass "
            "channel_groups=None.",
        ):
            PatchForecaster(target_channels=[0], channel_groups=3).fit(X[:, :48], y)
        with helpers.raises(
            ValueError,
            "future_channels needs windows of lookback + horizon rows, the last "
            "horizon=12 holding the known future; X has windows of 12 rows. Append "
            "the future rows to each window.",
        ):
            PatchForecaster(target_channels=[0], future_channels=[2]).fit(X[:, 48:], y)
