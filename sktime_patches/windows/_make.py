"""Cut a series into (lookback, horizon) windows; numpy only."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import check_series, check_window_sizes

__all__ = ["make_windows", "n_windows"]


def n_windows(n_timesteps: int, lookback: int, horizon: int, stride: int = 1) -> int:
    """Number of windows :func:`make_windows` cuts from ``n_timesteps`` steps.

    Parameters
    ----------
    n_timesteps : int
        Length of the series.
    lookback : int
        Steps in each input window.
    horizon : int
        Steps forecast after each window.
    stride : int, default=1
        Steps between the starts of consecutive windows.

    Returns
    -------
    count : int
        ``(n_timesteps - lookback - horizon) // stride + 1``, or 0 when the series
        is shorter than one window.

    See Also
    --------
    make_windows : Cut the windows.

    Examples
    --------
    >>> n_windows(100, lookback=24, horizon=12)
    65
    >>> n_windows(100, lookback=24, horizon=12, stride=10)
    7
    """
    check_window_sizes(lookback, horizon, stride)
    span = lookback + horizon
    if n_timesteps < span:
        return 0
    return (n_timesteps - span) // stride + 1


def make_windows(
    series: Any, lookback: int, horizon: int, stride: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into input windows and the values that follow them.

    Window ``i`` starts at row ``i * stride``: ``X[i] = series[s : s + lookback]``
    and ``y[i] = series[s + lookback : s + lookback + horizon]`` with
    ``s = i * stride``.

    Parameters
    ----------
    series : array-like of shape (n_timesteps,) or (n_timesteps, n_channels), \
pd.Series or pd.DataFrame
        The series, oldest row first. A DataFrame must have only numeric columns
        and a sorted index without duplicates.
    lookback : int
        Steps in each input window (``L``).
    horizon : int
        Steps to forecast after each window (``H``). ``0`` gives input windows
        only (``y`` then has zero steps).
    stride : int, default=1
        Steps between the starts of consecutive windows.

    Returns
    -------
    X : ndarray of shape (n_windows, lookback, n_channels)
        Input windows.
    y : ndarray of shape (n_windows, horizon, n_channels)
        The ``horizon`` values after each window.

    Notes
    -----
    ``X`` and ``y`` are read-only strided **views** of the series' values (no copy)
    when the series is a float numpy array or a DataFrame whose columns share one
    float dtype; other inputs are converted to float64 once. Call ``X.copy()`` if
    you need to write into the windows. To feed a scikit-learn scorer, reshape
    ``y`` to 2-D with ``y.reshape(len(y), -1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches import make_windows
    >>> X, y = make_windows(np.arange(10.0), lookback=4, horizon=2, stride=2)
    >>> X.shape, y.shape
    ((3, 4, 1), (3, 2, 1))
    >>> X[1, :, 0], y[1, :, 0]
    (array([2., 3., 4., 5.]), array([6., 7.]))
    """
    check_window_sizes(lookback, horizon, stride)
    values, _, _ = check_series(series)
    n_timesteps = values.shape[0]
    count = n_windows(n_timesteps, lookback, horizon, stride)
    if count == 0:
        raise ValueError(
            f"series has {n_timesteps} time step(s), fewer than one window needs "
            f"(lookback + horizon = {lookback} + {horizon} = {lookback + horizon}); "
            "pass a longer series or a smaller lookback/horizon."
        )
    span = lookback + horizon
    # (n_timesteps - span + 1, n_channels, span) -> (n, span, n_channels), a view
    win = np.lib.stride_tricks.sliding_window_view(values, span, axis=0)
    win = win.transpose(0, 2, 1)[::stride]
    return win[:, :lookback], win[:, lookback:]
