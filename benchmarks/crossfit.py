"""Cross-fitting the ridge start: train the correction on out-of-fold residuals.

``PatchForecaster(linear_skip="ridge")`` starts from the closed-form ridge fitted
on the training windows and trains the LSTM correction on top of it. The
residuals the correction sees on those windows are in-sample, so smaller and
differently shaped than the residuals it meets on new months. Under
:func:`crossfitted_start`, the ridge start is still fitted on all the training
windows, but the correction is trained against targets shifted by ``oof - full``
(the out-of-fold ridge forecast minus the full one, from ``folds`` contiguous,
time-ordered blocks of the training windows, at the penalty the start chose):
the network's forecast ``full + correction`` then fits the targets exactly when
``correction = y - oof``, the residual of a ridge that never saw the window.
Validation windows keep their true targets.

This is an experiment of the benchmarks, not an option of the package: it swaps
the package's private ``_init_skip`` for the duration of a ``with`` block, and
reads arrays only (``X`` and ``y``, as the benchmarks pass them). Use it through
``search.py --crossfit K``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from sktime_patches import forecaster
from sktime_patches.nn.linear_init import _gram, _ridge_solutions

#: Windows per block when reading the training windows.
CHUNK = 4096


@torch.no_grad()
def out_of_fold_targets(
    net: Any, X: np.ndarray, y: np.ndarray, alpha: float, folds: int
) -> np.ndarray:
    """``y`` with ``oof - full`` subtracted on the net's training windows.

    ``net`` is an initialised skorch net whose module's skip holds the ridge
    start (the head's output zeroed, so the module forecasts with the skip
    alone); ``alpha`` is the start's penalty.
    """
    if folds < 2:
        raise ValueError(f"folds={folds}; cross-fitting needs folds >= 2.")
    train, _ = net.get_split_datasets(X, y)
    index = np.asarray(getattr(train, "indices", np.arange(len(X))))
    module = net.module_
    device = module.skip.weight.device
    blocks = np.array_split(index, folds)

    def batches(block: np.ndarray) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        for start in range(0, len(block), CHUNK):
            rows_of = block[start : start + CHUNK]
            yield (
                torch.as_tensor(X[rows_of], device=device),
                torch.as_tensor(y[rows_of], device=device),
            )

    stats = [_gram(module, batches(block)) for block in blocks]
    total_gram = sum(g for g, _ in stats)
    total_cross = sum(c for _, c in stats)
    weight = module.skip.weight.detach().clone()
    bias = module.skip.bias.detach().clone()
    was_training = module.training
    module.eval()
    shifted = np.array(y, dtype=np.float32, copy=True)
    try:
        for block, (gram, cross) in zip(blocks, stats, strict=True):
            [(coef, intercept)] = _ridge_solutions(
                total_gram - gram, total_cross - cross, [alpha]
            )
            for start in range(0, len(block), CHUNK):
                rows_of = block[start : start + CHUNK]
                xb = torch.as_tensor(X[rows_of], device=device)
                module.skip.weight.copy_(weight)
                module.skip.bias.copy_(bias)
                full = module(xb)
                module.skip.weight.copy_(coef.T.to(weight.dtype))
                module.skip.bias.copy_(intercept.to(bias.dtype))
                oof = module(xb)
                shifted[rows_of] -= (oof - full).cpu().numpy()
    finally:
        module.skip.weight.copy_(weight)
        module.skip.bias.copy_(bias)
        module.train(was_training)
    return shifted


@contextmanager
def crossfitted_start(folds: int) -> Iterator[None]:
    """Within the block, every ``PatchForecaster(linear_skip="ridge")`` fitted on
    arrays trains its correction on ``folds``-fold out-of-fold residuals."""
    original = forecaster._init_skip

    def init_skip(net: Any, X: Any, y: Any, freeze: bool = True) -> float:
        alpha = original(net, X, y, freeze)
        shifted = out_of_fold_targets(net, X, y, alpha, folds)
        partial_fit = net.partial_fit

        def first_fit(X_fit: Any, y_fit: Any, **kwargs: Any) -> Any:
            del net.partial_fit  # later calls train on the true targets
            return partial_fit(X_fit, shifted, **kwargs)

        net.partial_fit = first_fit
        return alpha

    forecaster._init_skip = init_skip
    try:
        yield
    finally:
        forecaster._init_skip = original


def add_crossfit_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--crossfit K`` option of ``run.py`` and ``search.py``."""
    parser.add_argument(
        "--crossfit",
        type=int,
        default=None,
        metavar="K",
        help="train the correction on K-fold out-of-fold ridge residuals "
        "(benchmarks/crossfit.py)",
    )
