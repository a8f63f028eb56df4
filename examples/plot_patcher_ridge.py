"""
Patches for a linear model: SpacetimePatcher + Ridge
====================================================

:class:`~sktime_patches.SpacetimePatcher` is the patching step of the network as
a scikit-learn transformer. With ``features="stats"`` it summarises every patch by
six numbers (mean, std, min, max, last value and slope), a compact input for any
regressor. ``make_pipeline(SpacetimePatcher(...), Ridge())`` is a strong, fast
baseline; here it meets :class:`~sktime_patches.PatchForecaster` on the hourly
oil temperature of ETTh1.
"""

# %%
# Set ``SKTIME_PATCHES_FAST=1`` to run in seconds (less data, one epoch).
import os

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
MAX_EPOCHS = 1 if FAST else 10
N_TRAIN = 1500 if FAST else 4 * 720  # hours: 2 or 4 months

# %%
# Windows of one week, forecasting the next day
# ---------------------------------------------
# Train on the first months of ETTh1, test on the month after.
from sktime_patches import make_windows
from sktime_patches.datasets import load_etth1

lookback, horizon = 168, 24
ot = load_etth1()[["OT"]]
train, test = ot.iloc[:N_TRAIN], ot.iloc[N_TRAIN - lookback : N_TRAIN + 720]
X, y = make_windows(train, lookback, horizon)
X_test, y_test = make_windows(test, lookback, horizon, stride=horizon)
y2 = y.reshape(len(y), -1)
print("train windows", X.shape, "test windows", X_test.shape)

# %%
# What the patcher sees
# ---------------------
# :func:`~sktime_patches.plotting.plot_patches` colours each patch of a window;
# a week cut into 24-hour patches gives seven patches, one per day.
import matplotlib.pyplot as plt

from sktime_patches.plotting import plot_patches

plot_patches(X[-1], patch_len=24, figsize=(8, 3))
plt.show()

# %%
# Three models
# ------------
# The same windows go to each; the pipelines take the 3-D windows
# ``(n_windows, lookback, n_channels)``, plain ``Ridge`` takes them flattened.
import time

from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.pipeline import make_pipeline

from sktime_patches import PatchForecaster, SpacetimePatcher

models = {
    "Ridge on raw windows": (Ridge(alpha=1.0), True),
    "SpacetimePatcher(stats) + Ridge": (
        make_pipeline(SpacetimePatcher(patch_len=24, features="stats"), Ridge()),
        False,
    ),
    "PatchForecaster": (
        PatchForecaster(patch_len=24, max_epochs=MAX_EPOCHS, random_state=0),
        False,
    ),
}
scores, predictions = {}, {}
for name, (model, flat) in models.items():
    Xf, Xt = (X[:, :, 0], X_test[:, :, 0]) if flat else (X, X_test)
    start = time.perf_counter()
    model.fit(Xf, y2)
    seconds = time.perf_counter() - start
    predictions[name] = model.predict(Xt).reshape(y_test.shape)
    mae = mean_absolute_error(y_test.ravel(), predictions[name].ravel())
    scores[name] = {"test MAE (°C)": round(mae, 3), "fit seconds": round(seconds, 1)}

import pandas as pd

pd.DataFrame(scores).T

# %%
# The last test day
# -----------------
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
ax.plot(range(-lookback, 0), X_test[-1, :, 0], color="0.5", label="history")
ax.plot(range(horizon), y_test[-1, :, 0], "k:", label="actual")
for name, pred in predictions.items():
    ax.plot(range(horizon), pred[-1, :, 0], label=name)
ax.set_xlim(-72, horizon)
ax.set_xlabel("hours from the forecast start")
ax.set_ylabel("oil temperature (°C)")
ax.legend(fontsize="small")
plt.show()

# %%
# Linear models of patch statistics are hard to beat on a single smooth series
# like this one, and they fit in a fraction of a second: keep one as the
# baseline of every comparison. The network pays off with more data, more
# channels and longer horizons; measure it with
# :func:`~sktime_patches.backtesting.backtest` over several cutoffs.
