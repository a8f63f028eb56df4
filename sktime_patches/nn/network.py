"""The whole network: normalise -> patch -> encode -> pool -> LSTM/GRU -> head."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from .._patching import n_patches, patch_torch
from .dropout import MaskDropout
from .encoders import make_encoder
from .heads import ForecastHead, RecurrentHead, make_rnn
from .normalization import WindowNorm
from .pooling import TokenPool

__all__ = ["NETWORK_PARAMS", "PatchLSTMNet"]

#: The constructor arguments of :class:`PatchLSTMNet` that
#: :class:`~sktime_patches.PatchForecaster` takes as hyper-parameters of the same
#: name and default (the sizes that come from the data, the patch length, the
#: channel groups, the skip and the channel scale it resolves in ``fit``).
NETWORK_PARAMS: tuple[str, ...] = (
    "stride",
    "padding",
    "encoder",
    "d_model",
    "pool",
    "pool_size",
    "hidden_size",
    "num_layers",
    "dropout",
    "head",
    "cell",
    "norm",
    "affine",
    "correction_scale",
)


class PatchLSTMNet(nn.Module):
    """Spacetime-patch encoder, token pooling, an LSTM or GRU and a one-shot head.

    Every argument is a plain int, float, str or list, so that skorch can build
    and clone the module; sizes that come from the data (``lookback``,
    ``horizon``, ``n_channels``) are set by the estimator in ``fit``.

    Parameters
    ----------
    lookback, horizon, n_channels : int
        Window length, forecast length and number of channels.
    patch_len : int, default=24
        Steps per patch.
    stride : int or None, default=None
        Steps between patch starts; None means ``patch_len``.
    padding : {"end", "none"}, default="end"
        Patching padding, as in :class:`~sktime_patches.SpacetimePatcher`.
    channel_groups : list of list of int or None, default=None
        A partition of the channels into equal groups; None is every channel alone
        (channel independence: one shared network for all channels).
    encoder : {"linear", "mlp", "conv", "transformer"}, default="linear"
        Patch encoder.
    d_model : int, default=128
        Token size.
    pool : {"mean", "max", "attention"}, default="mean"
        Token pooling.
    pool_size : int, default=1
        Tokens pooled into one (1: no pooling).
    hidden_size, num_layers : int
        Recurrent state size and depth.
    dropout : float, default=0.3
        Dropout on tokens, between recurrent layers and before the head.
    head : {"flatten", "last", "recurrent"}, default="flatten"
        How the horizon is read from the recurrent layer: a linear map of
        every state (``"flatten"``) or of the last one (``"last"``), or
        decoded segment by segment by the same recurrent layer from its final
        state (``"recurrent"``, :class:`~sktime_patches.nn.RecurrentHead`;
        segments of ``patch_len`` steps).
    norm : {"last", "standard", "none"}, default="last"
        Per-window normalisation (undone at the output).
    affine : bool, default=False
        Learnable affine of the normalisation.
    linear_skip : bool, default=False
        Add a linear map from the normalised window (per group) to the horizon to
        the head's output, so the network learns a correction to a linear forecast.
    channel_scale : sequence of float or None, default=None
        Fixed per-channel spread that ``norm="last"`` divides by (see
        :class:`WindowNorm`); the estimator passes each channel's training std.
    correction_scale : {"channel", "window"}, default="window"
        What the patch/recurrent branch sees: the normalised window itself
        (``"channel"``), or the normalised window divided by its own standard
        deviation, with the branch's output multiplied back (``"window"``). With
        ``"window"`` the correction is equivariant to the window's scale, as
        the linear skip is: a quieter or wilder period than those of training
        looks the same to it, and its correction shrinks or grows in proportion.
    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell.
    n_quantiles : int, default=1
        Forecasts per step and channel: with more than one, the output gains a
        last axis of that many values, sorted in increasing order (the levels
        of a quantile forecast, which therefore never cross; see
        :class:`~sktime_patches.nn.ChannelScaledLoss` for their loss).
    targets : list of int or None, default=None
        The channels to forecast, when the others are covariates (inputs
        only); None forecasts every channel. With ``targets`` or ``future``,
        every channel is patched in one group (spacetime patches spanning the
        targets and their covariates), so ``channel_groups`` must be None, and
        the output holds the targets only: ``(batch, horizon, len(targets))``.
    future : list of int or None, default=None
        Channels whose values over the horizon are known in advance
        (calendar, planned prices, weather forecasts): the input is then
        ``(batch, lookback + horizon, n_channels)``, its last ``horizon`` rows
        holding those values (the other channels' rows there are ignored).
        They are normalised with their channel's window statistics and enter
        the linear skip beside the history (with the ridge start, a ridge
        regression on both).
    blend : bool, default=False
        Weigh the network's forecast against the linear skip's instead of adding
        them: ``w * network + (1 - w) * skip``, with ``w`` the buffer
        ``blend_weight``. It is 1 (the network alone) while the network trains,
        and the estimator sets it afterwards, on the validation windows. Needs
        ``linear_skip=True``. With several quantiles, the network's median
        (level ``median_index``) is blended and every level keeps its distance
        from it: the ridge gives the centre, the network the spread.
    median_index : int or None, default=None
        Position of the median among the ``n_quantiles`` sorted levels (the
        estimator passes it); None: the middle one.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import PatchLSTMNet
    >>> net = PatchLSTMNet(lookback=48, horizon=12, n_channels=3, patch_len=8)
    >>> x = torch.zeros(4, 48, 3)  # (batch, lookback, n_channels)
    >>> net(x).shape  # (batch, horizon, n_channels)
    torch.Size([4, 12, 3])

    Two groups of two channels, each group patched together, with the
    patch tokens pooled in pairs:

    >>> net = PatchLSTMNet(
    ...     lookback=48,
    ...     horizon=12,
    ...     n_channels=4,
    ...     patch_len=8,
    ...     channel_groups=[[0, 1], [2, 3]],
    ...     pool_size=2,
    ...     d_model=16,
    ...     hidden_size=16,
    ... )
    >>> net.n_groups, net.group_size, net.n_patches, net.n_tokens
    (2, 2, 6, 3)
    >>> net(torch.zeros(4, 48, 4)).shape
    torch.Size([4, 12, 4])

    Three quantile levels per step and channel:

    >>> net = PatchLSTMNet(lookback=48, horizon=12, n_channels=3, n_quantiles=3)
    >>> net(torch.randn(4, 48, 3)).shape
    torch.Size([4, 12, 3, 3])
    """

    def __init__(
        self,
        lookback: int,
        horizon: int,
        n_channels: int,
        patch_len: int = 24,
        stride: int | None = None,
        padding: str = "end",
        channel_groups: Sequence[Sequence[int]] | None = None,
        encoder: str = "linear",
        d_model: int = 128,
        pool: str = "mean",
        pool_size: int = 1,
        hidden_size: int = 128,
        num_layers: int = 1,
        dropout: float = 0.3,
        head: str = "flatten",
        norm: str = "last",
        affine: bool = False,
        linear_skip: bool = False,
        channel_scale: Sequence[float] | None = None,
        correction_scale: str = "window",
        cell: str = "lstm",
        n_quantiles: int = 1,
        targets: Sequence[int] | None = None,
        future: Sequence[int] | None = None,
        blend: bool = False,
        median_index: int | None = None,
    ) -> None:
        super().__init__()
        if blend and not linear_skip:
            raise ValueError(
                "blend=True weighs the network against the linear skip; pass "
                "linear_skip=True."
            )
        self.n_quantiles = n_quantiles
        mixed = targets is not None or future is not None
        if mixed:
            if channel_groups is not None:
                raise ValueError(
                    "targets and future patch every channel in one group, with "
                    "its covariates; pass channel_groups=None."
                )
            channel_groups = [list(range(n_channels))]
        self.n_targets = n_channels if targets is None else len(targets)
        self.n_future = 0 if future is None else len(future)
        for name, index in (("target_index", targets), ("future_index", future)):
            if index is None:
                setattr(self, name, None)
            else:
                tensor = torch.as_tensor(list(index), dtype=torch.long)
                self.register_buffer(name, tensor, persistent=False)
        if correction_scale not in ("channel", "window"):
            raise ValueError(
                f"correction_scale={correction_scale!r} is not one of "
                "('channel', 'window')."
            )
        self.correction_scale = correction_scale
        stride = patch_len if stride is None else stride
        self.lookback, self.horizon, self.n_channels = lookback, horizon, n_channels
        self.patch_len, self.stride, self.padding = patch_len, stride, padding
        identity = channel_groups is None or (
            all(len(g) == 1 and g[0] == i for i, g in enumerate(channel_groups))
            and len(channel_groups) == n_channels
        )
        if identity:
            self.group_index = None
            self.n_groups, self.group_size = n_channels, 1
        else:
            index = torch.as_tensor(channel_groups, dtype=torch.long)
            self.register_buffer("group_index", index, persistent=False)
            self.register_buffer(
                "channel_order", torch.argsort(index.reshape(-1)), persistent=False
            )
            self.n_groups, self.group_size = index.shape
        self.n_patches = n_patches(lookback, patch_len, stride, padding)
        self.n_tokens = TokenPool.n_out(self.n_patches, pool_size)

        self.norm = WindowNorm(n_channels, norm, affine, channel_scale=channel_scale)
        self.encoder = make_encoder(
            encoder, self.group_size, patch_len, d_model, dropout
        )
        self.token_dropout = MaskDropout(dropout)
        self.pool = TokenPool(d_model, pool_size, pool)
        self.rnn = make_rnn(cell, d_model, hidden_size, num_layers, dropout)
        self.head: ForecastHead | RecurrentHead
        if head == "recurrent":
            self.head = RecurrentHead(
                d_model,
                hidden_size,
                horizon,
                patch_len,
                self.group_size,
                self.n_groups,
                dropout,
                n_quantiles,
            )
        else:
            self.head = ForecastHead(
                self.n_tokens,
                hidden_size,
                horizon,
                self.group_size,
                head,
                dropout,
                n_quantiles,
            )
        # the skip maps each group's window (and the known future) to its
        # forecast; with covariates, one group's window to the targets only
        skip_out = horizon * (self.n_targets if mixed else self.group_size)
        self.skip = (
            nn.Linear(lookback * self.group_size + horizon * self.n_future, skip_out)
            if linear_skip
            else None
        )
        self.mixed = mixed
        self.median_index = (
            (n_quantiles - 1) // 2 if median_index is None else median_index
        )
        if blend:  # 1: the network alone, as it trains; set after training
            self.register_buffer("blend_weight", torch.ones(()))
        else:
            self.blend_weight = None

    def group_rows(self, z: torch.Tensor) -> torch.Tensor:
        """Lay out ``(batch, steps, n_channels)`` as one row per channel group.

        Parameters
        ----------
        z : torch.Tensor of shape (batch, steps, n_channels)
            Values of every channel, e.g. the normalised window.

        Returns
        -------
        torch.Tensor of shape (batch * n_groups, group_size * steps)
            One row per window and group: the group's channels one after the
            other, ``steps`` values each (the layout of the linear skip's input
            and, with ``steps = horizon``, of its output).

        Examples
        --------
        >>> import torch
        >>> from sktime_patches.nn import PatchLSTMNet
        >>> net = PatchLSTMNet(lookback=3, horizon=1, n_channels=2, patch_len=3)
        >>> z = torch.arange(6.0).reshape(1, 3, 2)  # 3 steps of 2 channels
        >>> net.group_rows(z).tolist()  # each channel alone: a row per channel
        [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]
        >>> net = PatchLSTMNet(48, 12, 4, patch_len=8, channel_groups=[[0, 1], [2, 3]])
        >>> net.group_rows(torch.zeros(4, 48, 4)).shape
        torch.Size([8, 96])
        """
        b, steps = z.shape[0], z.shape[1]
        if self.group_index is None:
            return z.transpose(1, 2).reshape(b * self.n_groups, steps)
        rows = z[:, :, self.group_index].permute(0, 2, 3, 1)
        return rows.reshape(b * self.n_groups, -1)

    def skip_input(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor], torch.Tensor]:
        """The linear skip's input rows, the window statistics and the
        normalised window.

        Parameters
        ----------
        x : torch.Tensor of shape (batch, lookback [+ horizon], n_channels)
            Windows (with the known future rows when ``future`` is set).

        Returns
        -------
        rows : torch.Tensor of shape (batch * n_groups, n_in)
            Each group's normalised window (:meth:`group_rows`), followed by
            the normalised known-future values, step by step of each channel.
        stats : tuple of torch.Tensor
            ``(loc, scale)`` of :class:`WindowNorm`, each ``(batch, 1,
            n_channels)``.
        z : torch.Tensor of shape (batch, lookback, n_channels)
            The normalised window.
        """
        z, stats = self.norm(x[:, : self.lookback])
        return self._skip_rows(x, z, stats), stats, z

    def _skip_rows(
        self, x: torch.Tensor, z: torch.Tensor, stats: tuple[torch.Tensor, torch.Tensor]
    ) -> torch.Tensor:
        """:meth:`skip_input`'s rows, from the window already normalised."""
        rows = self.group_rows(z)
        if self.future_index is not None:
            loc, scale = stats
            f = self.future_index
            known = (x[:, self.lookback :, f] - loc[:, :, f]) / scale[:, :, f]
            rows = torch.cat([rows, known.transpose(1, 2).reshape(len(x), -1)], dim=1)
        return rows

    def target_rows(self, y: torch.Tensor) -> torch.Tensor:
        """Lay out targets as the skip's output rows.

        Parameters
        ----------
        y : torch.Tensor of shape (batch, horizon, n_targets)
            Targets (or anything laid out like them, e.g. their scale).

        Returns
        -------
        torch.Tensor
            Per group (:meth:`group_rows`), or, with covariates, one row per
            window of every target's steps, channel after channel.
        """
        if not self.mixed:
            return self.group_rows(y)
        return y.transpose(1, 2).reshape(len(y), -1)

    def target_stats(
        self, stats: tuple[torch.Tensor, torch.Tensor]
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The window statistics of the target channels.

        Parameters
        ----------
        stats : tuple of torch.Tensor
            ``(loc, scale)`` of every channel, each ``(batch, 1, n_channels)``.

        Returns
        -------
        tuple of torch.Tensor
            The same for the target channels only.
        """
        if self.target_index is None:
            return stats
        return stats[0][..., self.target_index], stats[1][..., self.target_index]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forecast ``(batch, horizon, n_targets)`` from windows ``(batch,
        lookback, n_channels)`` (``lookback + horizon`` rows with ``future``);
        ``(batch, horizon, n_targets, n_quantiles)`` with several quantiles."""
        b = x.shape[0]
        z, stats = self.norm(x[:, : self.lookback])
        zc, spread = z, None
        if self.correction_scale == "window":
            spread = z.std(dim=1, keepdim=True, unbiased=False) + 1e-5  # (b, 1, C)
            zc = z / spread
        patches = patch_torch(
            zc, self.patch_len, self.stride, self.padding, self.group_index
        )
        g = self.n_groups
        # (b, G, N, S*P) -> (b*G, N, S*P): groups share every weight
        tokens = self.encoder(patches.reshape(b * g, self.n_patches, -1))
        tokens = self.pool(self.token_dropout(tokens))
        states, final = self.rnn(tokens)  # states: (b*G, n_tokens, hidden_size)
        if isinstance(self.head, RecurrentHead):
            out = self.head(self.rnn, final)  # (b*G, S, H)
        else:
            out = self.head(states)
        if out.ndim == 3:  # one output per step: a quantile axis of one
            out = out[..., None]  # (b*G, S, H, Q)
        if spread is not None:  # back to the scale of z, group by group
            rows_spread = spread[:, 0]
            if self.group_index is not None:
                rows_spread = rows_spread[:, self.group_index]
            out = out * rows_spread.reshape(b * g, self.group_size, 1, 1)
        out = out.reshape(b, g * self.group_size, self.horizon, self.n_quantiles)
        if self.group_index is not None:
            out = out[:, self.channel_order]  # (b, C, H, Q)
        if self.target_index is not None:
            out = out[:, self.target_index]  # (b, n_targets, H, Q)
        if self.skip is not None:
            skip = self.skip(self._skip_rows(x, z, stats))
            if self.mixed:
                skip = skip.reshape(b, self.n_targets, self.horizon)
            else:
                skip = skip.reshape(b, g * self.group_size, self.horizon)
                if self.group_index is not None:
                    skip = skip[:, self.channel_order]
            if self.blend_weight is None:
                out = out + skip[..., None]
            else:  # the centre moves to the blend; the levels keep their spread
                w = self.blend_weight
                if self.n_quantiles > 1:  # the median of the sorted levels
                    out = torch.sort(out, dim=-1).values
                centre = out[..., self.median_index : self.median_index + 1]
                out = out + (1 - w) * (skip[..., None] - centre)
        # (b, C, H, Q) -> (Q, b, H, C): the statistics (b, 1, C) broadcast
        out = self.norm.inverse(
            out.permute(3, 0, 2, 1), stats, self.target_index
        ).permute(1, 2, 3, 0)
        if self.n_quantiles == 1:
            return out[..., 0]
        # sorted levels never cross; sorting (monotone rearrangement) never
        # increases the pinball loss of a set of quantile forecasts
        return torch.sort(out, dim=-1).values
