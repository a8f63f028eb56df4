"""Would averaging several seeds' forecasts help? A train/val-only check.

Fits ``PatchForecaster`` with several seeds as the transfer check does (train
windows alone, early stopping on their latest part), scores the val split as a
pseudo-test, and compares each member's MSE with the MSE of the average of the
first ``k`` members' forecasts. The average can never be worse than the
members' mean MSE (the squared error is convex); the gap says how much the
seeds disagree. Test is not read.

Usage::

    python benchmarks/studies/seed_ensemble.py --dataset ili --horizon 24 \\
        --seeds 0 1 2 3 4 \\
        --params '{"validation_fraction": 0.25, "loss": "mae"}'

writes ``benchmarks/results/studies/seed_ensemble_<dataset>_H<horizon>.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import protocol
from run import STUDY_RESULTS, fit_patch, versions, write_record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, choices=["etth1", "ili"])
    parser.add_argument("--horizon", type=int, required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--params", default="{}")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=STUDY_RESULTS)
    args = parser.parse_args(argv)
    params = json.loads(args.params)
    split = protocol.prepare(args.dataset)
    X_val, y_val = split.windows("val", args.horizon)
    forecasts, members = [], []
    for seed in args.seeds:
        model, _ = fit_patch(
            split, args.horizon, params, seed, args.threads, use_val=False
        )
        forecasts.append(model.predict(X_val))
        members.append(protocol.mse(y_val, forecasts[-1]))
        print(f"seed {seed}: pseudo-test MSE {members[-1]:.4f}", flush=True)
    ensembles = []
    for k in range(1, len(forecasts) + 1):
        ensembles.append(
            {
                "n_members": k,
                "ensemble_mse": protocol.mse(y_val, np.mean(forecasts[:k], axis=0)),
                "members_mean_mse": float(np.mean(members[:k])),
            }
        )
        print(
            f"first {k}: ensemble {ensembles[-1]['ensemble_mse']:.4f}, "
            f"members' mean {ensembles[-1]['members_mean_mse']:.4f}"
        )
    record = {
        "dataset": args.dataset,
        "horizon": args.horizon,
        "params": params,
        "seeds": args.seeds,
        "member_mse": members,
        "ensembles": ensembles,
        "versions": versions(),
    }
    name = f"seed_ensemble_{args.dataset}_H{args.horizon}.json"
    out = write_record(args.out_dir / name, record)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
