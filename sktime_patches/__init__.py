"""sktime_patches: patch-based deep forecasting as scikit-learn estimators.

The public names load on first use (PEP 562), so that ``import sktime_patches``
and the command line's ``--help`` do not import torch and scikit-learn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .backtesting import BacktestSplit, backtest, backtest_errors
    from .exceptions import SktimePatchesError, TrainingDivergedError
    from .forecaster import PatchForecaster
    from .patcher import SpacetimePatcher
    from .persistence import load
    from .series import SeriesForecaster
    from .windows import SeriesWindows, make_windows, n_windows

#: public name -> the module that defines it
_SOURCES = {
    "BacktestSplit": ".backtesting",
    "backtest": ".backtesting",
    "backtest_errors": ".backtesting",
    "SktimePatchesError": ".exceptions",
    "TrainingDivergedError": ".exceptions",
    "load": ".persistence",
    "PatchForecaster": ".forecaster",
    "SpacetimePatcher": ".patcher",
    "SeriesForecaster": ".series",
    "SeriesWindows": ".windows",
    "make_windows": ".windows",
    "n_windows": ".windows",
}

__all__ = [
    "BacktestSplit",
    "PatchForecaster",
    "SeriesForecaster",
    "SeriesWindows",
    "SktimePatchesError",
    "SpacetimePatcher",
    "TrainingDivergedError",
    "__version__",
    "backtest",
    "backtest_errors",
    "load",
    "make_windows",
    "n_windows",
]


def __getattr__(name: str) -> Any:
    if name in _SOURCES:
        value = getattr(importlib.import_module(_SOURCES[name], __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_SOURCES})
