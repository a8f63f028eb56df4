"""The closed-form ridge path: the numpy definition and its torch twin.

A ridge regression from rows ``X (n, n_features)`` to targets ``Y (n,
n_targets)``, with an unpenalised intercept, for many penalties at once:

1. :func:`gram` accumulates ``(Z'Z, Z'Y)`` of the rows ``Z = [X, 1]`` (a
   column of ones appended last, so ``Z'Z[-1, -1]`` counts the rows); Gram
   matrices of chunks or batches add up to the Gram matrix of them all;
2. :func:`ridge_path` solves ``(Xc'Xc + alpha I) coef = Xc'Yc`` on the centred
   rows for every ``alpha`` through one eigendecomposition, the intercept
   ``mean(Y) - mean(X) @ coef``;
3. :func:`path_errors` scores every solution of the path on held-out rows
   (the sum of squared errors, optionally after undoing a scaling), so that
   the penalty is chosen by validation error.

Every user of a closed-form ridge goes through these: the lookback search
(:mod:`sktime_patches.lookback`), the baseline
:class:`~sktime_patches.baselines.LastValueRidge`, and the ridge start of the
network's linear skip (:func:`sktime_patches.nn.init_skip_ridge`, on torch
tensors, batch by batch). The ``*_torch`` functions are the twins of the numpy
ones (the tests check they agree), so the network's ridge is the baseline's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

__all__ = [
    "ALPHAS",
    "gram",
    "gram_torch",
    "path_errors",
    "path_errors_torch",
    "ridge_path",
    "ridge_path_torch",
    "spread",
    "spread_indices",
]

#: Ridge penalties tried by default (10^-1 .. 10^8 in half-decades), on rows
#: scaled by each channel's standard deviation: the lookback search's and
#: :class:`~sktime_patches.baselines.LastValueRidge`'s.
ALPHAS: tuple[float, ...] = tuple(10.0 ** (k / 2) for k in range(-2, 17))


def spread(last_values: np.ndarray) -> np.ndarray:
    """Each channel's scale for the ridge's rows: its standard deviation over
    the windows' last steps; where a channel is flat, its largest magnitude
    (1 where that is 0).

    The one rule of the baseline :class:`~sktime_patches.baselines.LastValueRidge`
    and of the network's per-channel scale, so that the network's linear
    start is the baseline. A relative test of flatness, so that a series
    measured in 1e-12 units is not mistaken for a flat one.

    Parameters
    ----------
    last_values : ndarray of shape (n_windows, n_channels)
        The last step of each training window.

    Returns
    -------
    scale : ndarray of shape (n_channels,)
        Positive, finite.

    Examples
    --------
    >>> import numpy as np
    >>> spread(np.array([[1.0, 5.0, 0.0], [3.0, 5.0, 0.0]])).tolist()
    [1.0, 5.0, 1.0]
    """
    values = np.asarray(last_values, dtype=np.float64)
    scale = values.std(axis=0)
    level = np.abs(values).max(axis=0) if len(values) else np.zeros(scale.shape)
    flat = ~(np.isfinite(scale) & (scale > 1e-9 * level))
    return np.where(flat, np.where(level > 0, level, 1.0), scale)


def spread_indices(n_windows: int, max_windows: int = 200_000) -> np.ndarray:
    """The windows whose last steps :func:`spread` reads: all of them, or
    ``max_windows`` evenly spaced when there are more.

    Examples
    --------
    >>> spread_indices(5).tolist(), spread_indices(5, max_windows=3).tolist()
    ([0, 1, 2, 3, 4], [0, 2, 4])
    """
    if n_windows > max_windows:
        return np.linspace(0, n_windows - 1, max_windows).astype(np.int64)
    return np.arange(n_windows)


def gram(rows: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(Z'Z, Z'Y)`` of the rows ``Z = [rows, 1]`` and their targets ``Y``.

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_features)
        Inputs.
    targets : ndarray of shape (n_rows, n_targets)
        Targets.

    Returns
    -------
    gram : ndarray of shape (n_features + 1, n_features + 1)
        ``Z'Z``; its entry ``[-1, -1]`` counts the rows.
    cross : ndarray of shape (n_features + 1, n_targets)
        ``Z'Y``.

    Examples
    --------
    >>> import numpy as np
    >>> g, c = gram(np.ones((5, 2)), np.ones((5, 3)))
    >>> g.shape, c.shape, float(g[-1, -1])
    ((3, 3), (3, 3), 5.0)
    """
    z = np.hstack([rows, np.ones((len(rows), 1))])
    return z.T @ z, z.T @ targets


def gram_torch(
    rows: torch.Tensor, targets: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Torch twin of :func:`gram` (same shapes, the rows' device and dtype)."""
    z = torch.cat([rows, torch.ones_like(rows[:, :1])], dim=1)
    return z.T @ z, z.T @ targets


def ridge_path(
    gram: np.ndarray, cross: np.ndarray, alphas: Sequence[float]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Ridge solutions ``(coef, intercept)`` for every penalty, the intercept
    unpenalised, through one eigendecomposition of the centred Gram matrix.

    Parameters
    ----------
    gram : ndarray of shape (n_features + 1, n_features + 1)
        ``Z'Z`` of the rows ``Z`` with a column of ones appended last (its
        entry ``[-1, -1]`` counts the rows): :func:`gram`.
    cross : ndarray of shape (n_features + 1, n_targets)
        ``Z'Y`` of the same rows and their targets.
    alphas : sequence of float
        Penalties.

    Returns
    -------
    path : list of (ndarray of shape (n_features, n_targets), ndarray of \
shape (n_targets,))
        ``(coef, intercept)`` per penalty: predictions are ``X @ coef +
        intercept``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(50, 3))
    >>> Y = X @ [[1.0], [2.0], [3.0]] + 4.0
    >>> [(coef, intercept)] = ridge_path(*gram(X, Y), [1e-9])
    >>> np.round(coef.ravel(), 6).tolist(), np.round(intercept, 6).tolist()
    ([1.0, 2.0, 3.0], [4.0])
    """
    n = gram[-1, -1]
    mean_x, mean_y = gram[-1, :-1] / n, cross[-1] / n
    centred = gram[:-1, :-1] - n * np.outer(mean_x, mean_x)
    centred_cross = cross[:-1] - n * np.outer(mean_x, mean_y)
    eigvals, eigvecs = np.linalg.eigh(centred)
    eigvals = np.clip(eigvals, 0, None)
    rotated = eigvecs.T @ centred_cross
    path = []
    for alpha in alphas:
        coef = eigvecs @ (rotated / (eigvals + alpha)[:, None])
        path.append((coef, mean_y - mean_x @ coef))
    return path


def ridge_path_torch(
    gram: torch.Tensor, cross: torch.Tensor, alphas: Sequence[float]
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Torch twin of :func:`ridge_path` (any device; float64 advised)."""
    n = gram[-1, -1]
    mean_x, mean_y = gram[-1, :-1] / n, cross[-1] / n
    centred = gram[:-1, :-1] - n * torch.outer(mean_x, mean_x)
    centred_cross = cross[:-1] - n * torch.outer(mean_x, mean_y)
    eigvals, eigvecs = torch.linalg.eigh(centred)
    eigvals = eigvals.clamp_min(0)
    rotated = eigvecs.T @ centred_cross
    path = []
    for alpha in alphas:
        coef = eigvecs @ (rotated / (eigvals + alpha)[:, None])
        path.append((coef, mean_y - mean_x @ coef))
    return path


def path_errors(
    rows: np.ndarray,
    targets: np.ndarray,
    path: Sequence[tuple[np.ndarray, np.ndarray]],
    scale: np.ndarray | float = 1.0,
    loc: np.ndarray | float = 0.0,
) -> np.ndarray:
    """The sum of squared errors of every solution of a ridge path.

    The forecast of solution ``k`` is ``(rows @ coef_k + intercept_k) * scale
    + loc`` (``scale`` and ``loc`` undo a scaling of the targets, so that the
    errors are measured in the units of ``targets``). Divide by
    ``targets.size`` for the mean squared error; the penalty with the lowest
    error is the one to keep.

    Parameters
    ----------
    rows : ndarray of shape (n_rows, n_features)
        Held-out inputs.
    targets : ndarray of shape (n_rows, n_targets)
        Their targets.
    path : sequence of (coef, intercept)
        :func:`ridge_path`'s solutions.
    scale, loc : ndarray broadcastable to targets, or float, default=1.0, 0.0
        Applied to each forecast before it is compared with ``targets``.

    Returns
    -------
    errors : ndarray of shape (len(path),)
        The sum of squared errors of each solution.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(80, 4))
    >>> Y = X @ rng.normal(size=(4, 2)) + 0.1 * rng.normal(size=(80, 2))
    >>> alphas = [1e-3, 1e1, 1e5]
    >>> errors = path_errors(X[60:], Y[60:], ridge_path(*gram(X[:60], Y[:60]), alphas))
    >>> alphas[int(np.argmin(errors))]
    0.001
    """
    return np.array(
        [
            (((rows @ coef + intercept) * scale + loc - targets) ** 2).sum()
            for coef, intercept in path
        ]
    )


def path_errors_torch(
    rows: torch.Tensor,
    targets: torch.Tensor,
    path: Sequence[tuple[torch.Tensor, torch.Tensor]],
    scale: torch.Tensor | float = 1.0,
    loc: torch.Tensor | float = 0.0,
) -> torch.Tensor:
    """Torch twin of :func:`path_errors` (a float64 tensor on the CPU)."""
    return torch.stack(
        [
            (((rows @ coef + intercept) * scale + loc - targets) ** 2).sum().cpu()
            for coef, intercept in path
        ]
    ).double()
