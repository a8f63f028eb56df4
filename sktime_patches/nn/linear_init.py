"""Closed-form ridge initialisation of the network's linear skip path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch

from .._ridge import ALPHAS, gram_torch, path_errors_torch, ridge_path_torch
from .network import PatchLSTMNet

__all__ = ["RIDGE_ALPHAS", "init_skip_ridge"]

#: Penalties tried for the skip path: those of
#: :class:`~sktime_patches.baselines.LastValueRidge` (10^-1 .. 10^8 in
#: half-decades), chosen the same way (validation error on the scaled values),
#: so that the skip starts as that baseline.
RIDGE_ALPHAS: tuple[float, ...] = ALPHAS


def _rows(
    module: PatchLSTMNet, X: torch.Tensor, y: torch.Tensor | None
) -> tuple[torch.Tensor, torch.Tensor | None, tuple[torch.Tensor, torch.Tensor]]:
    """The skip's input rows and normalised target rows (one per channel group,
    or one per window with covariates), and the targets' statistics."""
    rows, stats, _ = module.skip_input(X)
    loc, scale = module.target_stats(stats)
    if y is None:
        return rows.double(), None, (loc, scale)
    targets = module.target_rows((y - loc) / scale).double()
    return rows.double(), targets, (loc, scale)


@torch.no_grad()
def _gram(
    module: PatchLSTMNet, batches: Iterable[tuple[torch.Tensor, torch.Tensor]]
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(Z'Z, Z'Y)`` of the normalised window rows ``Z`` augmented with a
    column of ones (its entry ``[-1, -1]`` counts the rows) and their targets."""
    n_in, n_out = module.skip.in_features, module.skip.out_features
    device = module.skip.weight.device
    gram = torch.zeros(n_in + 1, n_in + 1, dtype=torch.float64, device=device)
    cross = torch.zeros(n_in + 1, n_out, dtype=torch.float64, device=device)
    for xb, yb in batches:
        rows, targets, _ = _rows(module, xb, yb)
        batch_gram, batch_cross = gram_torch(rows, targets)
        gram += batch_gram
        cross += batch_cross
    return gram, cross


@torch.no_grad()
def init_skip_ridge(
    module: PatchLSTMNet,
    train: Iterable[tuple[torch.Tensor, torch.Tensor]],
    valid: Iterable[tuple[torch.Tensor, torch.Tensor]] | None = None,
    alphas: Sequence[float] = RIDGE_ALPHAS,
    zero_head: bool = True,
) -> float:
    """Set the linear skip to the ridge solution on the normalised windows.

    The skip path maps each normalised window (per channel group) to its
    normalised horizon. Its least-squares solution has a closed form, so rather
    than learning it from a random start by gradient descent, this solves
    ``(Z'Z + alpha I) W = Z'Y`` (with an intercept) for every ``alpha`` through
    one eigendecomposition, keeps the ``alpha`` with the lowest validation MSE
    on the normalised values (on ``valid``; on ``train`` when ``valid`` is
    None), as :class:`~sktime_patches.baselines.LastValueRidge` chooses it,
    and writes ``W`` into ``module.skip``. The head's output layer is
    zeroed (``zero_head``), so the network starts as exactly this linear
    forecaster and training learns a correction to it.

    Parameters
    ----------
    module : PatchLSTMNet
        A network built with ``linear_skip=True``, with ``affine`` parameters at
        their identity initialisation.
    train : iterable of (Tensor, Tensor)
        Batches of training windows ``(batch, lookback, n_channels)`` and their
        targets ``(batch, horizon, n_channels)``, on the module's device. Read
        once, so memory is bounded by the batch size (a ``DataLoader`` works).
    valid : iterable of (Tensor, Tensor) or None, default=None
        Batches of validation windows and targets that choose ``alpha``; None
        chooses on ``train`` (read a second time).
    alphas : sequence of float, default=RIDGE_ALPHAS
        Penalties to try (on the sum of squared errors).
    zero_head : bool, default=True
        Zero the head's output layer, so that the network starts as the ridge;
        False leaves the head as initialised (``blend=True``: the network is
        trained apart from the ridge and blended with it afterwards).

    Returns
    -------
    alpha : float
        The chosen penalty.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import PatchLSTMNet
    >>> t = torch.arange(300.0)
    >>> series = torch.sin(t / 5)[:, None]
    >>> X = torch.stack([series[i : i + 40] for i in range(250)])
    >>> y = torch.stack([series[i + 40 : i + 48] for i in range(250)])
    >>> net = PatchLSTMNet(40, 8, 1, patch_len=8, linear_skip=True).eval()
    >>> alpha = init_skip_ridge(net, [(X, y)])
    >>> bool(((net(X) - y) ** 2).mean() < 1e-3)
    True
    """
    if module.skip is None:
        raise ValueError(
            "init_skip_ridge needs a network built with linear_skip=True; this one "
            "has no linear skip path."
        )
    weight = module.skip.weight
    gram, cross = _gram(module, train)
    if gram[-1, -1] < 1:
        raise ValueError("init_skip_ridge got no training windows.")
    path = ridge_path_torch(gram, cross, alphas)

    errors = torch.zeros(len(alphas), dtype=torch.float64)
    for xb, yb in train if valid is None else valid:
        rows, targets, _ = _rows(module, xb, yb)
        errors += path_errors_torch(rows, targets, path)
    best = int(torch.argmin(errors))
    coef, intercept = path[best]
    weight.copy_(coef.T.to(weight.dtype))
    module.skip.bias.copy_(intercept.to(weight.dtype))
    if zero_head:
        module.head.proj.weight.zero_()
        module.head.proj.bias.zero_()
    return float(alphas[best])
