"""Weight averaging (ema_halflife) and a validation loss apart from the training
loss (valid_loss): exact arithmetic on small nets, then through PatchForecaster."""

import pickle
import re

import numpy as np
import pytest
import torch
from helpers import tiny
from skorch import NeuralNetRegressor
from skorch.callbacks import Callback

from sktime_patches import PatchForecaster, make_windows
from sktime_patches._training.callbacks import WeightAveraging
from sktime_patches.nn import ChannelScaledLoss


class Recorder(Callback):
    """Copies of the weights after every training step and at every validation."""

    def initialize(self):
        self.after_step, self.at_validation, self.before_epoch = [], [], []
        return self

    def on_epoch_begin(self, net, **kwargs):
        self.before_epoch.append(net.module_.weight.detach().clone())

    def on_batch_end(self, net, training=False, **kwargs):
        target = self.after_step if training else self.at_validation
        target.append(net.module_.weight.detach().clone())


def validate_on_training_data(dataset, y=None):
    return dataset, dataset


def linear_net(halflife, valid=True, max_epochs=4):
    torch.manual_seed(0)
    recorder = Recorder()
    net = NeuralNetRegressor(
        torch.nn.Linear,
        module__in_features=3,
        module__out_features=1,
        module__bias=False,
        max_epochs=max_epochs,
        lr=0.1,
        batch_size=10,  # 4 steps per epoch on 40 rows
        iterator_train__shuffle=False,
        train_split=validate_on_training_data if valid else None,
        # the recorder comes after the averaging: it sees what validation sees
        callbacks=[("ema", WeightAveraging(halflife)), ("rec", recorder)],
        verbose=0,
    )
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3)).astype(np.float32)
    y = (X @ np.array([[1.0], [-2.0], [0.5]]) + rng.normal(size=(40, 1))).astype(
        np.float32
    )
    return net, recorder, X, y


def expected_average(after_step, halflife, steps_per_epoch):
    """The EMA by hand: started at the end of epoch 1, one update per step."""
    decay = 0.5 ** (1.0 / (halflife * steps_per_epoch))
    averages = []
    average = after_step[steps_per_epoch - 1]
    for weight in after_step[steps_per_epoch:]:
        average = decay * average + (1 - decay) * weight
        averages.append(average)
    return averages


class TestWeightAveraging:
    def test_validation_sees_the_average_and_training_resumes_from_raw(self):
        net, rec, X, y = linear_net(halflife=0.5)
        net.fit(X, y)
        averages = expected_average(rec.after_step, 0.5, steps_per_epoch=4)
        # epoch 1 validates the raw weights (nothing averaged yet); epochs 2-4
        # validate the average after their last step (4 validation batches each)
        assert len(rec.at_validation) == 16
        torch.testing.assert_close(rec.at_validation[0], rec.after_step[3])
        for epoch in (2, 3, 4):
            for batch in range(4):
                torch.testing.assert_close(
                    rec.at_validation[4 * (epoch - 1) + batch],
                    averages[4 * (epoch - 1) - 1],
                )
            # ... and the next epoch trains on from the raw weights
            if epoch < 4:
                torch.testing.assert_close(
                    rec.before_epoch[epoch], rec.after_step[4 * epoch - 1]
                )
        # the raw and averaged weights really differ, so the checks above bite
        assert not torch.allclose(rec.after_step[-1], averages[-1])
        # the fitted net keeps the average, and no copy of it is pickled
        torch.testing.assert_close(net.module_.weight.detach(), averages[-1])
        ema = dict(net.callbacks_)["ema"]
        assert ema.averaged_ is None and ema.raw_ is None
        assert pickle.loads(pickle.dumps(net)).module_.weight.shape == (1, 3)

    def test_without_validation_the_fit_ends_on_the_average(self):
        net, rec, X, y = linear_net(halflife=2.0, valid=False, max_epochs=3)
        net.fit(X, y)
        averages = expected_average(rec.after_step, 2.0, steps_per_epoch=4)
        assert rec.at_validation == []
        torch.testing.assert_close(net.module_.weight.detach(), averages[-1])

    def test_a_single_epoch_keeps_the_raw_weights(self):
        net, rec, X, y = linear_net(halflife=1.0, max_epochs=1)
        net.fit(X, y)
        torch.testing.assert_close(net.module_.weight.detach(), rec.after_step[-1])


def seasonal_windows(n=400, seed=0):
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    series = np.sin(2 * np.pi * t / 24) + 0.3 * rng.standard_t(df=2, size=n)
    X, y = make_windows(series, lookback=48, horizon=8)
    return X.copy(), y.copy()


SMALL = tiny(patch_len=8, batch_size=64)


class TestValidLoss:
    def test_history_valid_loss_is_the_chosen_loss(self):
        X, y = seasonal_windows()
        X_val, y_val = seasonal_windows(seed=1)
        model = PatchForecaster(
            **SMALL,
            loss="mae",
            valid_loss="mse",
            ema_halflife=None,
            patience=None,
            max_epochs=2,
        )
        model.fit(X, y, X_val=X_val, y_val=y_val)
        scale = X[:, -1].std()  # the channel's spread that losses divide by
        pred = model.predict(X_val)
        mse = np.mean(((pred - y_val) / scale) ** 2)
        mae = np.mean(np.abs(pred - y_val) / scale)
        assert model.history_[-1, "valid_loss"] == pytest.approx(mse, rel=1e-4)
        assert model.history_[-1, "valid_loss"] != pytest.approx(mae, rel=1e-2)

    def test_none_validates_on_the_training_loss(self):
        X, y = seasonal_windows()
        X_val, y_val = seasonal_windows(seed=1)
        model = PatchForecaster(
            **SMALL,
            loss="mae",
            valid_loss=None,
            ema_halflife=None,
            patience=None,
            max_epochs=1,
        )
        model.fit(X, y, X_val=X_val, y_val=y_val)
        mae = np.mean(np.abs(model.predict(X_val) - y_val) / X[:, -1].std())
        assert model.history_[-1, "valid_loss"] == pytest.approx(mae, rel=1e-4)

    def test_channel_scaled_loss_switches_with_the_mode(self):
        loss = ChannelScaledLoss("mae", scale=[2.0], eval_loss="mse")
        pred, target = torch.zeros(1, 2, 1), torch.full((1, 2, 1), 4.0)
        assert float(loss.train()(pred, target)) == 2.0  # |4 / 2|
        assert float(loss.eval()(pred, target)) == 4.0  # (4 / 2) ** 2

    def test_bad_eval_loss(self):
        with pytest.raises(
            ValueError,
            match=re.escape("eval_loss='rmse' is not one of ('mse', 'mae', 'huber')."),
        ):
            ChannelScaledLoss("mse", eval_loss="rmse")

    @pytest.mark.parametrize(
        "params, message",
        [
            (
                {"valid_loss": "rmse"},
                "The 'valid_loss' parameter of PatchForecaster must be a str among",
            ),
            (
                {"ema_halflife": 0},
                "The 'ema_halflife' parameter of PatchForecaster must be a float in "
                "the range (0.0, inf), a str among {'auto'} or None. Got 0 instead.",
            ),
        ],
    )
    def test_bad_parameters(self, params, message):
        X, y = seasonal_windows()
        with pytest.raises(ValueError, match=re.escape(message)):
            PatchForecaster(**SMALL, **params).fit(X, y)


def test_correction_scale_reaches_the_network():
    X, y = seasonal_windows()
    model = PatchForecaster(**SMALL, correction_scale="window", max_epochs=1)
    model.fit(X, y)
    assert model.net_.module_.correction_scale == "window"
    assert model.predict(X).shape == y.shape
    with pytest.raises(
        ValueError,
        match=re.escape(
            "The 'correction_scale' parameter of PatchForecaster must be a str among"
        ),
    ):
        PatchForecaster(**SMALL, correction_scale="patch").fit(X, y)


def test_a_forecaster_with_averaged_weights_pickles_and_predicts_the_same():
    X, y = seasonal_windows()
    model = PatchForecaster(**SMALL, ema_halflife=1.0, max_epochs=3).fit(X, y)
    assert dict(model.net_.callbacks_)["weight_averaging"].averaged_ is None
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
