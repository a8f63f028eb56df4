"""The skorch net of PatchForecaster: mixed precision, devices, pinned memory."""

import pickle
import warnings

import numpy as np
import pytest
import torch
from helpers import TRAINING, many, seasonal
from skorch.callbacks import Callback
from skorch.exceptions import DeviceWarning

from sktime_patches import PatchForecaster, SeriesWindows, make_windows
from sktime_patches._training import net as net_module


class GradNorm(Callback):
    """Record the gradient norm that on_grad_computed callbacks see."""

    def __init__(self, seen, key):
        self.seen = seen
        self.key = key

    def on_grad_computed(self, net, named_parameters, **kwargs):
        norms = torch.stack([p.grad.norm() for _, p in named_parameters])
        self.seen.setdefault(self.key, []).append(float(norms.norm()))


class TestAmp:
    def test_bfloat16_on_cpu_learns_and_predicts_float64(self):
        ds = SeriesWindows(many((200, 260)), lookback=48, horizon=8)
        model = PatchForecaster(
            **{**TRAINING, "max_epochs": 6, "patience": None, "lr": 3e-3}, amp=True
        ).fit(ds)
        losses = model.history_[:, "train_loss"]
        assert losses[-1] < 0.8 * losses[0]
        pred = model.predict(ds)
        assert pred.dtype == np.float64 and np.isfinite(pred).all()
        # the forward pass really ran in bfloat16: float32 gives other numbers
        full = PatchForecaster(
            **{**TRAINING, "max_epochs": 6, "patience": None, "lr": 3e-3}
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
            model = PatchForecaster(**{**TRAINING, "max_epochs": 1}, amp=amp)
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
        model = PatchForecaster(**{**TRAINING, "max_epochs": 1}).fit(ds)
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
        model = PatchForecaster(**TRAINING, amp=True).fit(X, y)
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
            **{**TRAINING, "max_epochs": 6, "patience": None, "lr": 3e-3},
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


def test_an_epoch_samples_windows_per_epoch_windows():
    """A long training set: each epoch trains on a fresh sample of
    windows_per_epoch windows, drawn from the model's own stream."""
    X, y = make_windows(seasonal(1200), lookback=24, horizon=4)
    params = {**TRAINING, "max_epochs": 2, "patience": None, "validation_fraction": 0.0}

    def trained_per_epoch(model):
        return [
            sum(batch["train_batch_size"] for batch in epoch["batches"])
            for epoch in model.history_
        ]

    sampled = PatchForecaster(**params, windows_per_epoch=300).fit(X, y)
    assert len(X) > 300 and trained_per_epoch(sampled) == [300, 300]
    again = PatchForecaster(**params, windows_per_epoch=300).fit(X, y)
    np.testing.assert_array_equal(sampled.predict(X[:5]), again.predict(X[:5]))
    full = PatchForecaster(**params, windows_per_epoch=None).fit(X, y)
    assert trained_per_epoch(full) == [len(X), len(X)]
