"""Choose the lookback of a series by the closed-form ridge's validation error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._ridge import ALPHAS, gram, path_errors, ridge_path

__all__ = [
    "LOOKBACK_ALPHAS",
    "MAX_AUTO_LOOKBACK",
    "LookbackSelection",
    "choose_lookback",
    "lookback_candidates",
    "ridge_solutions",
    "select_lookback",
]

#: Ridge penalties tried at every lookback (10^-1 .. 10^8 in half-decades), on
#: windows scaled by each channel's standard deviation.
LOOKBACK_ALPHAS: tuple[float, ...] = ALPHAS

#: The longest lookback ``lookback="auto"`` proposes, unless the horizon is longer:
#: a month of hourly data, the lookback of the best published long-horizon
#: models (SegRNN, FITS, TimeBase read 720 steps).
MAX_AUTO_LOOKBACK = 720

#: Rows of windows per chunk when accumulating Gram matrices (bounds memory).
_CHUNK_ROWS = 4096


@dataclass(frozen=True)
class LookbackSelection:
    """The outcome of :func:`select_lookback`.

    Parameters
    ----------
    lookback : int
        The candidate with the lowest validation MSE.
    scores : dict of int to float
        Validation MSE (on values divided by each channel's standard deviation)
        of the best-penalty ridge at every candidate lookback.
    alphas : dict of int to float
        The penalty chosen at every candidate.
    n_valid : int
        Validation windows (the same targets for every candidate).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches.lookback import select_lookback
    >>> series = np.sin(2 * np.pi * np.arange(300) / 12)
    >>> selection = select_lookback(series, horizon=6, candidates=[6, 12, 24])
    >>> sorted(selection.scores), selection.n_valid
    ([6, 12, 24], 55)
    """

    lookback: int
    scores: dict[int, float] = field(default_factory=dict)
    alphas: dict[int, float] = field(default_factory=dict)
    n_valid: int = 0


def lookback_candidates(n_rows: int, horizon: int) -> list[int]:
    """The lookbacks ``lookback="auto"`` compares: ``base = max(horizon, 8)``
    steps doubled (1, 2, 4, ... times) up to the longest allowed, and that
    longest one too when it is at least a quarter longer than the last
    doubling. The longest allowed leaves at least as many training windows as
    steps (``(n_rows - horizon) // 2``) and is at most
    ``max(base, MAX_AUTO_LOOKBACK)`` (720) steps.

    When not even the shortest fits, the one candidate is ``(n_rows - horizon)
    // 2`` (or 1), so that a short series still gets a lookback.

    Parameters
    ----------
    n_rows : int
        Rows (time steps) of the series.
    horizon : int
        Steps to forecast.

    Returns
    -------
    candidates : list of int
        Increasing lookbacks.

    Examples
    --------
    >>> from sktime_patches.lookback import lookback_candidates
    >>> lookback_candidates(17420, 96)  # ETTh1, 4 days ahead
    [96, 192, 384, 720]
    >>> lookback_candidates(17420, 336)  # two weeks ahead
    [336, 672]
    >>> lookback_candidates(966, 24)  # weekly ILI, half a year ahead
    [24, 48, 96, 192, 384]
    >>> lookback_candidates(100, 24)  # a short series
    [24, 38]
    >>> lookback_candidates(40, 24)
    [8]
    """
    longest = max(1, (n_rows - horizon) // 2)
    base = max(horizon, 8)
    cap = min(longest, max(base, MAX_AUTO_LOOKBACK))
    candidates = []
    lookback = base
    while lookback <= cap:
        candidates.append(lookback)
        lookback *= 2
    if candidates and cap >= 1.25 * candidates[-1]:
        candidates.append(cap)
    return candidates or [longest]


def _validation_rows(
    n_rows: int, horizon: int, validation_fraction: float
) -> tuple[int, int]:
    """Rows whose values score the candidates, and the first of them."""
    n_val_rows = max(horizon, round(validation_fraction * n_rows))
    return n_val_rows, n_rows - n_val_rows


def _comparable(
    n_rows: int, horizon: int, lookback: int, validation_fraction: float
) -> bool:
    """Whether a series of ``n_rows`` rows has training windows of
    ``lookback`` steps before its validation rows (so candidates up to it
    can be compared)."""
    _, cut = _validation_rows(n_rows, horizon, validation_fraction)
    return cut - horizon + 1 - lookback >= 1 and cut >= lookback


def _channel_windows(
    values: np.ndarray, lookback: int, horizon: int, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``(len(starts) * n_channels, lookback)`` of inputs and ``(...,
    horizon)`` of targets for the windows whose targets start at ``starts``,
    last input value subtracted from both (one row per window and channel)."""
    span = sliding_window_view(values, lookback + horizon, axis=0)  # (n, C, L+H)
    blocks = span[starts - lookback]
    rows = blocks.reshape(-1, lookback + horizon)
    last = rows[:, lookback - 1 : lookback]
    return rows[:, :lookback] - last, rows[:, lookback:] - last


def _gram(
    values: np.ndarray, lookback: int, horizon: int, train_starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``(Z'Z, Z'Y)`` of the training rows ``Z`` (a column of ones appended)
    and their targets ``Y``, accumulated in chunks."""
    total = np.zeros((lookback + 1, lookback + 1))
    cross = np.zeros((lookback + 1, horizon))
    per_chunk = max(1, _CHUNK_ROWS // values.shape[1])
    for i in range(0, len(train_starts), per_chunk):
        x, y = _channel_windows(
            values, lookback, horizon, train_starts[i : i + per_chunk]
        )
        chunk, chunk_cross = gram(x, y)
        total += chunk
        cross += chunk_cross
    return total, cross


def ridge_solutions(
    gram: np.ndarray, cross: np.ndarray, alphas: Sequence[float]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Ridge solutions ``(coef, intercept)`` for every penalty, the intercept
    unpenalised, through one eigendecomposition of the centred Gram matrix.

    The package's one ridge path (the lookback search, the
    :class:`~sktime_patches.baselines.LastValueRidge` baseline and the ridge
    start of the network's linear skip all solve it).

    Parameters
    ----------
    gram : ndarray of shape (n_features + 1, n_features + 1)
        ``Z'Z`` of the rows ``Z`` with a column of ones appended last (its
        entry ``[-1, -1]`` counts the rows).
    cross : ndarray of shape (n_features + 1, n_targets)
        ``Z'Y`` of the same rows and their targets.
    alphas : sequence of float
        Penalties.

    Returns
    -------
    solutions : list of (ndarray of shape (n_features, n_targets), ndarray of \
shape (n_targets,))
        ``(coef, intercept)`` per penalty: predictions are ``X @ coef +
        intercept``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches.lookback import ridge_solutions
    >>> X = np.random.default_rng(0).normal(size=(50, 3))
    >>> Z = np.hstack([X, np.ones((50, 1))])
    >>> Y = X @ [[1.0], [2.0], [3.0]] + 4.0
    >>> [(coef, intercept)] = ridge_solutions(Z.T @ Z, Z.T @ Y, [1e-9])
    >>> np.round(coef.ravel(), 6).tolist(), np.round(intercept, 6).tolist()
    ([1.0, 2.0, 3.0], [4.0])
    """
    return ridge_path(gram, cross, alphas)


def select_lookback(
    values: np.ndarray,
    horizon: int,
    candidates: Sequence[int] | None = None,
    validation_fraction: float = 0.2,
    alphas: Sequence[float] = LOOKBACK_ALPHAS,
) -> LookbackSelection:
    """Pick the lookback whose closed-form ridge forecasts the latest rows best.

    At every candidate lookback, a ridge regression shared by all channels maps
    the window (last value subtracted, divided by the channel's standard
    deviation) to the next ``horizon`` values, fitted on the windows whose
    targets end before the validation rows, for every penalty in ``alphas``
    through one eigendecomposition. Its mean squared error on the validation
    windows (those whose targets start in the last ``validation_fraction`` of
    the rows: the same targets for every candidate, so the errors compare like
    for like) with the best penalty scores the candidate. Cheap (one Gram
    matrix per candidate, accumulated in chunks), it ranks lookbacks as the
    deep model mostly does: a longer window helps a forecaster only when the
    series holds patterns that long.

    Parameters
    ----------
    values : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
        The series, oldest row first, finite.
    horizon : int
        Steps to forecast.
    candidates : sequence of int or None, default=None
        Lookbacks to compare; None: :func:`lookback_candidates`.
    validation_fraction : float, default=0.2
        Share of the rows whose values are forecast to score the candidates.
    alphas : sequence of float, default=LOOKBACK_ALPHAS
        Ridge penalties tried at every candidate.

    Returns
    -------
    selection : LookbackSelection
        The chosen lookback and every candidate's validation MSE.

    Examples
    --------
    A weekly cycle with noise: a week of history is too short to pin it down
    from noisy values, four weeks are enough.

    >>> import numpy as np
    >>> from sktime_patches.lookback import select_lookback
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(2000)
    >>> series = np.sin(2 * np.pi * t / 7) + 0.5 * rng.standard_normal(2000)
    >>> selection = select_lookback(series, horizon=7, candidates=[1, 28])
    >>> selection.lookback
    28
    >>> selection.scores[28] < selection.scores[1]
    True
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[:, None] if values.ndim == 1 else values
    if values.ndim != 2 or not np.isfinite(values).all():
        raise ValueError(
            "values must be a finite array of shape (n_timesteps,) or "
            f"(n_timesteps, n_channels); got shape {values.shape}"
            f"{'' if values.ndim != 2 else ' with NaN or inf'}."
        )
    if not isinstance(horizon, Integral) or horizon < 1:
        raise ValueError(f"horizon must be a positive int; got {horizon!r}.")
    n_rows = len(values)
    if candidates is None:
        candidates = lookback_candidates(n_rows, horizon)
    candidates = sorted({int(c) for c in candidates})
    if not candidates or candidates[0] < 1:
        raise ValueError(
            f"candidates must be positive lookbacks; got {list(candidates)}."
        )
    n_val_rows, cut = _validation_rows(n_rows, horizon, validation_fraction)
    longest = candidates[-1]
    if not _comparable(n_rows, horizon, longest, validation_fraction):
        raise ValueError(
            f"the series has {n_rows} rows: too few to compare lookbacks up to "
            f"{longest} with horizon={horizon} on the last {n_val_rows} rows; pass "
            "shorter candidates or a longer series."
        )
    scale = values[:cut].std(axis=0)
    scaled = values / np.where(scale > 0, scale, 1.0)
    val_starts = np.arange(cut, n_rows - horizon + 1)
    scores: dict[int, float] = {}
    chosen_alphas: dict[int, float] = {}
    for lookback in candidates:
        train_starts = np.arange(lookback, cut - horizon + 1)
        path = ridge_path(*_gram(scaled, lookback, horizon, train_starts), alphas)
        x_val, y_val = _channel_windows(scaled, lookback, horizon, val_starts)
        errors = path_errors(x_val, y_val, path) / y_val.size
        best = int(np.argmin(errors))
        scores[lookback] = float(errors[best])
        chosen_alphas[lookback] = float(alphas[best])
    lookback = min(scores, key=scores.__getitem__)
    return LookbackSelection(lookback, scores, chosen_alphas, len(val_starts))


def choose_lookback(
    values: np.ndarray, horizon: int, validation_fraction: float = 0.2
) -> LookbackSelection:
    """The lookback ``lookback="auto"`` takes: :func:`select_lookback` among
    :func:`lookback_candidates`, or, on a series too short to compare them
    (no training window of the longest before the validation rows), the
    longest candidate, unscored: the longest lookback that leaves as many
    training windows as steps.

    Parameters
    ----------
    values : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
        The series, oldest row first, finite.
    horizon : int
        Steps to forecast.
    validation_fraction : float, default=0.2
        Share of the rows whose values are forecast to score the candidates.

    Returns
    -------
    selection : LookbackSelection
        The lookback, with every candidate's score; no scores when the series
        was too short to compare them.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches.lookback import choose_lookback
    >>> series = np.sin(np.arange(300) / 3)
    >>> sorted(choose_lookback(series, horizon=12).scores)
    [12, 24, 48, 96, 144]
    >>> short = choose_lookback(series[:14], horizon=6)  # too short to compare
    >>> short.lookback, short.scores
    (4, {})
    """
    n_rows = len(values)
    candidates = lookback_candidates(n_rows, horizon)
    if not _comparable(n_rows, horizon, candidates[-1], validation_fraction):
        return LookbackSelection(candidates[-1])
    return select_lookback(values, horizon, candidates, validation_fraction)
