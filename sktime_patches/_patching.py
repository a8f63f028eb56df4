"""Windows -> spacetime patches: the numpy definition and its torch twin.

A window ``(lookback, n_channels)`` is cut along time into ``n_patches`` runs of
``patch_len`` steps, ``stride`` steps apart, and along channels into groups of
``group_size`` channels. One patch is the flattened block ``(group_size, patch_len)``
(channel-major: all steps of the group's first channel, then the next channel).

Padding ``"end"`` repeats the last value of the window until the last patch is whole,
so every step is covered. Without padding the patches are aligned to the **end** of
the window (the most recent steps are always kept) and the earliest
``(lookback - patch_len) % stride`` steps are left out.

Both functions return ``(n_windows, n_groups, n_patches, group_size * patch_len)``;
the tests check they agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

__all__ = [
    "DEFAULT_PATCH_LEN",
    "MAX_TOKENS",
    "default_patch_len",
    "first_patch_start",
    "n_patches",
    "padding_len",
    "patch_numpy",
    "patch_torch",
]

PADDINGS = ("end", "none")

#: The longest default patch (steps): a day of hourly data, half a year of
#: weekly data.
DEFAULT_PATCH_LEN = 24

#: The most patches a window holds by default: past ``16 * DEFAULT_PATCH_LEN``
#: (384) steps the default patch grows with the lookback instead.
MAX_TOKENS = 16


def default_patch_len(lookback: int) -> int:
    """The patch length used when none is given: ``DEFAULT_PATCH_LEN`` steps, or
    a quarter of the lookback (rounded up) when that is shorter, so that a
    window of any length of 1 or more holds a patch, and a short one about four;
    on a long lookback, longer patches, so that a window holds at most
    ``MAX_TOKENS`` of them (the recurrent layer's steps, and its cost, stay
    bounded however far back the window reaches).

    Examples
    --------
    >>> default_patch_len(336), default_patch_len(104), default_patch_len(36)
    (24, 24, 9)
    >>> default_patch_len(2), default_patch_len(1)
    (1, 1)
    >>> default_patch_len(512), default_patch_len(720)  # 16 patches each
    (32, 45)
    """
    short = max(1, min(DEFAULT_PATCH_LEN, math.ceil(lookback / 4)))
    return max(short, math.ceil(lookback / MAX_TOKENS))


def n_patches(lookback: int, patch_len: int, stride: int, padding: str | None) -> int:
    """Number of patches of one window.

    Examples
    --------
    >>> n_patches(336, 16, 8, "end")
    41
    >>> n_patches(10, 4, 4, "end"), n_patches(10, 4, 4, None)
    (3, 2)
    """
    if padding == "end":
        return math.ceil(max(lookback - patch_len, 0) / stride) + 1
    return (lookback - patch_len) // stride + 1


def padding_len(lookback: int, patch_len: int, stride: int, padding: str | None) -> int:
    """Steps appended by ``padding="end"`` (0 without padding)."""
    if padding != "end":
        return 0
    return (
        (n_patches(lookback, patch_len, stride, padding) - 1) * stride
        + patch_len
        - lookback
    )


def first_patch_start(
    lookback: int, patch_len: int, stride: int, padding: str | None
) -> int:
    """Offset of the first patch in the window (non-zero only without padding).

    Examples
    --------
    >>> first_patch_start(10, 4, 4, "none"), first_patch_start(10, 4, 4, "end")
    (2, 0)
    """
    if padding == "end":
        return 0
    n = n_patches(lookback, patch_len, stride, padding)
    return lookback - ((n - 1) * stride + patch_len)


def patch_numpy(
    X: np.ndarray,
    patch_len: int,
    stride: int,
    padding: str | None,
    groups: Sequence[Sequence[int]],
) -> np.ndarray:
    """Patch windows ``X (n_windows, lookback, n_channels)`` with numpy.

    Returns an array of shape ``(n_windows, n_groups, n_patches, group_size *
    patch_len)`` (a copy).
    """
    n, lookback, _ = X.shape
    pad = padding_len(lookback, patch_len, stride, padding)
    if pad:
        X = np.concatenate([X, np.repeat(X[:, -1:], pad, axis=1)], axis=1)
    start = first_patch_start(lookback, patch_len, stride, padding)
    count = n_patches(lookback, patch_len, stride, padding)
    # (n, steps, C) -> (n, steps - P + 1, C, P) -> every stride-th start
    view = np.lib.stride_tricks.sliding_window_view(X[:, start:], patch_len, axis=1)
    view = view[:, ::stride][:, :count]  # (n, N, C, P)
    idx = np.asarray(groups, dtype=np.intp)  # (G, S)
    out = view[:, :, idx, :]  # (n, N, G, S, P)
    out = out.transpose(0, 2, 1, 3, 4)  # (n, G, N, S, P)
    return out.reshape(n, idx.shape[0], count, idx.shape[1] * patch_len)


def patch_torch(
    x: torch.Tensor,
    patch_len: int,
    stride: int,
    padding: str | None,
    group_index: torch.Tensor | None = None,
) -> torch.Tensor:
    """Torch twin of :func:`patch_numpy` (differentiable, any device).

    ``x`` has shape ``(batch, lookback, n_channels)``; ``group_index`` is a long
    tensor ``(n_groups, group_size)``, or None for every channel alone (the
    channel-independent case, which needs no gather). Returns ``(batch, n_groups,
    n_patches, group_size * patch_len)``.
    """
    b, lookback, _ = x.shape
    pad = padding_len(lookback, patch_len, stride, padding)
    if pad:
        x = torch.cat([x, x[:, -1:].expand(b, pad, x.shape[2])], dim=1)
    start = first_patch_start(lookback, patch_len, stride, padding)
    count = n_patches(lookback, patch_len, stride, padding)
    p = x[:, start:].unfold(1, patch_len, stride)[:, :count]  # (b, N, C, P)
    if group_index is None:  # every channel alone: (b, C, N, P)
        return p.permute(0, 2, 1, 3)
    g, s = group_index.shape
    out = p[:, :, group_index.reshape(-1), :].reshape(b, count, g, s, patch_len)
    return out.permute(0, 2, 1, 3, 4).reshape(b, g, count, s * patch_len)
