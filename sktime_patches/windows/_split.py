"""The one time-ordered split rule: validate on the latest windows, a gap before."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["time_ordered_indices"]


def time_ordered_indices(
    n_windows: int, validation_fraction: float, gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation window indices: validate on the **latest** windows.

    The last ``ceil(n_windows * validation_fraction)`` windows validate; the
    ``gap`` windows before them are dropped so that no training target overlaps a
    validation target (for stride-1 windows, ``gap = horizon``). When too few
    windows remain for both, everything trains and the validation set is empty.

    Parameters
    ----------
    n_windows : int
        Windows, in time order.
    validation_fraction : float
        Share of the windows, taken from the end, that validate; 0 validates on
        none.
    gap : int
        Windows dropped between the training and the validation windows.

    Returns
    -------
    train, valid : ndarray of int
        Indices of the training and of the validation windows.

    Examples
    --------
    >>> train, valid = time_ordered_indices(20, 0.2, gap=3)
    >>> train.tolist(), valid.tolist()
    ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [16, 17, 18, 19])
    """
    n_valid = math.ceil(n_windows * validation_fraction) if validation_fraction else 0
    n_train = n_windows - n_valid - gap
    if n_valid < 1 or n_train < max(1, n_valid):
        return np.arange(n_windows), np.arange(0)
    return np.arange(n_train), np.arange(n_windows - n_valid, n_windows)
