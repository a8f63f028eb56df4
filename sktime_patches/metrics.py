"""Scores of prediction intervals and quantile forecasts.

Every function takes arrays of any matching shape (windows, horizon steps,
channels, ...) and averages over all their values, so the same call scores one
series' forecast or a whole benchmark's test windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "interval_coverage",
    "interval_scores",
    "interval_width",
    "msis",
    "pinball_loss",
    "pinball_values",
]


def _arrays(
    y_true: Any, lower: Any, upper: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = np.asarray(y_true, dtype=np.float64)
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    if not (y.shape == lo.shape == hi.shape):
        raise ValueError(
            f"y_true, lower and upper must have one shape; got {y.shape}, "
            f"{lo.shape} and {hi.shape}."
        )
    if y.size == 0:
        raise ValueError("y_true is empty; pass at least one value to score.")
    if np.any(lo > hi):
        raise ValueError(
            f"lower exceeds upper at {int(np.sum(lo > hi))} value(s); pass the "
            "interval's lower bound first."
        )
    return y, lo, hi


def interval_coverage(y_true: Any, lower: Any, upper: Any) -> float:
    """Share of the true values inside their intervals (bounds included).

    Parameters
    ----------
    y_true, lower, upper : array-like of one shape
        True values and the bounds of their intervals.

    Returns
    -------
    coverage : float
        In [0, 1]; a 90% interval should give about 0.9.

    Examples
    --------
    >>> interval_coverage([1.0, 2.0, 5.0], [0.0, 0.0, 0.0], [2.0, 2.0, 2.0])
    0.6666666666666666
    """
    y, lo, hi = _arrays(y_true, lower, upper)
    return float(np.mean((y >= lo) & (y <= hi)))


def interval_width(lower: Any, upper: Any) -> float:
    """Mean width of intervals (``upper - lower``), in the data's units.

    Parameters
    ----------
    lower, upper : array-like of one shape
        The bounds of the intervals.

    Returns
    -------
    width : float
        Their mean width.

    Examples
    --------
    >>> interval_width([0.0, 1.0], [2.0, 5.0])
    3.0
    """
    lo = np.asarray(lower, dtype=np.float64)
    _, lo, hi = _arrays(lo, lo, upper)
    return float(np.mean(hi - lo))


def pinball_loss(y_true: Any, y_quantiles: Any, quantiles: Sequence[float]) -> float:
    """The quantile (pinball) loss, averaged over values and levels.

    For a level ``q`` and a forecast ``f`` of a value ``y``, the loss is
    ``q * (y - f)`` when ``y >= f`` and ``(1 - q) * (f - y)`` otherwise; the
    forecast that minimises its expectation is the ``q``-quantile. At ``q =
    0.5`` it is half the absolute error.

    Parameters
    ----------
    y_true : array-like of shape (...)
        True values.
    y_quantiles : array-like of shape (..., n_quantiles)
        Forecast quantiles, the levels on the last axis.
    quantiles : sequence of float
        The levels, in (0, 1), in the order of the last axis.

    Returns
    -------
    loss : float
        The mean loss (lower is better; 0 for a perfect forecast).

    Examples
    --------
    >>> pinball_loss([1.0], [[0.0, 1.0, 3.0]], [0.1, 0.5, 0.9])
    0.1
    """
    return float(np.mean(pinball_values(y_true, y_quantiles, quantiles)))


def pinball_values(y_true: Any, y_quantiles: Any, quantiles: Sequence[float]) -> Any:
    """The pinball loss of each value, averaged over the levels only.

    Parameters
    ----------
    y_true : array-like of shape (...)
        True values.
    y_quantiles : array-like of shape (..., n_quantiles)
        Forecast quantiles, the levels on the last axis.
    quantiles : sequence of float
        The levels, in (0, 1).

    Returns
    -------
    loss : ndarray of shape y_true.shape
        Each value's loss (to average per group, e.g. per horizon step).

    Examples
    --------
    >>> pinball_values([1.0, 0.0], [[0.0, 2.0], [0.0, 2.0]], [0.1, 0.9]).tolist()
    [0.1, 0.1]
    """
    y = np.asarray(y_true, dtype=np.float64)
    pred = np.asarray(y_quantiles, dtype=np.float64)
    levels = np.asarray(quantiles, dtype=np.float64)
    if pred.shape != (*y.shape, len(levels)):
        raise ValueError(
            f"y_quantiles must have shape y_true.shape + (n_quantiles,) = "
            f"{(*y.shape, len(levels))}; got {pred.shape}."
        )
    if np.any((levels <= 0) | (levels >= 1)):
        raise ValueError(f"quantiles must lie in (0, 1); got {levels.tolist()}.")
    error = y[..., None] - pred
    return np.maximum(levels * error, (levels - 1) * error).mean(axis=-1)


def msis(
    y_true: Any, lower: Any, upper: Any, coverage: float, scale: Any = 1.0
) -> float:
    """The mean scaled interval score (MSIS) of the M4 competition.

    For an interval ``[l, u]`` at coverage ``1 - a`` and a true value ``y``,
    the interval score is ``(u - l) + (2 / a) * (l - y) * [y < l] + (2 / a) *
    (y - u) * [y > u]``: narrow intervals score well, and a miss costs twice
    its distance divided by the share the interval may miss. MSIS divides it
    by a scale (M4: the mean absolute seasonal difference of the training
    series, so that series of different magnitudes compare) and averages.

    Parameters
    ----------
    y_true, lower, upper : array-like of one shape
        True values and the bounds of their intervals.
    coverage : float
        The intervals' nominal coverage ``1 - a``, in (0, 1).
    scale : float or array-like broadcastable to y_true, default=1.0
        Positive scale per value (e.g. per channel, on the last axis).

    Returns
    -------
    score : float
        Lower is better.

    Examples
    --------
    A 90% interval of width 2 that misses one value by 1:

    >>> msis([0.0, 2.0], [-1.0, -1.0], [1.0, 1.0], coverage=0.9)
    12.0
    """
    scale = np.asarray(scale, dtype=np.float64)
    if np.any(~(scale > 0)):
        raise ValueError(
            f"scale must be positive; got {float(scale.min())!r} (a series that never "
            "changes has a mean absolute step change of 0); pass a positive scale."
        )
    return float(np.mean(interval_scores(y_true, lower, upper, coverage) / scale))


def interval_scores(y_true: Any, lower: Any, upper: Any, coverage: float) -> Any:
    """The interval score of each value, unscaled (see :func:`msis`).

    Parameters
    ----------
    y_true, lower, upper : array-like of one shape
        True values and the bounds of their intervals.
    coverage : float
        The intervals' nominal coverage, in (0, 1).

    Returns
    -------
    scores : ndarray
        One score per value.

    Examples
    --------
    >>> interval_scores([0.0, 2.0], [-1.0, -1.0], [1.0, 1.0], coverage=0.9).tolist()
    [2.0, 22.0]
    """
    y, lo, hi = _arrays(y_true, lower, upper)
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must lie in (0, 1); got {coverage!r}.")
    a = 1 - coverage
    return (hi - lo) + (2 / a) * (np.maximum(lo - y, 0) + np.maximum(y - hi, 0))
