"""A very long series through the command line: bounded, predictable time.

Writes a synthetic hourly CSV (by default 870,000 rows, about 99 years, and 4
columns: daily and weekly cycles, a slow trend, noise), then runs
``sktime-patches forecast FILE --horizon 24 --max-epochs 1`` on it in this
process, and records the wall time of each stage (reading the file, choosing
the lookback, one training epoch of ``windows_per_epoch`` windows, the
forecast), the peak resident memory and what the command printed, in
``benchmarks/results/studies/long_series.json``.

Usage::

    python benchmarks/studies/long_series.py                 # 870,000 rows
    python benchmarks/studies/long_series.py --rows 20000    # a quick look
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

RESULTS = Path(__file__).resolve().parents[1] / "results" / "studies"


def synthetic_csv(path: Path, n_rows: int, seed: int = 0) -> None:
    """An hourly CSV of ``n_rows`` rows: a date column and 4 value columns."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_rows, dtype=np.float64)
    daily = np.sin(2 * np.pi * t / 24)
    weekly = np.sin(2 * np.pi * t / (24 * 7))
    trend = t / n_rows
    columns = {
        "date": pd.date_range("1930-01-01", periods=n_rows, freq="h").strftime(
            "%Y-%m-%d %H:%M"
        ),
        "load": 10 + 3 * daily + weekly + 2 * trend + 0.3 * rng.normal(size=n_rows),
        "price": 50 + 5 * weekly + 0.5 * daily + rng.normal(size=n_rows),
        "temp": 15 + 8 * np.sin(2 * np.pi * t / (24 * 365.25)) + 2 * daily,
        "wind": np.abs(5 + np.cumsum(rng.normal(scale=0.05, size=n_rows)) % 10),
    }
    pd.DataFrame(columns).to_csv(path, index=False)


def run(n_rows: int, threads: int, out_dir: Path) -> dict[str, Any]:
    """Time ``sktime-patches forecast`` on a synthetic file of ``n_rows`` rows."""
    from sktime_patches.cli import main

    torch.set_num_threads(threads)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "long.csv"
        start = time.perf_counter()
        synthetic_csv(csv, n_rows)
        write_seconds = time.perf_counter() - start
        size_mb = csv.stat().st_size / 1e6
        argv = ["forecast", str(csv), "--horizon", "24", "--max-epochs", "1",
                "--out", str(Path(tmp) / "fc.csv"), "--quiet"]  # fmt: skip
        printed = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(printed):
            code = main(argv)
        seconds = time.perf_counter() - start
        shown = printed.getvalue().replace(tmp, "<tmp>").splitlines()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record = {
        "rows": n_rows,
        "columns": 4,
        "csv_mb": round(size_mb, 1),
        "exit_code": code,
        "command": "sktime-patches "
        + " ".join(a if "/" not in a else "<tmp>" for a in argv),
        "forecast_seconds": seconds,
        "write_csv_seconds": write_seconds,
        "peak_rss_mb": peak_mb,
        "printed": shown,
        "torch_threads": threads,
        "machine": {
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
        },
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "invocation": " ".join(["python", *sys.argv]),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    name = "long_series.json" if n_rows == 870_000 else f"long_series_{n_rows}.json"
    (out_dir / name).write_text(json.dumps(record, indent=1) + "\n")
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=870_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    record = run(args.rows, args.threads, args.out_dir)
    print("\n".join(record["printed"]))
    seconds, peak = record["forecast_seconds"], record["peak_rss_mb"]
    print(
        f"{args.rows:,} rows ({record['csv_mb']} MB): forecast in {seconds:.0f} s, "
        f"peak memory {peak:.0f} MB"
    )
    return 0 if record["exit_code"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
