"""Patch encoders: one patch of values -> one token of ``d_model`` numbers."""

from __future__ import annotations

import torch
from torch import nn

__all__ = [
    "ENCODERS",
    "ConvPatchEncoder",
    "LinearPatchEncoder",
    "MLPPatchEncoder",
    "TransformerPatchEncoder",
    "make_encoder",
]

ENCODERS = ("linear", "mlp", "conv", "transformer")


class LinearPatchEncoder(nn.Module):
    """One linear map from a patch to a token (PatchTST's patch embedding).

    ``forward``: ``(batch, n_patches, group_size * patch_len)`` ->
    ``(batch, n_patches, d_model)``.
    """

    def __init__(
        self, group_size: int, patch_len: int, d_model: int, dropout: float = 0.0
    ):
        super().__init__()
        self.proj = nn.Linear(group_size * patch_len, d_model)

    def forward(self, patches: torch.Tensor) -> torch.Tensor:
        return self.proj(patches)


class MLPPatchEncoder(nn.Module):
    """Two-layer perceptron (GELU) from a patch to a token.

    ``forward``: ``(batch, n_patches, group_size * patch_len)`` ->
    ``(batch, n_patches, d_model)``.
    """

    def __init__(
        self, group_size: int, patch_len: int, d_model: int, dropout: float = 0.0
    ):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(group_size * patch_len, 2 * d_model),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(2 * d_model, d_model),
        )

    def forward(self, patches: torch.Tensor) -> torch.Tensor:
        return self.net(patches)


class ConvPatchEncoder(nn.Module):
    """1-D convolution over the steps of a patch (channels of the group as input
    channels), GELU, then a linear map of the flattened feature maps to a token.

    ``forward``: ``(batch, n_patches, group_size * patch_len)`` ->
    ``(batch, n_patches, d_model)``.
    """

    def __init__(
        self,
        group_size: int,
        patch_len: int,
        d_model: int,
        dropout: float = 0.0,
        kernel_size: int = 3,
        n_filters: int = 16,
    ):
        super().__init__()
        self.group_size = group_size
        self.patch_len = patch_len
        self.conv = nn.Conv1d(
            group_size, n_filters, kernel_size, padding=kernel_size // 2
        )
        self.act = nn.GELU()
        self.proj = nn.Linear(n_filters * patch_len + group_size * patch_len, d_model)

    def forward(self, patches: torch.Tensor) -> torch.Tensor:
        b, n, _ = patches.shape
        steps = patches.reshape(b * n, self.group_size, self.patch_len)
        maps = self.act(self.conv(steps))[..., : self.patch_len]  # (b*n, F, P)
        # the raw patch rides along so the token keeps the values themselves
        feats = torch.cat([maps.flatten(1), steps.flatten(1)], dim=1)
        return self.proj(feats).reshape(b, n, -1)


class TransformerPatchEncoder(nn.Module):
    """Self-attention over the **steps of a patch**, then mean over steps.

    Attention runs inside each patch (a step is a token of ``group_size`` values
    with a learned position embedding), not across patches: order across patches
    is the LSTM's job, so attention across patch tokens would duplicate it and cost
    ``O(n_patches**2)``.

    ``forward``: ``(batch, n_patches, group_size * patch_len)`` ->
    ``(batch, n_patches, d_model)``.
    """

    def __init__(
        self,
        group_size: int,
        patch_len: int,
        d_model: int,
        dropout: float = 0.0,
        n_heads: int | None = None,
    ):
        super().__init__()
        self.group_size = group_size
        self.patch_len = patch_len
        if n_heads is None:
            n_heads = next(h for h in (4, 2, 1) if d_model % h == 0)
        self.embed = nn.Linear(group_size, d_model)
        self.position = nn.Parameter(torch.zeros(1, patch_len, d_model))
        nn.init.normal_(self.position, std=0.02)
        self.layer = nn.TransformerEncoderLayer(
            d_model,
            n_heads,
            dim_feedforward=2 * d_model,
            dropout=dropout,
            batch_first=True,
            norm_first=True,
        )

    def forward(self, patches: torch.Tensor) -> torch.Tensor:
        b, n, _ = patches.shape
        # channel-major patch -> (b*n, patch_len, group_size): one token per step
        steps = patches.reshape(b * n, self.group_size, self.patch_len).transpose(1, 2)
        tokens = self.layer(self.embed(steps) + self.position)
        return tokens.mean(dim=1).reshape(b, n, -1)


def make_encoder(
    name: str, group_size: int, patch_len: int, d_model: int, dropout: float = 0.0
) -> nn.Module:
    """Build the patch encoder called ``name`` (one of :data:`ENCODERS`)."""
    classes = {
        "linear": LinearPatchEncoder,
        "mlp": MLPPatchEncoder,
        "conv": ConvPatchEncoder,
        "transformer": TransformerPatchEncoder,
    }
    if name not in classes:
        raise ValueError(f"encoder={name!r} is not one of {ENCODERS}.")
    return classes[name](group_size, patch_len, d_model, dropout)
