"""sktime_patches: patch-based deep forecasting as scikit-learn estimators."""

from ._version import __version__
from .backtesting import BacktestSplit, backtest, backtest_errors
from .exceptions import SktimePatchesError, TrainingDivergedError
from .forecaster import PatchForecaster
from .patcher import SpacetimePatcher
from .series import SeriesForecaster
from .windows import SeriesWindows, make_windows, n_windows

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
    "make_windows",
    "n_windows",
]
