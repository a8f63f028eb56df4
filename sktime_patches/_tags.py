"""Capabilities the forecasters declare, and that wrappers read instead of
testing an estimator's class.

An estimator declares them by a ``__forecaster_tags__()`` method returning
:class:`ForecasterTags` (as scikit-learn's ``__sklearn_tags__``); a wrapper
asks :func:`forecaster_tags`, which gives the defaults of a plain window
regressor (a ``Ridge``, a Pipeline) to estimators that declare nothing.
:class:`~sktime_patches.series.SeriesForecaster` reads whether its window
model trains on windows cut on demand and which of its settings the model
takes; :mod:`~sktime_patches.backtesting` reads whether a forecaster is a
series forecaster and which model makes a point forecast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ForecasterTags",
    "forecaster_tags",
    "point_forecaster",
    "window_regressor_tags",
]


@dataclass(frozen=True)
class ForecasterTags:
    """What a forecaster takes and offers.

    Parameters
    ----------
    input : {"windows", "series"}, default="windows"
        ``"windows"``: a regressor of windows, ``fit(X, y)`` with windows
        ``X`` and their targets ``y``; ``"series"``: a forecaster of series,
        ``fit(df)`` (:class:`~sktime_patches.series.SeriesForecaster`).
    series_windows : bool, default=False
        Trains and predicts on a :class:`~sktime_patches.SeriesWindows`
        (windows cut on demand, batch by batch) as well as on arrays.
    settings : mapping of str to str, default={}
        The settings a series wrapper may give the estimator when they are
        unset, each with the ``set_params`` key that takes it: ``"gap"`` (the
        windows one horizon spans), ``"target_channels"`` and
        ``"future_channels"`` (which channels of the windows are the targets,
        and which covariates are known over the horizon).
    point_forecaster : str or None, default=None
        The fitted attribute holding the model whose point forecast this one
        returns (a calibrating wrapper's ``"estimator_"``); None: itself.
    intervals : bool, default=False
        Gives prediction intervals itself (``predict_interval`` and
        ``predict_quantiles``): a calibrating wrapper, or a
        :class:`~sktime_patches.PatchForecaster` fitted with ``quantiles``.
        A series wrapper conformalises a model that does not.
    holds_out : str or None, default=None
        The parameter holding the share of its latest windows that the
        estimator keeps out of its training (to stop early), split by the
        package's time-ordered rule
        (:func:`~sktime_patches.windows.time_ordered_indices`; per series for
        a :class:`~sktime_patches.SeriesWindows`) with the gap in its fitted
        ``validation_gap_``: windows a calibrating wrapper may calibrate on
        without taking any from the training
        (:func:`~sktime_patches.conformal.held_out_windows`).

    Examples
    --------
    >>> from sktime_patches import PatchForecaster
    >>> forecaster_tags(PatchForecaster()).series_windows
    True
    """

    input: str = "windows"
    series_windows: bool = False
    settings: Mapping[str, str] = field(default_factory=dict)
    point_forecaster: str | None = None
    intervals: bool = False
    holds_out: str | None = None


def forecaster_tags(estimator: Any) -> ForecasterTags:
    """The capabilities ``estimator`` declares (its ``__forecaster_tags__``),
    or those of a plain window regressor.

    Parameters
    ----------
    estimator : estimator object
        Any estimator (or None).

    Returns
    -------
    tags : ForecasterTags
        Its declared capabilities.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sktime_patches.conformal import ConformalForecaster
    >>> forecaster_tags(Ridge()) == ForecasterTags()  # a plain window regressor
    True
    >>> dict(forecaster_tags(ConformalForecaster(Ridge())).settings)
    {'gap': 'gap', 'channels': 'channels'}
    """
    declare = getattr(estimator, "__forecaster_tags__", None)
    return ForecasterTags() if declare is None else declare()


def point_forecaster(estimator: Any) -> Any:
    """The fitted model whose point forecast ``estimator`` returns (itself,
    unless it declares ``point_forecaster``; followed through nested wrappers).

    Parameters
    ----------
    estimator : estimator object
        A fitted forecaster.

    Returns
    -------
    model : estimator object
        The model that makes the point forecast.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sktime_patches.conformal import ConformalForecaster
    >>> X, y = np.arange(40.0).reshape(20, 2), np.arange(20.0)
    >>> type(point_forecaster(ConformalForecaster(Ridge()).fit(X, y))).__name__
    'Ridge'
    """
    attribute = forecaster_tags(estimator).point_forecaster
    while attribute is not None:
        estimator = getattr(estimator, attribute)
        attribute = forecaster_tags(estimator).point_forecaster
    return estimator


def window_regressor_tags(tags: Any) -> Any:
    """scikit-learn's tags of a regressor of windows, from its defaults.

    It takes 3-D windows ``(n_windows, lookback, n_channels)`` and 1-D, 2-D or
    3-D targets; and it is a forecaster of windows, not a general tabular
    regressor: per-window normalisation (or repeating the last values)
    discards each row's level and scale, so scikit-learn's generic "score >
    0.5 on a random linear problem" check does not apply.

    Parameters
    ----------
    tags : sklearn.utils.Tags
        ``super().__sklearn_tags__()`` of the regressor.

    Returns
    -------
    tags : sklearn.utils.Tags
        The same tags, edited.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> window_regressor_tags(Ridge().__sklearn_tags__()).input_tags.three_d_array
    True
    """
    tags.input_tags.three_d_array = True
    tags.target_tags.multi_output = True
    tags.target_tags.single_output = True
    tags.regressor_tags.poor_score = True
    return tags
