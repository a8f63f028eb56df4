"""Forecast heads: recurrent states -> all ``horizon`` steps at once."""

from __future__ import annotations

import math

import torch
from torch import nn

from .dropout import MaskDropout

__all__ = ["CELLS", "HEADS", "ForecastHead", "RecurrentHead", "make_rnn"]

HEADS = ("flatten", "last", "recurrent")
CELLS = ("lstm", "gru")

#: The final state of a recurrent layer: ``h`` for a GRU, ``(h, c)`` for an
#: LSTM, each of shape ``(num_layers, batch, hidden_size)``.
State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]


def make_rnn(
    cell: str, input_size: int, hidden_size: int, num_layers: int, dropout: float
) -> nn.LSTM | nn.GRU:
    """The recurrent core: a batch-first ``nn.LSTM`` or ``nn.GRU``.

    Parameters
    ----------
    cell : {"lstm", "gru"}
        Recurrent cell.
    input_size, hidden_size, num_layers : int
        Token size, state size and depth.
    dropout : float
        Dropout between layers (ignored for one layer).

    Returns
    -------
    rnn : torch.nn.LSTM or torch.nn.GRU
        ``forward``: ``(batch, steps, input_size)`` -> outputs ``(batch, steps,
        hidden_size)`` and the final state.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import make_rnn
    >>> rnn = make_rnn("gru", input_size=16, hidden_size=32, num_layers=1, dropout=0)
    >>> outputs, h = rnn(torch.zeros(4, 7, 16))
    >>> outputs.shape, h.shape
    (torch.Size([4, 7, 32]), torch.Size([1, 4, 32]))
    """
    if cell not in CELLS:
        raise ValueError(f"cell={cell!r} is not one of {CELLS}.")
    kind = nn.LSTM if cell == "lstm" else nn.GRU
    return kind(
        input_size,
        hidden_size,
        num_layers=num_layers,
        batch_first=True,
        dropout=dropout if num_layers > 1 else 0.0,
    )


class ForecastHead(nn.Module):
    """Map the recurrent states to the whole horizon in one step (no autoregression).

    Parameters
    ----------
    n_tokens : int
        Sequence length of the recurrent layer (pooled tokens).
    hidden_size : int
        Recurrent state size.
    horizon : int
        Steps to forecast.
    group_size : int
        Channels forecast per group.
    mode : {"flatten", "last"}, default="flatten"
        ``"flatten"`` reads every state (as PatchTST's flatten head reads every
        token); ``"last"`` reads only the final state. (The third head,
        ``"recurrent"``, is :class:`RecurrentHead`.)
    dropout : float, default=0.0
        Dropout on the states before the linear map.
    n_outputs : int, default=1
        Values per step and channel (e.g. one per quantile level); with more
        than one, they form a last axis of the output.

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

    Three values per step (say, three quantile levels):

    >>> ForecastHead(3, 32, 24, n_outputs=3)(states).shape
    torch.Size([4, 1, 24, 3])
    """

    def __init__(
        self,
        n_tokens: int,
        hidden_size: int,
        horizon: int,
        group_size: int = 1,
        mode: str = "flatten",
        dropout: float = 0.0,
        n_outputs: int = 1,
    ) -> None:
        super().__init__()
        if mode not in ("flatten", "last"):
            raise ValueError(f"head={mode!r} is not one of ('flatten', 'last').")
        self.mode = mode
        self.horizon = horizon
        self.group_size = group_size
        self.n_outputs = n_outputs
        n_in = n_tokens * hidden_size if mode == "flatten" else hidden_size
        self.dropout = MaskDropout(dropout)
        self.proj = nn.Linear(n_in, horizon * group_size * n_outputs)

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        """``(batch, n_tokens, hidden_size)`` -> ``(batch, group_size, horizon)``,
        with a last axis of ``n_outputs`` when there are several."""
        feats = states.flatten(1) if self.mode == "flatten" else states[:, -1]
        out = self.proj(self.dropout(feats))
        return _outputs(
            out, states.shape[0], self.group_size, self.horizon, self.n_outputs
        )


class RecurrentHead(nn.Module):
    """Decode the horizon segment by segment with the encoder's own recurrent cell,
    all segments at once (SegRNN's "parallel multi-step forecasting").

    The horizon is cut into ``n_segments = ceil(horizon / segment_len)``
    segments. Each segment has a learned query: a position embedding (and,
    when there are several channel groups, a group embedding in the second
    half of it). Every query is fed as a single input step to the encoder's
    recurrent layer, started from the encoder's final state, so the segments
    are decoded independently of each other and in one batched call (no
    autoregressive loop, no error accumulation). Each output state goes
    through dropout and a linear map to the segment's values; the last segment
    is cut to the horizon.

    Parameters
    ----------
    input_size : int
        Token size the recurrent layer reads (its ``input_size``).
    hidden_size : int
        Its state size.
    horizon : int
        Steps to forecast.
    segment_len : int
        Steps per decoded segment (the network passes its ``patch_len``).
    group_size : int, default=1
        Channels forecast per group.
    n_groups : int, default=1
        Channel groups per window; with more than one, half of each query is a
        learned group embedding, so the shared decoder knows which group
        (channel) it forecasts.
    dropout : float, default=0.0
        Dropout on the decoded states before the linear map.
    n_outputs : int, default=1
        Values per step and channel (e.g. one per quantile level); with more
        than one, they form a last axis of the output.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import RecurrentHead, make_rnn
    >>> rnn = make_rnn("lstm", 16, 32, num_layers=1, dropout=0)
    >>> head = RecurrentHead(16, 32, horizon=20, segment_len=8, n_groups=3)
    >>> head.n_segments
    3
    >>> states, final = rnn(torch.zeros(6, 5, 16))  # 2 windows x 3 groups
    >>> head(rnn, final).shape  # (batch, group_size, horizon)
    torch.Size([6, 1, 20])
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        horizon: int,
        segment_len: int,
        group_size: int = 1,
        n_groups: int = 1,
        dropout: float = 0.0,
        n_outputs: int = 1,
    ) -> None:
        super().__init__()
        self.n_outputs = n_outputs
        self.horizon, self.segment_len = horizon, segment_len
        self.group_size, self.n_groups = group_size, n_groups
        self.n_segments = math.ceil(horizon / segment_len)
        n_group_dims = input_size // 2 if n_groups > 1 else 0
        self.position = nn.Parameter(
            torch.randn(self.n_segments, input_size - n_group_dims)
        )
        self.group = (
            nn.Parameter(torch.randn(n_groups, n_group_dims)) if n_group_dims else None
        )
        self.dropout = MaskDropout(dropout)
        self.proj = nn.Linear(hidden_size, segment_len * group_size * n_outputs)

    def queries(self, n_windows: int) -> torch.Tensor:
        """The decoder's inputs, one per window, group and segment.

        Parameters
        ----------
        n_windows : int
            Windows in the batch.

        Returns
        -------
        torch.Tensor of shape (n_windows * n_groups * n_segments, 1, input_size)
            Rows in the order window, group, segment.
        """
        g, m = self.n_groups, self.n_segments
        query = self.position.expand(g, m, -1)
        if self.group is not None:
            group = self.group[:, None, :].expand(g, m, -1)
            query = torch.cat([query, group], dim=-1)
        return (
            query.reshape(1, g * m, -1)
            .expand(n_windows, -1, -1)
            .reshape(n_windows * g * m, 1, -1)
        )

    def forward(self, rnn: nn.LSTM | nn.GRU, final: State) -> torch.Tensor:
        """``final`` states ``(num_layers, batch, hidden_size)`` of ``rnn`` ->
        ``(batch, group_size, horizon)`` (with a last axis of ``n_outputs`` when
        there are several), where ``batch`` is windows times ``n_groups``
        (group fastest)."""
        m = self.n_segments
        if isinstance(final, tuple):  # LSTM: (h, c)
            start = tuple(s.repeat_interleave(m, dim=1) for s in final)
            rows = final[0].shape[1]
        else:
            start = final.repeat_interleave(m, dim=1)
            rows = final.shape[1]
        decoded, _ = rnn(self.queries(rows // self.n_groups), start)
        out = self.proj(self.dropout(decoded[:, 0]))  # (rows * m, S * seg * K)
        k = self.n_outputs
        out = out.reshape(rows, m, self.group_size, self.segment_len * k)
        out = out.permute(0, 2, 1, 3).reshape(rows, self.group_size, m, -1, k)
        out = out.reshape(rows, self.group_size, -1, k)[:, :, : self.horizon]
        return out[..., 0] if k == 1 else out


def _outputs(
    out: torch.Tensor, batch: int, group_size: int, horizon: int, n_outputs: int
) -> torch.Tensor:
    """A head's flat output as ``(batch, group_size, horizon)``, with a last axis
    of ``n_outputs`` when there are several."""
    if n_outputs == 1:
        return out.reshape(batch, group_size, horizon)
    return out.reshape(batch, group_size, horizon, n_outputs)
