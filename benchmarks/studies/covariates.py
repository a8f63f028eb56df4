"""Do covariates earn their place? ETTh1's oil temperature, and a known future.

Two experiments, test MSE on every test window, all choices on train/val:

- **ETTh1, "S" against "MS".** The oil temperature (OT) forecast from OT
  alone, and from all seven channels (the six load series as past covariates:
  ``PatchForecaster(target_channels=[OT])``), at H=96 and 336, each beside
  the closed-form ridge on the same inputs (last value subtracted per channel,
  penalty chosen on val). Early stopping on val, as ``run.py`` does.
- **A known-future driver.** A synthetic hourly series, a daily wave plus 1.5
  times a random driver known in advance (a planned price), plus noise: the
  default ``PatchForecaster`` from the series alone, and with the driver as a
  future covariate (``future_channels``). The issue asks the covariate-aware
  model to at least halve the error.

Usage::

    python benchmarks/studies/covariates.py --seeds 0 1 2

Writes ``benchmarks/results/studies/covariates_etth1_H<h>.json`` and
``benchmarks/results/studies/covariates_synthetic.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.linear_model import Ridge

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import protocol
from baselines import ALPHAS
from run import STUDY_RESULTS, provenance, write_record

from sktime_patches import PatchForecaster

OT = 6  # the oil temperature is ETTh1's last channel


def ridge_on_inputs(
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    target: int,
) -> dict[str, Any]:
    """Ridge from every input channel's window (its last value subtracted) to
    the target's horizon (the target's last value subtracted), the penalty
    chosen on val; test MSE."""

    def design(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        last = X[:, -1:, :]
        return (X - last).reshape(len(X), -1), last[:, 0, target : target + 1]

    fitted = {}
    for alpha in ALPHAS:
        Z, last = design(train[0])
        model = Ridge(alpha=alpha).fit(Z, train[1][:, :, 0] - last)
        Zv, last_v = design(val[0])
        fitted[alpha] = (
            float(np.mean((model.predict(Zv) + last_v - val[1][:, :, 0]) ** 2)),
            model,
        )
    alpha = min(fitted, key=lambda a: fitted[a][0])
    val_mse, model = fitted[alpha]
    Zt, last_t = design(test[0])
    pred = model.predict(Zt) + last_t
    return {
        "alpha": alpha,
        "val_mse": val_mse,
        "test_mse": float(np.mean((pred - test[1][:, :, 0]) ** 2)),
    }


def etth1_cell(horizon: int, seeds: list[int], threads: int) -> dict[str, Any]:
    split = protocol.prepare("etth1")
    windows = {k: split.windows(k, horizon) for k in ("train", "val", "test")}
    results: dict[str, Any] = {}
    for setting, channels in (("S", [OT]), ("MS", list(range(7)))):
        target = channels.index(OT)
        parts = {k: (X[:, :, channels], y[:, :, [OT]]) for k, (X, y) in windows.items()}
        ridge = ridge_on_inputs(parts["train"], parts["val"], parts["test"], target)
        runs = []
        for seed in seeds:
            params = {} if setting == "S" else {"target_channels": [target]}
            model = PatchForecaster(
                lookback=split.lookback,
                horizon=horizon,
                random_state=seed,
                n_jobs=threads,
                **params,
            )
            start = time.perf_counter()
            model.fit(*parts["train"], X_val=parts["val"][0], y_val=parts["val"][1])
            seconds = time.perf_counter() - start
            pred = model.predict(parts["test"][0])
            runs.append(
                {
                    "seed": seed,
                    "test_mse": float(np.mean((pred - parts["test"][1]) ** 2)),
                    "val_mse_best": float(min(model.history_[:, "valid_loss"])),
                    "best_epoch": model.best_epoch_,
                    "fit_seconds": seconds,
                }
            )
            print(
                f"etth1 H={horizon} {setting} seed={seed}: test MSE "
                f"{runs[-1]['test_mse']:.4f} (ridge {ridge['test_mse']:.4f}), "
                f"fit {seconds:.0f}s",
                flush=True,
            )
        results[setting] = {"ridge": ridge, "patch": runs}
    return {
        "experiment": "etth1_S_vs_MS",
        "dataset": "etth1",
        "target": "OT",
        "lookback": split.lookback,
        "horizon": horizon,
        "seeds": seeds,
        "n_test_windows": len(windows["test"][0]),
        "results": results,
    }


def driven_series(n: int, seed: int) -> np.ndarray:
    """``(n, 2)``: the target (a daily wave plus 1.5 times the driver plus
    noise) and the driver (known in advance)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    driver = rng.normal(size=n)
    target = np.sin(2 * np.pi * t / 24) + 1.5 * driver + 0.1 * rng.normal(size=n)
    return np.stack([target, driver], axis=1)


def synthetic(seeds: list[int], threads: int) -> dict[str, Any]:
    lookback, horizon, n = 96, 24, 6000
    runs = []
    for seed in seeds:
        series = driven_series(n, seed)
        # windows of lookback + horizon rows: the history and the known future
        starts = np.arange(n - lookback - horizon + 1)
        X = np.stack([series[s : s + lookback + horizon] for s in starts])
        y = X[:, lookback:, :1].copy()
        n_train = int(0.7 * len(X))
        n_test = n_train + horizon  # a horizon's gap: no target seen in training
        row: dict[str, Any] = {"seed": seed}
        for name, params, inputs in (
            ("without", {}, X[:, :lookback, :1]),
            ("with_future_driver", {"target_channels": [0], "future_channels": [1]}, X),
        ):
            model = PatchForecaster(random_state=seed, n_jobs=threads, **params)
            start = time.perf_counter()
            model.fit(inputs[:n_train], y[:n_train])
            pred = model.predict(inputs[n_test:])
            row[name] = {
                "test_mse": float(np.mean((pred - y[n_test:]) ** 2)),
                "fit_seconds": time.perf_counter() - start,
            }
        row["ratio"] = (
            row["with_future_driver"]["test_mse"] / row["without"]["test_mse"]
        )
        print(
            f"synthetic seed={seed}: without {row['without']['test_mse']:.4f}, with "
            f"the future driver {row['with_future_driver']['test_mse']:.4f} (ratio "
            f"{row['ratio']:.3f})",
            flush=True,
        )
        runs.append(row)
    return {
        "experiment": "known_future_driver",
        "lookback": lookback,
        "horizon": horizon,
        "n_steps": n,
        "seeds": seeds,
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--horizon", type=int, nargs="+", default=[96, 336])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-etth1", action="store_true")
    parser.add_argument("--out-dir", type=Path, default=STUDY_RESULTS)
    protocol.add_data_dir_argument(parser)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    stamp = provenance(args.threads)
    record = {**synthetic(args.seeds, args.threads), **stamp}
    write_record(args.out_dir / "covariates_synthetic.json", record)
    if not args.skip_etth1:
        for horizon in args.horizon:
            record = {**etth1_cell(horizon, args.seeds, args.threads), **stamp}
            write_record(args.out_dir / f"covariates_etth1_H{horizon}.json", record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
