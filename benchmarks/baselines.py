"""The benchmarks' side of the baselines every benchmark reports: choosing them
on the val windows.

The models are the package's (:mod:`sktime_patches.baselines`: ``RepeatLast``
and ``LastValueRidge``) and its classic path (``SpacetimePatcher`` then a
ridge); what lives here is benchmark-specific: the selection on the protocol's
val split, the patch-feature ridge's search, and :class:`RidgePath`, which
scores many penalties at once for that search (until the package has one home
for the ridge path).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline

from sktime_patches import SpacetimePatcher
from sktime_patches.baselines import LastValueRidge
from sktime_patches.lookback import ridge_solutions

__all__ = [
    "ALPHAS",
    "PATCHER_FEATURES",
    "RidgePath",
    "Selection",
    "from_univariate",
    "select_last_value_ridge",
    "select_patcher_ridge",
    "to_univariate",
]

#: Ridge penalties the patch-feature ridge (and ``studies/covariates.py``)
#: search on val: 10^-2 .. 10^6 in half-decades. The last-value ridge searches
#: the package's own penalties.
ALPHAS: tuple[float, ...] = tuple(float(a) for a in 10.0 ** np.arange(-2.0, 6.01, 0.5))

#: ``(features, patch_len)`` pairs searched for the patch-feature ridge. With raw
#: values a linear model sees the same lags whatever the patch length (only the
#: end padding differs), so ``"values"`` is tried with the default 16 only.
PATCHER_FEATURES: tuple[tuple[str, int], ...] = (
    ("values", 16),
    ("stats", 4),
    ("stats", 8),
    ("stats", 16),
    ("stats", 24),
)


def to_univariate(windows: np.ndarray) -> np.ndarray:
    """Pool every channel's windows as univariate samples.

    Parameters
    ----------
    windows : ndarray of shape (n_windows, n_steps, n_channels)
        Windows (lookback or horizon).

    Returns
    -------
    univariate : ndarray of shape (n_windows * n_channels, n_steps)
        Row ``i * n_channels + c`` is channel ``c`` of window ``i`` (a copy).

    Examples
    --------
    >>> to_univariate(np.arange(12.0).reshape(2, 3, 2))[:2]
    array([[0., 2., 4.],
           [1., 3., 5.]])
    """
    n, steps, n_channels = windows.shape
    return np.ascontiguousarray(windows.transpose(0, 2, 1)).reshape(
        n * n_channels, steps
    )


def from_univariate(univariate: np.ndarray, n_channels: int) -> np.ndarray:
    """Undo :func:`to_univariate`.

    Parameters
    ----------
    univariate : ndarray of shape (n_windows * n_channels, n_steps)
        Univariate rows in :func:`to_univariate` order.
    n_channels : int
        Channels per window.

    Returns
    -------
    windows : ndarray of shape (n_windows, n_steps, n_channels)
        The multivariate windows.

    Examples
    --------
    >>> w = np.arange(12.0).reshape(2, 3, 2)
    >>> bool(np.array_equal(from_univariate(to_univariate(w), 2), w))
    True
    """
    rows, steps = univariate.shape
    return univariate.reshape(rows // n_channels, n_channels, steps).transpose(0, 2, 1)


class RidgePath:
    """Sample-weighted ridge regression with intercept, for many penalties.

    The package's ridge path (:func:`sktime_patches.lookback.ridge_solutions`,
    the one the lookback search, ``LastValueRidge`` and the network's ridge
    start solve) on the weighted Gram matrices ``Z^T W Z`` and ``Z^T W Y`` of
    the features with a column of ones: equivalent to
    :class:`sklearn.linear_model.Ridge` with ``fit_intercept=True`` and
    ``sample_weight``.

    Parameters
    ----------
    features : ndarray of shape (n_samples, n_features)
        Training features.
    targets : ndarray of shape (n_samples, n_targets)
        Training targets.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weight of each sample's squared error, as in sklearn (an integer weight
        counts as that many copies of the sample); None weighs all alike.
    """

    def __init__(
        self,
        features: np.ndarray,
        targets: np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> None:
        rows = np.hstack([features, np.ones((len(features), 1))])
        weighted = rows if sample_weight is None else rows * sample_weight[:, None]
        self.gram_ = weighted.T @ rows
        self.cross_ = weighted.T @ targets

    def solutions(self, alphas: Sequence[float]) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(coef, intercept)`` for each penalty (one eigendecomposition)."""
        return ridge_solutions(self.gram_, self.cross_, alphas)

    def coef(self, alpha: float) -> np.ndarray:
        """Coefficients (n_features, n_targets) for one penalty ``alpha`` (on
        the sum of squared errors, as in sklearn)."""
        return self.solutions([alpha])[0][0]

    def intercept(self, coef: np.ndarray) -> np.ndarray:
        """The intercept (n_targets,) that goes with ``coef``: the weighted
        target mean less the weighted feature means times ``coef``."""
        n = self.gram_[-1, -1]
        return self.cross_[-1] / n - (self.gram_[-1, :-1] / n) @ coef

    def mse_path(
        self, features: np.ndarray, targets: np.ndarray, alphas: Sequence[float]
    ) -> list[float]:
        """Mean squared error on held-out ``features``/``targets`` for each
        penalty in ``alphas``."""
        return [
            float(np.mean((features @ coef + intercept - targets) ** 2))
            for coef, intercept in self.solutions(alphas)
        ]


@dataclass
class Selection:
    """Outcome of a model selection on val.

    Attributes
    ----------
    model : object
        The chosen model, fitted on the **train** windows only.
    params : dict
        The chosen hyper-parameters.
    val_mse : float
        Val MSE of the chosen model.
    trials : list of dict
        Every candidate tried, with its val MSE.
    predict : callable
        Maps windows ``(n_windows, lookback, n_channels)`` to forecasts
        ``(n_windows, horizon, n_channels)``.
    """

    model: Any
    params: dict[str, Any]
    val_mse: float
    trials: list[dict[str, Any]] = field(default_factory=list)
    predict: Any = None


def select_last_value_ridge(
    train: tuple[np.ndarray, np.ndarray], val: tuple[np.ndarray, np.ndarray]
) -> Selection:
    """The package's :class:`~sktime_patches.baselines.LastValueRidge`, its
    penalty chosen on val, fitted on train only.

    Parameters
    ----------
    train, val : tuple of ndarray
        ``(X, y)`` windows, ``X`` of shape ``(n_windows, lookback, n_channels)``
        and ``y`` of shape ``(n_windows, horizon, n_channels)``.

    Returns
    -------
    selection : Selection
        The model whose penalty has the lowest val error, fitted on the train
        windows only (the val windows choose ``alpha`` and are not refitted
        on); ``val_mse`` is its val MSE on the protocol's scale.
    """
    model = LastValueRidge().fit(*train, X_val=val[0], y_val=val[1])
    val_mse = float(np.mean((model.predict(val[0]) - val[1]) ** 2))
    return Selection(model, {"alpha": model.alpha_}, val_mse, [], model.predict)


def _patcher_data(
    X: np.ndarray, y: np.ndarray | None, channel_independent: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Windows and 2-D targets as the patch-feature pipeline takes them."""
    if channel_independent:
        return to_univariate(X), None if y is None else to_univariate(y)
    return X, None if y is None else y.reshape(len(y), -1)


def _patcher_predict(
    pipeline: Pipeline, X: np.ndarray, channel_independent: bool, horizon: int
) -> np.ndarray:
    n, _, n_channels = X.shape
    flat = pipeline.predict(_patcher_data(X, None, channel_independent)[0])
    if channel_independent:
        return from_univariate(flat, n_channels)
    return flat.reshape(n, horizon, n_channels)


def select_patcher_ridge(
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    alphas: Sequence[float] = ALPHAS,
    features: Sequence[tuple[str, int]] = PATCHER_FEATURES,
    channel_independent: Sequence[bool] = (True, False),
) -> Selection:
    """Choose the patch features, channel handling and ridge penalty on val.

    The model is the package's classic path,
    ``make_pipeline(SpacetimePatcher(patch_len, features=...), Ridge(alpha))``, on
    either the multivariate windows (``channel_independent=False``: one row per
    window, features from all channels jointly, targets
    ``y.reshape(n_windows, -1)``) or every channel's windows pooled as univariate
    windows (``channel_independent=True``: one shared model for all channels).

    For speed, each candidate's penalties are scored through one
    :class:`RidgePath` of the patch features (the same solution as
    :class:`~sklearn.linear_model.Ridge`); the chosen candidate is then refitted
    as the real pipeline on train only, and its val MSE re-checked.

    Parameters
    ----------
    train, val : tuple of ndarray
        ``(X, y)`` windows, ``X`` of shape ``(n_windows, lookback, n_channels)``
        and ``y`` of shape ``(n_windows, horizon, n_channels)``.
    alphas : sequence of float, default=ALPHAS
        Penalties to try.
    features : sequence of (str, int), default=PATCHER_FEATURES
        ``(features, patch_len)`` pairs for :class:`SpacetimePatcher`.
    channel_independent : sequence of bool, default=(True, False)
        Channel handling to try.

    Returns
    -------
    selection : Selection
        The pipeline with the lowest val MSE, fitted on the train windows only.
        ``selection.params["val_mse_pipeline"]`` is the refitted pipeline's val
        MSE, which must agree with the path's.
    """
    horizon = train[1].shape[1]
    trials = []
    for ci, (feats, patch_len) in itertools.product(channel_independent, features):
        X_tr, y_tr = _patcher_data(*train, ci)
        X_va, y_va = _patcher_data(*val, ci)
        patcher = SpacetimePatcher(patch_len=patch_len, features=feats).fit(X_tr)
        path = RidgePath(patcher.transform(X_tr), y_tr)
        scores = path.mse_path(patcher.transform(X_va), y_va, alphas)
        for alpha, score in zip(alphas, scores, strict=True):
            trials.append(
                {
                    "channel_independent": ci,
                    "features": feats,
                    "patch_len": patch_len,
                    "alpha": float(alpha),
                    "val_mse": score,
                }
            )
    best = min(trials, key=lambda t: t["val_mse"])
    ci = best["channel_independent"]
    pipeline = make_pipeline(
        SpacetimePatcher(patch_len=best["patch_len"], features=best["features"]),
        Ridge(alpha=best["alpha"]),
    )
    pipeline.fit(*_patcher_data(*train, ci))

    def predict(X: np.ndarray) -> np.ndarray:
        return _patcher_predict(pipeline, X, ci, horizon)

    val_mse = float(np.mean((predict(val[0]) - val[1]) ** 2))
    params = {k: best[k] for k in ("channel_independent", "features", "patch_len")}
    params["alpha"] = best["alpha"]
    params["val_mse_path"] = best["val_mse"]
    params["val_mse_pipeline"] = val_mse
    return Selection(pipeline, params, val_mse, trials, predict)
