"""A panel of many series through SeriesForecaster: time and memory at scale.

A synthetic panel (by default 10,000 hourly series of 500 to 2,000 steps,
random lengths and start dates; each a level, a trend, a daily wave and noise
of its own) in Nixtla's long form (``unique_id, ds, y``) is forecast with
``SeriesForecaster(PatchForecaster(...), id_col="unique_id", time_col="ds")``:
one global model trained through a ``SeriesWindows`` (windows cut on demand).
Recorded, in ``benchmarks/results/studies/panel_scale.json``:

- the wall time of ``fit`` (reading and checking the panel, the ridge start
  over every training window, the epochs) and of ``predict`` (every series'
  next ``horizon`` steps, back in the long form);
- the peak resident memory of this process, beside the bytes of the raw
  values and what the windows would take if they were materialised;
- training windows per second of an epoch, against the same model trained on
  one series of as many steps (the single-series path), measured in the same
  run.

Each run is its own process (``--part``), so that each peak memory is its own.

Usage::

    python benchmarks/studies/panel_scale.py                      # 10,000 series
    python benchmarks/studies/panel_scale.py --n-series 200       # a quick look
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

from run import STUDY_RESULTS, provenance, write_record

from sktime_patches import PatchForecaster, SeriesWindows
from sktime_patches.series import SeriesForecaster

LOOKBACK, HORIZON = 48, 24


def synthetic_panel(n_series: int, seed: int = 0) -> pd.DataFrame:
    """The long-form panel: ``unique_id``, ``ds`` (hourly), ``y``."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(500, 2001, n_series)
    starts = pd.Timestamp("2020-01-01") + pd.to_timedelta(
        rng.integers(0, 24 * 365, n_series), unit="h"
    )
    ids = np.repeat(np.arange(n_series), lengths)
    offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    stamps = np.repeat(starts.to_numpy(), lengths) + offset.astype("timedelta64[h]")
    level = np.repeat(rng.normal(10, 3, n_series), lengths)
    trend = np.repeat(rng.normal(0, 0.002, n_series), lengths) * offset
    amplitude = np.repeat(rng.uniform(0.5, 3, n_series), lengths)
    hours = pd.DatetimeIndex(stamps).hour.to_numpy()
    wave = amplitude * np.sin(2 * np.pi * hours / 24)
    y = level + trend + wave + rng.normal(0, 0.3, len(ids))
    return pd.DataFrame({"unique_id": ids, "ds": stamps, "y": y.astype(np.float32)})


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def part_panel(n_series: int, epochs: int, threads: int) -> dict[str, Any]:
    torch.set_num_threads(threads)
    start = time.perf_counter()
    panel = synthetic_panel(n_series)
    build_seconds = time.perf_counter() - start
    after_build_mb = peak_rss_mb()
    model = SeriesForecaster(
        PatchForecaster(max_epochs=epochs, random_state=0, n_jobs=threads),
        LOOKBACK,
        HORIZON,
        id_col="unique_id",
        time_col="ds",
    )
    start = time.perf_counter()
    model.fit(panel)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    forecast = model.predict()
    predict_seconds = time.perf_counter() - start
    history = model.estimator_.history_
    epoch_seconds = [float(row["dur"]) for row in history]
    per_epoch = min(model.n_windows_, model.estimator_.windows_per_epoch)
    n_values = len(panel)
    return {
        "n_series": n_series,
        "n_rows": n_values,
        "n_windows": model.n_windows_,
        "build_seconds": build_seconds,
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "forecast_rows": len(forecast),
        "epochs": len(history),
        "epoch_seconds": epoch_seconds,
        "train_windows_per_second": per_epoch / float(np.median(epoch_seconds)),
        "peak_rss_mb_after_building_the_frame": after_build_mb,
        "peak_rss_mb": peak_rss_mb(),
        "raw_values_mb": n_values * 4 / 2**20,
        "materialised_windows_mb": model.n_windows_ * (LOOKBACK + HORIZON) * 4 / 2**20,
    }


def part_single(n_rows: int, epochs: int, threads: int) -> dict[str, Any]:
    """The single-series path at the same number of steps, windows cut on
    demand by a SeriesWindows of one series."""
    torch.set_num_threads(threads)
    rng = np.random.default_rng(1)
    t = np.arange(n_rows)
    series = (10 + np.sin(2 * np.pi * t / 24) + 0.3 * rng.normal(size=n_rows)).astype(
        np.float32
    )
    windows = SeriesWindows(series, LOOKBACK, HORIZON)
    model = PatchForecaster(max_epochs=epochs, random_state=0, n_jobs=threads)
    start = time.perf_counter()
    model.fit(windows)
    fit_seconds = time.perf_counter() - start
    epoch_seconds = [float(row["dur"]) for row in model.history_]
    per_epoch = min(len(windows), model.windows_per_epoch)
    return {
        "n_rows": n_rows,
        "n_windows": len(windows),
        "fit_seconds": fit_seconds,
        "epoch_seconds": epoch_seconds,
        "train_windows_per_second": per_epoch / float(np.median(epoch_seconds)),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--part", choices=["panel", "single"])
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--out-dir", type=Path, default=STUDY_RESULTS)
    args = parser.parse_args(argv)
    if args.part == "panel":
        print(json.dumps(part_panel(args.n_series, args.epochs, args.threads)))
        return 0
    if args.part == "single":
        print(json.dumps(part_single(args.rows, args.epochs, args.threads)))
        return 0

    def child(*extra: str) -> dict[str, Any]:
        command = [
            sys.executable, __file__, "--epochs", str(args.epochs), "--threads",
            str(args.threads), *extra,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    panel = child("--part", "panel", "--n-series", str(args.n_series))
    print(json.dumps(panel, indent=1), flush=True)
    single = child("--part", "single", "--rows", str(panel["n_rows"]))
    print(json.dumps(single, indent=1), flush=True)
    record = {
        "lookback": LOOKBACK,
        "horizon": HORIZON,
        "panel": panel,
        "single_series": single,
        "windows_per_second_ratio": panel["train_windows_per_second"]
        / single["train_windows_per_second"],
        **provenance(args.threads),
    }
    write_record(args.out_dir / "panel_scale.json", record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
