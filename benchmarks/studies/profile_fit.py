"""Where the time of an ETTh1 L=336 H=96 fit goes, on CPU threads.

Usage (from the repository root)::

    python benchmarks/studies/profile_fit.py --threads 2 --epochs 2

Three measurements of the default :class:`~sktime_patches.PatchForecaster`:

1. a skorch fit of ``--epochs`` epochs (no early stopping), with a callback that
   sums the time spent inside training batches (forward, loss, backward,
   optimiser step, gradient clipping) apart from the rest of the epoch (data
   loading and collation, validation, callbacks, Python overhead);
2. the same number of optimiser steps as a bare PyTorch loop over tensors
   already in memory (the floor any data pipeline could reach);
3. ``torch.profiler`` over a few training steps: the operators that dominate.

Writes ``benchmarks/results/studies/profile_etth1_H96.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch
from skorch.callbacks import Callback

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import protocol
from run import STUDY_RESULTS, machine, versions, write_record

from sktime_patches import PatchForecaster


class BatchTimer(Callback):
    """Sum the wall time of training batches and of whole epochs."""

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        self.batch_seconds = 0.0
        self.epoch_seconds = []
        self.train_phase_seconds = []

    def on_epoch_begin(self, net: Any, **kwargs: Any) -> None:
        self._epoch_start = time.perf_counter()
        self._last_train_end = None

    def on_batch_begin(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        self._batch_start = time.perf_counter()

    def on_batch_end(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        now = time.perf_counter()
        if training:
            self.batch_seconds += now - self._batch_start
            self._last_train_end = now

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        now = time.perf_counter()
        self.epoch_seconds.append(now - self._epoch_start)
        self.train_phase_seconds.append(self._last_train_end - self._epoch_start)


def bare_loop(
    module: torch.nn.Module,
    X: np.ndarray,
    y: np.ndarray,
    steps: int,
    batch_size: int,
    lr: float,
) -> float:
    """Seconds for ``steps`` optimiser steps on in-memory tensors."""
    Xt, yt = (
        torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32)),
        torch.from_numpy(np.ascontiguousarray(y, dtype=np.float32)),
    )
    optimiser = torch.optim.AdamW(
        [p for p in module.parameters() if p.requires_grad], lr=lr
    )
    criterion = torch.nn.MSELoss()
    module.train()
    start = time.perf_counter()
    order = torch.randperm(len(Xt))
    for step in range(steps):
        idx = order[(step * batch_size) % len(Xt) :][:batch_size]
        optimiser.zero_grad()
        loss = criterion(module(Xt[idx]), yt[idx])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
        optimiser.step()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--params", type=json.loads, default={})
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    split = protocol.prepare("etth1")
    X_tr, y_tr = split.windows("train", 96)
    X_va, y_va = split.windows("val", 96)

    timer = BatchTimer()
    model = PatchForecaster(
        lookback=336,
        horizon=96,
        random_state=0,
        n_jobs=args.threads,
        max_epochs=args.epochs,
        patience=None,
        **args.params,
    )
    # the timer rides along as an extra skorch callback, added where the
    # forecaster builds its net
    from sktime_patches import forecaster as forecaster_module

    original = forecaster_module.build_net

    def build_with_timer(*a: Any, **k: Any) -> Any:
        net = original(*a, **k)
        net.callbacks = [*net.callbacks, ("batch_timer", timer)]
        if net.initialized_:
            net.initialize_callbacks()
        return net

    forecaster_module.build_net = build_with_timer
    try:
        start = time.perf_counter()
        model.fit(X_tr, y_tr, X_val=X_va, y_val=y_va)
        fit_seconds = time.perf_counter() - start
    finally:
        forecaster_module.build_net = original
    batch_size = model.resolved_params_["batch_size"]
    lr = model.resolved_params_["lr"]
    n_batches = int(np.ceil(len(X_tr) / batch_size))
    steps = n_batches * args.epochs
    train_phase = float(sum(timer.train_phase_seconds))
    module = model.net_.module_
    bare = bare_loop(module, X_tr, y_tr, steps, batch_size, lr)

    with torch.profiler.profile(
        activities=[torch.profiler.ProfilerActivity.CPU]
    ) as prof:
        bare_loop(module, X_tr, y_tr, 5, batch_size, lr)
    top = [
        {
            "op": e.key,
            "self_cpu_ms": round(e.self_cpu_time_total / 1e3, 2),
            "calls": e.count,
        }
        for e in sorted(
            prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True
        )[:15]
    ]
    n_univariate = X_tr.shape[0] * X_tr.shape[2]
    record = {
        "dataset": "etth1",
        "lookback": 336,
        "horizon": 96,
        "params": args.params,
        "epochs": args.epochs,
        "fit_seconds": fit_seconds,
        "epoch_seconds": timer.epoch_seconds,
        "train_phase_seconds": train_phase,
        "in_batch_seconds": timer.batch_seconds,
        "bare_loop_seconds": bare,
        "share_outside_network_step": 1 - timer.batch_seconds / train_phase,
        "share_over_bare_loop": 1 - bare / train_phase,
        "train_windows_per_second_train_phase": n_univariate
        * args.epochs
        / train_phase,
        "train_windows_per_second_bare": n_univariate * args.epochs / bare,
        "validation_and_callbacks_seconds": float(sum(timer.epoch_seconds))
        - train_phase,
        "top_ops_bare_5_steps": top,
        "versions": versions(),
        "machine": machine(args.threads),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    write_record(STUDY_RESULTS / "profile_etth1_H96.json", record)
    print(
        json.dumps(
            {k: v for k, v in record.items() if k != "top_ops_bare_5_steps"},
            indent=1,
            default=str,
        )
    )
    for row in top[:8]:
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
