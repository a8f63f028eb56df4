"""Training losses measured in each channel's own units of spread."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

__all__ = ["LOSSES", "ChannelScaledLoss"]

#: Names of the losses :class:`ChannelScaledLoss` applies.
LOSSES = ("mse", "mae", "huber")
_LOSS_CLASSES = {"mse": nn.MSELoss, "mae": nn.L1Loss, "huber": nn.HuberLoss}


class ChannelScaledLoss(nn.Module):
    """A regression loss on errors divided by a fixed per-channel scale.

    Forecasts are made in the data's own units, but channels of very different
    magnitudes (a count in the hundreds of thousands beside a percentage) would
    otherwise let the largest one own the loss. Dividing each channel's error by
    its spread in the training data (its standard deviation) weighs every
    channel alike, as training on standardised data would, without changing the
    units of the forecasts.

    Parameters
    ----------
    loss : {"mse", "mae", "huber"}, default="mse"
        The loss applied to the scaled errors.
    scale : sequence of float or None, default=None
        One positive scale per channel (the last axis of the inputs); None
        scales nothing.
    eval_loss : {"mse", "mae", "huber"} or None, default=None
        The loss applied in evaluation mode (``.eval()``: validation, hence
        early stopping), when it should differ from the training loss: for
        instance, train on ``"mae"`` (robust to outliers) but stop on ``"mse"``,
        the figure that is reported. None: ``loss`` in both modes.
    quantiles : sequence of float or None, default=None
        Quantile levels in (0, 1): the forecasts then carry a last axis of one
        value per level, and the loss, in both modes, is the pinball (quantile)
        loss averaged over the levels and values (``loss`` and ``eval_loss``
        are not used). Its minimiser is each level's conditional quantile.

    Examples
    --------
    >>> import torch
    >>> loss = ChannelScaledLoss("mse", scale=[1.0, 100.0])
    >>> pred = torch.zeros(1, 1, 2)
    >>> float(loss(pred, torch.tensor([[[1.0, 100.0]]])))
    1.0

    Train on absolute errors, evaluate on squared ones:

    >>> loss = ChannelScaledLoss("mae", eval_loss="mse")
    >>> target = torch.full((1, 1, 2), 3.0)
    >>> float(loss(pred, target)), float(loss.eval()(pred, target))
    (3.0, 9.0)

    The pinball loss of the 10% and 90% quantiles, both forecast at 0, of a
    value of 1: ``(0.1 * 1 + 0.9 * 1) / 2``:

    >>> loss = ChannelScaledLoss(quantiles=[0.1, 0.9])
    >>> float(loss(torch.zeros(1, 1, 1, 2), torch.ones(1, 1, 1)))
    0.5
    """

    def __init__(
        self,
        loss: str = "mse",
        scale: Sequence[float] | None = None,
        eval_loss: str | None = None,
        quantiles: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        levels = None
        # checked as numbers, before any tensor (see WindowNorm)
        if quantiles is not None:
            given = [float(v) for v in torch.as_tensor(quantiles, device="cpu").ravel()]
            if not given or not all(0 < v < 1 for v in given):
                raise ValueError(f"quantiles must be levels in (0, 1); got {given}.")
            levels = torch.tensor(given, dtype=torch.float32)
            self.register_buffer("levels", levels, persistent=False)
        self.quantiles = None if quantiles is None else given
        for name, value in (("loss", loss), ("eval_loss", eval_loss or loss)):
            if value not in LOSSES:
                raise ValueError(f"{name}={value!r} is not one of {LOSSES}.")
        self.loss = _LOSS_CLASSES[loss]()
        self.eval_loss = _LOSS_CLASSES[eval_loss or loss]()
        values = [1.0] if scale is None else scale
        values = [float(v) for v in torch.as_tensor(values, device="cpu").ravel()]
        if not all(v > 0 for v in values):
            raise ValueError(f"scale must be positive; got {values}.")
        scales = torch.tensor(values, dtype=torch.float32)
        self.register_buffer("scale", scales, persistent=False)

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Loss of ``(..., n_channels)`` forecasts against targets of that shape."""
        scale = self.scale.to(device=pred.device, dtype=pred.dtype)
        if self.quantiles is not None:  # pred: (..., n_channels, n_quantiles)
            if pred.dim() == target.dim():  # one level: no quantile axis
                pred = pred[..., None]
            levels = self.levels.to(device=pred.device, dtype=pred.dtype)
            error = (target / scale)[..., None] - pred / scale[..., None]
            return torch.maximum(levels * error, (levels - 1) * error).mean()
        loss = self.loss if self.training else self.eval_loss
        return loss(pred / scale, target / scale)
