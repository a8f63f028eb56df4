"""Pool neighbouring patch tokens: ``pool_size`` tokens into one."""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["POOLS", "TokenPool"]

POOLS = ("mean", "max", "attention")


class TokenPool(nn.Module):
    """Pool runs of ``pool_size`` neighbouring tokens into one token.

    Runs are counted from the **end** (the most recent tokens always form a whole
    run); when ``pool_size`` does not divide the number of tokens, the first run is
    shorter and pooled over its real tokens only (masked, never padded values).

    Parameters
    ----------
    d_model : int
        Token size.
    pool_size : int, default=1
        Tokens per run; 1 means no pooling.
    mode : {"mean", "max", "attention"}, default="mean"
        ``"attention"`` learns a score per token and takes the softmax-weighted
        mean of each run.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import TokenPool
    >>> pool = TokenPool(d_model=16, pool_size=4)
    >>> pool(torch.zeros(4, 10, 16)).shape  # runs of 2, 4 and 4 tokens
    torch.Size([4, 3, 16])

    The first, shorter run is pooled over its real tokens only:

    >>> tokens = torch.arange(5.0).reshape(1, 5, 1)  # tokens 0, 1, 2, 3, 4
    >>> TokenPool(d_model=1, pool_size=2)(tokens).flatten().tolist()
    [0.0, 1.5, 3.5]
    >>> TokenPool(d_model=1, pool_size=2, mode="max")(tokens).flatten().tolist()
    [0.0, 2.0, 4.0]
    """

    def __init__(self, d_model: int, pool_size: int = 1, mode: str = "mean") -> None:
        super().__init__()
        if mode not in POOLS:
            raise ValueError(f"pool={mode!r} is not one of {POOLS}.")
        self.pool_size = pool_size
        self.mode = mode
        if mode == "attention":
            self.score = nn.Linear(d_model, 1)

    @staticmethod
    def n_out(n_tokens: int, pool_size: int) -> int:
        """Tokens after pooling ``n_tokens`` tokens.

        Parameters
        ----------
        n_tokens : int
            Tokens before pooling.
        pool_size : int
            Tokens per run.

        Returns
        -------
        int
            ``ceil(n_tokens / pool_size)``: every run, the shorter first one
            included, becomes one token.

        Examples
        --------
        >>> from sktime_patches.nn import TokenPool
        >>> TokenPool.n_out(10, 4)
        3
        """
        return math.ceil(n_tokens / pool_size)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """``(batch, n_tokens, d_model)`` -> ``(batch, ceil(n_tokens / pool_size),
        d_model)``."""
        k = self.pool_size
        if k == 1:
            return tokens
        b, n, d = tokens.shape
        n_out = self.n_out(n, k)
        pad = n_out * k - n
        if pad:
            tokens = torch.cat([tokens.new_zeros(b, pad, d), tokens], dim=1)
        runs = tokens.reshape(b, n_out, k, d)
        valid = torch.ones(n_out * k, dtype=torch.bool, device=tokens.device)
        valid[:pad] = False
        valid = valid.reshape(1, n_out, k, 1)
        if self.mode == "mean":
            count = valid.sum(dim=2).clamp(min=1)
            return (runs * valid).sum(dim=2) / count
        if self.mode == "max":
            return runs.masked_fill(~valid, float("-inf")).amax(dim=2)
        scores = self.score(runs).masked_fill(~valid, float("-inf"))
        weights = torch.softmax(scores, dim=2)
        return (weights * runs).sum(dim=2)
