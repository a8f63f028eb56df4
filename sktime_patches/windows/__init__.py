"""Series -> windows: cut arrays of windows, or serve them on demand, and split them
in time order.

- :func:`make_windows` cuts one series into ``(X, y)`` arrays of windows;
- :class:`SeriesWindows` serves the windows of one or many series without
  materialising them (a torch ``Dataset``);
- :func:`time_ordered_indices` is the split rule both use for early stopping:
  the latest windows validate, with a gap of a horizon before them.
"""

from ._make import make_windows, n_windows
from ._series import SeriesWindows, collate_windows
from ._split import time_ordered_indices

__all__ = [
    "SeriesWindows",
    "collate_windows",
    "make_windows",
    "n_windows",
    "time_ordered_indices",
]
