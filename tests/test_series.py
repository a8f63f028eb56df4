"""Tests of SeriesForecaster: pandas in, forecast at the next time stamps out."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import raises, tiny, warns_exactly
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.dummy import DummyRegressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sktime_patches import SpacetimePatcher, make_windows, n_windows
from sktime_patches.series import SeriesForecaster, window_input

N_ROWS, HORIZON, LOOKBACK = 80, 6, 24


def patch_ridge(patch_len: int = 4) -> object:
    """The window-level regressor: patch statistics + ridge (takes 3-D windows)."""
    return make_pipeline(
        SpacetimePatcher(patch_len=patch_len, features="stats"), Ridge(alpha=1e-8)
    )


def truth(index: pd.Index) -> pd.DataFrame:
    """A linear column and a seasonal-plus-trend column (period 12)."""
    t = np.arange(len(index), dtype=np.float64)
    return pd.DataFrame(
        {"a": 2.0 + 0.5 * t, "b": 3.0 * np.sin(2 * np.pi * t / 12) + 0.1 * t},
        index=index,
    )


FULL_INDEXES = {
    "datetime_freq": pd.date_range("2020-01-01", periods=N_ROWS + HORIZON, freq="h"),
    "datetime_inferred": pd.DatetimeIndex(
        list(pd.date_range("2020-01-07", periods=N_ROWS + HORIZON, freq="W-TUE"))
    ),
    "period": pd.period_range("2000-01", periods=N_ROWS + HORIZON, freq="M"),
    "range": pd.RangeIndex(10, 10 + 5 * (N_ROWS + HORIZON), 5),
    "integer": pd.Index(np.arange(N_ROWS + HORIZON) + 100),
}


@pytest.fixture
def df() -> pd.DataFrame:
    return truth(FULL_INDEXES["datetime_freq"]).iloc[:N_ROWS]


class TestForecastIndex:
    @pytest.mark.parametrize("kind", list(FULL_INDEXES))
    def test_next_horizon_timestamps(self, kind):
        full = truth(FULL_INDEXES[kind])
        history, future = full.iloc[:N_ROWS], full.iloc[N_ROWS:]
        forecaster = SeriesForecaster(patch_ridge(), LOOKBACK, HORIZON).fit(history)
        forecast = forecaster.predict()
        assert forecast.index.equals(future.index)  # values; freq aside
        assert type(forecast.index) is type(
            pd.RangeIndex(0) if kind == "integer" else future.index
        )
        assert forecaster.cutoff_ == history.index[-1]

    def test_datetime_forecast_has_the_frequency(self):
        full = truth(FULL_INDEXES["datetime_inferred"])
        forecast = SeriesForecaster(Ridge(), 12, 3).fit(full.iloc[:40]).predict()
        assert forecast.index.freqstr == "W-TUE"
        assert forecast.index.dtype == full.index.dtype  # same unit

    def test_fitted_frequency(self):
        fitted = {
            kind: SeriesForecaster(Ridge(), 12, 3).fit(truth(idx)).freq_
            for kind, idx in FULL_INDEXES.items()
        }
        assert fitted["datetime_freq"] == pd.offsets.Hour()
        assert fitted["datetime_inferred"] == pd.offsets.Week(weekday=1)
        assert fitted["period"] == pd.offsets.MonthEnd()
        assert fitted["range"] == 5
        assert fitted["integer"] == 1

    def test_timezone_and_index_name_are_kept(self):
        index = pd.date_range(
            "2021-03-01", periods=40, freq="D", tz="Europe/Paris", name="when"
        )
        forecast = SeriesForecaster(Ridge(), 7, 2).fit(truth(index)).predict()
        assert str(forecast.index.tz) == "Europe/Paris"
        assert forecast.index.name == "when"
        assert list(forecast.index) == [
            pd.Timestamp("2021-04-10", tz="Europe/Paris"),
            pd.Timestamp("2021-04-11", tz="Europe/Paris"),
        ]

    def test_explicit_freq_for_an_index_without_one(self):
        index = pd.DatetimeIndex(
            list(pd.date_range("2024-01-01", periods=30, freq="B"))
        )
        forecaster = SeriesForecaster(Ridge(), 5, 2, freq="B").fit(truth(index))
        # 2024-02-09 is a Friday: the next business days are Monday and Tuesday
        assert forecaster.cutoff_ == pd.Timestamp("2024-02-09")
        assert list(forecaster.predict().index.strftime("%a %d")) == [
            "Mon 12",
            "Tue 13",
        ]

    def test_no_pandas_warning_when_inferring(self):
        index = FULL_INDEXES["datetime_inferred"][:N_ROWS]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            SeriesForecaster(Ridge(), 12, 3).fit(truth(index)).predict()


class TestForecastValues:
    @pytest.mark.parametrize("kind", list(FULL_INDEXES))
    @pytest.mark.parametrize("make_model", [patch_ridge, lambda: Ridge(alpha=1e-8)])
    def test_linear_and_seasonal_series_are_forecast(self, kind, make_model):
        full = truth(FULL_INDEXES[kind])
        history, future = full.iloc[:N_ROWS], full.iloc[N_ROWS:]
        forecast = SeriesForecaster(make_model(), LOOKBACK, HORIZON).fit(history)
        np.testing.assert_allclose(
            forecast.predict().to_numpy(), future.to_numpy(), atol=1e-6
        )

    def test_columns_are_preserved(self):
        index = pd.date_range("2020", periods=50, freq="D")
        columns = pd.Index([3, "z", "a"], name="sensor")
        data = np.random.default_rng(0).normal(size=(50, 3)).cumsum(axis=0)
        df = pd.DataFrame(data, index=index, columns=columns)
        forecaster = SeriesForecaster(Ridge(), 10, 4).fit(df)
        forecast = forecaster.predict()
        pd.testing.assert_index_equal(forecast.columns, columns)
        pd.testing.assert_index_equal(forecaster.columns_, columns)
        assert forecast.shape == (4, 3)

    def test_predict_from_another_history(self, df):
        full = truth(pd.date_range("2020-01-01", periods=N_ROWS + 20, freq="h"))
        forecaster = SeriesForecaster(patch_ridge(), LOOKBACK, HORIZON).fit(df)
        later = forecaster.predict(full.iloc[: N_ROWS + 10])
        pd.testing.assert_index_equal(
            later.index, full.index[N_ROWS + 10 : N_ROWS + 16]
        )
        np.testing.assert_allclose(
            later, full.iloc[N_ROWS + 10 : N_ROWS + 16], atol=1e-6
        )
        # a history of exactly lookback rows is enough; predict(df) == predict()
        short = forecaster.predict(df.iloc[-LOOKBACK:])
        pd.testing.assert_frame_equal(short, forecaster.predict())

    def test_predict_has_no_side_effects(self, df):
        forecaster = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(df)
        before = forecaster.predict()
        forecaster.predict(truth(pd.date_range("2020-02-01", periods=40, freq="h")))
        pd.testing.assert_frame_equal(forecaster.predict(), before)
        assert forecaster.cutoff_ == df.index[-1]


class TestFittedState:
    def test_attributes(self, df):
        forecaster = SeriesForecaster(patch_ridge(), LOOKBACK, HORIZON, stride=5)
        forecaster.fit(df)
        pd.testing.assert_index_equal(forecaster.columns_, df.columns)
        assert forecaster.cutoff_ == pd.Timestamp("2020-01-04 07:00")
        np.testing.assert_array_equal(
            forecaster.last_window_, df.to_numpy()[-LOOKBACK:]
        )
        assert forecaster.n_windows_ == n_windows(N_ROWS, LOOKBACK, HORIZON, 5) == 11

    def test_fit_clones_and_leaves_params_alone(self, df):
        model = patch_ridge()
        forecaster = SeriesForecaster(model, LOOKBACK, HORIZON)
        params = forecaster.get_params()
        forecaster.fit(df)
        assert forecaster.estimator is model
        assert forecaster.estimator_ is not model
        assert not hasattr(model[-1], "coef_")
        assert forecaster.get_params() == params
        fresh = clone(forecaster)
        assert not hasattr(fresh, "estimator_")

    def test_refit_forgets_the_previous_fit(self, df):
        forecaster = SeriesForecaster(Ridge(), 10, 2)
        forecaster.fit(df[["a"]])
        forecaster.fit(df)
        assert list(forecaster.columns_) == ["a", "b"]
        assert forecaster.predict().shape == (2, 2)

    def test_nested_params(self, df):
        forecaster = SeriesForecaster(patch_ridge(), LOOKBACK, HORIZON)
        forecaster.set_params(estimator__ridge__alpha=3.0)
        assert forecaster.fit(df).estimator_[-1].alpha == 3.0

    def test_window_forms(self, df):
        """3-D windows for 3-D estimators (also inside a search), flat ones else."""
        three_d = SeriesForecaster(patch_ridge(), LOOKBACK, HORIZON).fit(df)
        assert three_d.estimator_[0].n_features_in_ == LOOKBACK
        assert three_d.estimator_[0].n_channels_in_ == 2
        flat = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(df)
        assert flat.estimator_.n_features_in_ == LOOKBACK * 2
        assert flat.estimator_.coef_.shape == (HORIZON * 2, LOOKBACK * 2)
        X3 = np.zeros((2, LOOKBACK, 2))
        search = GridSearchCV(patch_ridge(), {"ridge__alpha": [1.0]})
        assert window_input(search, X3).ndim == 3
        assert window_input(make_pipeline("passthrough", Ridge()), X3).ndim == 2
        assert window_input(object(), X3).ndim == 2

    def test_target_layout(self, df):
        """The inner y is y3d.reshape(n, -1): a mean model gives the column means."""
        forecaster = SeriesForecaster(DummyRegressor(), 10, 3).fit(df)
        _, y = make_windows(df, 10, 3)
        expected = y.mean(axis=0)  # (horizon, n_channels)
        np.testing.assert_allclose(forecaster.predict().to_numpy(), expected)

    def test_lookback_and_horizon_are_passed_to_the_estimator(self, df):
        forecaster = SeriesForecaster(WindowMean(), 12, 3).fit(df)
        assert forecaster.estimator_.lookback == 12
        assert forecaster.estimator_.horizon == 3
        assert forecaster.estimator.lookback is None
        # a value the user set is the estimator's to check, and is left alone
        forecaster = SeriesForecaster(WindowMean(lookback=12, horizon=2), 12, 3)
        assert forecaster.fit(df).estimator_.horizon == 2


def test_with_patch_forecaster(df):
    """The network gets 3-D windows, its lookback/horizon, and answers in form."""
    from sktime_patches import PatchForecaster

    net = PatchForecaster(**tiny(patch_len=4, max_epochs=2))
    forecaster = SeriesForecaster(net, 16, 4).fit(df)
    forecast = forecaster.predict()
    pd.testing.assert_index_equal(
        forecast.index, pd.date_range("2020-01-04 08:00", periods=4, freq="h")
    )
    assert list(forecast.columns) == ["a", "b"]
    assert np.isfinite(forecast.to_numpy()).all()
    fitted = forecaster.estimator_
    assert (fitted.lookback, fitted.horizon, fitted.n_channels_in_) == (16, 4, 2)
    assert len(fitted.history_) == 2


class WindowMean(RegressorMixin, BaseEstimator):
    """A 3-D window regressor with lookback/horizon params, like PatchForecaster."""

    def __init__(self, lookback=None, horizon=None):
        self.lookback = lookback
        self.horizon = horizon

    def fit(self, X, y):
        assert X.ndim == 3 and X.shape[1] == self.lookback
        self.mean_ = np.mean(y, axis=0)
        return self

    def predict(self, X):
        return np.tile(self.mean_, (len(X), 1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


class TestInputForms:
    def test_series_in_series_out(self, df):
        forecaster = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(df["b"])
        forecast = forecaster.predict()
        assert isinstance(forecast, pd.Series)
        assert forecast.name == "b"
        np.testing.assert_allclose(
            forecast,
            SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(df[["b"]]).predict()["b"],
        )

    def test_arrays_in_arrays_out(self, df):
        values = df.to_numpy()
        forecaster = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(values)
        assert forecaster.cutoff_ == N_ROWS - 1 and forecaster.freq_ == 1
        forecast = forecaster.predict()
        assert isinstance(forecast, np.ndarray) and forecast.shape == (HORIZON, 2)
        np.testing.assert_allclose(
            forecast, SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(df).predict()
        )
        one = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(values[:, 0])
        assert one.predict().shape == (HORIZON,)
        assert one.predict(values[:30, 0].tolist()).shape == (HORIZON,)
        # the form of predict's input decides the form of its output
        frame = forecaster.predict(pd.DataFrame(values[-LOOKBACK:]))
        assert list(frame.index) == list(range(LOOKBACK, LOOKBACK + HORIZON))


@settings(max_examples=25, deadline=None)
@given(
    n_channels=st.integers(1, 3),
    lookback=st.integers(1, 8),
    horizon=st.integers(1, 5),
    extra=st.integers(0, 10),
    kind=st.sampled_from(["D", "period", "range"]),
)
def test_forecast_shape_property(n_channels, lookback, horizon, extra, kind):
    n_rows = lookback + horizon + extra + 2  # >= 3 stamps so "D" can be inferred
    if kind == "D":
        full = pd.DatetimeIndex(list(pd.date_range("2020", periods=n_rows + horizon)))
    elif kind == "period":
        full = pd.period_range("2020Q1", periods=n_rows + horizon, freq="Q")
    else:
        full = pd.RangeIndex(0, 2 * (n_rows + horizon), 2)
    values = np.random.default_rng(n_rows).normal(size=(n_rows, n_channels))
    df = pd.DataFrame(
        values, index=full[:n_rows], columns=[f"c{i}" for i in range(n_channels)]
    )
    forecaster = SeriesForecaster(Ridge(), lookback, horizon).fit(df)
    forecast = forecaster.predict()
    assert forecast.shape == (horizon, n_channels)
    assert list(forecast.columns) == list(df.columns)
    assert list(forecast.index) == list(full[n_rows:])
    assert forecaster.n_windows_ == n_rows - lookback - horizon + 1
    assert forecaster.last_window_.shape == (lookback, n_channels)


# ---------------------------------------------------------------------------
# Errors, word for word
# ---------------------------------------------------------------------------


def weekly(n=30):
    return truth(
        pd.DatetimeIndex(list(pd.date_range("2020-01-07", periods=n, freq="W-TUE")))
    )


class TestErrors:
    def test_irregular_index(self):
        df = weekly().drop(pd.Timestamp("2020-02-04"))
        msg = (
            "df has a DatetimeIndex without a frequency, and none can be inferred: its "
            "timestamps are not evenly spaced (the usual step is 7 days 00:00:00, but "
            "1 step(s) differ, the first after 2020-01-28 00:00:00). Resample it to a "
            "regular frequency first, e.g. df.asfreq('W-TUE').interpolate() or "
            "df.resample('W-TUE').mean()."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(df)

    def test_too_few_stamps_to_infer(self):
        df = truth(pd.DatetimeIndex(["2020-01-01", "2020-01-02"]))
        msg = (
            "df has a DatetimeIndex without a frequency and only 2 timestamp(s), too "
            "few to infer one; pass freq=, e.g. freq='D'."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 1, 1).fit(df)
        assert SeriesForecaster(Ridge(), 1, 1, freq="D").fit(df).predict().shape == (
            1,
            2,
        )

    def test_index_off_the_given_freq(self):
        msg = (
            "df has a DatetimeIndex that does not follow freq='D' (first timestamp off "
            "that grid: 2020-01-14 00:00:00); resample it first, e.g. "
            "df.asfreq('D').interpolate() or df.resample('D').mean(), or pass the "
            "index's own frequency."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2, freq="D").fit(weekly())

    def test_unknown_freq(self):
        msg = (
            "freq='fortnightly' is not a pandas frequency; pass an offset alias such as "
            "'h', 'D', 'W-TUE' or 'MS', or None to infer it from the index."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2, freq="fortnightly").fit(weekly())

    def test_freq_with_a_period_index(self):
        df = truth(pd.period_range("2000", periods=20, freq="Y"))
        msg = (
            "freq='Y' only applies to a DatetimeIndex, but df has a PeriodIndex, which "
            "carries its own steps; pass freq=None."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2, freq="Y").fit(df)

    def test_period_index_with_gaps(self):
        df = truth(pd.period_range("2000-01", periods=20, freq="M")).drop(
            pd.Period("2000-05", "M")
        )
        msg = (
            "df has a PeriodIndex with missing periods (first period off the 'M' grid: "
            "2000-06); fill the gaps first, e.g. df.reindex(pd.period_range("
            "df.index[0], df.index[-1], freq='M')).interpolate()."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(df)

    def test_integer_index_with_uneven_steps(self):
        df = truth(pd.Index([0, 1, 2, 3, 5, 6, 7, 8]))
        msg = (
            "df has an integer index with uneven steps (step 1 at first, then 2 after "
            "3); pass evenly spaced step numbers, e.g. df.reset_index(drop=True)."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 2, 1).fit(df)

    def test_duplicated_timestamps(self):
        df = weekly()
        df = pd.concat([df.iloc[:5], df.iloc[4:]])
        msg = (
            "df has 1 duplicated timestamp(s) (first: 2020-02-04 "
            "00:00:00); each time step must appear once, so aggregate them, e.g. "
            "df.groupby(level=0).mean()."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(df)

    def test_unsorted_index(self):
        df = weekly().iloc[[0, 1, 3, 2, 4, 5, 6, 7, 8]]
        msg = (
            "df has an unsorted time index (2020-01-21 00:00:00 comes after 2020-01-28 "
            "00:00:00); sort it first, e.g. df.sort_index()."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(df)

    def test_text_index(self):
        df = weekly()
        df.index = df.index.strftime("%Y-%m-%d")
        msg = (
            "df has an index of type Index with dtype str; pass a DatetimeIndex, "
            "PeriodIndex or RangeIndex, e.g. df.index = pd.to_datetime(df.index) when "
            "the dates are text, or df.reset_index(drop=True) for plain step numbers."
        )
        with raises(TypeError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(df)
        df.index = pd.to_datetime(df.index)  # the fix works
        SeriesForecaster(Ridge(), 4, 2).fit(df)

    def test_missing_values_in_the_last_window(self):
        """Gaps train (their windows are skipped, see TestGaps); a forecast
        from a window with a gap needs fill."""
        df = weekly()
        df.iloc[[-3, -1], 1] = np.nan
        model = SeriesForecaster(Ridge(), 4, 2).fit(df)
        msg = (
            "the history seen in fit has missing values in the last lookback=4 rows "
            "a forecast starts from (at row -3 of the last window, row -1 of the "
            "last window); pass fill='ffill' or fill='interpolate' to "
            "SeriesForecaster, or fill them first."
        )
        with raises(ValueError, msg):
            model.predict()
        msg = (
            "df has missing values in the last lookback=4 rows a forecast starts "
            "from (at 2020-07-14 00:00:00, 2020-07-28 00:00:00); pass fill='ffill' "
            "or fill='interpolate' to SeriesForecaster, or fill them first."
        )
        with raises(ValueError, msg):
            model.predict(df)

    def test_infinite_values(self):
        df = weekly()
        df.iloc[3, 0] = -np.inf
        msg = (
            "df has 1 infinite value(s) (first in column 'a' at 2020-01-28 00:00:00); "
            "replace them first, e.g. df.replace([np.inf, -np.inf], "
            "np.nan).interpolate()."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(df)

    def test_too_little_history(self):
        msg = (
            "df has 30 row(s), fewer than one training window needs (lookback + "
            "horizon = 24 + 12 = 36); pass a longer history or a smaller "
            "lookback/horizon."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 24, 12).fit(weekly())

    def test_non_numeric_columns(self):
        df = weekly().assign(city="Paris", flag=True)
        msg = (
            "df has non-numeric column(s) 'city' (str), 'flag' (bool); pass only "
            "numeric columns, e.g. df.select_dtypes('number'), and keep dates in the "
            "index, e.g. df.set_index('date')."
        )
        with raises(TypeError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(df)

    def test_not_a_series(self):
        msg = (
            "df['a'] is a list; a dict is a panel: one pandas DataFrame or Series "
            "per series id, indexed by time. For the columns of one series, pass "
            "pd.DataFrame(df)."
        )
        with raises(TypeError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit({"a": [1.0, 2.0]})
        msg = (
            "df must be a pandas DataFrame or Series, or a numpy array of shape "
            "(n_timesteps, n_channels); got set."
        )
        with raises(TypeError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit({1.0, 2.0})
        msg = (
            "df must be 1-D (n_timesteps,) or 2-D (n_timesteps, n_channels); got an "
            "array with shape (10, 2, 1)."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 4, 2).fit(np.zeros((10, 2, 1)))
        msg = (
            "df must hold real numbers; got an array of dtype <U1. Pass a numeric "
            "array, or a DataFrame with numeric columns."
        )
        with raises(TypeError, msg):
            SeriesForecaster(Ridge(), 1, 1).fit(np.array(["a", "b", "c"]))

    def test_bad_params(self):
        msg = (
            "The 'lookback' parameter of SeriesForecaster must be an int in the range "
            "[1, inf) or a str among {'auto'}. Got 0 instead."
        )
        with raises(ValueError, msg):
            SeriesForecaster(Ridge(), 0, 2).fit(weekly())

    def test_predict_before_fit(self):
        with pytest.raises(NotFittedError):
            SeriesForecaster(Ridge(), 4, 2).predict()

    def test_different_columns_at_predict(self):
        forecaster = SeriesForecaster(Ridge(), 4, 2).fit(weekly())
        msg = (
            "df has columns ['b', 'a'], but SeriesForecaster was fitted on columns "
            "['a', 'b']; pass the same columns in the same order, e.g. "
            "df[forecaster.columns_]."
        )
        with raises(ValueError, msg):
            forecaster.predict(weekly()[["b", "a"]])
        reordered = weekly()[["b", "a"]]
        forecaster.predict(reordered[forecaster.columns_])  # the fix works
        msg = (
            "df has 1 channel(s), but SeriesForecaster was fitted on 2; pass an array "
            "of shape (n_timesteps, 2)."
        )
        with raises(ValueError, msg):
            forecaster.predict(np.zeros(10))

    def test_too_little_history_at_predict(self):
        forecaster = SeriesForecaster(Ridge(), 8, 2).fit(weekly())
        msg = (
            "df has 5 row(s), fewer than the lookback=8 steps a forecast starts from; "
            "pass at least 8 rows of history."
        )
        with raises(ValueError, msg):
            forecaster.predict(weekly().iloc[:5])

    def test_other_time_axis_at_predict(self):
        forecaster = SeriesForecaster(Ridge(), 4, 2).fit(weekly())
        msg = (
            "df has a DatetimeIndex at frequency 'D', but SeriesForecaster was fitted "
            "on a DatetimeIndex at frequency 'W-TUE'; pass a history with the same "
            "kind of index and frequency as in fit."
        )
        with raises(ValueError, msg):
            forecaster.predict(truth(pd.date_range("2020", periods=10, freq="D")))
        msg = (
            "df has a RangeIndex, but SeriesForecaster was fitted on a DatetimeIndex "
            "at frequency 'W-TUE'; pass a history with the same kind of index and "
            "frequency as in fit."
        )
        with raises(ValueError, msg):
            forecaster.predict(weekly().reset_index(drop=True))
        ranged = SeriesForecaster(Ridge(), 4, 2).fit(weekly().reset_index(drop=True))
        msg = (
            "df has a RangeIndex with step 3, but SeriesForecaster was fitted on a "
            "RangeIndex with step 1; pass a history with the same step."
        )
        with raises(ValueError, msg):
            ranged.predict(truth(pd.RangeIndex(0, 30, 3)))

    def test_estimator_predicting_the_wrong_size(self):
        class OneStep(Ridge):
            def predict(self, X):
                return super().predict(X)[:, :1]

        forecaster = SeriesForecaster(OneStep(), 4, 2).fit(weekly())
        msg = (
            "estimator_.predict returned 1 value(s) for one window, but horizon * "
            "n_channels = 2 * 2 = 4 were expected; the estimator must predict 2-D y "
            "of shape (n_windows, horizon * n_channels)."
        )
        with raises(ValueError, msg):
            forecaster.predict()


def test_a_patch_forecaster_trains_on_windows_cut_on_demand():
    """SeriesForecaster hands a PatchForecaster a SeriesWindows (memory grows
    with the series, not with its windows): the same model as on the arrays."""
    from sktime_patches import PatchForecaster

    values = np.sin(np.arange(300.0) / 5)[:, None]
    kw = tiny(patch_len=6, max_epochs=2)
    series = SeriesForecaster(PatchForecaster(**kw), lookback=24, horizon=6)
    series.fit(values)
    assert series.n_windows_ == 300 - 24 - 6 + 1
    X, y = make_windows(values, 24, 6)
    direct = PatchForecaster(**kw).fit(X, y.reshape(len(y), -1))
    np.testing.assert_allclose(
        series.predict()[:, 0], direct.predict(values[None, -24:]).ravel(), rtol=1e-6
    )


class TestIntervals:
    """predict_interval / predict_quantiles: sktime's column layouts."""

    @pytest.fixture
    def noisy(self):
        rng = np.random.default_rng(0)
        index = pd.date_range("2024-01-01", periods=400, freq="D", name="day")
        frame = truth(index) + rng.normal(scale=0.3, size=(400, 2))
        return frame

    def test_layouts_of_intervals_and_quantiles(self, noisy):
        from sktime_patches.conformal import ConformalForecaster

        model = SeriesForecaster(ConformalForecaster(Ridge()), LOOKBACK, HORIZON)
        model.fit(noisy)
        point = model.predict()
        bands = model.predict_interval(coverage=[0.8, 0.95])
        assert bands.index.equals(point.index)
        assert bands.columns.tolist() == [
            (col, c, side)
            for col in ("a", "b")
            for c in (0.8, 0.95)
            for side in ("lower", "upper")
        ]
        for col in ("a", "b"):
            lo80, hi80 = bands[(col, 0.8, "lower")], bands[(col, 0.8, "upper")]
            lo95, hi95 = bands[(col, 0.95, "lower")], bands[(col, 0.95, "upper")]
            assert (lo95 <= lo80).all() and (lo80 <= point[col]).all()
            assert (point[col] <= hi80).all() and (hi80 <= hi95).all()
        quantiles = model.predict_quantiles(alpha=[0.025, 0.5, 0.9])
        assert quantiles.columns.tolist() == [
            (col, a) for col in ("a", "b") for a in (0.025, 0.5, 0.9)
        ]
        np.testing.assert_allclose(quantiles[("a", 0.5)], point["a"])
        np.testing.assert_allclose(quantiles[("b", 0.025)], bands[("b", 0.95, "lower")])
        # the same window estimator's intervals, reshaped
        window = model.last_window_.reshape(1, -1)  # Ridge takes flat windows
        raw = model.estimator_.predict_interval(window, [0.8, 0.95])
        np.testing.assert_allclose(
            bands.to_numpy(), raw.reshape(HORIZON, 2, 2, 2).reshape(HORIZON, -1)
        )

    def test_from_another_history_and_for_series_and_arrays(self, noisy):
        from sktime_patches.conformal import ConformalForecaster

        model = SeriesForecaster(ConformalForecaster(Ridge()), LOOKBACK, HORIZON)
        series = noisy["a"].rename("sales")
        bands = model.fit(series).predict_interval(series.iloc[:300], coverage=0.9)
        assert bands.columns.tolist() == [
            ("sales", 0.9, "lower"),
            ("sales", 0.9, "upper"),
        ]
        assert bands.index[0] == series.index[300]
        array = model.fit(noisy.to_numpy()).predict_interval(coverage=[0.5, 0.9])
        assert array.shape == (HORIZON, 2, 2, 2)
        one = model.fit(noisy["a"].to_numpy()).predict_quantiles(alpha=[0.1, 0.9])
        assert one.shape == (HORIZON, 2)

    def test_quantile_network_and_conformal_network_on_series_windows(self, noisy):
        from sktime_patches import PatchForecaster
        from sktime_patches.conformal import ConformalForecaster

        network = PatchForecaster(
            quantiles=(0.1, 0.9), max_epochs=2, random_state=0, n_jobs=1
        )
        model = SeriesForecaster(network, LOOKBACK, HORIZON).fit(noisy)
        bands = model.predict_interval(coverage=0.8)
        assert bands.shape == (HORIZON, 4)
        lower = bands.xs("lower", axis=1, level=2).to_numpy()
        assert (lower <= model.predict().to_numpy()).all()
        wrapped = SeriesForecaster(
            ConformalForecaster(network.set_params(quantiles=None), method="scaled"),
            LOOKBACK,
            HORIZON,
        ).fit(noisy)
        # trained on a SeriesWindows: split per series, a horizon's gap
        assert wrapped.estimator_.n_calibration_ == np.ceil(0.2 * wrapped.n_windows_)
        assert wrapped.predict_interval(coverage=0.8).shape == (HORIZON, 4)

    def test_a_model_without_intervals_says_how_to_get_them(self, noisy):
        model = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(noisy)
        message = (
            "SeriesForecaster's estimator (Ridge) has no predict_interval; wrap it "
            "in sktime_patches.conformal.ConformalForecaster for calibrated "
            "intervals, or use PatchForecaster(quantiles=...)."
        )
        with raises(AttributeError, message):
            model.predict_interval()
        with raises(
            ValueError,
            "coverage must lie in (0, 1); got [95.0]; pass numbers strictly between "
            "0 and 1, e.g. coverage=[0.8, 0.95].",
        ):
            model.predict_interval(coverage=95)


def panel_frames(
    lengths=(60, 80, 70), starts=("2024-01-01", "2024-01-10", "2023-12-01")
):
    """Daily series of different lengths and starts, each a trend plus a
    weekly wave of its own level."""
    frames = {}
    for k, (n, start) in enumerate(zip(lengths, starts, strict=True)):
        t = np.arange(n, dtype=float)
        frames[f"s{k}"] = pd.DataFrame(
            {"y": 10 * k + 0.1 * t + np.sin(2 * np.pi * t / 7)},
            index=pd.date_range(start, periods=n, freq="D", name="ds"),
        )
    return frames


class TestPanels:
    """Many series: long, (id, time) MultiIndex and dict forms, one model."""

    def forms(self):
        frames = panel_frames()
        multi = pd.concat(frames, names=["unique_id", "ds"])
        long = multi.reset_index()
        return frames, multi, long

    def test_every_form_gives_the_same_forecasts_back_in_its_form(self):
        frames, multi, long = self.forms()
        by_dict = SeriesForecaster(Ridge(), 14, 3).fit(frames)
        by_multi = SeriesForecaster(Ridge(), 14, 3).fit(multi)
        by_long = SeriesForecaster(
            Ridge(), 14, 3, id_col="unique_id", time_col="ds"
        ).fit(long)
        out = by_dict.predict()
        assert list(out) == ["s0", "s1", "s2"]
        for sid, frame in frames.items():
            expected = pd.date_range(
                frame.index[-1] + pd.Timedelta(days=1), periods=3, freq="D", name="ds"
            )
            pd.testing.assert_index_equal(out[sid].index, expected)
        multi_out = by_multi.predict()
        assert multi_out.index.names == ["unique_id", "ds"]
        long_out = by_long.predict()
        assert list(long_out.columns) == ["unique_id", "ds", "y"]
        stacked = pd.concat(out, names=["unique_id", "ds"])
        pd.testing.assert_frame_equal(multi_out, stacked, check_freq=False)
        pd.testing.assert_frame_equal(long_out, stacked.reset_index())
        # one global model on every series' windows
        per_series = sum(len(f) - 14 - 3 + 1 for f in frames.values())
        assert by_dict.n_windows_ == per_series
        assert by_dict.series_ids_ == ["s0", "s1", "s2"]
        assert by_dict.cutoffs_["s1"] == frames["s1"].index[-1]
        assert by_dict.cutoff_ == max(f.index[-1] for f in frames.values())
        # the same as the window model fitted on all windows by hand
        X = np.concatenate([make_windows(f, 14, 3)[0] for f in frames.values()])
        y = np.concatenate([make_windows(f, 14, 3)[1] for f in frames.values()])
        ridge = Ridge().fit(X.reshape(len(X), -1), y.reshape(len(y), -1))
        last = np.stack([f.to_numpy()[-14:, 0] for f in frames.values()])
        np.testing.assert_allclose(
            stacked["y"].to_numpy(), ridge.predict(last).ravel(), rtol=1e-10
        )

    def test_a_patch_forecaster_trains_on_series_windows_of_the_panel(self):
        from sktime_patches import PatchForecaster

        frames = panel_frames()
        model = SeriesForecaster(
            PatchForecaster(max_epochs=1, random_state=0), 14, 3
        ).fit(frames)
        assert model.n_windows_ == sum(len(f) - 16 for f in frames.values())
        assert set(model.predict()) == set(frames)
        # a series the model never saw, in the same form
        new = {"new": frames["s0"] * 2}
        assert model.predict(new)["new"].shape == (3, 1)

    def test_intervals_of_a_panel_are_indexed_by_id_and_time(self):
        from sktime_patches.conformal import ConformalForecaster

        _, multi, _ = self.forms()
        model = SeriesForecaster(ConformalForecaster(Ridge()), 14, 3).fit(multi)
        bands = model.predict_interval(coverage=0.9, horizon=2)
        assert bands.index.names == ["unique_id", "ds"] and len(bands) == 6
        assert bands.columns.tolist() == [("y", 0.9, "lower"), ("y", 0.9, "upper")]

    def test_short_series_and_mismatched_series_are_refused_by_name(self):
        frames = panel_frames(lengths=(60, 10, 70))
        with raises(
            ValueError,
            "series 's1' of df has 10 row(s), fewer than one training window needs "
            "(lookback + horizon = 14 + 3 = 17); pass a longer history or a smaller "
            "lookback/horizon, or drop the series.",
        ):
            SeriesForecaster(Ridge(), 14, 3).fit(frames)
        frames = panel_frames()
        frames["s1"] = frames["s1"].rename(columns={"y": "z"})
        with raises(
            ValueError,
            "series 's1' of df has columns ['z'], but series 's0' has ['y']; every "
            "series needs the same columns, in the same order.",
        ):
            SeriesForecaster(Ridge(), 14, 3).fit(frames)
        frames = panel_frames()
        frames["s2"] = frames["s2"].asfreq("2D")
        with raises(
            ValueError,
            "series 's2' of df has a DatetimeIndex at frequency '2D', but series "
            "'s0' of df has a DatetimeIndex at frequency 'D'; every series of a "
            "panel needs the same kind of index and frequency.",
        ):
            SeriesForecaster(Ridge(), 14, 3).fit(frames)


class TestGaps:
    def test_windows_touching_a_gap_are_skipped_and_counted(self, capsys):
        df = truth(pd.date_range("2024-01-01", periods=N_ROWS, freq="D"))
        df.iloc[30, 0] = np.nan
        model = SeriesForecaster(Ridge(), LOOKBACK, HORIZON, verbose=1).fit(df)
        full = N_ROWS - LOOKBACK - HORIZON + 1
        # windows whose lookback or target holds row 30
        touching = LOOKBACK + HORIZON
        assert model.n_skipped_windows_ == touching
        assert model.n_windows_ == full - touching
        assert capsys.readouterr().out == (
            f"{touching} of {full} training windows touch a missing value and were "
            f"left out; {full - touching} trained.\n"
        )
        # the same fit as Ridge on the complete windows
        X, y = make_windows(df.interpolate(), LOOKBACK, HORIZON)
        starts = np.arange(full)
        keep = (starts + LOOKBACK + HORIZON <= 30) | (starts > 30)
        ridge = Ridge().fit(
            X[keep].reshape(keep.sum(), -1), y[keep].reshape(keep.sum(), -1)
        )
        np.testing.assert_allclose(
            model.predict().to_numpy().ravel(),
            ridge.predict(df.to_numpy()[-LOOKBACK:].reshape(1, -1)).ravel(),
        )

    @pytest.mark.parametrize("fill", ["ffill", "interpolate"])
    def test_fill_completes_the_last_window(self, fill):
        df = truth(pd.date_range("2024-01-01", periods=N_ROWS, freq="D"))
        gappy = df.copy()
        gappy.iloc[-2, 1] = np.nan
        model = SeriesForecaster(Ridge(), LOOKBACK, HORIZON, fill=fill).fit(gappy)
        filled = gappy.ffill() if fill == "ffill" else gappy.interpolate()
        reference = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(gappy)
        expected = reference.predict(filled)
        pd.testing.assert_frame_equal(model.predict(), expected)
        pd.testing.assert_frame_equal(model.predict(gappy), expected)

    def test_a_series_without_a_complete_window_is_refused(self):
        df = truth(pd.date_range("2024-01-01", periods=N_ROWS, freq="D"))
        df.iloc[::10, 0] = np.nan
        with raises(
            ValueError,
            "df has no complete window (lookback + horizon = 30 rows without a "
            "missing value); fill its gaps (e.g. interpolate()), drop it, or pass a "
            "smaller lookback/horizon.",
        ):
            SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(df)


class TestHorizonAtPredict:
    def test_the_first_steps_and_a_clear_error_beyond(self, df):
        model = SeriesForecaster(Ridge(), LOOKBACK, HORIZON).fit(df)
        full = model.predict()
        pd.testing.assert_frame_equal(model.predict(horizon=2), full.iloc[:2])
        with raises(
            ValueError,
            f"horizon=7 is longer than the {HORIZON} steps the model was fitted to "
            "forecast; refit with horizon=7 (or more), or pass horizon <= 6.",
        ):
            model.predict(horizon=7)
        with raises(
            ValueError,
            "horizon must be a positive int or None; got 0; pass 1 to 6, or None "
            "for all 6 steps.",
        ):
            model.predict(horizon=0)


def priced_panel(ids=("a", "b"), n=300, horizon=12, seed=0):
    """Hourly load driven by a known-future price and the hour of the day, in
    Nixtla's long form; the last ``horizon`` rows of each series held out."""
    rng = np.random.default_rng(seed)
    parts = []
    for k, sid in enumerate(ids):
        index = pd.date_range("2024-01-01", periods=n + 24 * k, freq="h")
        price = rng.normal(size=len(index))
        load = 10 + 3 * np.sin(2 * np.pi * index.hour / 24) - 2 * price
        load = load + 0.1 * rng.normal(size=len(index))
        parts.append(pd.DataFrame({"id": sid, "ds": index, "y": load, "price": price}))
    long = pd.concat(parts, ignore_index=True)
    tail = long.groupby("id").cumcount(ascending=False) < horizon
    return long[~tail], long[tail], long


class TestCovariates:
    H = 12

    def model(self, estimator=None, **kwargs):
        return SeriesForecaster(
            estimator if estimator is not None else Ridge(alpha=1e-3),
            lookback=24,
            horizon=self.H,
            id_col="id",
            time_col="ds",
            **kwargs,
        )

    def test_a_known_future_price_and_the_calendar_in_the_long_form(self):
        history, future, full = priced_panel(horizon=self.H)
        plain = self.model().fit(history[["id", "ds", "y"]])
        model = self.model(future_covariates=["price"], calendar=["hour"])
        model.fit(history[["id", "ds", "y"]], X=history[["id", "ds", "price"]])
        assert model.covariates_ == ["price", "hour_sin", "hour_cos"]
        assert model.future_covariates_ == ["price", "hour_sin", "hour_cos"]
        forecast = model.predict(X=full[["id", "ds", "price"]])
        assert list(forecast.columns) == ["id", "ds", "y"]
        pd.testing.assert_frame_equal(
            forecast[["id", "ds"]].reset_index(drop=True),
            future[["id", "ds"]].reset_index(drop=True),
        )
        error = np.mean((forecast["y"].to_numpy() - future["y"].to_numpy()) ** 2)
        blind = plain.predict()
        blind_error = np.mean((blind["y"].to_numpy() - future["y"].to_numpy()) ** 2)
        assert error < 0.1 * blind_error
        # the first k steps, and a history passed again with its covariates
        short = model.predict(X=full[["id", "ds", "price"]], horizon=3)
        pd.testing.assert_frame_equal(
            short, forecast.groupby("id").head(3).reset_index(drop=True)
        )
        again = model.predict(history[["id", "ds", "y"]], X=full[["id", "ds", "price"]])
        pd.testing.assert_frame_equal(again, forecast)

    def test_a_past_covariate_never_leaks_its_future(self):
        """Without future_covariates the windows hold no value after the
        cutoff: changing the covariate after it changes nothing."""
        history, _, full = priced_panel(horizon=self.H)
        model = self.model().fit(
            history[["id", "ds", "y"]], X=history[["id", "ds", "price"]]
        )
        assert model.future_covariates_ == []
        changed = full.copy()
        changed["price"] = changed["price"] + 100.0 * (
            changed["ds"] > history["ds"].max()
        )
        pd.testing.assert_frame_equal(
            model.predict(history[["id", "ds", "y"]], X=full[["id", "ds", "price"]]),
            model.predict(history[["id", "ds", "y"]], X=changed[["id", "ds", "price"]]),
        )

    def test_the_network_gets_targets_and_future_channels(self):
        from sktime_patches import PatchForecaster

        history, _, full = priced_panel(horizon=self.H)
        model = self.model(
            PatchForecaster(max_epochs=1, random_state=0), future_covariates=["price"]
        ).fit(history[["id", "ds", "y"]], X=history[["id", "ds", "price"]])
        network = model.estimator_
        assert network.target_channels_ == [0] and network.future_channels_ == [1]
        assert network.n_features_in_ == 24 + self.H
        assert model.predict(X=full[["id", "ds", "price"]]).shape == (2 * self.H, 3)

    def test_each_problem_with_covariates_has_its_message(self):
        history, _, full = priced_panel(horizon=self.H)
        y, x = history[["id", "ds", "y"]], history[["id", "ds", "price"]]
        with raises(
            ValueError,
            "future_covariates names ['cost'], which are not columns of X "
            "(['price']); pass columns of X, or X with them.",
        ):
            self.model(future_covariates=["cost"]).fit(y, X=x)
        with raises(
            ValueError,
            "X has no row for 1 time stamp(s) of series 'b' of df (first: "
            "2024-01-12 08:00:00); pass covariates on every time stamp of the series.",
        ):
            self.model().fit(y, X=x.drop(index=x.index[-40]))
        model = self.model(future_covariates=["price"]).fit(y, X=x)
        with raises(
            ValueError,
            "the model was fitted with future covariates ['price']; pass X= with "
            "their values over the next 12 time stamps.",
        ):
            model.predict()
        renamed = full.rename(columns={"price": "cost"})
        with raises(
            ValueError,
            "X has no column(s) ['price']; the model was fitted with the future "
            "covariates ['price'], which the forecast needs over the next 12 time "
            "stamps.",
        ):
            model.predict(X=renamed[["id", "ds", "cost"]])
        with raises(
            ValueError,
            "X has no column(s) ['price']; the model was fitted with covariates "
            "['price'].",
        ):
            model.predict(y, X=renamed[["id", "ds", "cost"]])
        gappy = full.copy()
        gappy.loc[gappy.index[-1], "price"] = np.nan
        with raises(
            ValueError,
            "X has no value of the future covariate 'price' for series 'b' at "
            "2024-01-14 11:00:00; the forecast needs it at each of the next 12 time "
            "stamps (2024-01-14 00:00:00 .. 2024-01-14 11:00:00).",
        ):
            model.predict(X=gappy[["id", "ds", "price"]])
        with raises(
            ValueError,
            "X has no value of the future covariate 'price' for series 'a' at "
            "2024-01-13 00:00:00, 2024-01-13 01:00:00, 2024-01-13 02:00:00 and 9 "
            "more; the forecast needs it at each of the next 12 time stamps "
            "(2024-01-13 00:00:00 .. 2024-01-13 11:00:00).",
        ):
            model.predict(X=x)  # no rows after the cutoff
        with raises(
            ValueError,
            "X was passed, but the model was fitted without covariates; pass "
            "X=None, or refit with fit(df, X).",
        ):
            self.model().fit(y).predict(X=x)
        with raises(
            ValueError,
            "calendar features need a DatetimeIndex or PeriodIndex; got a "
            "RangeIndex. Index the series by dates, or pass calendar=False.",
        ):
            SeriesForecaster(Ridge(), 4, 2, calendar=True).fit(np.arange(30.0))
        with raises(
            ValueError,
            "calendar=['hours'] names unknown feature(s) ['hours']; pass some of "
            "['minute', 'hour', 'dayofweek', 'dayofmonth', 'dayofyear', "
            "'weekofyear', 'month', 'quarter'], or True for those of the data's "
            "frequency.",
        ):
            self.model(calendar=["hours"]).fit(y)

    def test_gaps_in_a_covariate_skip_the_windows_that_read_them(self):
        history, _, _ = priced_panel(ids=("a",), horizon=self.H)
        x = history[["id", "ds", "price"]].copy()
        x.loc[x.index[100], "price"] = np.nan
        y = history[["id", "ds", "y"]]
        past = self.model().fit(y, X=x)
        known = self.model(future_covariates=["price"]).fit(y, X=x)
        # a past covariate is read over the lookback; a future one over the
        # lookback and the horizon
        assert past.n_skipped_windows_ == 24
        assert known.n_skipped_windows_ == 24 + self.H


def test_only_a_conformal_forecaster_gets_the_horizons_gap():
    """SeriesForecaster sets an unset ``gap`` of a ConformalForecaster (the
    windows one horizon spans); another estimator's ``gap`` means something
    else, and is left alone."""
    from sktime_patches.conformal import ConformalForecaster

    class GapRidge(Ridge):
        def __init__(self, alpha=1.0, gap=None):
            super().__init__(alpha=alpha)
            self.gap = gap

    df = truth(pd.date_range("2024-01-01", periods=N_ROWS, freq="D"))
    model = SeriesForecaster(GapRidge(), LOOKBACK, HORIZON).fit(df)
    assert model.estimator_.gap is None
    stride = SeriesForecaster(ConformalForecaster(Ridge()), LOOKBACK, HORIZON, 4)
    assert stride.fit(df).estimator_.gap == 2  # ceil(6 / 4)


class TestIntervalsByDefault:
    """A window model without intervals of its own, that holds windows out of
    its training, is conformalised on them: nothing trained again."""

    @pytest.fixture
    def sales(self):
        rng = np.random.default_rng(0)
        t = np.arange(400)
        return pd.Series(
            np.sin(2 * np.pi * t / 7) + 0.2 * rng.standard_normal(400),
            index=pd.date_range("2023-01-01", periods=400, freq="D"),
            name="sales",
        )

    def test_a_network_alone_gives_intervals_and_the_same_forecast(self, sales):
        from sktime_patches import PatchForecaster
        from sktime_patches.conformal import ConformalForecaster, held_out_windows

        model = SeriesForecaster(PatchForecaster(**tiny(max_epochs=2)), 14, 3)
        model.fit(sales)
        assert isinstance(model.intervals_, ConformalForecaster)
        assert model.intervals_.estimator_ is model.estimator_
        held = held_out_windows(model.estimator_, *make_windows(sales, 14, 3))
        assert model.intervals_.n_calibration_ == len(held[0])
        bands = model.predict_interval(coverage=[0.8, 0.9])
        forecast = model.predict()
        assert (bands[("sales", 0.8, "lower")] < forecast).all()
        assert (bands[("sales", 0.9, "upper")] > bands[("sales", 0.8, "upper")]).all()
        quantiles = model.predict_quantiles(alpha=[0.1, 0.9])
        assert np.allclose(quantiles[("sales", 0.1)], bands[("sales", 0.8, "lower")])
        # a model that gives intervals itself, or holds nothing out, gets none
        assert SeriesForecaster(Ridge(), 14, 3).fit(sales).intervals_ is None
        wrapped = SeriesForecaster(ConformalForecaster(Ridge()), 14, 3).fit(sales)
        assert wrapped.intervals_ is None

    def test_saved_and_loaded_it_gives_the_same_intervals(self, sales, tmp_path):
        from sktime_patches import PatchForecaster, load

        model = SeriesForecaster(PatchForecaster(**tiny(max_epochs=2)), 14, 3)
        model.fit(sales.iloc[:300]).update(sales.iloc[300:])
        loaded = load(model.save(tmp_path / "model.skp"))
        assert loaded.intervals_.estimator_ is loaded.estimator_
        pd.testing.assert_frame_equal(
            loaded.predict_interval(coverage=0.8), model.predict_interval(coverage=0.8)
        )
        assert np.array_equal(loaded.intervals_.log_scale_, model.intervals_.log_scale_)


class TestUpdate:
    @pytest.fixture
    def drift(self):
        """Daily noise that grows tenfold from row 500."""
        rng = np.random.default_rng(1)
        t = np.arange(800)
        noise = np.where(t < 500, 0.05, 0.5) * rng.standard_normal(800)
        return pd.DataFrame(
            {"y": np.sin(2 * np.pi * t / 7) + noise},
            index=pd.date_range("2020-01-01", periods=800, freq="D"),
        )

    def test_new_rows_move_the_cutoff_and_leave_the_point_model(self, drift):
        from sktime_patches.conformal import ConformalForecaster

        model = SeriesForecaster(
            ConformalForecaster(Ridge(), adapt="tracking"), 14, 3
        ).fit(drift.iloc[:500])
        coef = model.estimator_.estimator_.coef_.copy()
        model.update(drift.iloc[500:510])
        assert model.cutoff_ == drift.index[509]
        assert np.array_equal(model.estimator_.estimator_.coef_, coef)
        pd.testing.assert_frame_equal(model.predict(), model.predict(drift.iloc[:510]))

    def test_rows_one_by_one_or_together_track_alike(self, drift):
        from sktime_patches.conformal import ConformalForecaster

        base = SeriesForecaster(
            ConformalForecaster(Ridge(), adapt="tracking", step_size=0.1), 14, 3
        )
        together = clone(base).fit(drift.iloc[:500]).update(drift.iloc[500:560])
        one_by_one = clone(base).fit(drift.iloc[:500])
        for row in range(500, 560):
            one_by_one.update(drift.iloc[row : row + 1])
        assert np.allclose(
            together.estimator_.log_scale_, one_by_one.estimator_.log_scale_
        )
        # each new row realised one step of each of the 3 forecasts before it
        assert together.estimator_.n_updates_ == 60 * 3

    def test_tracked_intervals_recover_their_coverage_after_the_drift(self, drift):
        from sktime_patches.conformal import ConformalForecaster

        def coverage(adapt, update):
            """One step ahead from each row, the value then given or not."""
            model = SeriesForecaster(
                ConformalForecaster(Ridge(), adapt=adapt, step_size=0.1), 14, 1
            ).fit(drift.iloc[:500])
            inside = []
            for row in range(500, 800):
                history = drift.iloc[row - 14 : row]
                low, high = model.predict_interval(history, coverage=0.9).iloc[0]
                inside.append(low <= drift["y"].iloc[row] <= high)
                if update:
                    model.update(drift.iloc[row : row + 1])
            return np.mean(inside[100:])

        assert coverage("tracking", True) == pytest.approx(0.9, abs=0.06)
        assert coverage(None, False) < 0.5

    def test_errors_name_the_fix(self, drift):
        model = SeriesForecaster(Ridge(), 14, 3).fit(drift.iloc[:500])
        with raises(
            ValueError,
            "df must continue the history: its 2 row(s) should be at 2021-05-15 "
            "00:00:00 .. 2021-05-16 00:00:00 (the steps after the cutoff "
            "2021-05-14 00:00:00 at frequency 'D'); got 2021-05-16 00:00:00 .. "
            "2021-05-17 00:00:00. Pass the rows that follow the history, in order "
            "(a missing row as NaN).",
        ):
            model.update(drift.iloc[501:503])
        with raises(
            ValueError,
            "df has columns ['z'], but SeriesForecaster was fitted on columns "
            "['y']; pass the same columns in the same order, e.g. "
            "df[forecaster.columns_].",
        ):
            model.update(drift.iloc[500:502].rename(columns={"y": "z"}))
        panel = {"a": drift.iloc[:300], "b": drift.iloc[:300]}
        with raises(
            ValueError,
            "update takes the new rows of one series without covariates, but this "
            "SeriesForecaster was fitted with a panel; refit it on the longer "
            "history instead.",
        ):
            SeriesForecaster(Ridge(), 14, 3).fit(panel).update(drift.iloc[300:302])


def test_a_short_series_calibrates_on_every_window_and_warns_only_when_it_must():
    """40 rows (29 windows): cross-conformal bounds 90% without a word; 99%
    needs 99 windows, and says so."""
    from sktime_patches import PatchForecaster
    from sktime_patches.conformal import ConformalForecaster
    from sktime_patches.exceptions import UnboundedIntervalWarning

    t = np.arange(40)
    short = pd.Series(
        np.sin(2 * np.pi * t / 12) + 0.1 * np.random.default_rng(2).normal(size=40),
        index=pd.period_range("2020-01", periods=40, freq="M"),
    )
    network = PatchForecaster(**tiny(max_epochs=1, patch_len=4))
    model = SeriesForecaster(ConformalForecaster(network), 8, 4).fit(short)
    assert model.estimator_.calibration_ == "cv"
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnboundedIntervalWarning)
        assert np.isfinite(model.predict_interval(coverage=0.9).to_numpy()).all()
    with warns_exactly(
        UnboundedIntervalWarning,
        "coverage=0.99 needs at least 99 calibration windows, but there are 29 "
        "(every window, cross-conformal): its intervals are infinite; pass more "
        "history, or ask a coverage of at most 0.966.",
    ):
        model.predict_interval(coverage=0.99)
