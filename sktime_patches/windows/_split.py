"""The one time-ordered split rule: validate on the latest windows, a gap before."""

from __future__ import annotations

import numpy as np

__all__ = ["split_counts", "time_ordered_indices"]


def split_counts(
    n_windows: np.ndarray, validation_fraction: float, gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """How many windows train and how many validate, for each count of windows.

    The rule, one place for every split in time of the package: the last
    ``ceil(n_windows * validation_fraction)`` windows validate; the ``gap``
    windows before them are dropped so that no training target overlaps a
    validation target (for stride-1 windows, ``gap = horizon``). When too few
    windows remain for both (fewer training than validation windows), every
    window trains and none validates.

    Parameters
    ----------
    n_windows : array-like of int
        Windows, in time order, of each series (or of the one set).
    validation_fraction : float
        Share of the windows, taken from the end, that validate; 0 validates on
        none.
    gap : int
        Windows dropped between the training and the validation windows.

    Returns
    -------
    n_train, n_valid : ndarray of int64
        Training and validation windows of each count; the first ``n_train``
        windows train, the last ``n_valid`` validate.

    Examples
    --------
    >>> n_train, n_valid = split_counts([20, 5, 4], 0.2, gap=3)
    >>> n_train.tolist(), n_valid.tolist()
    ([13, 1, 4], [4, 1, 0])
    """
    n = np.asarray(n_windows, dtype=np.int64)
    n_valid = np.ceil(n * validation_fraction).astype(np.int64)
    n_train = n - n_valid - gap
    ok = (n_valid >= 1) & (n_train >= np.maximum(1, n_valid))
    return np.where(ok, n_train, n), np.where(ok, n_valid, 0)


def time_ordered_indices(
    n_windows: int, validation_fraction: float, gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation window indices: validate on the **latest** windows.

    The last ``ceil(n_windows * validation_fraction)`` windows validate; the
    ``gap`` windows before them are dropped so that no training target overlaps a
    validation target (for stride-1 windows, ``gap = horizon``). When too few
    windows remain for both, everything trains and the validation set is empty
    (the rule of :func:`split_counts`).

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
    n_train, n_valid = split_counts(n_windows, validation_fraction, gap)
    n_train, n_valid = int(n_train), int(n_valid)
    return np.arange(n_train), np.arange(n_windows - n_valid, n_windows)
