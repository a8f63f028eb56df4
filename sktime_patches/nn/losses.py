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
        if quantiles is not None:
            levels = torch.as_tensor(quantiles, dtype=torch.float32).reshape(-1)
            if levels.numel() == 0 or not bool(torch.all((levels > 0) & (levels < 1))):
                raise ValueError(
                    f"quantiles must be levels in (0, 1); got {levels.tolist()}."
                )
            self.register_buffer("levels", levels, persistent=False)
        self.quantiles = None if levels is None else levels.tolist()
        for name, value in (("loss", loss), ("eval_loss", eval_loss or loss)):
            if value not in LOSSES:
                raise ValueError(f"{name}={value!r} is not one of {LOSSES}.")
        self.loss = _LOSS_CLASSES[loss]()
        self.eval_loss = _LOSS_CLASSES[eval_loss or loss]()
        values = torch.ones(1) if scale is None else torch.as_tensor(scale)
        if not bool(torch.all(values > 0)):
            raise ValueError(f"scale must be positive; got {list(map(float, values))}.")
        self.register_buffer("scale", values.to(torch.float32), persistent=False)

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Loss of ``(..., n_channels)`` forecasts against targets of that shape."""
        scale = self.scale.to(device=pred.device, dtype=pred.dtype)
        if self.quantiles is not None:  # pred: (..., n_channels, n_quantiles)
            levels = self.levels.to(device=pred.device, dtype=pred.dtype)
            error = (target / scale)[..., None] - pred / scale[..., None]
            return torch.maximum(levels * error, (levels - 1) * error).mean()
        loss = self.loss if self.training else self.eval_loss
        return loss(pred / scale, target / scale)
