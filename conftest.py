"""Test-wide settings: one torch thread per test worker, a headless matplotlib."""

import os

import matplotlib
import torch

matplotlib.use("Agg")
# pytest -n 2 runs two workers on a 2-core machine: one thread each, no fighting.
torch.set_num_threads(int(os.environ.get("SKTIME_PATCHES_TEST_THREADS", "1")))
