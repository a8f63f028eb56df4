"""Score the reference PatchTST implementation under this protocol (no drop_last).

The targets include PatchTST's published figures, which its reference code
scored with ``drop_last=True`` on the test loader. This script trains PatchTST
with that code and the settings of its scripts (``scripts/PatchTST/illness.sh``
for ILI at L=104, ``etth1.sh`` for ETTh1 at L=336; they train PatchTST/42, the
repository's default model), then scores the trained model twice on the same
test windows: on every window, as ``benchmarks/PROTOCOL.md`` prescribes, and on
the windows a ``drop_last`` loader with the script's batch size keeps. It needs
a checkout of https://github.com/yuqinie98/PatchTST (nothing of it is copied
here). The reference code keeps the checkpoint with
the best val loss; it also prints a test loss every epoch, which chooses
nothing, so the test split decides nothing here.

Usage::

    python benchmarks/reference/patchtst_reference.py --patchtst-dir /path/to/PatchTST \
        --dataset ili --horizon 24 36 48 60 --seeds 2021 2022 2023

Writes ``benchmarks/results/reference/patchtst_reference_<dataset>_H<h>.json``
per horizon.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from argparse import Namespace
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

from protocol import data_dir, drop_last_kept, mae, mse, prepare
from run import REFERENCE_RESULTS, git, machine, versions, write_record

#: run_longExp.py's defaults (on a CPU, data loaded in the main process).
DEFAULTS = {
    "is_training": 1,
    "model": "PatchTST",
    "features": "M",
    "target": "OT",
    "freq": "h",
    "label_len": 48,
    "fc_dropout": 0.05,
    "head_dropout": 0.0,
    "patch_len": 16,
    "stride": 8,
    "padding_patch": "end",
    "revin": 1,
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
    "dropout": 0.05,
    "embed": "timeF",
    "activation": "gelu",
    "output_attention": False,
    "do_predict": False,
    "num_workers": 0,
    "itr": 1,
    "train_epochs": 100,
    "batch_size": 128,
    "patience": 100,
    "learning_rate": 0.0001,
    "des": "Exp",
    "loss": "mse",
    "lradj": "type3",
    "pct_start": 0.3,
    "use_amp": False,
    "use_gpu": False,
    "gpu": 0,
    "use_multi_gpu": False,
    "devices": "0",
    "test_flop": False,
}

#: The small PatchTST that both scripts below set (3 layers of width 16).
SMALL_MODEL = {
    "e_layers": 3,
    "n_heads": 4,
    "d_model": 16,
    "d_ff": 128,
    "dropout": 0.3,
    "fc_dropout": 0.3,
    "head_dropout": 0.0,
}

#: The published settings on top of the defaults: scripts/PatchTST/<script>.
SCRIPTS = {
    "ili": (
        "illness.sh",
        {
            "data": "custom",
            "data_path": "national_illness.csv",
            "seq_len": 104,
            **SMALL_MODEL,
            "patch_len": 24,
            "stride": 2,
            "train_epochs": 100,
            "lradj": "constant",
            "batch_size": 16,
            "learning_rate": 0.0025,
        },
    ),
    "etth1": (
        "etth1.sh",
        {
            "data": "ETTh1",
            "data_path": "ETTh1.csv",
            "seq_len": 336,
            **SMALL_MODEL,
            "patch_len": 16,
            "stride": 8,
            "train_epochs": 100,
            "batch_size": 128,
            "learning_rate": 0.0001,
        },
    ),
}


def config(dataset: str) -> dict:
    """The reference code's arguments for ``dataset``, as its script sets them."""
    return {**DEFAULTS, **SCRIPTS[dataset][1]}


def fit_and_score(
    code: Path, dataset: str, horizon: int, seed: int, checkpoints: Path
) -> dict:
    """Train PatchTST with the reference code and score it on the test windows
    (after checking, before the training, that its test split is this
    protocol's)."""
    if not hasattr(np, "Inf"):  # the reference code predates numpy 2.0
        setattr(np, "Inf", np.inf)  # noqa: B010 (np.Inf is gone from numpy 2)
    if str(code) not in sys.path:
        sys.path.insert(0, str(code))
    from exp.exp_main import Exp_Main  # the reference code's experiment class

    args = Namespace(
        **config(dataset),
        random_seed=seed,
        pred_len=horizon,
        root_path=str(data_dir()) + "/",
        checkpoints=str(checkpoints) + "/",
        model_id=f"{dataset}_{horizon}",
    )
    random.seed(seed)
    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (seeded as run_longExp.py seeds it)
    exp = Exp_Main(args)
    split = prepare(dataset)
    if split.lookback != args.seq_len:
        raise RuntimeError(
            f"{dataset}: the protocol's lookback {split.lookback} is not the "
            f"script's seq_len {args.seq_len}."
        )
    X, y = split.windows("test", horizon)
    ref_test = exp._get_data(flag="test")[0]
    same = len(ref_test) == len(X) and np.allclose(
        ref_test.data_x, split.segments["test"]
    )
    if not same:
        raise RuntimeError(
            "The reference code's test split differs from this protocol's; the "
            "figures would not be comparable."
        )
    start = time.perf_counter()
    model = exp.train(f"{dataset}_H{horizon}_seed{seed}")
    fit_seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        pred = np.concatenate(
            [
                model(torch.tensor(X[i : i + 256], dtype=torch.float32)).numpy()
                for i in range(0, len(X), 256)
            ]
        ).astype(np.float64)
    kept = drop_last_kept(len(X), args.batch_size)
    return {
        "seed": seed,
        "test_mse": mse(y, pred),
        "test_mae": mae(y, pred),
        "test_mse_drop_last": mse(y[:kept], pred[:kept]),
        "test_mae_drop_last": mae(y[:kept], pred[:kept]),
        "n_test_windows": len(X),
        "n_test_windows_drop_last": kept,
        "fit_seconds": fit_seconds,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patchtst-dir", type=Path, required=True)
    parser.add_argument("--dataset", choices=sorted(SCRIPTS), required=True)
    parser.add_argument("--horizon", type=int, nargs="+", required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2021, 2022, 2023])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REFERENCE_RESULTS)
    args = parser.parse_args(argv)
    code = args.patchtst_dir / "PatchTST_supervised"
    if not (code / "exp" / "exp_main.py").exists():
        parser.error(
            f"--patchtst-dir {str(args.patchtst_dir)!r}: no "
            "PatchTST_supervised/exp/exp_main.py there; pass the root of a "
            "checkout of https://github.com/yuqinie98/PatchTST."
        )
    torch.set_num_threads(args.threads)
    for horizon in args.horizon:
        runs = []
        for seed in args.seeds:
            with tempfile.TemporaryDirectory() as checkpoints:
                run = fit_and_score(
                    code, args.dataset, horizon, seed, Path(checkpoints)
                )
            print(
                f"{args.dataset} H={horizon} PatchTST seed={seed}: test MSE "
                f"{run['test_mse']:.4f} (drop_last {run['test_mse_drop_last']:.4f}) "
                f"fit {run['fit_seconds']:.0f}s",
                flush=True,
            )
            runs.append(run)
        script, _ = SCRIPTS[args.dataset]
        settings = config(args.dataset)
        record = {
            "dataset": args.dataset,
            "lookback": settings["seq_len"],
            "horizon": horizon,
            "model": f"PatchTST (reference code, scripts/PatchTST/{script})",
            "patchtst_commit": git(args.patchtst_dir, "rev-parse", "HEAD"),
            "config": settings,
            "runs": runs,
            "versions": versions(),
            "machine": machine(torch.get_num_threads()),
        }
        name = f"patchtst_reference_{args.dataset}_H{horizon}.json"
        path = write_record(args.out / name, record)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
