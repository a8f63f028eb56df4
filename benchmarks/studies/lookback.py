"""The last-value ridge's lookback sweep: at each lookback ``L``, the closed-form
baseline of PROTOCOL.md (penalty chosen on val), its val MSE (the selection
criterion), its test MSE and MAE, the chosen penalty, and the lookback val picks.

The test targets are the same for every lookback (val and test start ``L`` rows
early), so the test figures of one horizon are comparable across ``L``; the pick
uses the val MSE only. Val windows differ slightly between lookbacks (a longer
lookback has the same val targets: val also starts ``L`` rows early), so the val
MSEs are comparable too.

Usage::

    python benchmarks/studies/lookback.py --dataset etth1
    python benchmarks/studies/lookback.py --dataset ili --horizon 24 60 \\
        --lookbacks 52 104

One JSON record, ``benchmarks/results/studies/lookback_ridge_<dataset>.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import baselines
import protocol
from run import STUDY_RESULTS, versions, write_record

#: The lookbacks of the sweep, by dataset (PROTOCOL.md's "lookback searches").
LOOKBACKS: dict[str, tuple[int, ...]] = {
    "etth1": (96, 192, 336, 512, 720),
    "ili": (36, 52, 60, 104, 156),  # 60: SegRNN's own ILI lookback
}


def ridge_at(split: protocol.Split, horizon: int) -> dict[str, Any]:
    """Select the last-value ridge on val at the split's lookback; score val and
    test with the selected model (fitted on train only)."""
    train = split.windows("train", horizon)
    X_va, y_va = split.windows("val", horizon)
    X_te, y_te = split.windows("test", horizon)
    start = time.perf_counter()
    selection = baselines.select_last_value_ridge(train, (X_va, y_va))
    fit_seconds = time.perf_counter() - start
    val_pred = selection.predict(X_va)
    test_pred = selection.predict(X_te)
    return {
        "lookback": split.lookback,
        "alpha": selection.params["alpha"],
        "val_mse": protocol.mse(y_va, val_pred),
        "val_mae": protocol.mae(y_va, val_pred),
        "test_mse": protocol.mse(y_te, test_pred),
        "test_mae": protocol.mae(y_te, test_pred),
        "n_train_windows": len(train[0]),
        "n_val_windows": len(X_va),
        "n_test_windows": len(X_te),
        "fit_seconds": fit_seconds,
    }


def sweep(dataset: str, horizons: list[int], lookbacks: list[int]) -> dict[str, Any]:
    """The sweep's record: per horizon, one row per lookback and the val pick."""
    splits = {lb: protocol.prepare(dataset, lb) for lb in lookbacks}
    out: dict[str, Any] = {}
    for horizon in horizons:
        rows = [ridge_at(splits[lb], horizon) for lb in lookbacks]
        picked = min(rows, key=lambda r: r["val_mse"])
        out[str(horizon)] = {"rows": rows, "picked_lookback": picked["lookback"]}
    return {
        "dataset": dataset,
        "model": "ridge",
        "lookbacks": list(lookbacks),
        "horizons": list(horizons),
        "results": out,
        "versions": versions(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", *sys.argv]),
    }


def table(record: dict[str, Any]) -> str:
    """A plain-text table of the record; ``*`` marks the lookback val picks."""
    lines = [
        f"{record['dataset']}: last-value ridge by lookback (* = val's pick)",
        f"{'H':>4} {'L':>5} {'alpha':>9} {'val MSE':>9} {'test MSE':>9} "
        f"{'test MAE':>9}",
    ]
    for horizon, cell in record["results"].items():
        for row in cell["rows"]:
            mark = "*" if row["lookback"] == cell["picked_lookback"] else " "
            lines.append(
                f"{horizon:>4} {row['lookback']:>5} {row['alpha']:>9.3g} "
                f"{row['val_mse']:>9.4f} {row['test_mse']:>9.4f} "
                f"{row['test_mae']:>9.4f} {mark}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(protocol.DATASETS), required=True)
    parser.add_argument("--horizon", type=int, nargs="+", default=None)
    parser.add_argument("--lookbacks", type=int, nargs="+", default=None)
    parser.add_argument("--out-dir", type=Path, default=STUDY_RESULTS)
    protocol.add_data_dir_argument(parser)
    args = parser.parse_args(argv)
    horizons = args.horizon or list(protocol.DATASETS[args.dataset].horizons)
    lookbacks = args.lookbacks or list(LOOKBACKS[args.dataset])
    record = sweep(args.dataset, horizons, lookbacks)
    path = write_record(args.out_dir / f"lookback_ridge_{args.dataset}.json", record)
    print(table(record))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
