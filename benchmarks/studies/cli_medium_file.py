"""How long the command line takes on a medium file: an hourly CSV of 17,420
rows x 7 columns, ``sktime-patches forecast --horizon 96 --holdout 960``.

Usage (from the repository root)::

    python benchmarks/studies/cli_medium_file.py
    python benchmarks/studies/cli_medium_file.py --repeats 3 --threads 2

The file is ETTh1 as the package ships it (``load_etth1``, written to a
temporary CSV). The command runs in a fresh process with ``--threads`` torch
threads (``OMP_NUM_THREADS``), ``--repeats`` times; the record keeps the wall
time of each run (the whole command: reading, choosing the lookback, training,
the holdout table beside the baselines, the forecast and the CSV) and what the
run chose (lookback, recipe, epochs, the model kept), read from its output.
The holdout errors themselves are not kept: the last 960 rows of ETTh1 lie
past the rows the benchmark protocol uses (``benchmarks/PROTOCOL.md``), so
they are neither scored nor tuned on here.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import run

from sktime_patches.datasets import load_etth1

#: The choices a run reports, read from its output.
PATTERNS = {
    "lookback": r"fitted with lookback=(\d+)",
    "patch_len": r"patch_len=(\d+)",
    "recipe": r"Training the '(\w+)' recipe",
    "training_rows": r"\(([\d,]+) training rows",
    "first_epoch": r"The first epoch took (\S+):",
    "kept": r"the model is (the network|the linear baseline)",
    "max_time": r"training stopped at --max-time",
}


def run_once(csv: Path, out_dir: Path, threads: int, extra: list[str]) -> dict:
    """One run of the command: its wall time and what it printed."""
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MPLBACKEND": "Agg"}
    command = [
        sys.executable, "-m", "sktime_patches.cli", "forecast", str(csv),
        "--horizon", "96", "--holdout", "960", "--out", str(out_dir / "fc.csv"),
        *extra,
    ]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"the command failed:\n{done.stderr[-2000:]}")
    text = done.stdout + done.stderr
    found: dict[str, Any] = {"seconds": seconds}
    for name, pattern in PATTERNS.items():
        match = re.search(pattern, text)
        found[name] = (match.group(1) if match.groups() else True) if match else None
    epochs = re.findall(r"^\s+(\d+)\s", done.stderr, flags=re.MULTILINE)
    found["epochs"] = int(epochs[-1]) if epochs else None
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--extra", nargs=argparse.REMAINDER, default=[], help="more CLI options"
    )
    parser.add_argument(
        "--out", type=Path, default=run.STUDY_RESULTS / "cli_medium_file.json"
    )
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "hourly.csv"
        frame = load_etth1()
        frame.to_csv(csv)
        for i in range(args.repeats):
            runs.append(run_once(csv, Path(folder), args.threads, args.extra))
            print(f"run {i + 1}: {runs[-1]}", flush=True)
    seconds = [r["seconds"] for r in runs]
    record = {
        "study": "cli_medium_file",
        "file": {"rows": len(frame), "columns": frame.shape[1], "freq": "h"},
        "cli_command": "sktime-patches forecast hourly.csv --horizon 96 "
        "--holdout 960 " + " ".join(args.extra),
        "runs": runs,
        "seconds_median": statistics.median(seconds),
        "target_seconds": 240,
        **run.provenance(args.threads),
    }
    run.write_record(args.out, record)
    print(f"median {record['seconds_median']:.0f} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
