"""Memory and speed of training on SeriesWindows (windows cut on demand) versus
windows arrays held in memory.

Three scenarios, each in its own Python process so that its peak resident memory
(``ru_maxrss``) is its own:

``many``
    1,000 univariate series of 20,000 steps (80 MB of float32 values), lookback
    336, horizon 96. Builds a stride-1 SeriesWindows over all 19.6 million
    windows (as arrays they would take 26 GB for X alone, 34 GB with y), times
    batched window fetching, then trains a small PatchForecaster for one epoch
    on every ``--stride``-th window of each series (a bounded amount of work).
``arrays`` / ``dataset``
    20 series of 5,000 steps, small enough for windows arrays: the same fit on
    ``make_windows`` arrays and on a SeriesWindows of the same windows, each in
    its own process for its peak memory.
``speed``
    The same two fits (stride 4) alternated ``--rounds`` times in one process,
    so that both meet the same machine load; the comparison uses their medians.

Training throughput is the windows of the epoch divided by skorch's epoch
duration (``history[-1, "dur"]``: training batches only, no validation pass,
``validation_fraction=0``); ``fit_s`` is the whole ``fit`` call (it includes
setting up the network and, with ``linear_skip="ridge"``, one pass over the
training windows for the ridge start). torch runs on 2 threads
(``MEMORY_BENCH_THREADS=1`` for one). The machine may be shared: the load average
is recorded with each scenario; on a busy machine throughput is lower, and
much lower with more torch threads than free cores.

Run ``python benchmarks/studies/memory.py`` (about 3 minutes on an idle 2-core machine);
it writes ``benchmarks/results/studies/memory_cpu-2threads.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

THREADS = int(os.environ.get("MEMORY_BENCH_THREADS", "2"))
LOOKBACK, HORIZON = 336, 96
MODEL = dict(
    patch_len=16,
    stride=None,
    encoder="linear",
    d_model=32,
    pool="mean",
    pool_size=1,
    hidden_size=32,
    num_layers=1,
    dropout=0.1,
    lr=1e-3,
    batch_size=256,
    max_epochs=1,
    patience=None,
    validation_fraction=0.0,
    n_jobs=THREADS,
    random_state=0,
)
RESULTS = (
    Path(__file__).resolve().parents[1]
    / "results"
    / "studies"
    / f"memory_cpu-{THREADS}threads.json"
)


def rss_mb() -> float:
    """Resident memory now, from /proc (Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """Peak resident memory of this process (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_series(n_series: int, n_steps: int, seed: int = 0) -> list[np.ndarray]:
    """Daily and weekly seasonality of random amplitude and phase, a random-walk
    level and noise; float32, generated one series at a time."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_steps, dtype=np.float32)
    out = []
    for _ in range(n_series):
        a, b = rng.uniform(0.5, 2.0, 2).astype(np.float32)
        p1, p2 = rng.uniform(0, 2 * np.pi, 2).astype(np.float32)
        level = np.cumsum(rng.normal(0, 0.02, n_steps)).astype(np.float32)
        noise = rng.normal(0, 0.1, n_steps).astype(np.float32)
        s = a * np.sin(2 * np.pi * t / 24 + p1) + b * np.sin(2 * np.pi * t / 168 + p2)
        out.append((s + level + noise).astype(np.float32))
    return out


def timed_fit(X, y=None) -> dict:
    from sktime_patches import PatchForecaster

    model = PatchForecaster(**MODEL)
    start = time.perf_counter()
    model.fit(X, y)
    fit_s = time.perf_counter() - start
    n = len(X)
    epoch_s = float(model.history_[-1, "dur"])
    return {
        "train_windows": int(n),
        "fit_s": round(fit_s, 2),
        "epoch_s": round(epoch_s, 2),
        "train_windows_per_s": round(n / epoch_s, 1),
        "train_loss": float(model.history_[-1, "train_loss"]),
        "linear_skip": model.get_params()["linear_skip"],
    }


def fetch_timing(ds, batch_size: int = 128, repeats: int = 200) -> dict:
    """Microseconds to fetch one batch of random windows, three ways."""
    import torch
    from torch.utils.data import default_collate

    from sktime_patches.data import collate_windows

    rng = np.random.default_rng(1)
    batches = [rng.integers(0, len(ds), batch_size).tolist() for _ in range(repeats)]

    def run(fn):
        fn(batches[0])
        start = time.perf_counter()
        for b in batches:
            fn(b)
        return (time.perf_counter() - start) / repeats * 1e6

    gather = run(lambda b: collate_windows(ds.__getitems__(b)))
    gather_default = run(lambda b: default_collate(ds.__getitems__(b)))
    one_by_one = run(lambda b: default_collate([ds[i] for i in b]))
    X, _ = collate_windows(ds.__getitems__(batches[0]))
    assert X.shape == (batch_size, ds.lookback, 1) and X.dtype == torch.float32
    return {
        "batch_size": batch_size,
        "getitems_gather_us": round(gather, 1),
        "getitems_then_default_collate_us": round(gather_default, 1),
        "getitem_loop_then_default_collate_us": round(one_by_one, 1),
        "speedup_gather_vs_loop": round(one_by_one / gather, 1),
    }


def scenario_many(args) -> dict:
    from sktime_patches import SeriesWindows, n_windows

    out = {"n_series": args.n_series, "n_steps": args.n_steps}
    out["rss_after_imports_mib"] = round(rss_mb(), 1)
    series = make_series(args.n_series, args.n_steps)
    out["raw_mib"] = round(sum(s.nbytes for s in series) / 2**20, 1)

    start = time.perf_counter()
    full = SeriesWindows(series, LOOKBACK, HORIZON, stride=1)
    out["build_stride1_s"] = round(time.perf_counter() - start, 2)
    per_series = n_windows(args.n_steps, LOOKBACK, HORIZON)
    assert len(full) == args.n_series * per_series
    out["stride1_windows"] = len(full)
    out["stride1_windows_as_arrays_gib"] = {
        "X": round(len(full) * LOOKBACK * 4 / 2**30, 1),
        "X_and_y": round(len(full) * (LOOKBACK + HORIZON) * 4 / 2**30, 1),
    }
    out["dataset_values_mib"] = round(full.nbytes / 2**20, 1)
    out["rss_with_stride1_dataset_mib"] = round(rss_mb(), 1)
    out["fetch"] = fetch_timing(full)
    del full
    gc.collect()

    train = SeriesWindows(series, LOOKBACK, HORIZON, stride=args.stride)
    del series
    gc.collect()
    out["train_stride"] = args.stride
    out["rss_before_fit_mib"] = round(rss_mb(), 1)
    out["fit"] = timed_fit(train)
    out["rss_after_fit_mib"] = round(rss_mb(), 1)
    return out


def scenario_small(args, kind: str) -> dict:
    from sktime_patches import SeriesWindows, make_windows

    out = {"n_series": args.n_series, "n_steps": args.n_steps, "stride": args.stride}
    out["rss_after_imports_mib"] = round(rss_mb(), 1)
    series = make_series(args.n_series, args.n_steps)
    out["raw_mib"] = round(sum(s.nbytes for s in series) / 2**20, 2)
    if kind == "arrays":
        parts = [make_windows(s, LOOKBACK, HORIZON, stride=args.stride) for s in series]
        X = np.concatenate([p[0] for p in parts])
        y = np.concatenate([p[1] for p in parts])
        del parts
        out["windows_arrays_mib"] = round((X.nbytes + y.nbytes) / 2**20, 1)
        out["rss_before_fit_mib"] = round(rss_mb(), 1)
        out["fit"] = timed_fit(X, y)
    else:
        ds = SeriesWindows(series, LOOKBACK, HORIZON, stride=args.stride)
        out["dataset_values_mib"] = round(ds.nbytes / 2**20, 2)
        out["rss_before_fit_mib"] = round(rss_mb(), 1)
        out["fit"] = timed_fit(ds)
    return out


def scenario_speed(args) -> dict:
    from sktime_patches import SeriesWindows, make_windows

    series = make_series(args.n_series, args.n_steps)
    parts = [make_windows(s, LOOKBACK, HORIZON, stride=args.stride) for s in series]
    X = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    ds = SeriesWindows(series, LOOKBACK, HORIZON, stride=args.stride)
    samples: dict[str, list[float]] = {"arrays": [], "dataset": []}
    for _ in range(args.rounds):
        samples["arrays"].append(timed_fit(X, y)["train_windows_per_s"])
        samples["dataset"].append(timed_fit(ds)["train_windows_per_s"])
    return {
        "n_series": args.n_series,
        "n_steps": args.n_steps,
        "stride": args.stride,
        "train_windows": len(ds),
        "rounds": args.rounds,
        "train_windows_per_s": samples,
        "median_train_windows_per_s": {
            k: float(np.median(v)) for k, v in samples.items()
        },
    }


def run_one(args) -> None:
    import torch

    torch.set_num_threads(THREADS)
    load_before = os.getloadavg()
    if args.scenario == "many":
        out = scenario_many(args)
    elif args.scenario == "speed":
        out = scenario_speed(args)
    else:
        out = scenario_small(args, args.scenario)
    out["peak_rss_mib"] = round(peak_rss_mb(), 1)
    out["torch_threads"] = torch.get_num_threads()
    out["load_average_1min"] = {
        "before": round(load_before[0], 2),
        "after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(out))


def versions() -> dict:
    import sklearn
    import skorch
    import torch

    import sktime_patches

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "skorch": skorch.__version__,
        "scikit-learn": sklearn.__version__,
        "sktime_patches": sktime_patches.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["many", "arrays", "dataset", "speed"])
    parser.add_argument("--n-series", type=int)
    parser.add_argument("--n-steps", type=int)
    parser.add_argument("--stride", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, to check the script runs"
    )
    args = parser.parse_args()
    if args.scenario:
        run_one(args)
        return

    many = ["--n-series", "1000", "--n-steps", "20000", "--stride", "192"]
    small = ["--n-series", "20", "--n-steps", "5000", "--stride", "2"]
    speed = ["--n-series", "20", "--n-steps", "5000", "--stride", "4"]
    if args.quick:
        many = ["--n-series", "20", "--n-steps", "2000", "--stride", "96"]
        small = ["--n-series", "4", "--n-steps", "1500", "--stride", "8"]
        speed = [*small, "--rounds", "1"]
    runs = {"many": many, "arrays": small, "dataset": small, "speed": speed}
    results = {}
    for name, extra in runs.items():
        print(f"== {name} {' '.join(extra)}", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, __file__, "--scenario", name, *extra],
            check=True,
            capture_output=True,
            text=True,
        )
        results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(json.dumps(results[name], indent=1), file=sys.stderr, flush=True)

    report = {
        "benchmark": "memory",
        "description": __doc__.split("\n\n")[0],
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "note": "shared by several processes; see load_average_1min",
        },
        "threads": THREADS,
        "versions": versions(),
        "lookback": LOOKBACK,
        "horizon": HORIZON,
        "model": MODEL,
        "scenarios": results,
        "comparison": {
            "median_train_windows_per_s": results["speed"][
                "median_train_windows_per_s"
            ],
            "peak_rss_mib": {
                k: results[k]["peak_rss_mib"] for k in ("many", "arrays", "dataset")
            },
        },
    }
    if args.quick:
        print(json.dumps(report, indent=1))
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
