"""
Choosing a patch encoder
========================

Each patch is embedded into a token by a small network before the LSTM reads the
tokens. :class:`~sktime_patches.PatchForecaster` offers four encoders:

- ``"linear"``: one linear map (as PatchTST); fast and hard to overfit;
- ``"mlp"``: two layers with a non-linearity;
- ``"conv"``: a 1-D convolution over the steps of the patch;
- ``"transformer"``: self-attention over the steps of the patch.

Here each is trained with the same settings on the ILI series and scored on the
windows of a held-out tail, the last two years.
"""

# %%
# Set ``SKTIME_PATCHES_FAST=1`` to run in seconds (recent years only, one epoch
# each).
import os

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
MAX_EPOCHS = 1 if FAST else 10
N_WEEKS = 500 if FAST else None  # None: all 966 weeks

# %%
# Windows and the held-out tail
# -----------------------------
from sktime_patches import make_windows
from sktime_patches.datasets import load_ili

lookback, horizon, holdout = 104, 24, 104
series = load_ili()[["% WEIGHTED ILI"]]
if N_WEEKS is not None:
    series = series.iloc[-N_WEEKS:]
X, y = make_windows(series.iloc[:-holdout], lookback, horizon)
X_test, y_test = make_windows(series.iloc[-(holdout + lookback) :], lookback, horizon)

# %%
# Train one model per encoder
# ---------------------------
# Early stopping is off (``patience=None``) so that every encoder trains for the
# same number of epochs and is judged on the weights it ends with.
import time

import numpy as np

from sktime_patches import PatchForecaster

results = {}
for encoder in ["linear", "mlp", "conv", "transformer"]:
    model = PatchForecaster(
        encoder=encoder,
        patch_len=8,
        d_model=32,
        hidden_size=32,
        max_epochs=MAX_EPOCHS,
        patience=None,
        random_state=0,
    )
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    mae = float(np.mean(np.abs(model.predict(X_test) - y_test)))
    n_params = sum(p.numel() for p in model.net_.module_.parameters())
    results[encoder] = {
        "held-out MAE": mae,
        "fit seconds": seconds,
        "parameters": n_params,
        "epochs": model.n_epochs_,
    }

import pandas as pd

table = pd.DataFrame(results).T
table.round(3)

# %%
# The picture
# -----------
# Error and training time side by side. On a short, smooth series like ILI the
# simple encoders usually do about as well as the larger ones and train faster
# (and with a linear skip, ``linear_skip``, the encoder only shapes a correction
# to a linear forecast, so the differences shrink further). Compare encoders on
# longer, richer data, and on a backtest
# (:func:`~sktime_patches.backtesting.backtest`) rather than one split, before
# choosing.
import matplotlib.pyplot as plt

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
ax1.bar(table.index, table["held-out MAE"], color="C0")
ax1.set_ylabel("held-out MAE (% ILI)")
ax2.bar(table.index, table["fit seconds"], color="C1")
ax2.set_ylabel("fit time (s)")
fig.suptitle("PatchForecaster encoders on ILI")
plt.show()
