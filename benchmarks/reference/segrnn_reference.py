"""Score the reference SegRNN implementation under this protocol (no drop_last).

The protocol's ETTh1-96 reference figure (0.351, PROTOCOL.md) is SegRNN's (Lin
et al. 2023) at L=720. This script trains SegRNN with its reference code and the
settings of its scripts, then scores the trained model twice on the same test
windows: on every window, as ``benchmarks/PROTOCOL.md`` prescribes, and on the
windows a ``drop_last`` loader with the script's batch size keeps (the scoring
of the first published figures; the repository's test loader has since been
fixed to keep every window). It needs a checkout of
https://github.com/lss-1138/SegRNN (nothing of it is copied here).

Settings: ``scripts/SegRNN/etth1.sh`` for ETTh1 at L=720 (and any lookback
other than 96), ``scripts/SegRNN/Lookback_96/etth1.sh`` for ETTh1 at L=96,
``scripts/SegRNN/ill.sh`` for ILI (its own lookback is 60; the protocol's is
104). SegRNN cuts the lookback and the horizon into segments of ``seg_len``
steps, so ``seg_len`` must divide both: ILI at L=104 needs ``--seg-len`` (8, the
largest divisor of 104 and 24, in place of the script's 12). What differs from
the script is recorded under ``deviations_from_script``: the lookback and
``seg_len`` when so asked, and always ``num_workers`` 0 (data loaded in the main
process) and ``use_gpu`` False (this CPU; the reference's own entry point turns
it off too without CUDA).

The reference code keeps the checkpoint with the best val loss (its val loader
shuffles and drops the last batch, so each epoch's val loss averages a random
subset of the val windows); it also computes a test loss every epoch, which
chooses nothing, so the test split decides nothing here. Its test split is
checked against ``protocol.prepare``'s windows before any training. The only
shim: ``np.Inf`` (gone from numpy 2), which its ``EarlyStopping`` reads.

Usage::

    python benchmarks/reference/segrnn_reference.py --segrnn-dir /path/to/SegRNN \
        --dataset ili --lookback 104 --seg-len 8 --horizon 24 \
        --seeds 2021 2022 2023
    python benchmarks/reference/segrnn_reference.py --segrnn-dir /path/to/SegRNN \
        --dataset etth1 --lookback 720 --horizon 96 --seeds 2021

Writes ``benchmarks/results/reference/segrnn_reference_<dataset>_L<L>_H<h>.json`` per
horizon.
"""

from __future__ import annotations

import argparse
import math
import random
import shlex
import sys
import tempfile
import time
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import baselines
from protocol import (
    DATASETS,
    Split,
    add_data_dir_argument,
    data_dir,
    drop_last_kept,
    mae,
    mse,
    prepare,
)
from run import REFERENCE_RESULTS, git, machine, summarise, versions, write_record

REPOSITORY = "https://github.com/lss-1138/SegRNN"
SELF = "benchmarks/reference/segrnn_reference.py"

#: run_longExp.py's defaults, as its argparse sets them.
DEFAULTS: dict[str, Any] = {
    "is_training": 1,
    "model": "SegRNN",
    "features": "M",
    "target": "OT",
    "freq": "h",
    "label_len": 0,
    "rnn_type": "gru",
    "dec_way": "pmf",
    "seg_len": 48,
    "channel_id": 1,
    "fc_dropout": 0.05,
    "head_dropout": 0.0,
    "patch_len": 16,
    "stride": 8,
    "padding_patch": "end",
    "revin": 0,
    "affine": 0,
    "subtract_last": 0,
    "decomposition": 0,
    "kernel_size": 25,
    "individual": 0,
    "embed_type": 0,
    "enc_in": 7,
    "dec_in": 7,
    "c_out": 7,
    "d_model": 512,
    "n_heads": 8,
    "e_layers": 2,
    "d_layers": 1,
    "d_ff": 2048,
    "moving_avg": 25,
    "factor": 1,
    "distil": True,
    "dropout": 0.5,
    "embed": "timeF",
    "activation": "gelu",
    "output_attention": False,
    "do_predict": False,
    "num_workers": 10,
    "itr": 2,
    "train_epochs": 30,
    "batch_size": 128,
    "patience": 5,
    "learning_rate": 0.0001,
    "des": "test",
    "loss": "mse",
    "lradj": "type3",
    "pct_start": 0.3,
    "use_amp": False,
    "use_gpu": True,
    "gpu": 0,
    "use_multi_gpu": False,
    "devices": "0,1",
    "test_flop": False,
}

#: What this script always runs differently from run_longExp.py's defaults.
HERE_ON_CPU = {"num_workers": 0, "use_gpu": False}

#: SegRNN's settings shared by the scripts below.
_SEGRNN = {
    "features": "M",
    "enc_in": 7,
    "d_model": 512,
    "train_epochs": 30,
    "rnn_type": "gru",
    "dec_way": "pmf",
    "channel_id": 1,
    "itr": 1,
}

_ETTH1 = {"data": "ETTh1", "data_path": "ETTh1.csv", "seg_len": 24, **_SEGRNN}

#: The published settings on top of the defaults, by dataset and the script's
#: lookback: ``{dataset: {seq_len: (script, settings)}}``.
SCRIPTS: dict[str, dict[int, tuple[str, dict[str, Any]]]] = {
    "etth1": {
        720: (
            "scripts/SegRNN/etth1.sh",
            {
                **_ETTH1,
                "seq_len": 720,
                "dropout": 0.1,
                "patience": 5,
                "batch_size": 64,
                "learning_rate": 0.0003,
            },
        ),
        96: (
            "scripts/SegRNN/Lookback_96/etth1.sh",
            {
                **_ETTH1,
                "seq_len": 96,
                "dropout": 0.5,
                "patience": 10,
                "loss": "mse",
                "batch_size": 256,
                "learning_rate": 0.001,
            },
        ),
    },
    "ili": {
        60: (
            "scripts/SegRNN/ill.sh",
            {
                "data": "custom",
                "data_path": "national_illness.csv",
                "seq_len": 60,
                "seg_len": 12,
                **_SEGRNN,
                "dropout": 0.0,
                "patience": 10,
                "revin": 1,
                "batch_size": 16,
                "learning_rate": 0.001,
            },
        ),
    },
}


def script_for(dataset: str, lookback: int) -> tuple[str, dict[str, Any]]:
    """The script whose settings run ``dataset`` at ``lookback``: the one written
    for that lookback, else the dataset's first (etth1.sh, ill.sh)."""
    scripts = SCRIPTS[dataset]
    return scripts.get(lookback, next(iter(scripts.values())))


def config(dataset: str, lookback: int, seg_len: int | None = None) -> dict[str, Any]:
    """The reference code's arguments: the script's settings at ``lookback``
    (and ``seg_len``, if given), on this machine's CPU."""
    _, settings = script_for(dataset, lookback)
    out = {**DEFAULTS, **settings, **HERE_ON_CPU, "seq_len": lookback}
    if seg_len is not None:
        out["seg_len"] = seg_len
    return out


def deviations(dataset: str, settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{argument: {"script": value, "used": value}}`` wherever ``settings``
    differ from what the script would pass to run_longExp.py."""
    _, script = script_for(dataset, settings["seq_len"])
    reference = {**DEFAULTS, **script}
    return {
        key: {"script": reference[key], "used": value}
        for key, value in settings.items()
        if reference.get(key) != value
    }


def segment_lengths(lookback: int, horizon: int) -> list[int]:
    """The ``seg_len`` values SegRNN's code accepts: divisors of both lengths."""
    g = math.gcd(lookback, horizon)
    return [d for d in range(1, g + 1) if g % d == 0]


def _split_difference(dataset: Any, split: Split, flag: str, horizon: int) -> str:
    """How the reference code's ``flag`` dataset differs from the protocol's
    segment and windows; ``""`` when they are the same."""
    X, y = split.windows(flag, horizon)
    segment = split.segments[flag]
    lo, hi = split.bounds[flag]
    if len(dataset) != len(X):
        return f"{len(dataset)} windows, not {len(X)}"
    rows = np.asarray(dataset.data_x)
    if rows.shape != segment.shape:
        return (
            f"its rows have shape {rows.shape}, not {segment.shape} (rows "
            f"[{lo}, {hi}) of the file, every channel)"
        )
    if not np.allclose(rows, segment):
        gap = float(np.max(np.abs(rows - segment)))
        return (
            f"its scaled rows differ from protocol.prepare's (rows [{lo}, {hi}) "
            f"of the file, scaled with train statistics) by up to {gap:.3g}"
        )
    for i in (0, len(X) - 1) if len(X) else ():
        seq_x, seq_y = dataset[i][:2]
        if not (
            np.allclose(seq_x, X[i]) and np.allclose(np.asarray(seq_y)[-horizon:], y[i])
        ):
            return f"its window {i} is not the protocol's"
    return ""


def check_splits(exp: Any, split: Split, horizon: int) -> None:
    """Refuse (RuntimeError) unless the reference code's train, val and test
    data are the protocol's segments and windows."""
    for flag in ("test", "val", "train"):
        dataset = exp._get_data(flag=flag)[0]
        difference = _split_difference(dataset, split, flag, horizon)
        if difference:
            raise RuntimeError(
                f"The reference code's {flag} split differs from this protocol's "
                f"({split.dataset}, L={split.lookback}, H={horizon}): "
                f"{difference}; the figures would not be comparable."
            )


@contextmanager
def watch_early_stopping(module: Any, log: dict[str, Any]) -> Iterator[None]:
    """Record, while the reference code trains, each epoch's val loss, when it
    was reached, and which epochs its ``EarlyStopping`` saved (the checkpoint
    it reloads is the last one saved); nothing is changed in what it does."""
    original = getattr(module, "EarlyStopping", None)
    if original is None:
        yield
        return
    log.update(val_losses=[], epoch_ends=[], saved_epochs=[])

    class Watched(original):
        def __call__(self, val_loss, model, path):
            log["val_losses"].append(float(val_loss))
            log["epoch_ends"].append(time.perf_counter())
            return super().__call__(val_loss, model, path)

        def save_checkpoint(self, val_loss, model, path):
            log["saved_epochs"].append(len(log["val_losses"]))
            return super().save_checkpoint(val_loss, model, path)

    module.EarlyStopping = Watched
    try:
        yield
    finally:
        module.EarlyStopping = original


def _predict(model: torch.nn.Module, X: np.ndarray, batch: int = 256) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        return np.concatenate(
            [
                model(torch.tensor(X[i : i + batch], dtype=torch.float32)).numpy()
                for i in range(0, len(X), batch)
            ]
        ).astype(np.float64)


def _scores(y: np.ndarray, pred: np.ndarray, kept: int) -> dict[str, float]:
    return {
        "test_mse": mse(y, pred),
        "test_mae": mae(y, pred),
        "test_mse_drop_last": mse(y[:kept], pred[:kept]),
        "test_mae_drop_last": mae(y[:kept], pred[:kept]),
    }


def fit_and_score(
    code: Path,
    dataset: str,
    lookback: int,
    horizon: int,
    seed: int,
    checkpoints: Path,
    seg_len: int | None = None,
) -> dict[str, Any]:
    """Train SegRNN with the reference code and score it on the test windows
    (after checking, before the training, that its splits are this
    protocol's)."""
    if not hasattr(np, "Inf"):  # the reference code predates numpy 2.0
        setattr(np, "Inf", np.inf)  # noqa: B010 (np.Inf is gone from numpy 2)
    if str(code) not in sys.path:
        sys.path.insert(0, str(code))
    from exp import exp_main  # the reference code's experiment module

    settings = config(dataset, lookback, seg_len)
    args = Namespace(
        **settings,
        random_seed=seed,
        pred_len=horizon,
        root_path=str(data_dir()) + "/",
        checkpoints=str(checkpoints) + "/",
        model_id=f"{dataset}_{lookback}_{horizon}",
    )
    random.seed(seed)
    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (seeded as run_longExp.py seeds it)
    exp = exp_main.Exp_Main(args)
    split = prepare(dataset, lookback)
    check_splits(exp, split, horizon)
    X, y = split.windows("test", horizon)
    log: dict[str, Any] = {}
    start = time.perf_counter()
    with watch_early_stopping(exp_main, log):
        model = exp.train(f"{dataset}_L{lookback}_H{horizon}_seed{seed}")
    fit_seconds = time.perf_counter() - start
    kept = drop_last_kept(len(X), args.batch_size)
    X_val, y_val = split.windows("val", horizon)
    run: dict[str, Any] = {
        "seed": seed,
        **_scores(y, _predict(model, X), kept),
        "val_mse_every_window": mse(y_val, _predict(model, X_val)),
        "n_test_windows": len(X),
        "n_test_windows_drop_last": kept,
        "fit_seconds": fit_seconds,
    }
    if log.get("val_losses"):
        ends = [start, *log["epoch_ends"]]
        kept_epoch = log["saved_epochs"][-1]
        run.update(
            epochs_run=len(log["val_losses"]),
            kept_epoch=kept_epoch,
            val_loss_kept=log["val_losses"][kept_epoch - 1],
            val_losses=log["val_losses"],
            epoch_seconds=np.diff(ends).tolist(),
        )
    return run


def ridge_at(dataset: str, lookback: int, horizon: int, batch_size: int) -> dict:
    """The protocol's baseline at the same lookback, scored both ways."""
    split = prepare(dataset, lookback)
    selection = baselines.select_last_value_ridge(
        split.windows("train", horizon), split.windows("val", horizon)
    )
    X, y = split.windows("test", horizon)
    kept = drop_last_kept(len(X), batch_size)
    return {**_scores(y, selection.predict(X), kept), "selected": selection.params}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segrnn-dir", type=Path, required=True)
    parser.add_argument("--dataset", choices=sorted(SCRIPTS), required=True)
    parser.add_argument(
        "--lookback",
        type=int,
        default=None,
        help="L (default: the protocol's, 336 for etth1 and 104 for ili)",
    )
    parser.add_argument("--horizon", type=int, nargs="+", required=True)
    parser.add_argument(
        "--seg-len",
        type=int,
        default=None,
        help="SegRNN's segment length (default: the script's); must divide L and H",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[2021, 2022, 2023])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REFERENCE_RESULTS)
    add_data_dir_argument(parser)
    args = parser.parse_args(argv)
    if not (args.segrnn_dir / "exp" / "exp_main.py").exists():
        parser.error(
            f"--segrnn-dir {str(args.segrnn_dir)!r}: no exp/exp_main.py there; "
            f"pass the root of a checkout of {REPOSITORY}."
        )
    lookback = args.lookback or DATASETS[args.dataset].lookback
    for horizon in args.horizon:
        seg_len = config(args.dataset, lookback, args.seg_len)["seg_len"]
        if seg_len not in segment_lengths(lookback, horizon):
            parser.error(
                f"seg_len {seg_len} does not divide both L={lookback} and "
                f"H={horizon}, as SegRNN's code needs; pass --seg-len, one of "
                f"{segment_lengths(lookback, horizon)}."
            )
    torch.set_num_threads(args.threads)
    command = ["python", *sys.argv] if argv is None else ["python", SELF, *argv]
    script, _ = script_for(args.dataset, lookback)
    for horizon in args.horizon:
        settings = config(args.dataset, lookback, args.seg_len)
        runs = []
        for seed in args.seeds:
            with tempfile.TemporaryDirectory() as checkpoints:
                run = fit_and_score(
                    args.segrnn_dir,
                    args.dataset,
                    lookback,
                    horizon,
                    seed,
                    Path(checkpoints),
                    args.seg_len,
                )
            print(
                f"{args.dataset} L={lookback} H={horizon} SegRNN seed={seed}: test "
                f"MSE {run['test_mse']:.4f} (drop_last {run['test_mse_drop_last']:.4f})"
                f" fit {run['fit_seconds']:.0f}s",
                flush=True,
            )
            runs.append(run)
        record = {
            "dataset": args.dataset,
            "lookback": lookback,
            "horizon": horizon,
            "model": f"SegRNN (reference code, {script})",
            "segrnn_commit": git(args.segrnn_dir, "rev-parse", "HEAD"),
            "segrnn_checkout_changes": git(args.segrnn_dir, "status", "--porcelain"),
            "script": script,
            "config": {**settings, "pred_len": horizon},
            "deviations_from_script": deviations(args.dataset, settings),
            "drop_last_batch_size": settings["batch_size"],
            "runs": runs,
            "summary": summarise(runs),
            "ridge_same_lookback": ridge_at(
                args.dataset, lookback, horizon, settings["batch_size"]
            ),
            "versions": versions(),
            "machine": machine(torch.get_num_threads()),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": shlex.join(command),
        }
        name = f"segrnn_reference_{args.dataset}_L{lookback}_H{horizon}.json"
        path = write_record(args.out / name, record)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
