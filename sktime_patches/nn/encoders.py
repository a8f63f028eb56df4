"""Patch encoders: one patch of values -> one token of ``d_model`` numbers."""

from __future__ import annotations

import torch
from torch import nn

from .dropout import MaskDropout

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

    Parameters
    ----------
    group_size : int
        Channels per group: a patch holds ``patch_len`` steps of each of them,
        channel after channel (``group_size * patch_len`` values).
    patch_len : int
        Steps per patch.
    d_model : int
        Token size.
    dropout : float, default=0.0
        Unused: a linear map has no hidden layer to drop. Accepted so that every
        encoder takes the same arguments (see :func:`make_encoder`).

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import LinearPatchEncoder
    >>> encoder = LinearPatchEncoder(group_size=1, patch_len=8, d_model=16)
    >>> patches = torch.zeros(4, 12, 8)  # 4 windows of 12 patches of 8 steps
    >>> encoder(patches).shape
    torch.Size([4, 12, 16])
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

    The hidden layer has ``2 * d_model`` units.

    ``forward``: ``(batch, n_patches, group_size * patch_len)`` ->
    ``(batch, n_patches, d_model)``.

    Parameters
    ----------
    group_size : int
        Channels per group: a patch holds ``patch_len`` steps of each of them,
        channel after channel (``group_size * patch_len`` values).
    patch_len : int
        Steps per patch.
    d_model : int
        Token size.
    dropout : float, default=0.0
        Dropout on the hidden layer.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import MLPPatchEncoder
    >>> encoder = MLPPatchEncoder(group_size=2, patch_len=8, d_model=16)
    >>> patches = torch.zeros(4, 12, 2 * 8)  # patches of 2 channels of 8 steps
    >>> encoder(patches).shape
    torch.Size([4, 12, 16])
    """

    def __init__(
        self, group_size: int, patch_len: int, d_model: int, dropout: float = 0.0
    ):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(group_size * patch_len, 2 * d_model),
            nn.GELU(),
            MaskDropout(dropout),
            nn.Linear(2 * d_model, d_model),
        )

    def forward(self, patches: torch.Tensor) -> torch.Tensor:
        return self.net(patches)


class ConvPatchEncoder(nn.Module):
    """1-D convolution over the steps of a patch, GELU, then a linear map to a token.

    The convolution reads the channels of the group as its input channels. Its
    feature maps, flattened, and the raw patch (so that the token keeps the
    values themselves) go through one linear map to the token.

    ``forward``: ``(batch, n_patches, group_size * patch_len)`` ->
    ``(batch, n_patches, d_model)``.

    Parameters
    ----------
    group_size : int
        Channels per group: a patch holds ``patch_len`` steps of each of them,
        channel after channel (``group_size * patch_len`` values).
    patch_len : int
        Steps per patch.
    d_model : int
        Token size.
    dropout : float, default=0.0
        Unused. Accepted so that every encoder takes the same arguments (see
        :func:`make_encoder`).
    kernel_size : int, default=3
        Steps the convolution reads at a time; the patch is zero-padded so that
        the feature maps keep ``patch_len`` steps.
    n_filters : int, default=16
        Output channels (feature maps) of the convolution.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import ConvPatchEncoder
    >>> encoder = ConvPatchEncoder(group_size=2, patch_len=8, d_model=16)
    >>> patches = torch.zeros(4, 12, 2 * 8)  # patches of 2 channels of 8 steps
    >>> encoder(patches).shape
    torch.Size([4, 12, 16])
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

    Parameters
    ----------
    group_size : int
        Channels per group: a patch holds ``patch_len`` steps of each of them,
        channel after channel (``group_size * patch_len`` values).
    patch_len : int
        Steps per patch.
    d_model : int
        Token size.
    dropout : float, default=0.0
        Dropout inside the transformer layer (attention and feed-forward).
    n_heads : int or None, default=None
        Attention heads; must divide ``d_model``. None takes the largest of 4, 2
        and 1 that divides ``d_model``.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import TransformerPatchEncoder
    >>> encoder = TransformerPatchEncoder(group_size=2, patch_len=8, d_model=16)
    >>> encoder.layer.self_attn.num_heads
    4
    >>> patches = torch.zeros(4, 12, 2 * 8)  # patches of 2 channels of 8 steps
    >>> encoder(patches).shape
    torch.Size([4, 12, 16])
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
    """Build the patch encoder called ``name`` (one of :data:`ENCODERS`).

    Parameters
    ----------
    name : {"linear", "mlp", "conv", "transformer"}
        Which encoder: :class:`LinearPatchEncoder`, :class:`MLPPatchEncoder`,
        :class:`ConvPatchEncoder` or :class:`TransformerPatchEncoder`.
    group_size : int
        Channels per group: a patch holds ``patch_len`` steps of each of them,
        channel after channel (``group_size * patch_len`` values).
    patch_len : int
        Steps per patch.
    d_model : int
        Token size.
    dropout : float, default=0.0
        Passed to the encoder (which some encoders do not use).

    Returns
    -------
    torch.nn.Module
        The encoder, mapping ``(batch, n_patches, group_size * patch_len)`` to
        ``(batch, n_patches, d_model)``; the other arguments of the encoder
        classes keep their defaults.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`ENCODERS`.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import make_encoder
    >>> encoder = make_encoder("mlp", group_size=1, patch_len=8, d_model=16)
    >>> type(encoder).__name__
    'MLPPatchEncoder'
    >>> encoder(torch.zeros(4, 12, 8)).shape
    torch.Size([4, 12, 16])
    """
    classes = {
        "linear": LinearPatchEncoder,
        "mlp": MLPPatchEncoder,
        "conv": ConvPatchEncoder,
        "transformer": TransformerPatchEncoder,
    }
    if name not in classes:
        raise ValueError(f"encoder={name!r} is not one of {ENCODERS}.")
    return classes[name](group_size, patch_len, d_model, dropout)
