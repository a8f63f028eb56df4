"""Deprecated home of :class:`SeriesWindows`: use :mod:`sktime_patches.windows`.

``from sktime_patches.data import SeriesWindows`` (and ``collate_windows``) keep
working, with a ``FutureWarning``; ``from sktime_patches import SeriesWindows``
is the public name.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__: list[str] = []

_MOVED = {"SeriesWindows", "collate_windows"}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        warnings.warn(
            f"sktime_patches.data.{name} moved to sktime_patches.windows.{name}; "
            "import it from there (or SeriesWindows from sktime_patches). The old "
            "path will be removed in a future release.",
            FutureWarning,
            stacklevel=2,
        )
        from . import windows

        return getattr(windows, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
