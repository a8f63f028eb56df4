"""SeriesWindows (lazy windows of many series), PatchForecaster on it, and amp."""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from skorch.callbacks import Callback
from skorch.exceptions import DeviceWarning
from torch.utils.data import DataLoader, Subset

from sktime_patches import PatchForecaster, make_windows, n_windows
from sktime_patches import _net as net_module
from sktime_patches._callbacks import TimeOrderedSplit, time_ordered_indices
from sktime_patches.data import SeriesWindows, collate_windows

# explicit small hyper-parameters: never rely on defaults (they are retuned)
# A random start for the linear skip: these tests check what training does
# (the loss falls); the default ridge start would already be near the optimum
# of these easy series. The ridge start has its own tests (test_linear_init.py).
TINY = dict(
    patch_len=8,
    d_model=16,
    hidden_size=16,
    batch_size=64,
    max_epochs=2,
    random_state=0,
    linear_skip="learned",
)


def seasonal(n=300, period=24, noise=0.05, seed=0, channels=1):
    t = np.arange(n)[:, None]
    rng = np.random.default_rng(seed)
    phase = np.arange(channels)[None, :]
    return np.sin(2 * np.pi * t / period + phase) + noise * rng.normal(
        size=(n, channels)
    )


def many(lengths=(200, 260, 320), channels=1):
    return [seasonal(n, seed=i, channels=channels) for i, n in enumerate(lengths)]


def windows_of(series_list, lookback, horizon, stride=1):
    """make_windows of each series, concatenated: what SeriesWindows must equal."""
    parts = [make_windows(s, lookback, horizon, stride) for s in series_list]
    return (
        np.concatenate([p[0] for p in parts]).astype(np.float32),
        np.concatenate([p[1] for p in parts]).astype(np.float32),
    )


class GradNorm(Callback):
    """Record the gradient norm that on_grad_computed callbacks see."""

    def __init__(self, seen, key):
        self.seen = seen
        self.key = key

    def on_grad_computed(self, net, named_parameters, **kwargs):
        norms = torch.stack([p.grad.norm() for _, p in named_parameters])
        self.seen.setdefault(self.key, []).append(float(norms.norm()))


class TestOffsetTable:
    @settings(max_examples=60, deadline=None)
    @given(
        lengths=st.lists(st.integers(1, 40), min_size=1, max_size=5),
        lookback=st.integers(1, 12),
        horizon=st.integers(1, 6),
        stride=st.integers(1, 7),
        channels=st.integers(1, 3),
    )
    def test_every_window_is_make_windows_window(
        self, lengths, lookback, horizon, stride, channels
    ):
        span = lookback + horizon
        lengths = [n + span - 1 for n in lengths]  # every series has a window
        rng = np.random.default_rng(sum(lengths))
        series = [rng.normal(size=(n, channels)) for n in lengths]
        ds = SeriesWindows(series, lookback, horizon, stride=stride)
        assert len(ds) == sum(n_windows(n, lookback, horizon, stride) for n in lengths)
        X, y = windows_of(series, lookback, horizon, stride)
        for i in range(len(ds)):
            Xi, yi = ds[i]
            assert Xi.dtype == yi.dtype == torch.float32
            np.testing.assert_array_equal(Xi.numpy(), X[i])
            np.testing.assert_array_equal(yi.numpy(), y[i])
        idx = rng.integers(-len(ds), len(ds), size=17).tolist()
        batch = ds.__getitems__(idx)
        np.testing.assert_array_equal(batch.X.numpy(), X[idx])
        np.testing.assert_array_equal(batch.y.numpy(), y[idx])
        assert len(batch) == 17

    @settings(max_examples=40, deadline=None)
    @given(
        lengths=st.lists(st.integers(1, 60), min_size=1, max_size=4),
        horizon=st.integers(1, 5),
        stride=st.integers(1, 4),
        fraction=st.sampled_from([0.0, 0.1, 0.25, 0.5]),
    )
    def test_time_split_takes_the_latest_windows_of_each_series(
        self, lengths, horizon, stride, fraction
    ):
        lookback = 4
        lengths = [n + lookback + horizon - 1 for n in lengths]
        series = [np.arange(n, dtype=float) + 1000 * k for k, n in enumerate(lengths)]
        ds = SeriesWindows(series, lookback, horizon, stride=stride)
        gap = -(-horizon // stride)
        train, valid = ds.time_split(fraction, gap=gap)
        X, _ = windows_of(series, lookback, horizon, stride)
        expected_train, expected_valid, offset = [], [], 0
        for n in lengths:
            count = n_windows(n, lookback, horizon, stride)
            tr, va = time_ordered_indices(count, fraction, gap)
            expected_train += (tr + offset).tolist()
            expected_valid += (va + offset).tolist()
            offset += count
        assert len(train) == len(expected_train)
        assert len(valid) == len(expected_valid)
        if len(train):
            np.testing.assert_array_equal(train.to_arrays()[0], X[expected_train])
        if len(valid):
            np.testing.assert_array_equal(valid.to_arrays()[0], X[expected_valid])
            # no training target overlaps a validation target of the same series
            last_train = train.locate().groupby("series_id")["start"].max()
            first_valid = valid.locate().groupby("series_id")["start"].min()
            both = last_train.index.intersection(first_valid.index)
            assert (first_valid[both] - last_train[both] >= horizon).all()

    def test_one_series_split_equals_time_ordered_indices(self):
        ds = SeriesWindows(seasonal(200), lookback=24, horizon=8)
        train, valid = ds.time_split(0.1)
        tr, va = time_ordered_indices(len(ds), 0.1, gap=8)
        assert (len(train), len(valid)) == (len(tr), len(va))
        assert valid.locate()["start"].tolist() == va.tolist()

    def test_views_share_the_values_and_pickle_small(self):
        ds = SeriesWindows(many(), lookback=48, horizon=8)
        train, valid = ds.time_split(0.2)
        assert np.shares_memory(train._values, ds._values)
        assert np.shares_memory(valid._values, ds._values)
        ds.__getitems__([0, 1])  # caches strided views, which must not be pickled
        blob = pickle.dumps(ds)
        assert len(blob) < 2 * ds.nbytes
        again = pickle.loads(blob)
        np.testing.assert_array_equal(again.to_arrays()[0], ds.to_arrays()[0])

    def test_negative_index_and_out_of_range(self):
        ds = SeriesWindows(np.arange(20.0), lookback=4, horizon=2)
        np.testing.assert_array_equal(ds[-1][1].numpy()[:, 0], [18.0, 19.0])
        with pytest.raises(
            IndexError,
            match=re.escape(
                "window index 15 is out of range for a SeriesWindows of 15 windows."
            ),
        ):
            ds[15]
        with pytest.raises(TypeError, match="SeriesWindows index must be an int"):
            ds[1.0]


class TestInputForms:
    def test_array_series_dataframe_list_dict_and_long_format_agree(self):
        a, b = seasonal(60, seed=1, channels=2), seasonal(75, seed=2, channels=2)
        expected = SeriesWindows([a, b], 12, 4).to_arrays()
        frames = [pd.DataFrame(s, columns=["x", "z"]) for s in (a, b)]
        long = pd.concat(
            [
                f.assign(id=k, t=np.arange(len(f)))
                for k, f in zip("ab", frames, strict=True)
            ]
        )
        interleaved = long.sort_values(["t", "id"], kind="stable")
        forms = [
            SeriesWindows(frames, 12, 4),
            SeriesWindows({"a": a, "b": b}, 12, 4),
            SeriesWindows(long, 12, 4, id_col="id", time_col="t"),
            SeriesWindows(interleaved, 12, 4, id_col="id", time_col="t"),
            SeriesWindows(long, 12, 4, id_col="id", value_cols=["x", "z"]),
        ]
        for ds in forms:
            for got, want in zip(ds.to_arrays(), expected, strict=True):
                np.testing.assert_array_equal(got, want)
        assert forms[2].series_ids == ["a", "b"]
        assert forms[2].channel_names == ["x", "z"]
        assert forms[0].channel_names == ["x", "z"]

    def test_one_series_forms(self):
        s = seasonal(50)[:, 0]
        X, _ = make_windows(s, 10, 3)
        for form in (s, s.tolist(), pd.Series(s, name="load"), s[:, None]):
            ds = SeriesWindows(form, 10, 3)
            assert ds.n_series == 1 and ds.n_channels == 1
            np.testing.assert_array_equal(ds.to_arrays()[0], X.astype(np.float32))
        assert SeriesWindows(pd.Series(s, name="load"), 10, 3).channel_names == ["load"]

    def test_targets_last_windows_locate_and_lookback_view(self):
        series = many((40, 55))
        ds = SeriesWindows(series, 12, 4, stride=3)
        X, y = windows_of(series, 12, 4, 3)
        np.testing.assert_array_equal(ds.targets(), y)
        np.testing.assert_array_equal(
            ds.last_windows(), np.stack([s[-12:] for s in series]).astype(np.float32)
        )
        where = ds.locate([0, len(ds) - 1])
        assert where["series_id"].tolist() == [0, 1]
        assert where["start"].tolist() == [0, 3 * (n_windows(55, 12, 4, 3) - 1)]
        short = ds.with_lookback(5)
        assert len(short) == len(ds)
        np.testing.assert_array_equal(short.to_arrays()[0], X[:, -5:])
        np.testing.assert_array_equal(short.to_arrays()[1], y)

    def test_dataloader_batches_with_one_gather(self, monkeypatch):
        ds = SeriesWindows(many(), lookback=48, horizon=8)
        X, y = ds.to_arrays()

        def no_single_calls(self, index):
            raise AssertionError("the DataLoader fetched windows one at a time")

        monkeypatch.setattr(SeriesWindows, "__getitem__", no_single_calls)
        loader = DataLoader(ds, batch_size=128, collate_fn=collate_windows)
        got = [b for b in loader]
        np.testing.assert_array_equal(torch.cat([b[0] for b in got]).numpy(), X)
        np.testing.assert_array_equal(torch.cat([b[1] for b in got]).numpy(), y)
        # torch's default_collate (no collate_fn) gives the same batches
        Xb, yb = next(iter(DataLoader(ds, batch_size=128)))
        np.testing.assert_array_equal(Xb.numpy(), X[:128])
        np.testing.assert_array_equal(yb.numpy(), y[:128])
        # torch's Subset passes whole batches through as well
        sub = Subset(ds, list(range(10, 60)))
        Xs, _ = next(iter(DataLoader(sub, batch_size=50, collate_fn=collate_windows)))
        np.testing.assert_array_equal(Xs.numpy(), X[10:60])


class TestBadInput:
    @pytest.mark.parametrize(
        ("series", "kwargs", "error", "message"),
        [
            (
                [np.zeros(40), np.zeros(11), np.zeros(5)],
                {},
                ValueError,
                "2 of 3 series are shorter than one window needs (lookback + horizon "
                "= 8 + 4 = 12 steps): series[1] (11 steps), series[2] (5 steps). Drop "
                "or pad those series, or pass a smaller lookback/horizon.",
            ),
            (
                {"north": np.zeros(40), "south": np.zeros(9)},
                {},
                ValueError,
                "1 of 2 series are shorter than one window needs (lookback + horizon "
                "= 8 + 4 = 12 steps): series 'south' (9 steps).",
            ),
            (
                [np.zeros(40), np.r_[np.zeros(20), np.nan, np.zeros(19)]],
                {},
                ValueError,
                "Input series[1] contains 1 non-finite value(s) (NaN first, at index "
                "(20, 0)); fill the gaps first, e.g. series.interpolate() or an "
                "imputer, or drop the affected windows.",
            ),
            (
                [np.zeros((40, 2)), np.zeros((40, 3))],
                {},
                ValueError,
                "series[1] has 3 channel(s) but series[0] has 2; every series must "
                "have the same channels, in the same order.",
            ),
            (
                [
                    pd.DataFrame(np.zeros((40, 2)), columns=["a", "b"]),
                    pd.DataFrame(np.zeros((40, 2)), columns=["b", "a"]),
                ],
                {},
                ValueError,
                "series[1] has columns ['b', 'a'] but series[0] has ['a', 'b']; every "
                "series must have the same channels, in the same order (e.g. "
                "frame[['a', 'b']]).",
            ),
            (
                [],
                {},
                ValueError,
                "series is empty (no series given); pass a series or a non-empty list "
                "of them.",
            ),
            (
                np.zeros((5, 12, 1)),
                {},
                ValueError,
                "series is a 3-D array (5, 12, 1), which looks like windows; pass the "
                "series themselves",
            ),
            (
                np.zeros(40),
                {"horizon": 0},
                ValueError,
                "horizon must be >= 1 for SeriesWindows (every window needs a target); "
                "got horizon=0.",
            ),
            (
                np.zeros(40),
                {"stride": 1.5},
                TypeError,
                "stride must be an int; got 1.5 of type float.",
            ),
            (
                np.zeros(40),
                {"id_col": "id"},
                TypeError,
                "id_col, time_col and value_cols describe a long-format DataFrame, but "
                "series is a ndarray;",
            ),
            (
                pd.DataFrame({"id": [1, 1], "v": [1.0, 2.0]}),
                {"id_col": "key"},
                ValueError,
                "id_col='key' is not a column of the DataFrame; its columns are ['id', "
                "'v'].",
            ),
            (
                pd.DataFrame({"id": [1] * 20, "t": [*range(10), *range(10)], "v": 0.0}),
                {"id_col": "id", "time_col": "t"},
                ValueError,
                "series 1 is not sorted by 't': its time goes back to 0 after 9. Sort "
                "the rows first, e.g. frame.sort_values(['id', 't']), and drop "
                "duplicates.",
            ),
            (
                pd.DataFrame({"id": ["a"] * 20, "t": [0, *range(19)], "v": 0.0}),
                {"id_col": "id", "time_col": "t"},
                ValueError,
                "series 'a' is not sorted by 't': its time repeats 0 after 0.",
            ),
            (
                pd.DataFrame({"id": ["a"] * 20, "v": 0.0, "kind": "x"}),
                {"id_col": "id"},
                TypeError,
                "Value column(s) ['kind'] are not numeric; pass value_cols=[...] naming "
                "only numeric columns, or drop the others.",
            ),
            (
                pd.DataFrame({"id": ["a"] * 20, "v": np.r_[np.zeros(19), np.inf]}),
                {"id_col": "id"},
                ValueError,
                "Input series 'a' contains 1 non-finite value(s) (inf first, at index "
                "(19, 0));",
            ),
            (
                [np.full(20, 1e39)],
                {},
                ValueError,
                "Values beyond float32's range (about 3.4e38) also become inf.",
            ),
        ],
    )
    def test_messages(self, series, kwargs, error, message):
        kwargs = {"lookback": 8, "horizon": 4, **kwargs}
        with pytest.raises(error, match=re.escape(message)):
            SeriesWindows(series, **kwargs)

    def test_short_series_list_is_cut_after_five(self):
        with pytest.raises(
            ValueError, match=re.escape("series[5] (3 steps) and 3 more.")
        ):
            SeriesWindows([np.zeros(40)] + [np.zeros(3)] * 8, 8, 4)


class TestForecasterOnSeriesWindows:
    def test_same_predictions_as_make_windows_arrays(self):
        # Same windows in the same order, the same time-ordered validation split
        # (gap = horizon at stride 1) and the same seeded shuffling, so the two
        # fits do identical arithmetic: the predictions are exactly equal.
        series = seasonal(400)
        X, y = make_windows(series, lookback=48, horizon=8)
        ds = SeriesWindows(series, lookback=48, horizon=8)
        kw = {**TINY, "max_epochs": 3}
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
        kw = {**TINY, "lookback": 24}
        a = PatchForecaster(**kw).fit(X, y)
        b = PatchForecaster(**kw).fit(SeriesWindows(series, 48, 8))
        np.testing.assert_array_equal(b.predict(X), a.predict(X))
        assert b.lookback_ == 24 and b.n_features_in_ == 48

    def test_many_series_learn_one_model(self):
        ds = SeriesWindows(many((200, 260, 320), channels=2), lookback=48, horizon=8)
        model = PatchForecaster(
            **{**TINY, "max_epochs": 6, "patience": None, "lr": 3e-3}
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
        model = PatchForecaster(**TINY, warm_start=True).fit(train, X_val=valid)
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
        model = PatchForecaster(**TINY, channel_groups=[["load", "temp"]]).fit(ds)
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
            PatchForecaster(**{**TINY, **params}).fit(ds, **fit_kwargs)

    def test_predict_messages_and_other_datasets(self):
        model = PatchForecaster(**{**TINY, "max_epochs": 1}).fit(
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
                "windows arrays or on a sktime_patches.data.SeriesWindows"
            ),
        ):
            PatchForecaster(**TINY).fit(other)


class TestAmp:
    def test_bfloat16_on_cpu_learns_and_predicts_float64(self):
        ds = SeriesWindows(many((200, 260)), lookback=48, horizon=8)
        model = PatchForecaster(
            **{**TINY, "max_epochs": 6, "patience": None, "lr": 3e-3}, amp=True
        ).fit(ds)
        losses = model.history_[:, "train_loss"]
        assert losses[-1] < 0.8 * losses[0]
        pred = model.predict(ds)
        assert pred.dtype == np.float64 and np.isfinite(pred).all()
        # the forward pass really ran in bfloat16: float32 gives other numbers
        full = PatchForecaster(
            **{**TINY, "max_epochs": 6, "patience": None, "lr": 3e-3}
        ).fit(ds)
        assert not np.allclose(full.predict(ds), pred, rtol=1e-6, atol=0)
        again = pickle.loads(pickle.dumps(model))
        np.testing.assert_array_equal(again.predict(ds), pred)

    def test_grad_scaler_path_unscales_before_clipping(self, monkeypatch):
        # CUDA's float16 path uses a GradScaler; run the same code on the CPU by
        # pairing bfloat16 with a CPU GradScaler.
        monkeypatch.setitem(net_module._AMP, "cpu", (torch.bfloat16, True))
        X, y = make_windows(seasonal(300), 48, 8)
        seen = {}
        for amp in (False, True):
            model = PatchForecaster(**{**TINY, "max_epochs": 1}, amp=amp)
            model.fit(X, y)
            net = model.net_
            net.callbacks = [*net.callbacks, ("grad_norm", GradNorm(seen, amp))]
            net.initialize().fit(np.float32(X), np.float32(y))
        scaler = net.grad_scaler_
        assert isinstance(scaler, torch.amp.GradScaler) and scaler.get_scale() > 1
        # callbacks saw unscaled gradients: same magnitude as without amp, not
        # ~65536 (the scale) times larger
        ratio = np.median(seen[True]) / np.median(seen[False])
        assert 0.2 < ratio < 5
        pickle.loads(pickle.dumps(model)).predict(X)

    def test_pinned_memory_only_on_cuda(self):
        ds = SeriesWindows(seasonal(200), 48, 8)
        model = PatchForecaster(**{**TINY, "max_epochs": 1}).fit(ds)
        assert model.net_.get_iterator(ds, training=True).pin_memory is False
        net = pickle.loads(pickle.dumps(model.net_))
        net.device = "cuda"  # only builds the loader; nothing touches a GPU
        loader = net.get_iterator(ds, training=True)
        assert loader.pin_memory is True
        assert "iterator_train__pin_memory" not in vars(net)

    @pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is present")
    def test_net_saved_from_cuda_loads_and_predicts_on_cpu(self):
        # Without a GPU we cannot train on one; a net whose device says "cuda"
        # goes through the same unpickling path (skorch maps CUDA tensors to
        # the CPU and resets net.device when torch sees no CUDA device).
        X, y = make_windows(seasonal(200), 48, 8)
        model = PatchForecaster(**TINY, amp=True).fit(X, y)
        expected = model.predict(X)
        model.net_.device = "cuda"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loaded = pickle.loads(pickle.dumps(model))
        assert any(issubclass(w.category, DeviceWarning) for w in caught)
        assert str(loaded.net_.device) == "cpu"
        np.testing.assert_array_equal(loaded.predict(X), expected)

    @pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
    def test_cuda_amp_end_to_end(self, monkeypatch):
        ds = SeriesWindows(many((200, 260)), lookback=48, horizon=8)
        model = PatchForecaster(
            **{**TINY, "max_epochs": 6, "patience": None, "lr": 3e-3},
            device="cuda",
            amp=True,
        ).fit(ds)
        losses = model.history_[:, "train_loss"]
        assert losses[-1] < 0.8 * losses[0]
        assert isinstance(model.net_.grad_scaler_, torch.amp.GradScaler)
        assert next(model.net_.module_.parameters()).is_cuda
        pred = model.predict(ds)
        assert pred.dtype == np.float64 and np.isfinite(pred).all()
        blob = pickle.dumps(model)
        np.testing.assert_allclose(
            pickle.loads(blob).predict(ds), pred, rtol=1e-5, atol=1e-6
        )
        # as on a machine without a GPU: skorch maps the weights to the CPU
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeviceWarning)
            on_cpu = pickle.loads(blob)
        monkeypatch.undo()
        assert str(on_cpu.net_.device) == "cpu"
        assert not next(on_cpu.net_.module_.parameters()).is_cuda
        on_cpu.net_.amp = False  # float32 on the CPU
        np.testing.assert_allclose(on_cpu.predict(ds), pred, rtol=0.05, atol=0.05)
