"""Prediction throughput against the prediction batch size, on a CPU.

``PatchForecaster`` predicts (and validates) in batches of its own size, set
by ``sktime_patches.forecaster.inference_batch_size``: on a CPU, about 7,168
rows times LSTM steps (73 windows of ETTh1's 7 channels and 14 patches). This
script asks whether that size is right: it fits a default model for one epoch
(the weights do not change the cost of a forward pass), then predicts the test
windows with the chosen batch size and with others, the sizes alternated over
``--rounds`` rounds in one process so that all meet the same machine load, and
reports the median univariate windows per second of each.

Usage::

    python benchmarks/studies/predict_batch.py --dataset etth1 --horizon 96

writes ``benchmarks/results/studies/predict_batch_<dataset>_H<horizon>.json``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import protocol
from run import STUDY_RESULTS, provenance, write_record

from sktime_patches import PatchForecaster

#: Other batch sizes (windows) to compare with the chosen one; 2048 was the
#: size before it depended on the data.
OTHERS = (16, 32, 146, 292, 585, 1170, 2048)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(protocol.DATASETS), required=True)
    parser.add_argument("--horizon", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="test windows, tiled")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=STUDY_RESULTS)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    split = protocol.prepare(args.dataset)
    X_tr, y_tr = split.windows("train", args.horizon)
    X_te, _ = split.windows("test", args.horizon)
    X_te = np.concatenate([X_te] * args.repeat)
    model = PatchForecaster(
        lookback=split.lookback,
        horizon=args.horizon,
        max_epochs=1,
        random_state=0,
        n_jobs=args.threads,
    ).fit(X_tr, y_tr)
    net = model.net_
    chosen = net.iterator_valid__batch_size
    reference = model.predict(X_te)
    rates: dict[int, list[float]] = {size: [] for size in (chosen, *OTHERS)}
    n_univariate = X_te.shape[0] * X_te.shape[2]
    for _ in range(args.rounds):
        for size in rates:
            net.iterator_valid__batch_size = size
            start = time.perf_counter()
            pred = model.predict(X_te)
            rates[size].append(n_univariate / (time.perf_counter() - start))
            # the batch size changes the speed, never the forecast
            np.testing.assert_allclose(pred, reference, rtol=1e-4, atol=1e-5)
    net.iterator_valid__batch_size = chosen
    medians = {size: statistics.median(r) for size, r in rates.items()}
    for size, rate in medians.items():
        mark = "  <- chosen" if size == chosen else ""
        print(f"batch {size:5d} windows: {rate:8.0f} univariate windows/s{mark}")
    record = {
        "dataset": args.dataset,
        "horizon": args.horizon,
        "lookback": split.lookback,
        "n_test_windows": int(X_te.shape[0]),
        "n_channels": int(X_te.shape[2]),
        "chosen_batch": int(chosen),
        "rounds": args.rounds,
        "median_windows_per_second": {str(k): v for k, v in medians.items()},
        "speedup_over_2048": medians[chosen] / medians[2048],
        **provenance(args.threads),
    }
    name = f"predict_batch_{args.dataset}_H{args.horizon}.json"
    write_record(args.out_dir / name, record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
