"""Where and how training runs: device, torch threads, seeding, inference batches."""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import torch

from ..nn import use_generator

__all__ = [
    "GLOBAL_RNG_LOCK",
    "generator",
    "inference_batch_size",
    "native_bfloat16",
    "resolve_device",
    "seeded",
    "torch_threads",
    "train_net",
]

#: Rows times LSTM steps per prediction and validation batch on a CPU (a row
#: is one window's channel group). The LSTM runs fastest on batches whose
#: gates stay in cache: ``benchmarks/studies/predict_batch.py`` measured, on 2 threads,
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


def native_bfloat16(device: str) -> bool:
    """Whether ``device`` is a CPU that computes bfloat16 natively (AVX-512
    BF16 or AMX), where bfloat16 autocast roughly halves the time of the
    recurrent layer's products; elsewhere bfloat16 is emulated, slower than
    float32.

    Examples
    --------
    >>> native_bfloat16("cuda")
    False
    """
    if torch.device(device).type != "cpu":
        return False
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    try:
        return any(getattr(torch.cpu, check)() for check in checks)
    except (AttributeError, RuntimeError):  # a torch without these checks
        return False


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


#: Held while a fit draws from torch's global generator: building and
#: initialising the network, and, for the layers whose randomness torch keeps
#: global (dropout inside a transformer encoder or between recurrent layers),
#: the whole training. Fits in other threads then cannot interleave their draws.
GLOBAL_RNG_LOCK = threading.RLock()


@contextlib.contextmanager
def seeded(seed: int, device: str) -> Iterator[None]:
    """Seed torch's global generator inside the block, holding
    :data:`GLOBAL_RNG_LOCK`, and restore the caller's random state after it."""
    devices = [torch.cuda.current_device()] if device.startswith("cuda") else []
    with GLOBAL_RNG_LOCK, torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def generator(seed: int, device: str = "cpu") -> torch.Generator:
    """A random stream of the model's own, on ``device``.

    Examples
    --------
    >>> first = torch.rand(3, generator=generator(0))
    >>> bool(torch.equal(first, torch.rand(3, generator=generator(0))))
    True
    """
    return torch.Generator(device=torch.device(device)).manual_seed(seed)


def train_net(
    net: Any,
    X: Any,
    y: Any,
    params: Mapping[str, Any],
    seed: int,
    keep_on_failure: bool = False,
) -> None:
    """Train ``net`` on ``(X, y)`` for ``max_epochs`` more epochs, with random
    streams of the fit's own.

    Shuffling and dropout draw from generators seeded from ``seed``, so that
    fits running at the same time in several threads give what they give one
    after the other; dropout that torch keeps on its global generator (inside
    a transformer encoder, between recurrent layers) holds
    :data:`GLOBAL_RNG_LOCK` for the whole training. With ``keep_on_failure``
    (a continued training), a training that fails leaves the weights as they
    were.
    """
    device = str(net.device)
    global_dropout = params["dropout"] > 0 and (
        params["encoder"] == "transformer" or params["num_layers"] > 1
    )
    backup = copy.deepcopy(net.module_.state_dict()) if keep_on_failure else None
    use_generator(net.module_, generator(seed + 2, device))
    try:
        with seeded(seed + 3, device) if global_dropout else contextlib.nullcontext():
            net.partial_fit(X, y)
    except Exception:
        if backup is not None:
            net.module_.load_state_dict(backup)
        raise
    finally:
        # prediction needs no random stream, and a CUDA generator would not
        # unpickle on a machine without a GPU
        use_generator(net.module_, None)
