"""Per-window, per-channel normalisation, undone at the output (RevIN-style)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

__all__ = ["NORMS", "WindowNorm"]

NORMS = ("standard", "last", "none")


class WindowNorm(nn.Module):
    """Normalise each window and channel by its own statistics; invert on outputs.

    Parameters
    ----------
    n_channels : int
        Channels of the window (for the optional affine parameters).
    mode : {"standard", "last", "none"}, default="standard"
        ``"standard"`` subtracts the window mean and divides by its standard
        deviation (RevIN); ``"last"`` subtracts the last value (NLinear) and
        divides by the fixed ``channel_scale``; ``"none"`` leaves the window as
        it is.
    affine : bool, default=False
        Learn a per-channel scale and shift applied after normalisation (and
        removed before the inverse).
    eps : float, default=1e-5
        Added to the variance, in units of the channel's squared scale
        (``channel_scale``), so that flat windows do not divide by zero at any
        magnitude of the data.
    channel_scale : sequence of float or None, default=None
        A fixed spread per channel (its standard deviation in the training
        data) that ``"last"`` divides by, so the network sees steps of similar
        size whatever the channel's units; None divides by 1.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import WindowNorm
    >>> norm = WindowNorm(n_channels=3)
    >>> x = 10 + 5 * torch.randn(4, 48, 3)  # (batch, lookback, n_channels)
    >>> z, (loc, scale) = norm(x)
    >>> z.shape, loc.shape, scale.shape
    (torch.Size([4, 48, 3]), torch.Size([4, 1, 3]), torch.Size([4, 1, 3]))
    >>> y = torch.zeros(4, 12, 3)  # a forecast in normalised units
    >>> norm.inverse(y, (loc, scale)).shape  # (batch, horizon, n_channels)
    torch.Size([4, 12, 3])
    >>> torch.allclose(norm.inverse(z, (loc, scale)), x, atol=1e-4)
    True
    """

    def __init__(
        self,
        n_channels: int,
        mode: str = "standard",
        affine: bool = False,
        eps: float = 1e-5,
        channel_scale: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        if mode not in NORMS:
            raise ValueError(f"mode={mode!r} is not one of {NORMS}.")
        self.mode = mode
        self.eps = eps
        self.affine = affine
        # checked as numbers, before any tensor (a module built on the "meta"
        # device, which sizes a saved network before allocating it, has no values)
        scale = [1.0] * n_channels if channel_scale is None else channel_scale
        scale = [float(v) for v in torch.as_tensor(scale, device="cpu").reshape(-1)]
        if len(scale) != n_channels or not all(v > 0 for v in scale):
            raise ValueError(
                f"channel_scale must hold {n_channels} positive values; got {scale}."
            )
        fixed = torch.tensor(scale, dtype=torch.float32).reshape(1, 1, -1)
        self.register_buffer("channel_scale", fixed)
        if affine:
            self.weight = nn.Parameter(torch.ones(n_channels))
            self.bias = nn.Parameter(torch.zeros(n_channels))

    def forward(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Normalise ``x`` of shape ``(batch, lookback, n_channels)``.

        Returns the normalised tensor (same shape) and the statistics ``(loc,
        scale)``, each ``(batch, 1, n_channels)``, to pass to :meth:`inverse`.
        """
        if self.mode == "standard":
            loc = x.mean(dim=1, keepdim=True)
            # eps in units of the channel's scale: the same at any magnitude
            floor = self.eps * self.channel_scale.to(x.dtype) ** 2
            scale = torch.sqrt(x.var(dim=1, keepdim=True, unbiased=False) + floor)
        elif self.mode == "last":
            loc = x[:, -1:, :]
            scale = self.channel_scale.to(x.dtype).expand_as(loc)
        else:
            loc = torch.zeros_like(x[:, :1, :])
            scale = torch.ones_like(loc)
        z = (x - loc) / scale
        if self.affine:
            z = z * self.weight + self.bias
        return z, (loc, scale)

    def inverse(
        self,
        y: torch.Tensor,
        stats: tuple[torch.Tensor, torch.Tensor],
        channels: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Undo the normalisation on ``y`` of shape ``(batch, horizon, n_channels)``
        (``channels``: the positions of ``y``'s channels among those
        normalised, when ``y`` holds only some of them)."""
        loc, scale = stats
        weight = self.weight if self.affine else None
        bias = self.bias if self.affine else None
        if channels is not None:
            loc, scale = loc[..., channels], scale[..., channels]
            if self.affine:
                weight, bias = weight[channels], bias[channels]
        if self.affine:
            y = (y - bias) / (weight + self.eps * self.eps)  # unitless
        return y * scale + loc
