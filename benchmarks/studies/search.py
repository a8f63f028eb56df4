"""Hyper-parameter search for PatchForecaster on train/val only (the test split is
never read here).

Each configuration is fitted on the train windows with early stopping on the val
windows; the val MSE of the restored best epoch, the epochs, the fit time and the
training throughput are appended, one JSON line per run, to
``benchmarks/results/studies/search_<dataset>_H<horizon>.jsonl``. The chosen defaults
are then scored on test by ``run.py``.

With ``--transfer`` the val split becomes a pseudo-test instead: each
configuration is fitted on the train windows alone (the ridge penalty and early
stopping use the latest ``validation_fraction`` of them), and scored on val next
to its own linear start (the same network with the LSTM head's output zeroed).
That asks, without reading test, whether the correction the network learns on
top of the ridge carries to months it has never seen (lines go to
``search_<dataset>_H<horizon>_transfer.jsonl``).

Usage::

    python benchmarks/studies/search.py --dataset etth1 --horizon 96 \
        --grid '[{"patch_len": 48, "hidden_size": 256}, {"patch_len": 24}]'

Lines that carry ``"crossfit": K`` come from a retired experiment
(``benchmarks/crossfit.py``, removed after commit 8725d6e): the correction trained
on K-fold out-of-fold ridge residuals; it did not help (``TRIED.md``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import protocol
from run import STUDY_RESULTS, fit_patch, machine, train_windows_per_second, versions


def score_on_val(
    split: protocol.Split, horizon: int, params: dict[str, Any], seed: int, threads: int
) -> dict[str, Any]:
    """Fit on train with early stopping on val; report val figures only."""
    X_tr, _ = split.windows("train", horizon)
    X_va, y_va = split.windows("val", horizon)
    model, fit_seconds = fit_patch(split, horizon, params, seed, threads)
    pred = model.predict(X_va)
    valid = model.history_[:, "valid_loss"]
    return {
        "params": params,
        "seed": seed,
        "val_mse": protocol.mse(y_va, pred),
        "val_mae": protocol.mae(y_va, pred),
        "val_loss_curve": [round(float(v), 5) for v in valid],
        "best_epoch": int(np.argmin(valid)) + 1,
        "epochs_run": model.n_epochs_,
        "fit_seconds": fit_seconds,
        "train_windows_per_second": train_windows_per_second(X_tr, model, fit_seconds),
    }


def score_transfer(
    split: protocol.Split, horizon: int, params: dict[str, Any], seed: int, threads: int
) -> dict[str, Any]:
    """Fit on train only (internal time-ordered validation); score on val as a
    pseudo-test, next to the network's linear start."""
    X_va, y_va = split.windows("val", horizon)
    model, fit_seconds = fit_patch(split, horizon, params, seed, threads, use_val=False)
    pred = model.predict(X_va)
    module = model.net_.module_
    with torch.no_grad():  # the linear start: the ridge skip, the head's output 0
        module.head.proj.weight.zero_()
        module.head.proj.bias.zero_()
    start_pred = model.predict(X_va)
    valid = model.history_[:, "valid_loss"]
    return {
        "params": params,
        "seed": seed,
        "pseudo_test_mse": protocol.mse(y_va, pred),
        "pseudo_test_mae": protocol.mae(y_va, pred),
        "start_pseudo_test_mse": protocol.mse(y_va, start_pred),
        "inner_val_loss_curve": [round(float(v), 5) for v in valid],
        "epochs_run": model.n_epochs_,
        "fit_seconds": fit_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(protocol.DATASETS), required=True)
    parser.add_argument("--horizon", type=int, required=True)
    parser.add_argument("--grid", type=json.loads, required=True)
    parser.add_argument("--base", type=json.loads, default={})
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lookback", type=int, default=None)
    parser.add_argument(
        "--transfer",
        action="store_true",
        help="fit on train alone and score on val as a pseudo-test",
    )
    parser.add_argument(
        "--label", default="", help="what else differs (e.g. a code change)"
    )
    protocol.add_data_dir_argument(parser)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    split = protocol.prepare(args.dataset, args.lookback)
    STUDY_RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "_transfer" if args.transfer else ""
    out = STUDY_RESULTS / f"search_{args.dataset}_H{args.horizon}{suffix}.jsonl"
    score = score_transfer if args.transfer else score_on_val
    for config in args.grid:
        params = {**args.base, **config}
        for seed in args.seeds:
            result = score(split, args.horizon, params, seed, args.threads)
            result.update(
                dataset=args.dataset,
                label=args.label,
                lookback=split.lookback,
                horizon=args.horizon,
                versions=versions(),
                machine=machine(args.threads),
                date=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            )
            with out.open("a") as fh:
                fh.write(json.dumps(result) + "\n")
            if args.transfer:
                print(
                    f"pseudo-test MSE {result['pseudo_test_mse']:.4f} "
                    f"(linear start {result['start_pseudo_test_mse']:.4f}) "
                    f"epochs {result['epochs_run']} {result['fit_seconds']:.0f}s "
                    f"{params} s={seed} {args.label}",
                    flush=True,
                )
                continue
            print(
                f"val MSE {result['val_mse']:.4f} MAE {result['val_mae']:.4f} "
                f"best {result['best_epoch']}/{result['epochs_run']} "
                f"{result['fit_seconds']:.0f}s "
                f"{result['train_windows_per_second']:.0f} w/s  {params} s={seed} "
                f"{args.label}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
