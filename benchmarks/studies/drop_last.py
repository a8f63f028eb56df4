"""How much dropping the last incomplete test batch moves a score.

The published PatchTST and DLinear figures were computed with ``drop_last=True`` on
the test loader (PROTOCOL.md): the windows of the last, incomplete batch, at the
very end of the test split, were never scored. This script scores the closed-form
ridge baseline (penalty chosen on val, fitted on train) both ways, on every
window as the protocol asks and on the windows such a loader keeps, to show how
far apart the two kinds of figure can be. The model is the reported baseline; no
choice is made from these numbers.

Usage::

    python benchmarks/studies/drop_last.py

writes ``benchmarks/results/studies/drop_last_ridge.json``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import baselines
import protocol
from run import STUDY_RESULTS, versions, write_record

# test batch sizes of the reference scripts (PatchTST's ETTh1 and ILI scripts)
CELLS = [("etth1", h, 128) for h in (96, 192, 336, 720)] + [
    ("ili", h, 16) for h in (24, 36, 48, 60)
]


def score_both_ways(name: str, horizon: int, batch_size: int) -> dict[str, float]:
    """Ridge test MSE on all test windows and on those a drop_last loader keeps."""
    split = protocol.prepare(name)
    selection = baselines.select_last_value_ridge(
        split.windows("train", horizon), split.windows("val", horizon)
    )
    X, y = split.windows("test", horizon)
    pred = selection.predict(X)
    kept = protocol.drop_last_kept(len(X), batch_size)
    return {
        "dataset": name,
        "horizon": horizon,
        "batch_size": batch_size,
        "n_test_windows": len(X),
        "n_kept": kept,
        "test_mse_all": protocol.mse(y, pred),
        "test_mse_drop_last": protocol.mse(y[:kept], pred[:kept]),
    }


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    rows = [score_both_ways(*cell) for cell in CELLS]
    for row in rows:
        print(
            f"{row['dataset']} H={row['horizon']}: all {row['n_test_windows']} windows "
            f"MSE {row['test_mse_all']:.4f}; drop_last (batch {row['batch_size']}) "
            f"keeps {row['n_kept']}: MSE {row['test_mse_drop_last']:.4f}"
        )
    write_record(
        STUDY_RESULTS / "drop_last_ridge.json", {"rows": rows, "versions": versions()}
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
