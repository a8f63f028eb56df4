"""
Quickstart: forecast the flu season
===================================

Fit a :class:`~sktime_patches.PatchForecaster` on the weekly influenza-like-illness
(ILI) series bundled with the package, score its forecasts on two held-out years
beside the baselines every forecaster must beat, and compare a forecast with what
really happened.

:class:`~sktime_patches.series.SeriesForecaster` does the bookkeeping around the
window model: it cuts the DataFrame into windows of ``lookback`` weeks followed by
``horizon`` weeks, fits the model on them, and returns the forecast as a DataFrame
indexed by the next ``horizon`` weeks, with the same columns.
"""

# %%
# Settings. Set the environment variable ``SKTIME_PATCHES_FAST=1`` to run this
# script in a few seconds (fewer epochs; the forecast is then rough).
import os

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
MAX_EPOCHS = 2 if FAST else 30

# %%
# The data
# --------
# 966 weeks (2002-2020) of seven ILI statistics; we forecast two of them: the
# weighted percentage of doctor visits for influenza-like illness and the total
# number of ILI visits. Their scales differ by four orders of magnitude, which is
# no problem: the network normalises every window and channel on its own.
from sktime_patches.datasets import load_ili

df = load_ili()[["% WEIGHTED ILI", "ILITOTAL"]]
print(df.shape, df.index.freqstr)
df.tail()

# %%
# Fit, and score on two held-out years
# -------------------------------------
# :func:`~sktime_patches.backtesting.holdout_errors` fits the forecaster on all
# but the last 104 weeks, forecasts every 24-week stretch inside them, and scores
# it beside the baselines any forecast must beat: repeating the last value, the
# seasonal naive forecast (last year's values) and the closed-form linear model.
# ``lookback="auto"`` picks the weeks of history each forecast reads by the
# linear model's error on the latest training weeks.
from sktime_patches import PatchForecaster
from sktime_patches.backtesting import holdout_errors
from sktime_patches.series import SeriesForecaster

horizon, holdout = 24, 104
forecaster = SeriesForecaster(
    PatchForecaster(max_epochs=MAX_EPOCHS, random_state=0),
    lookback="auto",
    horizon=horizon,
)
errors, fitted = holdout_errors(forecaster, df, holdout)
print(f"lookback chosen: {fitted.lookback_} weeks")
errors.round(3)

# %%
# Read the table column by column: the two statistics live on scales four
# orders of magnitude apart, so MAE and MSE mix them; MASE divides each
# column's error by that of the seasonal naive forecast on the training weeks
# (below 1 beats it). ``best_epoch_`` says whether training improved on the
# linear start (0: it did not, and the model is that linear forecaster).
print("epoch kept:", fitted.estimator_.best_epoch_)

# %%
# The picture
# -----------
# :func:`~sktime_patches.plotting.plot_forecast` draws one panel per column: the
# last three years of training history, the first 24-week forecast into the
# held-out weeks, and what really happened.
import matplotlib.pyplot as plt

from sktime_patches.plotting import plot_forecast, plot_training_history

train, test = df.iloc[:-holdout], df.iloc[-holdout:]
fig, axes = plot_forecast(train, fitted.predict(train), actual=test, n_history=156)
fig.suptitle("ILI: 24-week forecast into two held-out years")
plt.show()

# %%
# The training curve: the model holds out its latest 10% of windows for early
# stopping and keeps the weights of the best validation epoch.
plot_training_history(fitted)
plt.show()
