"""Prediction intervals on test windows under the protocol: coverage, width, scores.

Four ways to get 80% and 95% intervals, each scored on every test window:

- ``conformal``: split conformal (absolute errors) around the default
  :class:`~sktime_patches.PatchForecaster`;
- ``conformal_scaled``: the same, scores divided by each window's spread
  (locally adaptive);
- ``quantile``: the network's own quantile head
  (``PatchForecaster(quantiles=(0.025, 0.1, 0.9, 0.975))``), uncalibrated;
- ``cqr``: that quantile head calibrated by conformalised quantile regression;
- ``ridge_conformal``: split conformal around the closed-form last-value
  ridge (:class:`~sktime_patches.baselines.LastValueRidge`);
- ``conformal_online`` and ``cqr_online``: ``conformal`` and ``cqr`` with
  their scores updated as the test period unfolds
  (:meth:`~sktime_patches.conformal.ConformalForecaster.update`, keeping the
  latest as many scores as there are val windows): the test windows are
  forecast in blocks (a day of ETTh1, four weeks of ILI), and before each
  block the windows whose targets have all been observed by then join the
  scores. No test value is used before it is observed.

Every model is trained on the train windows (early stopping and the ridge's
penalty on the latest 10% of them, the estimators' own split) and calibrated
on the val windows (:meth:`~sktime_patches.conformal.ConformalForecaster.calibrate`);
the test windows are scored once per seed. Widths, pinball losses and MSIS
are on the protocol's scale (each channel standardised on train); MSIS divides
by each channel's mean absolute one-step change over the train rows (M4's
scale with a season of 1).

Usage::

    python benchmarks/studies/intervals.py --dataset ili --horizon 24 60 --seeds 0 1 2
    python benchmarks/studies/intervals.py --dataset etth1 --horizon 96 336 \\
        --seeds 0 1 2

Writes ``benchmarks/results/studies/intervals_<dataset>_L<L>_H<h>.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import protocol
from run import STUDY_RESULTS, provenance, write_record

from sktime_patches import PatchForecaster
from sktime_patches.baselines import LastValueRidge
from sktime_patches.conformal import ConformalForecaster
from sktime_patches.metrics import (
    interval_coverage,
    interval_width,
    msis,
    pinball_values,
)

COVERAGES = (0.8, 0.95)
QUANTILES = (0.025, 0.1, 0.9, 0.975)
METHODS = (
    "conformal",
    "conformal_scaled",
    "conformal_online",
    "quantile",
    "cqr",
    "cqr_online",
    "ridge_conformal",
)
#: Test windows forecast between two updates of the online scores.
BLOCK = {"etth1": 24, "ili": 4}


def online_intervals(
    model: ConformalForecaster,
    X: np.ndarray,
    y: np.ndarray,
    horizon: int,
    block: int,
) -> np.ndarray:
    """Intervals of every test window, forecast ``block`` windows at a time,
    the scores updated before each block with the windows whose ``horizon``
    targets have all been observed (window ``i`` by the origin of ``i +
    horizon``)."""
    out = np.empty((*y.shape, len(COVERAGES), 2))
    known = 0
    for start in range(0, len(X), block):
        done = max(start - horizon + 1, 0)  # windows i <= start - horizon
        if done > known:
            model.update(X[known:done], y[known:done])
            known = done
        stop = min(start + block, len(X))
        out[start:stop] = model.predict_interval(X[start:stop], COVERAGES)
    return out


def scores(y: np.ndarray, intervals: np.ndarray, scale: np.ndarray) -> dict[str, float]:
    """Coverage, width and MSIS per coverage, and the pinball loss over the
    intervals' bounds as quantile levels; ``intervals`` is ``y.shape + (2
    coverages, 2)``."""
    out: dict[str, float] = {}
    bounds, levels = [], []
    for k, c in enumerate(COVERAGES):
        lo, hi = intervals[..., k, 0], intervals[..., k, 1]
        out[f"coverage_{c:g}"] = interval_coverage(y, lo, hi)
        out[f"width_{c:g}"] = interval_width(lo, hi)
        out[f"msis_{c:g}"] = msis(y, lo, hi, c, scale=scale)
        bounds += [lo, hi]
        levels += [(1 - c) / 2, (1 + c) / 2]
    out["pinball"] = float(np.mean(pinball_values(y, np.stack(bounds, -1), levels)))
    return out


def run_seed(
    split: protocol.Split, horizon: int, seed: int, threads: int
) -> dict[str, dict[str, float]]:
    """Every method's test scores for one seed."""
    X_tr, y_tr = split.windows("train", horizon)
    X_val, y_val = split.windows("val", horizon)
    X_te, y_te = split.windows("test", horizon)
    train_rows = split.segments["train"]
    scale = np.abs(np.diff(train_rows, axis=0)).mean(axis=0)  # per channel
    common = {"lookback": split.lookback, "horizon": horizon, "n_jobs": threads}
    results: dict[str, dict[str, float]] = {}

    def record(name: str, intervals: np.ndarray, seconds: float, **extra: Any) -> None:
        results[name] = {**scores(y_te, intervals, scale), "fit_seconds": seconds}
        results[name].update(extra)
        print(
            f"  {name:17s} "
            + " ".join(
                f"cov{c:g} {results[name][f'coverage_{c:g}']:.3f} "
                f"w {results[name][f'width_{c:g}']:.3f}"
                for c in COVERAGES
            ),
            flush=True,
        )

    start = time.perf_counter()
    point = PatchForecaster(random_state=seed, **common).fit(X_tr, y_tr)
    point_seconds = time.perf_counter() - start
    test_mse = float(np.mean((point.predict(X_te) - y_te) ** 2))
    for method, name in (("absolute", "conformal"), ("scaled", "conformal_scaled")):
        model = ConformalForecaster(point, method=method).calibrate(X_val, y_val)
        record(
            name,
            model.predict_interval(X_te, COVERAGES),
            point_seconds,
            test_mse=test_mse,
        )
    block = BLOCK[split.dataset]
    online = ConformalForecaster(point, max_scores=len(X_val)).calibrate(X_val, y_val)
    record(
        "conformal_online",
        online_intervals(online, X_te, y_te, horizon, block),
        point_seconds,
        test_mse=test_mse,
    )

    start = time.perf_counter()
    quantile = PatchForecaster(quantiles=QUANTILES, random_state=seed, **common)
    quantile.fit(X_tr, y_tr)
    quantile_seconds = time.perf_counter() - start
    median_mse = float(np.mean((quantile.predict(X_te) - y_te) ** 2))
    record(
        "quantile",
        quantile.predict_interval(X_te, COVERAGES),
        quantile_seconds,
        test_mse=median_mse,
    )
    cqr = ConformalForecaster(quantile, method="cqr").calibrate(X_val, y_val)
    record(
        "cqr",
        cqr.predict_interval(X_te, COVERAGES),
        quantile_seconds,
        test_mse=median_mse,
    )
    cqr_online = ConformalForecaster(
        quantile, method="cqr", max_scores=len(X_val)
    ).calibrate(X_val, y_val)
    record(
        "cqr_online",
        online_intervals(cqr_online, X_te, y_te, horizon, block),
        quantile_seconds,
        test_mse=median_mse,
    )

    start = time.perf_counter()
    ridge = LastValueRidge().fit(X_tr, y_tr)
    ridge_seconds = time.perf_counter() - start
    ridge_conformal = ConformalForecaster(ridge).calibrate(X_val, y_val)
    record(
        "ridge_conformal",
        ridge_conformal.predict_interval(X_te, COVERAGES),
        ridge_seconds,
        test_mse=float(np.mean((ridge.predict(X_te) - y_te) ** 2)),
    )
    return results


def summarise(runs: list[dict[str, dict[str, float]]]) -> dict[str, Any]:
    """Per method and figure: mean and std (ddof=0) over seeds."""
    out: dict[str, Any] = {}
    for method in METHODS:
        out[method] = {}
        for key in runs[0][method]:
            values = np.asarray([r[method][key] for r in runs], dtype=float)
            out[method][key] = {
                "mean": float(values.mean()),
                "std": float(values.std()),
            }
    return out


def run_cell(
    dataset: str, horizon: int, seeds: list[int], threads: int, out_dir: Path
) -> dict[str, Any]:
    torch.set_num_threads(threads)
    split = protocol.prepare(dataset)
    runs = []
    for seed in seeds:
        print(f"{dataset} H={horizon} seed={seed}", flush=True)
        runs.append(run_seed(split, horizon, seed, threads))
    record = {
        "dataset": dataset,
        "lookback": split.lookback,
        "horizon": horizon,
        "coverages": list(COVERAGES),
        "quantiles": list(QUANTILES),
        "seeds": seeds,
        "n_calibration_windows": len(split.windows("val", horizon)[0]),
        "n_test_windows": len(split.windows("test", horizon)[0]),
        "runs": runs,
        "summary": summarise(runs),
        **provenance(threads),
    }
    write_record(
        out_dir / f"intervals_{dataset}_L{split.lookback}_H{horizon}.json", record
    )
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(protocol.DATASETS), required=True)
    parser.add_argument("--horizon", type=int, nargs="+", required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=STUDY_RESULTS)
    protocol.add_data_dir_argument(parser)
    args = parser.parse_args(argv)
    for horizon in args.horizon:
        run_cell(args.dataset, horizon, args.seeds, args.threads, args.out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
