"""
Prediction intervals
====================

A forecast is more useful with a statement of how far to trust it. This
example gets 80% and 95% intervals for the oil temperature of the bundled
ETTh1 data in three ways, and checks them on weeks the models never saw:

- **conformal** around the point forecaster: a
  :class:`~sktime_patches.series.SeriesForecaster` around a
  ``PatchForecaster`` conformalises the network on the windows it held out to
  stop early (``intervals_``; the forecast is the network's, nothing is
  trained again): one interval width per horizon step, with a coverage
  guarantee when the future behaves like the calibration period;
- the same, **tracked**: given each day's values as they arrive
  (:meth:`~sktime_patches.series.SeriesForecaster.update`), the intervals
  widen after misses and narrow after hits, to keep their coverage as the
  errors drift;
- **quantile heads** (``PatchForecaster(quantiles=...)``) trained with the
  pinball loss, then calibrated by
  :class:`~sktime_patches.conformal.ConformalForecaster` (``method="cqr"``),
  so the width can follow each window.
"""

# %%
# Set ``SKTIME_PATCHES_FAST=1`` to run in seconds (a shorter history, one epoch).
import os

FAST = bool(os.environ.get("SKTIME_PATCHES_FAST"))
MAX_EPOCHS = 1 if FAST else 30
N_ROWS = 2_000 if FAST else 8_000

# %%
# The data: hourly oil temperature, the last four weeks held out
# --------------------------------------------------------------
from sktime_patches.datasets import load_etth1

oil = load_etth1()["OT"].iloc[:N_ROWS]
test_rows = 4 * 7 * 24
history, future = oil.iloc[:-test_rows], oil.iloc[-test_rows:]
lookback, horizon = 168, 24  # a week of history, a day ahead

# %%
# Two interval forecasters
# ------------------------
# :class:`~sktime_patches.series.SeriesForecaster` brings both to the series;
# its ``predict_interval`` returns sktime's layout: columns ``(column,
# coverage, "lower"/"upper")``.
from sktime_patches import PatchForecaster
from sktime_patches.conformal import ConformalForecaster
from sktime_patches.series import SeriesForecaster

network = dict(max_epochs=MAX_EPOCHS, random_state=0)
conformal = SeriesForecaster(PatchForecaster(**network), lookback, horizon)
conformal.fit(history)
cqr = SeriesForecaster(
    ConformalForecaster(
        PatchForecaster(quantiles=(0.025, 0.1, 0.9, 0.975), **network), method="cqr"
    ),
    lookback,
    horizon,
).fit(history)
bands = conformal.predict_interval(coverage=[0.8, 0.95])
bands.head()

# %%
# The forecast of the first held-out day, with its bands
# ------------------------------------------------------
from sktime_patches.plotting import plot_forecast

fig, _ = plot_forecast(
    history, conformal.predict(), future.iloc[:horizon], n_history=3 * horizon,
    intervals=bands,
)  # fmt: skip
fig.suptitle("Oil temperature: a day ahead, with 80% and 95% intervals")

# %%
# Are they honest? Coverage on the held-out weeks
# -----------------------------------------------
# :func:`~sktime_patches.backtesting.backtest` refits at each cutoff; here we
# rather forecast every day of the held-out weeks from the models fitted
# above, and count how often the truth falls inside. The tracked copy is given
# each day's values once the day is over, before it forecasts the next.
import copy

import numpy as np
import pandas as pd

from sktime_patches.metrics import interval_coverage, interval_width

rows = []
tracked = copy.deepcopy(conformal)
models = (("conformal", conformal), ("conformal, tracked", tracked))
for name, model in (*models, ("quantile head + CQR", cqr)):
    lower, upper, actual = {0.8: [], 0.95: []}, {0.8: [], 0.95: []}, []
    for start in range(0, test_rows - horizon + 1, horizon):
        seen = oil.iloc[: len(history) + start]
        if model is tracked and start:  # the day just observed
            model.update(future.iloc[start - horizon : start])
        day = model.predict_interval(seen, coverage=[0.8, 0.95])
        actual.append(future.iloc[start : start + horizon].to_numpy())
        for c in (0.8, 0.95):
            lower[c].append(day[("OT", c, "lower")].to_numpy())
            upper[c].append(day[("OT", c, "upper")].to_numpy())
    y = np.concatenate(actual)
    for c in (0.8, 0.95):
        lo, hi = np.concatenate(lower[c]), np.concatenate(upper[c])
        rows.append(
            {
                "method": name,
                "nominal": c,
                "coverage": interval_coverage(y, lo, hi),
                "mean width": interval_width(lo, hi),
            }
        )
pd.DataFrame(rows).round(3)

# %%
# Coverage close to nominal is what the intervals promise; between two
# methods that cover, the narrower is the more useful. The benchmark tables
# (``benchmarks/RESULTS.md``) compare these methods on every test window of
# ETTh1 and ILI.
