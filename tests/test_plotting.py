"""Tests of the plotting helpers, drawn headless and checked through their artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from helpers import raises, tiny, warns_exactly
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline

from sktime_patches import PatchForecaster, SpacetimePatcher
from sktime_patches._patching import n_patches
from sktime_patches.backtesting import backtest, backtest_errors
from sktime_patches.exceptions import UnboundedIntervalWarning
from sktime_patches.plotting import (
    plot_backtest_errors,
    plot_forecast,
    plot_patches,
    plot_training_history,
)
from sktime_patches.series import SeriesForecaster


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labels(ax):
    return [line.get_label() for line in ax.get_lines()]


@pytest.fixture
def df() -> pd.DataFrame:
    t = np.arange(48.0)
    return pd.DataFrame(
        {"level": 10 + 0.2 * t, "wave": np.sin(2 * np.pi * t / 12)},
        index=pd.date_range("2024-01-01", periods=48, freq="D"),
    )


class TestPlotForecast:
    def test_one_panel_per_column_on_a_shared_time_axis(self, df):
        history, actual = df.iloc[:40], df.iloc[40:]
        forecast = SeriesForecaster(Ridge(), 12, 8).fit(history).predict()
        fig, axes = plot_forecast(history, forecast, actual)
        assert fig.axes == list(axes) and len(axes) == 2
        assert [ax.get_ylabel() for ax in axes] == ["level", "wave"]
        assert [ax.get_title() for ax in axes] == ["", ""]  # the caller titles
        assert axes[0].get_shared_x_axes().joined(axes[0], axes[1])
        for ax, col in zip(axes, df.columns, strict=True):
            assert labels(ax) == ["history", "actual", "forecast"]
            hist_line, actual_line, fc_line = ax.get_lines()
            np.testing.assert_array_equal(hist_line.get_ydata(), history[col])
            np.testing.assert_array_equal(actual_line.get_ydata(), actual[col])
            np.testing.assert_array_equal(fc_line.get_ydata(), forecast[col])
            np.testing.assert_array_equal(
                fc_line.get_xdata(), forecast.index.to_numpy()
            )
        # the view spans the history and the forecast
        left, right = axes[-1].get_xlim()
        assert left <= mdates.date2num(df.index[0])
        assert right >= mdates.date2num(df.index[-1])
        # one legend, above the panels: it covers no data
        assert all(ax.get_legend() is None for ax in axes)
        (legend,) = fig.legends
        assert [t.get_text() for t in legend.get_texts()] == [
            "history",
            "actual",
            "forecast",
        ]
        fig.canvas.draw()
        box = legend.get_window_extent()
        for ax in axes:
            assert not box.overlaps(ax.get_window_extent())

    def test_history_length_and_columns(self, df):
        forecast = SeriesForecaster(Ridge(), 12, 8).fit(df).predict()
        _, axes = plot_forecast(df, forecast, columns=["wave"], n_history=12)
        assert len(axes) == 1 and axes[0].get_ylabel() == "wave"
        assert labels(axes[0]) == ["history", "forecast"]
        xdata = axes[0].get_lines()[0].get_xdata()
        np.testing.assert_array_equal(xdata, df.index[-12:].to_numpy())

    def test_period_index_and_series(self, df):
        monthly = df["wave"].set_axis(pd.period_range("2000-01", periods=48, freq="M"))
        forecast = SeriesForecaster(Ridge(), 12, 3).fit(monthly).predict()
        _, axes = plot_forecast(monthly, forecast)
        assert axes[0].get_ylabel() == "wave"
        fc_line = axes[0].get_lines()[1]
        expected = pd.to_datetime(["2004-01-01", "2004-02-01", "2004-03-01"])
        np.testing.assert_array_equal(fc_line.get_xdata(), expected.to_numpy())

    def test_errors(self, df):
        msg = (
            "forecast must be a pandas DataFrame or Series indexed by time, as "
            "SeriesForecaster.predict returns for a DataFrame; got ndarray."
        )
        with raises(TypeError, msg):
            plot_forecast(df, np.zeros((3, 2)))
        msg = (
            "history has no column(s) ['wave']; its columns are ['level']. Pass frames "
            "with the same columns, or columns= naming columns they share."
        )
        with raises(ValueError, msg):
            plot_forecast(df[["level"]], df.iloc[-3:])
        msg = "n_history must be >= 1; got n_history=0. Pass None to draw all the history."
        with raises(ValueError, msg):
            plot_forecast(df, df.iloc[-3:], n_history=0)


class TestPlotForecastIntervals:
    def test_bands_are_shaded_the_wider_lighter_in_the_legend(self, df):
        from matplotlib.collections import PolyCollection

        from sktime_patches.conformal import ConformalForecaster

        history = df.iloc[:40]  # 32 windows, every one calibrating (cv)
        model = SeriesForecaster(ConformalForecaster(Ridge()), 6, 3).fit(history)
        assert model.estimator_.calibration_ == "cv"
        bands = model.predict_interval(coverage=[0.8, 0.95])
        fig, axes = plot_forecast(history, model.predict(), intervals=bands)
        for ax, col in zip(axes, df.columns, strict=True):
            fills = [c for c in ax.collections if isinstance(c, PolyCollection)]
            assert [f.get_label() for f in fills] == ["95% interval", "80% interval"]
            assert fills[0].get_alpha() < fills[1].get_alpha()
            # the band's outline runs along the bounds
            top = fills[1].get_paths()[0].vertices[:, 1]
            np.testing.assert_allclose(
                top.max(), bands[(col, 0.8, "upper")].max(), rtol=1e-12
            )
            np.testing.assert_allclose(
                top.min(), bands[(col, 0.8, "lower")].min(), rtol=1e-12
            )
        texts = [t.get_text() for t in fig.legends[0].get_texts()]
        assert texts == ["history", "95% interval", "80% interval", "forecast"]

    def test_a_band_that_could_not_be_bounded_is_neither_drawn_nor_listed(self, df):
        from matplotlib.collections import PolyCollection

        from sktime_patches.conformal import ConformalForecaster

        history = df.iloc[:40]  # 32 windows: a 99% bound needs 99
        model = SeriesForecaster(ConformalForecaster(Ridge()), 6, 3).fit(history)
        with pytest.warns(UnboundedIntervalWarning):
            bands = model.predict_interval(coverage=[0.8, 0.99])
        with warns_exactly(
            UnboundedIntervalWarning,
            "intervals has infinite or missing bounds of 'level' at coverage 0.99: "
            "that band is not drawn (nor listed in the legend); pass intervals of "
            "a coverage the model can bound.",
        ):
            fig, axes = plot_forecast(
                history, model.predict(), intervals=bands, columns=["level"]
            )
        fills = [c for c in axes[0].collections if isinstance(c, PolyCollection)]
        assert [f.get_label() for f in fills] == ["80% interval"]
        texts = [t.get_text() for t in fig.legends[0].get_texts()]
        assert texts == ["history", "80% interval", "forecast"]

    def test_an_interval_frame_of_another_layout_is_refused(self, df):
        forecast = SeriesForecaster(Ridge(), 12, 3).fit(df).predict()
        layout = (
            "pass the frame of SeriesForecaster.predict_interval: columns (column, "
            "coverage, 'lower'/'upper') on the forecast's index."
        )
        with raises(
            ValueError,
            "intervals must have 3 column levels; got a DataFrame with 1 column "
            f"level(s); {layout}",
        ):
            plot_forecast(df, forecast, intervals=forecast)
        columns = pd.MultiIndex.from_product([["level", "wave"], [0.9], ["lower"]])
        only_lower = pd.DataFrame(0.0, index=forecast.index, columns=columns)
        with raises(
            ValueError,
            "intervals lacks the lower or upper bound of 'level' at coverage 0.9; "
            f"{layout}",
        ):
            plot_forecast(df, forecast, intervals=only_lower)
        with raises(
            ValueError,
            "intervals has another index than the forecast (2 vs 3 rows, or other "
            f"time stamps); {layout}",
        ):
            plot_forecast(df, forecast, intervals=only_lower.iloc[:2])


class TestPlotPatches:
    def test_end_padding(self):
        fig, axes = plot_patches(np.arange(10.0), patch_len=4)
        (ax,) = axes
        assert labels(ax) == ["window", "padding", "patch 0", "patch 1", "patch 2"]
        lines = ax.get_lines()
        assert lines[0].get_xdata().tolist() == list(range(10))
        assert lines[1].get_xdata().tolist() == [9, 10, 11]  # from the last value on
        assert lines[1].get_ydata().tolist() == [9.0, 9.0, 9.0]
        assert [ln.get_xdata().tolist() for ln in lines[2:]] == [
            [0, 1, 2, 3],
            [4, 5, 6, 7],
            [8, 9, 10, 11],
        ]
        assert lines[-1].get_ydata().tolist() == [8.0, 9.0, 9.0, 9.0]
        # one bar per patch under the values, spanning its steps
        bars = [bar.get_paths()[0].get_extents() for bar in ax.collections]
        np.testing.assert_allclose(
            [(b.x0, b.x1) for b in bars], [(-0.4, 3.4), (3.6, 7.4), (7.6, 11.4)]
        )
        assert len({b.y0 for b in bars}) == 1  # no overlap: one lane
        assert max(b.y1 for b in bars) < 0.0  # below the lowest value
        assert fig._suptitle.get_text() == (
            "patch_len=4, stride=4, padding='end': 3 patch(es) per channel"
        )

    def test_no_padding_aligns_to_the_end(self):
        _, axes = plot_patches(np.arange(10.0), patch_len=4, padding="none")
        (ax,) = axes
        assert labels(ax) == ["window", "patch 0", "patch 1"]
        assert [ln.get_xdata().tolist() for ln in ax.get_lines()[1:]] == [
            [2, 3, 4, 5],
            [6, 7, 8, 9],
        ]
        (span,) = ax.patches  # the two earliest steps are left out
        assert span.get_label() == "left out"
        assert span.get_x() == -0.5 and span.get_width() == 2

    def test_one_panel_per_channel_from_the_last_rows(self):
        frame = pd.DataFrame({"a": np.arange(30.0), "b": -np.arange(30.0)})
        _, axes = plot_patches(frame, patch_len=3, stride=2, lookback=8)
        assert [ax.get_title() for ax in axes] == ["a", "b"]
        window = axes[1].get_lines()[0]
        np.testing.assert_array_equal(window.get_ydata(), -np.arange(22.0, 30.0))
        assert axes[0].get_legend() is not None
        lanes = [bar.get_paths()[0].get_extents().y0 for bar in axes[0].collections]
        assert len(set(lanes)) == 2  # stride 2 < patch_len 3: two lanes
        _, axes = plot_patches(np.arange(64.0), patch_len=4, stride=2)
        assert axes[0].get_legend() is None  # 31 patches: no legend

    @settings(max_examples=20, deadline=None)
    @given(
        lookback=st.integers(1, 20),
        n_channels=st.integers(1, 2),
        data=st.data(),
    )
    def test_same_patches_as_spacetime_patcher(self, lookback, n_channels, data):
        patch_len = data.draw(st.integers(1, lookback), label="patch_len")
        padding = data.draw(st.sampled_from(["end", "none"]), label="padding")
        # padding="end" covers every step: no stride past the patch
        longest = patch_len if padding == "end" else 6
        stride = data.draw(st.integers(1, longest), label="stride")
        window = np.random.default_rng(lookback).normal(size=(lookback, n_channels))
        expected = SpacetimePatcher(
            patch_len=patch_len, stride=stride, padding=padding, flatten=False
        ).fit_transform(window[None])[0]  # (n_channels, n_patches, patch_len)
        _, axes = plot_patches(window, patch_len, stride, padding)
        count = n_patches(lookback, patch_len, stride, padding)
        assert expected.shape[1] == count
        for channel, ax in enumerate(axes):
            patches = [
                ln for ln in ax.get_lines() if ln.get_label().startswith("patch")
            ]
            assert len(patches) == count
            drawn = np.array([ln.get_ydata() for ln in patches])
            np.testing.assert_array_equal(drawn, expected[channel])
        plt.close("all")

    def test_errors(self):
        msg = (
            "patch_len=12 is longer than the window (10 steps); pass patch_len <= 10, "
            "or a longer window."
        )
        with raises(ValueError, msg):
            plot_patches(np.arange(10.0), patch_len=12)
        # sklearn's validate_params; it lists a set of options in no fixed order
        msg = r"^The 'padding' parameter of plot_patches must be a str among \{('end', 'none'|'none', 'end')\}\. Got 'start' instead\.$"
        with pytest.raises(ValueError, match=msg):
            plot_patches(np.arange(10.0), patch_len=4, padding="start")
        msg = (
            "The 'stride' parameter of plot_patches must be an int in the range "
            "[1, inf) or None. Got 0 instead."
        )
        with raises(ValueError, msg):
            plot_patches(np.arange(10.0), patch_len=4, stride=0)
        msg = (
            "window_or_series has 10 row(s), fewer than lookback=12; pass a longer "
            "series or a smaller lookback."
        )
        with raises(ValueError, msg):
            plot_patches(np.arange(10.0), patch_len=4, lookback=12)


HISTORY = [
    {"epoch": 1, "train_loss": 1.0, "valid_loss": 1.5},
    {"epoch": 2, "train_loss": 0.6, "valid_loss": 0.9},
    {"epoch": 3, "train_loss": 0.4, "valid_loss": 1.1},
]


@pytest.fixture(scope="module")
def fitted_net():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 8, 1))
    y = rng.normal(size=(40, 2))
    net = PatchForecaster(
        **tiny(patch_len=4, d_model=4, hidden_size=4, max_epochs=3, patience=None)
    )
    return net.fit(X, y)


class TestPlotTrainingHistory:
    def test_list_of_dicts(self):
        fig, ax = plot_training_history(HISTORY)
        assert fig.axes == [ax]
        assert labels(ax) == [
            "train loss",
            "validation loss",
            "best validation (epoch 2)",
        ]
        train, valid, best = ax.get_lines()
        assert train.get_xdata().tolist() == [1, 2, 3]
        assert train.get_ydata().tolist() == [1.0, 0.6, 0.4]
        assert valid.get_ydata().tolist() == [1.5, 0.9, 1.1]
        assert (best.get_xdata().tolist(), best.get_ydata().tolist()) == ([2], [0.9])
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "loss")

    def test_without_validation(self):
        _, ax = plot_training_history([{"epoch": 1, "train_loss": 2.0}])
        assert labels(ax) == ["train loss"]

    def test_estimators_and_skorch_history(self, fitted_net):
        expected = [row["train_loss"] for row in fitted_net.history_]
        wrapped = SeriesForecaster(fitted_net, 8, 2)
        wrapped.estimator_ = fitted_net  # as after fit
        for source in (
            fitted_net.history_,  # a skorch History
            fitted_net,
            wrapped,
            Pipeline([("net", fitted_net)]),
        ):
            _, ax = plot_training_history(source, logy=True)
            assert ax.get_lines()[0].get_ydata().tolist() == expected
            assert ax.get_lines()[0].get_xdata().tolist() == [1, 2, 3]
            assert ax.get_yscale() == "log"
            assert len(ax.get_lines()) == 3

    def test_draws_into_given_axes(self):
        fig, ax = plt.subplots(1, 2)
        got_fig, got_ax = plot_training_history(HISTORY, ax=ax[1])
        assert got_fig is fig and got_ax is ax[1]
        assert len(ax[0].get_lines()) == 0

    def test_errors(self):
        msg = (
            "history_or_estimator holds no epochs; fit the estimator for at least one "
            "epoch (max_epochs >= 1) before plotting its history."
        )
        with raises(ValueError, msg):
            plot_training_history([])
        msg = (
            "history_or_estimator must be a skorch History, a list of dicts with keys "
            "'epoch', 'train_loss' and 'valid_loss', or a fitted estimator with a "
            "history_ attribute; got Ridge. Fit the estimator first."
        )
        with raises(TypeError, msg):
            plot_training_history(Ridge())
        with raises(TypeError, msg.replace("got Ridge", "got PatchForecaster")):
            plot_training_history(PatchForecaster())


class TestPlotBacktestErrors:
    def test_error_by_step_per_column(self, df):
        tidy = backtest(Ridge(), df, lookback=12, horizon=4, n_cutoffs=3)
        fig, ax = plot_backtest_errors(tidy)
        assert fig.axes == [ax]
        assert labels(ax) == ["level", "wave"]
        expected = backtest_errors(tidy, by=["step", "column"])["mae"]
        for line in ax.get_lines():
            assert line.get_xdata().tolist() == [1, 2, 3, 4]
            np.testing.assert_allclose(
                line.get_ydata(), expected.xs(line.get_label(), level="column")
            )
        assert ax.get_title() == "MAE by forecast step over 3 cutoff(s)"
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("forecast step", "MAE")
        _, ax = plot_backtest_errors(tidy, metric="mse", columns=["wave"])
        assert labels(ax) == ["wave"] and ax.get_ylabel() == "MSE"

    def test_errors(self, df):
        tidy = backtest(Ridge(), df, lookback=12, horizon=4, n_cutoffs=2)
        msg = r"^The 'metric' parameter of plot_backtest_errors must be a str among \{('mae', 'mse'|'mse', 'mae')\}\. Got 'rmse' instead\.$"
        with pytest.raises(ValueError, match=msg):
            plot_backtest_errors(tidy, metric="rmse")
        msg = "tidy has no column(s) ['OT'] in its 'column' column; known: ['level', 'wave']."
        with raises(ValueError, msg):
            plot_backtest_errors(tidy, columns=["OT"])


def test_a_forecast_without_time_stamps_beside_a_dated_history_is_refused(df):
    forecast = pd.DataFrame({"level": [1.0, 2.0], "wave": [0.0, 0.1]})  # RangeIndex
    with raises(
        ValueError,
        "forecast has a RangeIndex but history a DatetimeIndex, so they cannot "
        "share a time axis; pass a forecast indexed like the history (the forecast "
        "of SeriesForecaster.predict is).",
    ):
        plot_forecast(df, forecast)
