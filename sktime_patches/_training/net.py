"""The skorch net PatchForecaster trains: NeuralNetRegressor plus mixed precision."""

from __future__ import annotations

import contextlib
from typing import Any

import torch
from skorch import NeuralNetRegressor
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator
from torch.utils.data import RandomSampler

__all__ = ["PatchNet"]

# device type -> (autocast dtype, whether gradients need a GradScaler). float16
# has a narrow exponent range, so its small gradients are scaled up to not
# underflow; bfloat16 has float32's range and needs no scaler.
_AMP = {
    "cuda": (torch.float16, True),
    "cpu": (torch.bfloat16, False),
}


class PatchNet(NeuralNetRegressor):
    """``NeuralNetRegressor`` with optional automatic mixed precision.

    skorch has no mixed-precision switch, so this subclass runs the forward pass
    under :func:`torch.autocast` when ``amp=True`` (float16 with a
    :class:`torch.amp.GradScaler` on CUDA, bfloat16 on CPU), computes the loss
    in float32, and unscales gradients before skorch's ``on_grad_computed``
    callbacks (so gradient clipping sees true gradients). On CUDA, batches are
    loaded into pinned memory and copied to the GPU without blocking.

    Parameters
    ----------
    amp : bool, default=False
        Use automatic mixed precision for training and prediction.
    windows_per_epoch : int or None, default=None
        When the training set holds more windows, each epoch trains on a fresh
        random sample of this many (without replacement within the epoch,
        drawn from ``iterator_train__generator``); None trains on all.
    *args, **kwargs
        Passed to ``NeuralNetRegressor``.
    """

    def __init__(
        self,
        *args: Any,
        amp: bool = False,
        windows_per_epoch: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.amp = amp
        self.windows_per_epoch = windows_per_epoch

    # ----------------------------------------------------------- helpers
    @property
    def _device_type(self) -> str:
        return torch.device(self.device or "cpu").type

    def _autocast(self) -> contextlib.AbstractContextManager:
        if not self.amp or self._device_type not in _AMP:
            return contextlib.nullcontext()
        dtype, _ = _AMP[self._device_type]
        return torch.autocast(device_type=self._device_type, dtype=dtype)

    def _grad_scaler(self) -> torch.amp.GradScaler | None:
        """The GradScaler of this device, made on first use (None if none)."""
        if not self.amp or not _AMP.get(self._device_type, (None, False))[1]:
            return None
        scaler = getattr(self, "grad_scaler_", None)
        if scaler is None:
            scaler = torch.amp.GradScaler(self._device_type)
            self.grad_scaler_ = scaler
        return scaler

    def _to_device(self, batch_part: Any) -> Any:
        """Move a tensor to the net's device; pinned tensors without blocking."""
        if isinstance(batch_part, torch.Tensor) and self._device_type != "cpu":
            return batch_part.to(self.device, non_blocking=batch_part.is_pinned())
        return batch_part

    # ------------------------------------------------------- skorch hooks
    def get_iterator(self, dataset: Any, training: bool = False) -> Any:
        # Pinned host memory makes host -> GPU copies asynchronous. Decided here,
        # not in __init__, so a net trained on CUDA and loaded on a CPU-only
        # machine does not ask for pinning there.
        prefix = "iterator_train" if training else "iterator_valid"
        cap = self.windows_per_epoch
        if training and cap is not None and len(dataset) > cap:
            return self._sampled_iterator(dataset, cap)
        key = f"{prefix}__pin_memory"
        if self._device_type == "cuda" and key not in self.__dict__:
            setattr(self, key, True)
            try:
                return super().get_iterator(dataset, training=training)
            finally:
                delattr(self, key)
        return super().get_iterator(dataset, training=training)

    def _sampled_iterator(self, dataset: Any, cap: int) -> Any:
        """The training loader of an epoch that samples ``cap`` windows."""
        kwargs = self.get_params_for("iterator_train")
        kwargs.pop("shuffle", None)
        sampler = RandomSampler(
            dataset,
            replacement=False,
            num_samples=cap,
            generator=kwargs.get("generator"),
        )
        kwargs.setdefault("batch_size", self.batch_size)
        if self._device_type == "cuda":
            kwargs.setdefault("pin_memory", True)
        return self.iterator_train(dataset, sampler=sampler, **kwargs)

    def train_step_single(self, batch: Any, **fit_params: Any) -> dict[str, Any]:
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        Xi, yi = self._to_device(Xi), self._to_device(yi)
        with self._autocast():
            y_pred = self.infer(Xi, **fit_params)
        y_pred = y_pred.float()
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        scaler = self._grad_scaler()
        (scaler.scale(loss) if scaler is not None else loss).backward()
        return {"loss": loss, "y_pred": y_pred}

    def train_step(self, batch: Any, **fit_params: Any) -> dict[str, Any]:
        scaler = self._grad_scaler()
        if scaler is None:
            return super().train_step(batch, **fit_params)
        # GradScaler.step takes no closure, so this is skorch's train_step
        # unrolled: backward (scaled), unscale, callbacks, step, update.
        self._zero_grad_optimizer()
        step = self.train_step_single(batch, **fit_params)
        optimizers = [getattr(self, name + "_") for name in self._optimizers]
        for optimizer in optimizers:
            scaler.unscale_(optimizer)
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(self.get_all_learnable_params()),
            batch=batch,
            training=True,
        )
        for optimizer in optimizers:
            scaler.step(optimizer)  # skipped when a gradient is inf/NaN
        scaler.update()
        return step

    def validation_step(self, batch: Any, **fit_params: Any) -> dict[str, Any]:
        self._set_training(False)
        Xi, yi = unpack_data(batch)
        Xi, yi = self._to_device(Xi), self._to_device(yi)
        with torch.no_grad():
            with self._autocast():
                y_pred = self.infer(Xi, **fit_params)
            y_pred = y_pred.float()
            loss = self.get_loss(y_pred, yi, X=Xi, training=False)
        return {"loss": loss, "y_pred": y_pred}

    def evaluation_step(self, batch: Any, training: bool = False) -> torch.Tensor:
        self.check_is_fitted()
        Xi, _ = unpack_data(batch)
        Xi = self._to_device(Xi)
        with torch.set_grad_enabled(training), self._autocast():
            self._set_training(training)
            y_pred = self.infer(Xi)
        return y_pred.float()
