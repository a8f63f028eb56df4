"""
Backtesting a forecaster
========================

A single train/test split tells little about a forecaster: one season may be
easy, the next hard. :func:`~sktime_patches.backtesting.backtest` refits the
forecaster at several cutoffs and forecasts the ``horizon`` steps after each one,
so that the error can be read per cutoff and per forecast step.

Here we backtest :class:`~sktime_patches.PatchForecaster` and a ridge regression
on the same cutoffs of the weekly ILI series.
"""

# %%
# Set ``SKTIME_PATCHES_FAST=1`` to run in seconds (two cutoffs, one epoch).
import os

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
MAX_EPOCHS = 1 if FAST else 15
N_CUTOFFS = 2 if FAST else 4

# %%
# The data and the two forecasters
# --------------------------------
# Any window regressor becomes a series forecaster with
# :class:`~sktime_patches.series.SeriesForecaster`; ``Ridge`` gets the windows
# flattened to ``(n_windows, lookback)``.
from sklearn.linear_model import Ridge

from sktime_patches import PatchForecaster
from sktime_patches.datasets import load_ili
from sktime_patches.series import SeriesForecaster

df = load_ili()[["% WEIGHTED ILI"]].loc[:"2019-12-31"]  # before COVID-19
lookback, horizon = 104, 12
patch = SeriesForecaster(
    PatchForecaster(patch_len=8, max_epochs=MAX_EPOCHS, random_state=0),
    lookback=lookback,
    horizon=horizon,
)
ridge = SeriesForecaster(Ridge(alpha=1.0), lookback=lookback, horizon=horizon)

# %%
# Backtest
# --------
# The last cutoff is ``horizon`` weeks before the end of the data; the others are
# ``step`` weeks apart before it (here 13 weeks, a quarter). At each cutoff the
# forecaster is refitted on everything up to it (an expanding window).
from sktime_patches.backtesting import backtest, backtest_errors

kwargs = dict(n_cutoffs=N_CUTOFFS, step=13)
tidy = {"PatchForecaster": backtest(patch, df, **kwargs)}
tidy["Ridge"] = backtest(ridge, df, **kwargs)
tidy["PatchForecaster"].head()

# %%
# Errors per cutoff, one column per model:
import pandas as pd

pd.concat({name: backtest_errors(t)["mae"] for name, t in tidy.items()}, axis=1).round(
    3
)

# %%
# Error by forecast step
# ----------------------
# :func:`~sktime_patches.plotting.plot_backtest_errors` averages over the
# cutoffs; the error usually grows with the step.
import matplotlib.pyplot as plt

from sktime_patches.plotting import plot_backtest_errors, plot_forecast

fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
for name, t in tidy.items():
    plot_backtest_errors(t, ax=ax)
    ax.get_lines()[-1].set_label(name)
ax.legend()
plt.show()

# %%
# The forecasts at the last cutoff, against the truth:
last = tidy["PatchForecaster"]["cutoff"].max()
forecasts = {
    name: t[t["cutoff"] == last].set_index("timestamp")["forecast"]
    for name, t in tidy.items()
}
actual = df.loc[forecasts["Ridge"].index]
fig, axes = plot_forecast(
    df.loc[:last],
    forecasts["PatchForecaster"].rename("% WEIGHTED ILI"),
    actual=actual,
    n_history=52,
    figsize=(8, 3.5),
)
ax = axes[0]
for line in ax.get_lines():
    if line.get_label() == "forecast":
        line.set_label("PatchForecaster")
ax.plot(forecasts["Ridge"].index, forecasts["Ridge"], "--", color="C2", label="Ridge")
ax.legend()
plt.show()
