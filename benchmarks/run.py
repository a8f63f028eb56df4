"""Score one model on one benchmark cell under the protocol; write a JSON result.

Usage (from the repository root)::

    python benchmarks/run.py --dataset etth1 --horizon 96 --model patch --seeds 0 1 2
    python benchmarks/run.py --dataset ili --horizon 24 --model ridge
    python benchmarks/run.py --dataset etth1 --horizon 96 --model patch \
        --params '{"patch_len": 24, "hidden_size": 256}' --tag tuned

Models: ``patch`` (:class:`~sktime_patches.PatchForecaster`; ``--params`` are its
hyper-parameters on top of the cell's lookback and horizon, the defaults
otherwise), ``ridge`` (the package's
:class:`~sktime_patches.baselines.LastValueRidge`, the closed-form
channel-shared ridge on the last-value-subtracted window, alpha chosen on val),
``patcher_ridge`` (``make_pipeline(SpacetimePatcher, Ridge)``, features/patch
length/alpha chosen on val) and ``repeat_last`` (the package's
:class:`~sktime_patches.baselines.RepeatLast`).

Every model is fitted on the train windows; early stopping and every selection use
the val windows only; the test windows are predicted once per seed, for the
reported figure. One JSON file per (cell, model, tag) lands in
``benchmarks/results/protocol/`` with per-seed and aggregated figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import skorch
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baselines
import protocol

import sktime_patches
from sktime_patches import PatchForecaster
from sktime_patches.baselines import RepeatLast

#: Where each kind of script writes its records: ``benchmarks/results/<kind>/``,
#: the kinds being this runner's (``protocol``), the reference codes' and the
#: studies'.
RESULTS_ROOT = Path(__file__).resolve().parent / "results"
RESULTS = RESULTS_ROOT / "protocol"
REFERENCE_RESULTS = RESULTS_ROOT / "reference"
STUDY_RESULTS = RESULTS_ROOT / "studies"
MODELS = ("patch", "ridge", "patcher_ridge", "repeat_last")


def versions() -> dict[str, str]:
    """Versions of everything that can move a figure."""
    return {
        "sktime_patches": sktime_patches.__version__,
        "torch": torch.__version__,
        "skorch": skorch.__version__,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def machine(threads: int) -> dict[str, Any]:
    """Where the figure was taken."""
    return {
        "torch_threads": threads,
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "platform": platform.platform(),
        "device": "cpu",
    }


def provenance(threads: int) -> dict[str, Any]:
    """Where, when, with what and by which command a record was made: the
    fields every result file carries."""
    return {
        "versions": versions(),
        "machine": machine(threads),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", *sys.argv]),
    }


def write_record(path: Path, record: dict[str, Any]) -> Path:
    """Write a result record as the benchmarks keep them (indented JSON and a
    final newline), making its folder; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def git(checkout: Path, *args: str) -> str | None:
    """What ``git -C checkout ARGS`` prints (stripped), or None when git cannot
    answer: the commit and state of a reference code's checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(checkout), *args],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def _throughput(predict: Any, X: np.ndarray, repeats: int = 3) -> float:
    """Univariate windows forecast per second (median of ``repeats`` passes)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        predict(X)
        times.append(time.perf_counter() - start)
    return X.shape[0] * X.shape[2] / float(np.median(times))


def fit_patch(
    split: protocol.Split,
    horizon: int,
    params: dict[str, Any],
    seed: int,
    threads: int,
    use_val: bool = True,
) -> tuple[PatchForecaster, float]:
    """Fit a PatchForecaster on the train windows, early stopping on the val
    windows (``use_val=False``: on the latest train windows, the estimator's own
    split); return it and the fit's wall time in seconds."""
    X_tr, y_tr = split.windows("train", horizon)
    val = split.windows("val", horizon) if use_val else (None, None)
    model = PatchForecaster(
        lookback=split.lookback,
        horizon=horizon,
        random_state=seed,
        n_jobs=threads,
        **params,
    )
    start = time.perf_counter()
    model.fit(X_tr, y_tr, X_val=val[0], y_val=val[1])
    return model, time.perf_counter() - start


def train_windows_per_second(
    X_train: np.ndarray, model: PatchForecaster, fit_seconds: float
) -> float:
    """The training throughput the benchmarks report: univariate training windows
    times epochs run, divided by the fit's wall time."""
    return X_train.shape[0] * X_train.shape[2] * model.n_epochs_ / fit_seconds


def run_patch(
    split: protocol.Split, horizon: int, params: dict[str, Any], seed: int, threads: int
) -> dict[str, Any]:
    """Fit a PatchForecaster on train (early stopping on val), score on test."""
    X_tr, _ = split.windows("train", horizon)
    X_te, y_te = split.windows("test", horizon)
    model, fit_seconds = fit_patch(split, horizon, params, seed, threads)
    history = model.history_
    epoch_seconds = [float(row["dur"]) for row in history]
    pred = model.predict(X_te)
    n_univariate = X_tr.shape[0] * X_tr.shape[2]
    best = int(np.argmin(history[:, "valid_loss"])) + 1
    return {
        "seed": seed,
        "test_mse": protocol.mse(y_te, pred),
        "test_mae": protocol.mae(y_te, pred),
        "val_mse_best": float(min(history[:, "valid_loss"])),
        "fit_seconds": fit_seconds,
        "epochs_run": model.n_epochs_,
        "best_epoch": best,
        "train_windows": int(n_univariate),
        "train_windows_per_second": train_windows_per_second(X_tr, model, fit_seconds),
        "train_windows_per_second_epoch": n_univariate
        * len(epoch_seconds)
        / float(sum(epoch_seconds)),
        "predict_windows_per_second": _throughput(model.predict, X_te),
        "n_parameters": int(
            sum(p.numel() for p in model.net_.module_.parameters() if p.requires_grad)
        ),
        **(
            {}
            if model.blend_weight_ is None
            else {"blend_weight": float(model.blend_weight_)}
        ),
    }


def run_baseline(
    split: protocol.Split, horizon: int, model: str, threads: int
) -> dict[str, Any]:
    """Fit a closed-form baseline (selection on val), score on test."""
    train = split.windows("train", horizon)
    val = split.windows("val", horizon)
    X_te, y_te = split.windows("test", horizon)
    start = time.perf_counter()
    if model == "ridge":
        selection = baselines.select_last_value_ridge(train, val)
        predict, params = selection.predict, selection.params
    elif model == "patcher_ridge":
        selection = baselines.select_patcher_ridge(train, val)
        predict, params = selection.predict, selection.params
    else:
        fitted = RepeatLast().fit(*train)
        predict, params = fitted.predict, {}
    fit_seconds = time.perf_counter() - start
    pred = predict(X_te)
    return {
        "seed": None,
        "test_mse": protocol.mse(y_te, pred),
        "test_mae": protocol.mae(y_te, pred),
        "fit_seconds": fit_seconds,
        "selected": params,
        "predict_windows_per_second": _throughput(predict, X_te),
    }


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean, std (ddof=0) and median of every numeric per-seed figure."""
    out: dict[str, Any] = {}
    for key in runs[0]:
        values = [r[key] for r in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            arr = np.asarray(values, dtype=float)
            out[key] = {
                "mean": float(arr.mean()),
                "std": float(arr.std()),
                "median": float(np.median(arr)),
            }
    return out


def run_cell(
    dataset: str,
    horizon: int,
    model: str,
    seeds: list[int],
    params: dict[str, Any],
    threads: int,
    tag: str,
    out_dir: Path = RESULTS,
    lookback: int | None = None,
) -> dict[str, Any]:
    """Run one cell for every seed, write and return the JSON record."""
    torch.set_num_threads(threads)
    split = protocol.prepare(dataset, lookback)
    runs = []
    for seed in seeds if model == "patch" else [None]:
        if model == "patch":
            result = run_patch(split, horizon, params, seed, threads)
        else:
            result = run_baseline(split, horizon, model, threads)
        print(
            f"{dataset} H={horizon} {model}[{tag}] seed={seed}: "
            f"test MSE {result['test_mse']:.4f} MAE {result['test_mae']:.4f} "
            f"fit {result['fit_seconds']:.1f}s",
            flush=True,
        )
        runs.append(result)
    record = {
        "dataset": dataset,
        "lookback": split.lookback,
        "horizon": horizon,
        "model": model,
        "tag": tag,
        "params": params,
        "seeds": seeds if model == "patch" else [],
        "n_test_windows": len(split.windows("test", horizon)[0]),
        "runs": runs,
        "summary": summarise(runs),
        **provenance(threads),
    }
    name = f"{dataset}_L{split.lookback}_H{horizon}_{model}_{tag}.json"
    write_record(out_dir / name, record)
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(protocol.DATASETS), required=True)
    parser.add_argument("--horizon", type=int, nargs="+", required=True)
    parser.add_argument("--model", choices=MODELS, default="patch")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--params", type=json.loads, default={})
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tag", default="default")
    parser.add_argument("--lookback", type=int, default=None)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    protocol.add_data_dir_argument(parser)
    args = parser.parse_args(argv)
    for horizon in args.horizon:
        run_cell(
            args.dataset,
            horizon,
            args.model,
            args.seeds,
            args.params,
            args.threads,
            args.tag,
            args.out_dir,
            args.lookback,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
