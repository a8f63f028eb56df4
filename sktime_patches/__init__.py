"""sktime_patches: patch-based deep forecasting as scikit-learn estimators."""

from ._validation import SktimePatchesError, TrainingDivergedError
from ._version import __version__
from ._windows import make_windows, n_windows
from .backtesting import BacktestSplit, backtest, backtest_errors
from .data import SeriesWindows
from .forecaster import PatchForecaster
from .patcher import SpacetimePatcher
from .series import SeriesForecaster

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
