"""
Quickstart: forecast the flu season
===================================

Fit a :class:`~sktime_patches.PatchForecaster` on the weekly influenza-like-illness
(ILI) series bundled with the package, forecast the 24 weeks after a cutoff and
compare them with what really happened.

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
# Fit and forecast
# ----------------
# Hold out the last 24 weeks, fit on the rest, forecast them.
from sktime_patches import PatchForecaster
from sktime_patches.series import SeriesForecaster

horizon, lookback = 24, 104
cutoff = df.index.get_loc("2018-10-30")  # the autumn before the 2019 peak
train, test = df.iloc[: cutoff + 1], df.iloc[cutoff + 1 : cutoff + 1 + horizon]

forecaster = SeriesForecaster(
    PatchForecaster(patch_len=8, max_epochs=MAX_EPOCHS, random_state=0),
    lookback=lookback,
    horizon=horizon,
)
forecaster.fit(train)
forecast = forecaster.predict()
forecast.head()

# %%
# ``forecast`` is indexed by the 24 weeks after the last training week: exactly
# the index of ``test``.
assert forecast.index.equals(test.index)
mae = (forecast - test).abs().mean()
print("mean absolute error per column:")
print(mae.round(3))

# %%
# The picture
# -----------
# :func:`~sktime_patches.plotting.plot_forecast` draws one panel per column: the
# last two years of history, the forecast and the actual values.
import matplotlib.pyplot as plt

from sktime_patches.plotting import plot_forecast, plot_training_history

fig, axes = plot_forecast(train, forecast, actual=test, n_history=2 * lookback)
fig.suptitle("ILI: 24-week forecast vs. what happened")
plt.show()

# %%
# The training curve: the model holds out its latest 10% of windows for early
# stopping and keeps the weights of the best validation epoch.
plot_training_history(forecaster)
plt.show()
