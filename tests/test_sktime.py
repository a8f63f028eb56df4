"""The sktime forecaster: sktime's own estimator suite, and its tools on results."""

import numpy as np
import pandas as pd
import pytest
from helpers import tiny

sktime = pytest.importorskip("sktime", reason="the sktime extra is not installed")

from sktime.datasets import load_airline  # noqa: E402
from sktime.forecasting.base import ForecastingHorizon  # noqa: E402
from sktime.forecasting.compose import TransformedTargetForecaster  # noqa: E402
from sktime.forecasting.model_evaluation import evaluate  # noqa: E402
from sktime.forecasting.model_selection import ForecastingGridSearchCV  # noqa: E402
from sktime.split import ExpandingWindowSplitter, SlidingWindowSplitter  # noqa: E402
from sktime.transformations.series.detrend import Deseasonalizer  # noqa: E402
from sktime.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from sktime_patches.sktime import PatchLSTMForecaster  # noqa: E402

FAST = tiny(lookback=24, d_model=16, hidden_size=16, max_epochs=3)


@parametrize_with_checks(PatchLSTMForecaster)
def test_sktime_estimator_suite(obj, test_name):
    """Every check of sktime's suite, for each of get_test_params' settings."""
    from sktime.utils.estimator_checks import check_estimator

    check_estimator(obj, tests_to_run=test_name, raise_exceptions=True)


def test_evaluate_with_an_expanding_window():
    y = load_airline()
    cv = ExpandingWindowSplitter(initial_window=96, step_length=12, fh=[1, 2, 3])
    results = evaluate(forecaster=PatchLSTMForecaster(**FAST), y=y, cv=cv)
    assert len(results) == 4
    mape = results["test_MeanAbsolutePercentageError"]
    assert np.isfinite(mape).all() and (mape < 0.3).all()


def test_grid_search_over_patch_len_picks_by_the_cv_error():
    y = load_airline()
    cv = SlidingWindowSplitter(window_length=96, step_length=12, fh=[1, 2, 3])
    search = ForecastingGridSearchCV(
        PatchLSTMForecaster(**FAST), cv=cv, param_grid={"patch_len": [4, 12]}
    ).fit(y[:-12], fh=[1, 2, 3])
    scores = search.cv_results_["mean_test_MeanAbsolutePercentageError"]
    assert np.isfinite(scores).all()
    assert search.best_params_["patch_len"] == [4, 12][int(np.argmin(scores))]
    assert len(search.predict(fh=[1, 2, 3])) == 3


def test_after_a_deseasonalizer_the_forecast_is_reseasonalised():
    """In a TransformedTargetForecaster the network forecasts the deseasonalised
    series; the pipeline's forecast puts the season back, so it follows the
    monthly pattern of the held-out year better than the network alone
    forecasting the raw series from so little data."""
    y = load_airline()
    train, test = y[:-12], y[-12:]
    fh = ForecastingHorizon(test.index, is_relative=False)
    pipe = TransformedTargetForecaster(
        [
            ("deseasonalize", Deseasonalizer(sp=12, model="multiplicative")),
            ("forecast", PatchLSTMForecaster(**FAST)),
        ]
    ).fit(train, fh=fh)
    pred = pipe.predict()
    assert pred.index.equals(test.index)
    deseasonalised = pipe.steps_[0][1].transform(test)
    inner = pipe.steps_[-1][1].predict(fh=fh)
    # the pipeline's forecast is the inner forecast times the seasonal factors
    np.testing.assert_allclose(
        pred.to_numpy().ravel(),
        inner.to_numpy().ravel() * (test / deseasonalised).to_numpy().ravel(),
        rtol=1e-8,
    )
    assert np.mean(np.abs(pred - test) / test) < 0.15


def test_intervals_in_sktimes_layout_and_exogenous_x():
    y = load_airline()
    X = pd.DataFrame({"month": y.index.month.astype(float)}, index=y.index)
    forecaster = PatchLSTMForecaster(**FAST).fit(y[:-6], X=X[:-6], fh=[1, 3, 6])
    bands = forecaster.predict_interval(X=X[-6:], coverage=[0.8, 0.95])
    assert bands.columns.tolist() == [
        ("Number of airline passengers", c, side)
        for c in (0.8, 0.95)
        for side in ("lower", "upper")
    ]
    assert bands.index.equals(y.index[[-6, -4, -1]])
    point = forecaster.predict(X=X[-6:])
    lower = bands[("Number of airline passengers", 0.8, "lower")]
    assert (lower.to_numpy() <= point.to_numpy().ravel()).all()


def test_saved_in_the_package_format_it_loads_and_forecasts_the_same(tmp_path):
    from sktime_patches import load

    y = load_airline()
    X = pd.DataFrame({"month": y.index.month.astype(float)}, index=y.index)
    forecaster = PatchLSTMForecaster(**FAST).fit(y[:-6], X=X[:-6], fh=[1, 2, 6])
    path = forecaster.save(tmp_path / "airline.skp")
    loaded = load(path)
    assert loaded.cutoff == forecaster.cutoff
    pd.testing.assert_series_equal(
        loaded.predict(X=X[-6:]), forecaster.predict(X=X[-6:])
    )
    pd.testing.assert_frame_equal(
        loaded.predict_interval(X=X[-6:], coverage=0.9),
        forecaster.predict_interval(X=X[-6:], coverage=0.9),
    )
    # sktime's own save (pickle) still works
    from sktime.base import load as sktime_load

    assert sktime_load(forecaster.save()).cutoff == forecaster.cutoff
