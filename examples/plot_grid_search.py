"""
Grid-search the patch size
==========================

:class:`~sktime_patches.PatchForecaster` is a scikit-learn regressor, so
:class:`~sklearn.model_selection.GridSearchCV` tunes it like any other. Here we
search the patch length and the stride between patches on the weekly ILI data,
with time-ordered folds.

Two details matter for forecasting:

- the folds must respect time: :class:`~sklearn.model_selection.TimeSeriesSplit`
  trains on the earlier windows and validates on later ones;
- with windows one step apart, the targets of the last training windows overlap
  the targets of the first validation windows. ``gap=horizon`` leaves those
  windows out, so nothing the model is scored on was seen as a target in training.
"""

# %%
# Set ``SKTIME_PATCHES_FAST=1`` to run in seconds (a smaller grid, one epoch).
import os

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
MAX_EPOCHS = 1 if FAST else 8
N_SPLITS = 2 if FAST else 3

# %%
# Windows
# -------
# Each window holds 104 weeks of history; the target is the next 24 weeks. The
# last 104 weeks stay out of the search for a final check.
from sktime_patches import make_windows
from sktime_patches.datasets import load_ili

lookback, horizon = 104, 24
series = load_ili()[["% WEIGHTED ILI"]]
train, test = series.iloc[:-104], series.iloc[-(104 + lookback) :]
X, y = make_windows(train, lookback, horizon)
X_test, y_test = make_windows(test, lookback, horizon)
# scikit-learn scorers need 2-D targets: (n_windows, horizon * n_channels)
y, y_test = y.reshape(len(y), -1), y_test.reshape(len(y_test), -1)
print(X.shape, y.shape, X_test.shape)

# %%
# The search
# ----------
# ``stride=None`` means non-overlapping patches (``stride = patch_len``); a
# stride of half the patch length gives overlapping patches and twice the tokens.
# The networks are kept small so that the search takes about a minute on a CPU.
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sktime_patches import PatchForecaster

model = PatchForecaster(
    d_model=32, hidden_size=32, max_epochs=MAX_EPOCHS, random_state=0
)
param_grid = [
    {"patch_len": [8, 16], "stride": [None]},
    {"patch_len": [8], "stride": [4]},
]
if not FAST:
    param_grid.append({"patch_len": [16], "stride": [8]})
search = GridSearchCV(
    model,
    param_grid,
    cv=TimeSeriesSplit(n_splits=N_SPLITS, gap=horizon),
    scoring="neg_mean_absolute_error",
)
search.fit(X, y)
print("best:", search.best_params_, "MAE", round(-search.best_score_, 3))

# %%
# All candidates, best first:
import pandas as pd

results = pd.DataFrame(search.cv_results_)
results["stride"] = results["param_stride"].fillna("None (= patch_len)")
table = results[["param_patch_len", "stride", "mean_test_score", "std_test_score"]]
table.sort_values("mean_test_score", ascending=False)

# %%
# The picture: validation MAE of each candidate, with the spread over folds.
import matplotlib.pyplot as plt

labels = [
    f"patch_len={p}\nstride={s}"
    for p, s in zip(results["param_patch_len"], results["param_stride"], strict=True)
]
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
ax.bar(labels, -results["mean_test_score"], yerr=results["std_test_score"])
ax.set_ylabel("validation MAE (% ILI)")
ax.set_title(f"GridSearchCV, TimeSeriesSplit(n_splits={N_SPLITS}, gap={horizon})")
plt.show()

# %%
# The refitted best model on the held-out last two years:
from sklearn.metrics import mean_absolute_error

print("held-out MAE:", round(mean_absolute_error(y_test, search.predict(X_test)), 3))
