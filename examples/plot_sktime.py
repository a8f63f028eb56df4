"""
In sktime: evaluate, tune, pipeline
===================================

:class:`~sktime_patches.sktime.PatchLSTMForecaster` is an sktime forecaster
(``pip install "sktime_patches[sktime]"``), so sktime's tools take it as they
take any other: here ``evaluate`` over an expanding window on the airline
data, the same inside a ``TransformedTargetForecaster`` after a
``Deseasonalizer``, and prediction intervals in sktime's layout.
"""

# %%
# Set ``SKTIME_PATCHES_FAST=1`` to run in seconds (one epoch, two folds).
import os

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
MAX_EPOCHS = 1 if FAST else 30

# %%
# Evaluate over an expanding window
# ---------------------------------
from sktime.datasets import load_airline
from sktime.forecasting.compose import TransformedTargetForecaster
from sktime.forecasting.model_evaluation import evaluate
from sktime.split import ExpandingWindowSplitter
from sktime.transformations.series.detrend import Deseasonalizer

from sktime_patches.sktime import PatchLSTMForecaster

y = load_airline()
cv = ExpandingWindowSplitter(
    initial_window=120 if FAST else 96, step_length=12, fh=list(range(1, 13))
)
network = PatchLSTMForecaster(lookback=24, max_epochs=MAX_EPOCHS, random_state=0)
pipeline = TransformedTargetForecaster(
    [
        ("deseasonalize", Deseasonalizer(sp=12, model="multiplicative")),
        ("forecast", network),
    ]
)
scores = {
    name: evaluate(forecaster=model, y=y, cv=cv)["test_MeanAbsolutePercentageError"]
    for name, model in (
        ("network alone", network),
        ("after a Deseasonalizer", pipeline),
    )
}
{name: round(float(s.mean()), 4) for name, s in scores.items()}

# %%
# Intervals, in sktime's layout
# -----------------------------
# ``predict_interval`` returns columns ``(variable, coverage, lower/upper)``:
# split-conformal intervals calibrated on the latest training windows.
# The package's ``plot_forecast`` draws them as they come.
from sktime_patches.plotting import plot_forecast

fitted = pipeline.clone().fit(y[:-12], fh=list(range(1, 13)))
bands = fitted.predict_interval(coverage=[0.8, 0.95])
fig, _ = plot_forecast(
    y[:-12], fitted.predict(), y[-12:], n_history=36, intervals=bands
)
fig.suptitle("Airline passengers: 12 months ahead, with 80% and 95% intervals")
