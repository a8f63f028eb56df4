"""Forecast heads: LSTM states -> all ``horizon`` steps at once."""

from __future__ import annotations

import torch
from torch import nn

from .dropout import MaskDropout

__all__ = ["HEADS", "ForecastHead"]

HEADS = ("flatten", "last")


class ForecastHead(nn.Module):
    """Map the LSTM's states to the whole horizon in one step (no autoregression).

    Parameters
    ----------
    n_tokens : int
        Sequence length of the LSTM (pooled tokens).
    hidden_size : int
        LSTM state size.
    horizon : int
        Steps to forecast.
    group_size : int
        Channels forecast per group.
    mode : {"flatten", "last"}, default="flatten"
        ``"flatten"`` reads every state (as PatchTST's flatten head reads every
        token); ``"last"`` reads only the final state (as SegRNN).
    dropout : float, default=0.0
        Dropout on the states before the linear map.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import ForecastHead
    >>> head = ForecastHead(n_tokens=3, hidden_size=32, horizon=24)
    >>> states = torch.zeros(4, 3, 32)  # (batch, n_tokens, hidden_size)
    >>> head(states).shape  # (batch, group_size, horizon)
    torch.Size([4, 1, 24])

    A head for groups of two channels that reads only the last state:

    >>> head = ForecastHead(3, 32, 24, group_size=2, mode="last")
    >>> head(states).shape
    torch.Size([4, 2, 24])
    """

    def __init__(
        self,
        n_tokens: int,
        hidden_size: int,
        horizon: int,
        group_size: int = 1,
        mode: str = "flatten",
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if mode not in HEADS:
            raise ValueError(f"head={mode!r} is not one of {HEADS}.")
        self.mode = mode
        self.horizon = horizon
        self.group_size = group_size
        n_in = n_tokens * hidden_size if mode == "flatten" else hidden_size
        self.dropout = MaskDropout(dropout)
        self.proj = nn.Linear(n_in, horizon * group_size)

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        """``(batch, n_tokens, hidden_size)`` -> ``(batch, group_size, horizon)``."""
        feats = states.flatten(1) if self.mode == "flatten" else states[:, -1]
        out = self.proj(self.dropout(feats))
        return out.reshape(states.shape[0], self.group_size, self.horizon)
