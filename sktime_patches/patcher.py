"""SpacetimePatcher: a scikit-learn transformer from windows to spacetime patches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from ._patching import default_patch_len, n_patches, patch_numpy
from ._validation import (
    PATCHING_CONSTRAINTS,
    check_channel_groups,
    check_patch_fits,
    validate_windows,
)

__all__ = ["STATISTICS", "SpacetimePatcher", "patch_statistics"]

#: The per-patch summary statistics of ``features="stats"``, in output order.
STATISTICS = ("mean", "std", "min", "max", "last", "slope")


def patch_statistics(patches: np.ndarray, patch_len: int) -> np.ndarray:
    """Summary statistics of each channel of each patch.

    Parameters
    ----------
    patches : ndarray of shape (..., group_size * patch_len)
        Patches as returned by the patching (channel-major inside a patch).
    patch_len : int
        Steps per patch.

    Returns
    -------
    stats : ndarray of shape (..., group_size * 6)
        For each channel of the group: mean, std (population), min, max, last
        value and least-squares slope per step, in :data:`STATISTICS` order.
    """
    shape = patches.shape
    p = patches.reshape(*shape[:-1], shape[-1] // patch_len, patch_len)
    t = np.arange(patch_len, dtype=np.float64) - (patch_len - 1) / 2
    denom = float(t @ t)
    mean = p.mean(axis=-1)
    slope = (p @ t) / denom if denom > 0 else np.zeros_like(mean)
    stats = np.stack(
        [mean, p.std(axis=-1), p.min(axis=-1), p.max(axis=-1), p[..., -1], slope],
        axis=-1,
    )
    return stats.reshape(*shape[:-1], -1)


class SpacetimePatcher(TransformerMixin, BaseEstimator):
    """Cut windows into spacetime patches: runs of time steps of channel groups.

    This is the same patching the network inside
    :class:`~sktime_patches.PatchForecaster` uses, exposed as a transformer so that
    patch features can feed any scikit-learn regressor.

    Parameters
    ----------
    patch_len : int or None, default=None
        Steps per patch (time extent). None: 24 steps, or a quarter of the
        lookback (rounded up) when that is shorter, as
        :class:`~sktime_patches.PatchForecaster` does, so that the default fits
        windows of any length.
    stride : int or None, default=None
        Steps between the starts of consecutive patches; None means ``patch_len``
        (non-overlapping patches).
    channel_groups : None, int or list of lists, default=None
        Space extent of a patch. None: every channel is its own group
        (channel independence). An int ``k``: consecutive groups of ``k`` channels
        (must divide the number of channels). A list of groups: channel indices, or
        names from ``channel_names``; groups must be of equal size and use every
        channel exactly once.
    padding : {"end", "none"}, default="end"
        ``"end"`` repeats the last value of the window so that the last patch is
        whole and every step is covered (as PatchTST pads). ``"none"`` aligns the
        patches to the end of the window and leaves out the earliest
        ``(lookback - patch_len) % stride`` steps.
    features : {"values", "stats"}, default="values"
        ``"values"`` emits the raw values of each patch; ``"stats"`` emits, per
        channel and patch, the summary statistics mean, std, min, max, last and
        slope instead (a compact representation for linear models).
    flatten : bool, default=True
        True returns a 2-D feature matrix ``(n_windows, n_features_out)`` that any
        scikit-learn estimator takes; False returns the structured array
        ``(n_windows, n_groups, n_patches, group_size * patch_len)`` (or
        ``group_size * 6`` with ``features="stats"``) that the network consumes.
    channel_names : list of str or None, default=None
        Names of the channels, used in ``channel_groups`` and in the output
        feature names; None names them ``ch0, ch1, ...``.

    Attributes
    ----------
    n_features_in_ : int
        Steps per window seen in ``fit`` (the lookback).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of ``X`` when ``X`` was a DataFrame of univariate windows.
    n_channels_in_ : int
        Channels per window seen in ``fit``.
    patch_len_ : int
        The patch length in use.
    stride_ : int
        The stride in use.
    groups_ : list of list of int
        The channel groups, resolved to channel indices.
    n_patches_ : int
        Patches per window.

    See Also
    --------
    PatchForecaster : The network that consumes these patches.
    make_windows : Cut a series into windows.

    Notes
    -----
    Windows are ``X`` of shape ``(n_windows, lookback, n_channels)``; a 2-D ``X``
    ``(n_windows, lookback)`` is a set of univariate windows.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches import SpacetimePatcher
    >>> X = np.arange(24.0).reshape(2, 12)       # two univariate windows
    >>> patcher = SpacetimePatcher(patch_len=4).fit(X)
    >>> patcher.transform(X).shape
    (2, 12)
    >>> patcher.get_feature_names_out()[:5].tolist()
    ['ch0__p0__t0', 'ch0__p0__t1', 'ch0__p0__t2', 'ch0__p0__t3', 'ch0__p1__t0']
    >>> stats = SpacetimePatcher(patch_len=4, features="stats").fit_transform(X)
    >>> stats[0, :6]                             # mean, std, min, max, last, slope
    array([1.5 , 1.118..., 0. , 3. , 3. , 1. ])

    Patch features make a linear model a forecaster:

    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sktime_patches import make_windows
    >>> t = np.arange(300.0)
    >>> X, y = make_windows(np.sin(t / 5), lookback=24, horizon=6)
    >>> model = make_pipeline(SpacetimePatcher(patch_len=6), Ridge(alpha=1e-3))
    >>> model.fit(X, y.reshape(len(y), -1)).score(X, y.reshape(len(y), -1)) > 0.99
    True
    """

    _parameter_constraints: dict = {
        **PATCHING_CONSTRAINTS,
        "features": [StrOptions({"values", "stats"})],
        "flatten": ["boolean"],
        "channel_names": [list, tuple, None],
    }

    def __init__(
        self,
        patch_len: int | None = None,
        stride: int | None = None,
        channel_groups: int | Sequence[Sequence[int | str]] | None = None,
        padding: str = "end",
        features: str = "values",
        flatten: bool = True,
        channel_names: Sequence[str] | None = None,
    ) -> None:
        self.patch_len = patch_len
        self.stride = stride
        self.channel_groups = channel_groups
        self.padding = padding
        self.features = features
        self.flatten = flatten
        self.channel_names = channel_names

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any = None) -> SpacetimePatcher:
        """Learn the window shape and resolve the channel groups.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels)
            Windows.
        y : None
            Ignored.

        Returns
        -------
        self : SpacetimePatcher
            The fitted patcher.
        """
        X3 = validate_windows(self, X, reset=True)
        lookback, n_channels = X3.shape[1], X3.shape[2]
        self.patch_len_ = (
            default_patch_len(lookback) if self.patch_len is None else self.patch_len
        )
        check_patch_fits(self.patch_len_, lookback, self.stride, self.padding)
        if self.channel_names is not None and len(self.channel_names) != n_channels:
            raise ValueError(
                f"channel_names has {len(self.channel_names)} name(s) but X has "
                f"{n_channels} channel(s); pass one name per channel."
            )
        self.stride_ = self.patch_len_ if self.stride is None else self.stride
        self.groups_ = check_channel_groups(
            self.channel_groups, n_channels, self.channel_names
        )
        self.n_patches_ = n_patches(
            lookback, self.patch_len_, self.stride_, self.padding
        )
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Cut windows into patches.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels)
            Windows with the lookback and channels seen in ``fit``.

        Returns
        -------
        patches : ndarray of shape (n_windows, n_features_out) or (n_windows, \
n_groups, n_patches, patch_size)
            2-D when ``flatten=True``; otherwise structured, with ``patch_size =
            group_size * patch_len`` (``group_size * 6`` for ``features="stats"``).
        """
        check_is_fitted(self)
        X3 = validate_windows(self, X, reset=False)
        out = patch_numpy(X3, self.patch_len_, self.stride_, self.padding, self.groups_)
        if self.features == "stats":
            out = patch_statistics(out, self.patch_len_)
        if self.flatten:
            return out.reshape(out.shape[0], -1)
        return out

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output features of the flat (2-D) output.

        Names read ``{channel}__p{patch}__t{step}`` for raw values and
        ``{channel}__p{patch}__{statistic}`` for statistics, in output order.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Checked against ``feature_names_in_``; the output names do not depend
            on them (the inputs are time steps).

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column.
        """
        check_is_fitted(self)
        _check_feature_names_in(self, input_features)
        names = self.channel_names or [f"ch{c}" for c in range(self.n_channels_in_)]
        inner = (
            [f"t{k}" for k in range(self.patch_len_)]
            if self.features == "values"
            else list(STATISTICS)
        )
        out = [
            f"{names[c]}__p{j}__{part}"
            for group in self.groups_
            for j in range(self.n_patches_)
            for c in group
            for part in inner
        ]
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
