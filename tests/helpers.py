"""Helpers shared by the tests: exact error messages, seeded synthetic series.

Importable from any test module (pytest puts ``tests/`` on ``sys.path``).
"""

import re

import numpy as np
import pytest


def raises(exc: type[BaseException], msg: str):
    """``pytest.raises`` that requires the whole message, word for word."""
    return pytest.raises(exc, match="^" + re.escape(msg) + "$")


def seasonal(n=300, period=24, noise=0.05, seed=0, channels=1):
    """A sine of ``period`` steps per channel (each channel phase-shifted by
    one radian) plus Gaussian noise: ``(n, channels)``, seeded."""
    t = np.arange(n)[:, None]
    phase = np.arange(channels)[None, :]
    rng = np.random.default_rng(seed)
    return np.sin(2 * np.pi * t / period + phase) + noise * rng.normal(
        size=(n, channels)
    )


def many(lengths=(200, 260, 320), channels=1):
    """Several seasonal series of the given lengths, each with its own seed."""
    return [seasonal(n, seed=i, channels=channels) for i, n in enumerate(lengths)]


def windows_of(series_list, lookback, horizon, stride=1):
    """make_windows of each series, concatenated: what SeriesWindows must equal."""
    from sktime_patches import make_windows

    parts = [make_windows(s, lookback, horizon, stride) for s in series_list]
    return (
        np.concatenate([p[0] for p in parts]).astype(np.float32),
        np.concatenate([p[1] for p in parts]).astype(np.float32),
    )
