"""Where and how training runs: device, torch threads, seeding, inference batches."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch

__all__ = ["inference_batch_size", "resolve_device", "seeded", "torch_threads"]

#: Rows times LSTM steps per prediction and validation batch on a CPU (a row
#: is one window's channel group). The LSTM runs fastest on batches whose
#: gates stay in cache: ``benchmarks/predict_batch.py`` measured, on 2 threads,
#: 1.83x the throughput of 2048-window batches on ETTh1 L=336 (14 steps; 73
#: windows of 7 channels a batch) and 1.57x on ILI L=104 (5 steps; 204 windows).
_CPU_INFERENCE_ROW_STEPS = 512 * 14
#: Smallest batch (windows) for prediction and validation on an accelerator,
#: where larger batches amortise the per-batch launch and copy overhead.
_ACCELERATOR_INFERENCE_BATCH = 2048


def inference_batch_size(
    device: str, n_groups: int, n_steps: int, batch_size: int
) -> int:
    """Windows per prediction/validation batch (no gradients are kept there).

    On a CPU, about ``_CPU_INFERENCE_ROW_STEPS`` rows times LSTM steps, where a
    window has ``n_groups`` rows (its channel groups) of ``n_steps`` tokens; on
    a GPU, at least ``_ACCELERATOR_INFERENCE_BATCH`` windows and never fewer than
    the training ``batch_size``.
    """
    if torch.device(device).type == "cpu":
        return max(1, _CPU_INFERENCE_ROW_STEPS // (n_groups * n_steps))
    return max(batch_size, _ACCELERATOR_INFERENCE_BATCH)


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when a GPU is visible, else ``"cpu"``."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        torch.device(device)
    except (RuntimeError, TypeError, ValueError):
        raise ValueError(
            f"device={device!r} is not a torch device; pass 'cpu', 'cuda' (or "
            "'cuda:0', 'cuda:1', ...), 'mps', or 'auto' for a GPU when there is one."
        ) from None
    if str(device).startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} but torch sees no CUDA device; pass device='cpu', or "
            "device='auto' to use a GPU only when there is one."
        )
    return device


@contextlib.contextmanager
def torch_threads(n_jobs: int | None) -> Iterator[None]:
    """Limit torch's intra-op threads to ``n_jobs`` inside the block."""
    if n_jobs is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n_jobs)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def seeded(seed: int, device: str) -> Iterator[None]:
    """Seed torch inside the block without disturbing the caller's RNG state."""
    devices = [torch.cuda.current_device()] if device.startswith("cuda") else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield
