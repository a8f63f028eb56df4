"""sktime_patches: patch-based deep forecasting as scikit-learn estimators."""

from ._validation import SktimePatchesError, TrainingDivergedError
from ._version import __version__
from ._windows import make_windows, n_windows
from .data import SeriesWindows
from .forecaster import PatchForecaster
from .patcher import SpacetimePatcher

__all__ = [
    "PatchForecaster",
    "SeriesWindows",
    "SktimePatchesError",
    "SpacetimePatcher",
    "TrainingDivergedError",
    "__version__",
    "make_windows",
    "n_windows",
]
