"""PatchForecaster on a SeriesWindows: the same training as on windows arrays."""

import re

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import TRAINING, many, seasonal

from sktime_patches import PatchForecaster, SeriesWindows, make_windows, n_windows
from sktime_patches._training.callbacks import TimeOrderedSplit


class TestForecasterOnSeriesWindows:
    def test_same_predictions_as_make_windows_arrays(self):
        # Same windows in the same order, the same time-ordered validation split
        # (gap = horizon at stride 1) and the same seeded shuffling, so the two
        # fits do identical arithmetic: the predictions are exactly equal.
        series = seasonal(400)
        X, y = make_windows(series, lookback=48, horizon=8)
        ds = SeriesWindows(series, lookback=48, horizon=8)
        kw = {**TRAINING, "max_epochs": 3}
        on_arrays = PatchForecaster(**kw).fit(X, y)
        on_dataset = PatchForecaster(**kw).fit(ds)
        assert (
            on_dataset.history_[:, "valid_loss"] == on_arrays.history_[:, "valid_loss"]
        )
        expected = on_arrays.predict(X)
        np.testing.assert_array_equal(on_dataset.predict(ds), expected)
        np.testing.assert_array_equal(on_dataset.predict(X), expected)
        np.testing.assert_array_equal(on_arrays.predict(ds), expected)

    def test_a_shorter_lookback_reads_the_latest_steps_like_arrays(self):
        series = seasonal(300)
        X, y = make_windows(series, lookback=48, horizon=8)
        kw = {**TRAINING, "lookback": 24}
        a = PatchForecaster(**kw).fit(X, y)
        b = PatchForecaster(**kw).fit(SeriesWindows(series, 48, 8))
        np.testing.assert_array_equal(b.predict(X), a.predict(X))
        assert b.lookback_ == 24 and b.n_features_in_ == 48

    def test_many_series_learn_one_model(self):
        ds = SeriesWindows(many((200, 260, 320), channels=2), lookback=48, horizon=8)
        model = PatchForecaster(
            **{**TRAINING, "max_epochs": 6, "patience": None, "lr": 3e-3}
        ).fit(ds)
        losses = model.history_[:, "train_loss"]
        assert losses[-1] < 0.8 * losses[0]
        train, valid = ds.time_split(model.validation_fraction)
        assert model.history_[-1, "train_batch_count"] == -(-len(train) // 64)
        # on a CPU: 7168 row-steps // (2 channels x 6 patches) = 597 windows
        assert model.history_[-1, "valid_batch_count"] == -(-len(valid) // 597)
        pred = model.predict(ds)
        assert pred.shape == (len(ds), 8, 2) and pred.dtype == np.float64
        assert model.score(ds) > 0.5
        # forecast beyond the end of every series from its last window
        assert model.predict(ds.last_windows()).shape == (3, 8, 2)

    def test_time_ordered_split_on_a_dataset_validates_on_each_series_end(self):
        ds = SeriesWindows(many((100, 150)), lookback=24, horizon=8, stride=3)
        train, valid = TimeOrderedSplit(0.2, gap=3)(ds)
        assert isinstance(train, SeriesWindows) and isinstance(valid, SeriesWindows)
        counts = [n_windows(n, 24, 8, 3) for n in (100, 150)]
        assert len(valid) == sum(-(-c * 2 // 10) for c in counts)
        ends = valid.locate().groupby("series_id")["start"].max()
        assert ends.tolist() == [3 * (c - 1) for c in counts]

    def test_explicit_validation_dataset_and_warm_start(self):
        series = many((200, 240))
        train = SeriesWindows([s[:160] for s in series], 48, 8)
        valid = SeriesWindows([s[100:] for s in series], 48, 8)
        model = PatchForecaster(**TRAINING, warm_start=True).fit(train, X_val=valid)
        # on a CPU: 7168 row-steps // (1 channel x 6 patches) = 1194 windows
        assert model.history_[-1, "valid_batch_count"] == -(-len(valid) // 1194)
        model.fit(train, X_val=valid)
        assert model.n_epochs_ == 4
        # a new fit checks X_val against its own lookback, not the last fit's
        model.set_params(warm_start=False, lookback=24).fit(train, X_val=valid)
        model.set_params(lookback=None).fit(train, X_val=valid)
        assert model.lookback_ == 48

    def test_channel_groups_by_name(self):
        frame = pd.DataFrame(seasonal(200, channels=2), columns=["load", "temp"])
        ds = SeriesWindows(frame, 48, 8)
        model = PatchForecaster(**TRAINING, channel_groups=[["load", "temp"]]).fit(ds)
        assert model.net_.module__channel_groups == [[0, 1]]

    @pytest.mark.parametrize(
        ("params", "fit_kwargs", "error", "message"),
        [
            (
                {"horizon": 4},
                {},
                ValueError,
                "horizon=4 but the SeriesWindows has horizon=8; pass horizon=8, or "
                "horizon=None to take it from the data.",
            ),
            (
                {},
                {"y": np.zeros((10, 8))},
                ValueError,
                "X is a SeriesWindows, whose windows carry their targets, but y was "
                "also passed (a ndarray); pass y=None.",
            ),
            (
                {"lookback": 60},
                {},
                ValueError,
                "lookback=60 is longer than the windows of X (48 steps); pass lookback "
                "<= 48, or None to read whole windows.",
            ),
        ],
    )
    def test_fit_messages(self, params, fit_kwargs, error, message):
        ds = SeriesWindows(seasonal(200), 48, 8)
        with pytest.raises(error, match=re.escape(message)):
            PatchForecaster(**{**TRAINING, **params}).fit(ds, **fit_kwargs)

    def test_predict_messages_and_other_datasets(self):
        model = PatchForecaster(**{**TRAINING, "max_epochs": 1}).fit(
            SeriesWindows(seasonal(200), 48, 8)
        )
        with pytest.raises(
            ValueError,
            match=re.escape(
                "X has 2 channel(s), but PatchForecaster was fitted on 1 channel(s); "
                "pass series with 1 channel(s)."
            ),
        ):
            model.predict(SeriesWindows(seasonal(200, channels=2), 48, 8))
        with pytest.raises(
            ValueError,
            match=re.escape(
                "X has windows of lookback=32, shorter than the 48 steps the network "
                "reads; build the SeriesWindows with lookback >= 48."
            ),
        ):
            model.predict(SeriesWindows(seasonal(200), 32, 8))
        other = torch.utils.data.TensorDataset(torch.zeros(3, 48, 1))
        with pytest.raises(
            TypeError,
            match=re.escape(
                "X is a torch Dataset of type TensorDataset; PatchForecaster trains on "
                "windows arrays or on a sktime_patches.SeriesWindows"
            ),
        ):
            PatchForecaster(**TRAINING).fit(other)
