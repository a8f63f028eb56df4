"""
Training on a GPU
=================

``device="auto"`` trains on a CUDA GPU when torch sees one and on the CPU
otherwise, so the same script runs everywhere. This example fits
:class:`~sktime_patches.PatchForecaster` on all seven channels of the hourly
ETTh1 data with ``device="auto"``; it runs on a CPU too, only slower.

Notes for real GPU work:

- **Mixed precision** (``amp=True``) runs the network in float16 with gradient
  scaling on CUDA: faster and lighter on GPUs with tensor cores. The loss, the
  optimizer state and the predictions stay float32. On a CPU it uses bfloat16,
  which is fast only on CPUs with native bfloat16 support; leave it off there.
- **Pinned memory**: on CUDA, batches are loaded into page-locked (pinned) host
  memory and copied to the GPU without blocking, so the copy of the next batch
  overlaps the computation on the current one. Nothing to set.
- **Batch size**: a GPU is only busy with large batches; ``batch_size=512`` or
  more suits small networks like this one (the learning rate may then need to
  grow a little).
- **Portability**: a model fitted on a GPU pickles as usual and unpickles on a
  machine without one, where it predicts on the CPU.
- **Data that does not fit in memory as windows**: see the "Scaling out" page of
  the documentation.
"""

# %%
# Set ``SKTIME_PATCHES_FAST=1`` to run in seconds (less data, one epoch). On a
# GPU the model trains on the usual 12-month training part of ETTh1; on a CPU on
# its first 100 days and for fewer epochs, to stay around a minute.
import os

import torch

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
GPU = torch.cuda.is_available()
MAX_EPOCHS = 1 if FAST else (10 if GPU else 5)
N_ROWS = 900 if FAST else (8640 if GPU else 2400)  # hours

# %%
# Which device?
# -------------
print("CUDA available:", GPU)
if GPU:
    print("GPU:", torch.cuda.get_device_name(0))

# %%
# Fit with ``device="auto"``
# --------------------------
# ``amp`` only where it pays: on CUDA.
import time

from sktime_patches import PatchForecaster, make_windows
from sktime_patches.datasets import load_etth1

df = load_etth1().iloc[:N_ROWS]
lookback, horizon = 336, 96
X, y = make_windows(df, lookback, horizon)
n_test = 200  # the latest windows; the model never sees them in training
X_train, y_train = X[: -n_test - horizon], y[: -n_test - horizon]
X_test, y_test = X[-n_test:], y[-n_test:]

model = PatchForecaster(
    patch_len=16,
    max_epochs=MAX_EPOCHS,
    batch_size=512 if GPU else 128,
    device="auto",
    amp=GPU,
    random_state=0,
)
start = time.perf_counter()
model.fit(X_train, y_train)
print(f"trained on {model.device_!r} in {time.perf_counter() - start:.1f} s")

# %%
# Predictions come back as float64 numpy arrays, whatever the device.
import numpy as np

pred = model.predict(X_test)
print(
    pred.dtype, pred.shape, "test MAE", round(float(np.mean(np.abs(pred - y_test))), 3)
)

# %%
# A pickle round trip gives the same predictions (on a machine without a GPU the
# unpickled model predicts on the CPU).
import pickle

restored = pickle.loads(pickle.dumps(model))
print("same predictions:", np.allclose(restored.predict(X_test), pred, atol=1e-5))

# %%
# The training curve
# ------------------
import matplotlib.pyplot as plt

from sktime_patches.plotting import plot_training_history

fig, ax = plot_training_history(model)
ax.set_title(f"ETTh1, 7 channels, device {model.device_!r}")
plt.show()
