"""What the default networks cost: FLOPs per window, the machine's GEMM bound,
the share of it training and prediction reach, and how fit time grows.

Usage (from the repository root)::

    python benchmarks/studies/cost.py                  # both parts
    python benchmarks/studies/cost.py --part flops     # FLOPs and the bound
    python benchmarks/studies/cost.py --part growth --rows 1000 10000 100000

``--part flops``: for each recipe of ``sktime_patches/_defaults.py`` at its
benchmark cell (``few``: ILI, L=104, H=24; ``many``: ETTh1, L=336, H=96), the
network the default builds there (fitted one epoch on the cell's train
windows) is measured:

* FLOPs per predicted and per trained window, counted by hand from the
  layers' sizes (:func:`network_flops`) and checked against
  :class:`torch.utils.flop_counter.FlopCounterMode` (matrix products; the
  recurrent layers are counted through their decomposition);
* the machine's GEMM rate, measured in the same run: float32 ``torch.mm`` at
  the network's own largest product and at 1024 x 1024 x 1024 (the best of
  both is the bound), and the bfloat16 rate where autocast uses it;
* training and prediction throughput (windows per second, median of
  ``--repeats`` timed passes), and the share of the bound they reach
  (FLOPs per window times windows per second, over the bound).

``--part growth``: default fits (``PatchForecaster()`` through
``SeriesForecaster(lookback=336, horizon=96)``, early stopping on) on
synthetic hourly series of ``--rows`` time steps and ``--channels`` channels:
the fit time, the recipe, the epochs and the windows each epoch trained on.

One JSON record lands in ``benchmarks/results/studies/cost.json`` (parts
merge into it).
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import protocol
import run

from sktime_patches import PatchForecaster, SeriesForecaster
from sktime_patches._defaults import data_size

#: The cell each recipe is measured on: (dataset, lookback, horizon).
CELLS = {"few": ("ili", 104, 24), "many": ("etth1", 336, 96)}


def network_flops(module: Any, training: bool) -> int:
    """FLOPs (multiply and add counted apart) of the matrix products of one
    window through ``module`` (a :class:`~sktime_patches.nn.PatchLSTMNet`),
    forward only or, with ``training``, forward and backward.

    Per channel group: the patch encoder (a linear map per patch), the
    recurrent layer over the tokens (``gates * 2 * (d_model + hidden) *
    hidden`` a step; 3 gates for a GRU, 4 for an LSTM), the head (the
    recurrent decoder's steps and its projection, or a linear map of the
    states), and the linear skip. Backward costs twice the forward of every
    trained product (the gradients of the inputs and of the weights) and
    nothing for the frozen ridge skip.
    """
    d, h = module.encoder.proj.out_features, module.rnn.hidden_size
    gates = 4 if isinstance(module.rnn, torch.nn.LSTM) else 3
    step = gates * 2 * (d + h) * h
    encoder = module.n_patches * 2 * module.encoder.proj.in_features * d
    recurrent = module.n_tokens * step
    head = module.head
    if hasattr(head, "n_segments"):  # the SegRNN-style decoder
        recurrent += head.n_segments * step
        projection = head.n_segments * 2 * h * head.proj.out_features
    else:
        projection = 2 * head.proj.in_features * head.proj.out_features
    trained = encoder + recurrent + projection
    skip = 0
    if module.skip is not None:
        skip = 2 * module.skip.in_features * module.skip.out_features
    per_group = (3 * trained if training else trained) + skip
    return int(module.n_groups * per_group)


class StepwiseLSTM(torch.nn.Module):
    """A one-layer batch-first ``nn.LSTM`` run step by step through
    ``nn.LSTMCell`` with the same weights (the same outputs): torch's FLOP
    counter sees the cell's matrix products, not the fused CPU kernel of
    ``nn.LSTM``, which it does not count."""

    def __init__(self, lstm: torch.nn.LSTM) -> None:
        super().__init__()
        if lstm.num_layers != 1 or not lstm.batch_first:
            raise ValueError("StepwiseLSTM takes a one-layer batch-first LSTM")
        self.hidden_size = lstm.hidden_size
        self.cell = torch.nn.LSTMCell(lstm.input_size, lstm.hidden_size)
        self.cell.weight_ih, self.cell.weight_hh = lstm.weight_ih_l0, lstm.weight_hh_l0
        self.cell.bias_ih, self.cell.bias_hh = lstm.bias_ih_l0, lstm.bias_hh_l0

    def forward(self, x: torch.Tensor, state: Any = None) -> Any:
        if state is None:
            zeros = x.new_zeros(len(x), self.hidden_size)
            h, c = zeros, zeros
        else:
            h, c = state[0][0], state[1][0]
        outputs = []
        for t in range(x.shape[1]):
            h, c = self.cell(x[:, t], (h, c))
            outputs.append(h)
        return torch.stack(outputs, dim=1), (h[None], c[None])


def counted_flops(module: Any, X: torch.Tensor, training: bool) -> float:
    """FLOPs per window by torch's counter (forward, or forward and backward
    of the squared error); an LSTM is counted step by step
    (:class:`StepwiseLSTM`)."""
    if isinstance(module.rnn, torch.nn.LSTM):
        module = copy.deepcopy(module)
        module.rnn = StepwiseLSTM(module.rnn)
    module.train(training)
    with FlopCounterMode(display=False) as counter:
        if training:
            out = module(X)
            (out**2).mean().backward()
        else:
            with torch.no_grad():
                module(X)
    module.zero_grad(set_to_none=True)
    return counter.get_total_flops() / len(X)


def gemm_rate(m: int, k: int, n: int, dtype: torch.dtype, seconds: float = 1.0):
    """FLOP/s of ``torch.mm`` of (m, k) by (k, n) in ``dtype``, best of the
    passes run in about ``seconds``."""
    a, b = torch.randn(m, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
    for _ in range(3):
        torch.mm(a, b)
    best, start = math.inf, time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * m * k * n / best


def _median_seconds(fn: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_recipe(recipe: str, threads: int, repeats: int) -> dict[str, Any]:
    """FLOPs, throughput and the share of the GEMM bound of one recipe's
    default network on its cell."""
    dataset, lookback, horizon = CELLS[recipe]
    split = protocol.prepare(dataset, lookback)
    X, y = split.windows("train", horizon)
    X_val, _ = split.windows("val", horizon)
    model = PatchForecaster(
        lookback=lookback,
        horizon=horizon,
        max_epochs=1,
        patience=None,
        linear_floor=False,
        random_state=0,
        n_jobs=threads,
    ).fit(X, y)
    rows = len(X) * X.shape[2]
    assert data_size(rows) == recipe, (recipe, rows)
    net = model.net_
    module = net.module_
    sample = torch.as_tensor(X[:64], dtype=torch.float32)
    by_hand = {t: network_flops(module, t) for t in (False, True)}
    counted = {t: counted_flops(module, sample, t) for t in (False, True)}
    amp = bool(model.resolved_params_["amp"])
    # training: one more epoch, timed by skorch (the validation pass apart)
    train_seconds = []
    for _ in range(repeats):
        net.partial_fit(np.ascontiguousarray(X, np.float32), y.astype(np.float32))
        train_seconds.append(float(net.history[-1, "dur"]))
    train_rate = len(X) / statistics.median(train_seconds)
    predict_rate = len(X_val) / _median_seconds(lambda: model.predict(X_val), repeats)
    batch_rows = model.resolved_params_["batch_size"] * module.n_groups
    h = module.rnn.hidden_size
    gates = 4 if isinstance(module.rnn, torch.nn.LSTM) else 3
    rates = {
        "network_gemm_float32": gemm_rate(
            batch_rows, module.encoder.proj.out_features + h, gates * h, torch.float32
        ),
        "square_1024_float32": gemm_rate(1024, 1024, 1024, torch.float32),
        "square_1024_bfloat16": gemm_rate(1024, 1024, 1024, torch.bfloat16),
    }
    bound = max(rates["network_gemm_float32"], rates["square_1024_float32"])
    if amp:
        bound = max(bound, rates["square_1024_bfloat16"])
    return {
        "recipe": recipe,
        "cell": {"dataset": dataset, "lookback": lookback, "horizon": horizon},
        "train_windows": len(X),
        "channels": X.shape[2],
        "n_parameters": int(sum(p.numel() for p in module.parameters())),
        "resolved_params": {
            k: v
            for k, v in model.resolved_params_.items()
            if isinstance(v, (int, float, str, bool)) or v is None
        },
        "amp": amp,
        "flops_per_window": {
            "predict_by_hand": by_hand[False],
            "predict_counted": counted[False],
            "train_by_hand": by_hand[True],
            "train_counted": counted[True],
        },
        "gemm_flops_per_second": rates,
        "bound_flops_per_second": bound,
        "train_windows_per_second": train_rate,
        "predict_windows_per_second": predict_rate,
        "train_share_of_bound": by_hand[True] * train_rate / bound,
        "predict_share_of_bound": by_hand[False] * predict_rate / bound,
        "train_epoch_seconds": train_seconds,
    }


def synthetic_hourly(n_rows: int, channels: int, seed: int = 0) -> pd.DataFrame:
    """Hourly series with a daily and a weekly cycle, a drifting level and
    noise, one phase per channel."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_rows)[:, None]
    phase = rng.uniform(0, 2 * np.pi, size=(1, channels))
    values = (
        np.sin(2 * np.pi * t / 24 + phase)
        + 0.5 * np.sin(2 * np.pi * t / 168 + 2 * phase)
        + np.cumsum(rng.normal(0, 0.02, size=(n_rows, channels)), axis=0)
        + 0.3 * rng.normal(size=(n_rows, channels))
    )
    index = pd.date_range("2020-01-01", periods=n_rows, freq="h")
    return pd.DataFrame(values, index=index, columns=[f"c{i}" for i in range(channels)])


def measure_growth(n_rows: int, channels: int, threads: int) -> dict[str, Any]:
    """One default fit on a synthetic series of ``n_rows`` x ``channels``."""
    df = synthetic_hourly(n_rows, channels)
    model = SeriesForecaster(
        PatchForecaster(random_state=0, n_jobs=threads), lookback=336, horizon=96
    )
    start = time.perf_counter()
    model.fit(df)
    seconds = time.perf_counter() - start
    network = model.estimator_
    cap = network.resolved_params_["windows_per_epoch"]
    return {
        "rows": n_rows,
        "channels": channels,
        "fit_seconds": seconds,
        "training_windows": int(model.n_windows_),
        "training_rows": int(model.n_windows_) * channels,
        "windows_per_epoch": cap,
        "recipe": data_size(int(model.n_windows_) * channels),
        "epochs": int(network.n_epochs_),
        "best_epoch": int(network.best_epoch_),
        "linear_floor": network.linear_floor_ is not None,
        "epoch_seconds_median": float(np.median(network.history_[:, "dur"]))
        if network.n_epochs_
        else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("flops", "growth", "all"), default="all")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000]
    )
    parser.add_argument("--channels", type=int, nargs="+", default=[1, 7])
    parser.add_argument("--out", type=Path, default=run.STUDY_RESULTS / "cost.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    record: dict[str, Any] = {}
    if args.out.exists():
        record = json.loads(args.out.read_text())
    if args.part in ("flops", "all"):
        record["recipes"] = {}
        for recipe in CELLS:
            print(f"measuring the {recipe!r} recipe ...", flush=True)
            record["recipes"][recipe] = measure_recipe(
                recipe, args.threads, args.repeats
            )
            print(json.dumps(record["recipes"][recipe], indent=1), flush=True)
    if args.part in ("growth", "all"):
        growth = []
        for channels in args.channels:
            for n_rows in args.rows:
                print(f"fitting {n_rows:,} rows x {channels} ...", flush=True)
                growth.append(measure_growth(n_rows, channels, args.threads))
                print(json.dumps(growth[-1]), flush=True)
        record["growth"] = growth
    record.update(run.provenance(args.threads))
    run.write_record(args.out, record)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
