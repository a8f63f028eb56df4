"""Declared capabilities (_tags): wrappers ask, they do not test classes."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge

from sktime_patches import PatchForecaster, SeriesWindows
from sktime_patches._tags import ForecasterTags, forecaster_tags, point_forecaster
from sktime_patches.backtesting import holdout_errors
from sktime_patches.conformal import ConformalForecaster
from sktime_patches.series import SeriesForecaster


def test_the_package_estimators_declare_their_capabilities():
    network = forecaster_tags(PatchForecaster())
    assert network.series_windows and network.input == "windows"
    assert set(network.settings) == {"target_channels", "future_channels"}
    calibrated = forecaster_tags(ConformalForecaster(PatchForecaster()))
    assert calibrated.series_windows
    assert dict(calibrated.settings) == {
        "gap": "gap",
        "channels": "channels",
        "target_channels": "estimator__target_channels",
        "future_channels": "estimator__future_channels",
    }
    assert calibrated.point_forecaster == "estimator_"
    # intervals: a calibrating wrapper, or a network fitted with quantiles;
    # the network holds its early-stopping windows out of training
    assert calibrated.intervals and not network.intervals
    assert forecaster_tags(PatchForecaster(quantiles=(0.1, 0.9))).intervals
    assert network.holds_out == "validation_fraction"
    assert calibrated.holds_out is None
    assert not forecaster_tags(ConformalForecaster(Ridge())).series_windows
    assert forecaster_tags(SeriesForecaster(Ridge(), 4, 2)).input == "series"
    assert forecaster_tags(Ridge()) == ForecasterTags()


class Recorder(RegressorMixin, BaseEstimator):
    """A window model of its own that declares what it takes."""

    def __init__(self, roles=None):
        self.roles = roles

    def __forecaster_tags__(self):
        return ForecasterTags(
            series_windows=True, settings={"target_channels": "roles"}
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags

    def fit(self, X, y=None):
        self.seen_ = type(X).__name__
        self.mean_ = np.asarray(X.targets() if y is None else y).mean()
        return self

    def predict(self, X):
        return np.full((len(X), 2), self.mean_)


def test_a_series_forecaster_asks_its_model_what_it_takes():
    index = pd.date_range("2024-01-01", periods=40, freq="D")
    df = pd.DataFrame({"y": np.arange(40.0)}, index=index)
    fitted = SeriesForecaster(Recorder(), lookback=5, horizon=2).fit(df)
    assert fitted.estimator_.seen_ == SeriesWindows.__name__  # windows on demand
    covariates = pd.DataFrame({"x": np.ones(40)}, index=index)
    fitted = SeriesForecaster(Recorder(), lookback=5, horizon=2).fit(df, X=covariates)
    assert fitted.estimator_.roles == [0]  # told which channels are targets
    assert fitted.estimator_.seen_ == "ndarray"


def test_the_point_forecaster_is_followed_through_wrappers():
    index = pd.date_range("2024-01-01", periods=60, freq="D")
    df = pd.DataFrame({"y": np.sin(np.arange(60.0))}, index=index)
    model = SeriesForecaster(ConformalForecaster(Ridge()), lookback=7, horizon=2)
    errors, fitted = holdout_errors(model, df, holdout=10)
    assert type(point_forecaster(fitted)) is Ridge
    assert errors.index[0] == "Ridge"
