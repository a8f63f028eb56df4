"""Matplotlib pictures of forecasts, patches, training curves and backtest errors."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from numbers import Integral
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._patching import first_patch_start, n_patches, padding_len
from ._validation import check_patch_fits, to_frame
from .backtesting import backtest_errors
from .exceptions import UnboundedIntervalWarning

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "plot_backtest_errors",
    "plot_forecast",
    "plot_patches",
    "plot_training_history",
]


def _pyplot() -> Any:
    """Import pyplot only when a picture is drawn (it is slow and picks a backend)."""
    import matplotlib.pyplot as plt

    return plt


def _x(index: pd.Index) -> np.ndarray:
    """Values matplotlib can place on a time axis (Periods become timestamps)."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp().to_numpy()
    return np.asarray(index)


def _as_pandas(data: Any, name: str) -> pd.DataFrame:
    if not isinstance(data, (pd.DataFrame, pd.Series)):
        raise TypeError(
            f"{name} must be a pandas DataFrame or Series indexed by time, as "
            f"SeriesForecaster.predict returns for a DataFrame; got "
            f"{type(data).__name__}."
        )
    return data.to_frame() if isinstance(data, pd.Series) else data


def plot_forecast(
    history: Any,
    forecast: pd.DataFrame | pd.Series,
    actual: pd.DataFrame | pd.Series | None = None,
    *,
    columns: Sequence[Any] | None = None,
    n_history: int | None = None,
    figsize: tuple[float, float] | None = None,
    intervals: pd.DataFrame | None = None,
) -> tuple[Figure, np.ndarray]:
    """Plot the history, the forecast and (optionally) what really happened.

    One panel per column, stacked on a shared time axis.

    Parameters
    ----------
    history : pd.DataFrame, pd.Series or array-like of shape (n_timesteps, \
n_channels)
        The series the forecast starts from (an array gets a RangeIndex).
    forecast : pd.DataFrame or pd.Series
        The forecast, e.g. ``SeriesForecaster(...).fit(history).predict()``,
        indexed by the time stamps it forecasts.
    actual : pd.DataFrame, pd.Series or None, default=None
        The true values over (or around) the forecast period.
    columns : list or None, default=None
        Columns to draw; None draws every column of ``forecast``.
    n_history : int or None, default=None
        Draw only the last ``n_history`` rows of history (e.g. the lookback);
        None draws all of it.
    figsize : tuple of float or None, default=None
        Figure size; None gives 9 inches wide and 2.5 per panel.
    intervals : pd.DataFrame or None, default=None
        Prediction intervals to shade around the forecast, in the layout of
        :meth:`SeriesForecaster.predict_interval
        <sktime_patches.series.SeriesForecaster.predict_interval>`: columns
        ``(column, coverage, "lower" / "upper")`` on the forecast's index.
        Each coverage is a band labelled ``"<c>% interval"``, the wider ones
        lighter. A band with an infinite or missing bound (a coverage that
        could not be bounded) is not drawn, nor listed in the legend, and an
        :class:`~sktime_patches.exceptions.UnboundedIntervalWarning` says so.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    axes : ndarray of matplotlib.axes.Axes of shape (n_columns,)
        One panel per column, with lines labelled ``"history"``, ``"actual"``
        (when given) and ``"forecast"``, in that order (and the bands, when
        given, as collections).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from sktime_patches.plotting import plot_forecast
    >>> history = pd.DataFrame(
    ...     {"a": [1.0, 2.0, 3.0], "b": [3.0, 2.0, 1.0]},
    ...     index=pd.date_range("2024-01-01", periods=3, freq="D"),
    ... )
    >>> forecast = pd.DataFrame(
    ...     {"a": [4.0, 5.0], "b": [0.0, -1.0]},
    ...     index=pd.date_range("2024-01-04", periods=2, freq="D"),
    ... )
    >>> fig, axes = plot_forecast(history, forecast)
    >>> [ax.get_ylabel() for ax in axes]
    ['a', 'b']
    >>> [text.get_text() for text in fig.legends[0].get_texts()]
    ['history', 'forecast']
    >>> [line.get_label() for line in axes[0].get_lines()]
    ['history', 'forecast']
    """
    hist, _ = to_frame(history, "history")
    fc = _as_pandas(forecast, "forecast")
    act = None if actual is None else _as_pandas(actual, "actual")
    if isinstance(forecast, pd.Series):  # one channel: name it as the forecast
        if hist.shape[1] == 1:
            hist = hist.set_axis(fc.columns, axis=1)
        if act is not None and act.shape[1] == 1:
            act = act.set_axis(fc.columns, axis=1)

    def is_time(index: pd.Index) -> bool:
        return isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex))

    for name, frame in (("forecast", fc), ("actual", act)):
        if frame is not None and is_time(frame.index) != is_time(hist.index):
            kinds = [type(i).__name__ for i in (frame.index, hist.index)]
            raise ValueError(
                f"{name} has a {kinds[0]} but history a {kinds[1]}, so they cannot "
                f"share a time axis; pass a {name} indexed like the history (the "
                "forecast of SeriesForecaster.predict is)."
            )
    cols = list(fc.columns) if columns is None else list(columns)
    for name, frame in (("forecast", fc), ("history", hist), ("actual", act)):
        if frame is None:
            continue
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(
                f"{name} has no column(s) {missing}; its columns are "
                f"{list(frame.columns)}. Pass frames with the same columns, or "
                "columns= naming columns they share."
            )
    if n_history is not None:
        if isinstance(n_history, bool) or not isinstance(n_history, (int, np.integer)):
            raise TypeError(f"n_history must be an int or None; got {n_history!r}.")
        if n_history < 1:
            raise ValueError(
                f"n_history must be >= 1; got n_history={n_history}. Pass None to "
                "draw all the history."
            )
        hist = hist.iloc[-n_history:]
    bands = None if intervals is None else _interval_bands(intervals, cols, fc)

    plt = _pyplot()
    fig, axes = plt.subplots(
        len(cols),
        1,
        sharex=True,
        squeeze=False,
        figsize=figsize or (9.0, 2.5 * len(cols)),
        layout="constrained",
    )
    axes = axes[:, 0]
    for ax, col in zip(axes, cols, strict=True):
        ax.plot(_x(hist.index), hist[col].to_numpy(), color="C0", label="history")
        if act is not None:
            ax.plot(
                _x(act.index),
                act[col].to_numpy(),
                color="0.2",
                linestyle=":",
                label="actual",
            )
        if bands is not None:
            coverages = sorted(bands[col], reverse=True)  # widest first, lightest
            for k, c in enumerate(coverages):
                lower, upper = bands[col][c]
                if not (np.isfinite(lower).all() and np.isfinite(upper).all()):
                    warnings.warn(
                        UnboundedIntervalWarning(
                            f"intervals has infinite or missing bounds of "
                            f"{col!r} at coverage {c:g}: that band is not drawn "
                            "(nor listed in the legend); pass intervals of a "
                            "coverage the model can bound.",
                            c,
                        ),
                        stacklevel=2,
                    )
                    continue
                ax.fill_between(
                    _x(fc.index),
                    lower,
                    upper,
                    color="C1",
                    alpha=0.15 + 0.2 * k / max(len(coverages) - 1, 1),
                    linewidth=0,
                    label=f"{100 * c:g}% interval",
                )
        ax.plot(
            _x(fc.index), fc[col].to_numpy(), color="C1", marker=".", label="forecast"
        )
        ax.set_ylabel(str(col))
    # beside the panels, outside the data: it never hides a line (nor a title)
    fig.legend(
        *axes[0].get_legend_handles_labels(), loc="outside right upper", frameon=False
    )
    axes[-1].set_xlabel(str(hist.index.name) if hist.index.name is not None else "time")
    return fig, axes


def _interval_bands(
    intervals: Any, cols: list[Any], fc: pd.DataFrame
) -> dict[Any, dict[float, tuple[np.ndarray, np.ndarray]]]:
    """``{column: {coverage: (lower, upper)}}`` from a predict_interval frame."""
    layout = (
        "pass the frame of SeriesForecaster.predict_interval: columns "
        "(column, coverage, 'lower'/'upper') on the forecast's index"
    )
    if not isinstance(intervals, pd.DataFrame) or intervals.columns.nlevels != 3:
        got = type(intervals).__name__
        if isinstance(intervals, pd.DataFrame):
            got = f"a DataFrame with {intervals.columns.nlevels} column level(s)"
        raise ValueError(f"intervals must have 3 column levels; got {got}; {layout}.")
    if not intervals.index.equals(fc.index):
        raise ValueError(
            f"intervals has another index than the forecast ({len(intervals)} vs "
            f"{len(fc)} rows, or other time stamps); {layout}."
        )
    bands: dict[Any, dict[float, tuple[np.ndarray, np.ndarray]]] = {}
    for col in cols:
        if col not in intervals.columns.get_level_values(0):
            raise ValueError(f"intervals has no column {col!r}; {layout}.")
        sub = intervals[col]
        bands[col] = {}
        for c in sub.columns.get_level_values(0).unique():
            try:
                lower, upper = sub[(c, "lower")], sub[(c, "upper")]
            except KeyError:
                raise ValueError(
                    f"intervals lacks the lower or upper bound of {col!r} at "
                    f"coverage {c!r}; {layout}."
                ) from None
            bands[col][float(c)] = (lower.to_numpy(float), upper.to_numpy(float))
    return bands


@validate_params(
    {
        "window_or_series": "no_validation",
        "patch_len": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left"), None],
        "padding": [StrOptions({"end", "none"})],
        "lookback": [Interval(Integral, 1, None, closed="left"), None],
        "figsize": [tuple, None],
    },
    prefer_skip_nested_validation=True,
)
def plot_patches(
    window_or_series: Any,
    patch_len: int,
    stride: int | None = None,
    padding: str = "end",
    *,
    lookback: int | None = None,
    figsize: tuple[float, float] | None = None,
) -> tuple[Figure, np.ndarray]:
    """Show how a window is cut into patches, each patch coloured over the values.

    Uses the same patch positions as :class:`~sktime_patches.SpacetimePatcher`
    and the network: with ``padding="end"`` the last value is repeated until the
    last patch is whole; without padding the patches are aligned to the end of the
    window and the earliest ``(lookback - patch_len) % stride`` steps are left out.

    Parameters
    ----------
    window_or_series : array-like of shape (lookback,) or (lookback, n_channels), \
pd.Series or pd.DataFrame
        One window (or a series whose last ``lookback`` rows are the window).
    patch_len : int
        Steps per patch.
    stride : int or None, default=None
        Steps between patch starts; None means ``patch_len``.
    padding : {"end", "none"}, default="end"
        As in ``SpacetimePatcher``.
    lookback : int or None, default=None
        Use the last ``lookback`` rows; None uses all rows.
    figsize : tuple of float or None, default=None
        Figure size; None gives 8 inches wide and 2.5 per channel.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    axes : ndarray of matplotlib.axes.Axes of shape (n_channels,)
        One panel per channel. Lines, in order: ``"window"`` (the values, x = step
        in the window), ``"padding"`` (only when padded), then ``"patch 0"``,
        ``"patch 1"``, ... over the steps each patch covers. Below the values, one
        bar per patch (``ax.collections``) marks its extent; overlapping patches
        (``stride < patch_len``) sit in separate lanes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sktime_patches.plotting import plot_patches
    >>> fig, axes = plot_patches(np.arange(10.0), patch_len=4)
    >>> [line.get_label() for line in axes[0].get_lines()]
    ['window', 'padding', 'patch 0', 'patch 1', 'patch 2']
    >>> axes[0].get_lines()[-1].get_xdata().tolist()  # padded with 2 steps
    [8, 9, 10, 11]
    """
    frame, _ = to_frame(window_or_series, "window_or_series")
    if lookback is not None:
        if len(frame) < lookback:
            raise ValueError(
                f"window_or_series has {len(frame)} row(s), fewer than "
                f"lookback={lookback}; pass a longer series or a smaller lookback."
            )
        frame = frame.iloc[-lookback:]
    values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    window = len(values)
    if patch_len > window:
        raise ValueError(
            f"patch_len={patch_len} is longer than the window ({window} steps); pass "
            f"patch_len <= {window}, or a longer window."
        )
    check_patch_fits(patch_len, window, stride, padding)  # the patcher's rule
    stride = patch_len if stride is None else stride
    count = n_patches(window, patch_len, stride, padding)
    pad = padding_len(window, patch_len, stride, padding)
    first = first_patch_start(window, patch_len, stride, padding)
    padded = np.concatenate([values, np.repeat(values[-1:], pad, axis=0)])
    steps = np.arange(window + pad)
    lanes = -(-patch_len // stride)  # patches that overlap one step, at most

    plt = _pyplot()
    n_channels = values.shape[1]
    fig, axes = plt.subplots(
        n_channels,
        1,
        sharex=True,
        squeeze=False,
        figsize=figsize or (8.0, 2.5 * n_channels),
        layout="constrained",
    )
    axes = axes[:, 0]
    colors = plt.get_cmap("tab10").colors
    for c, ax in enumerate(axes):
        ax.plot(steps[:window], values[:, c], color="0.6", marker=".", label="window")
        if pad:
            ax.plot(
                steps[window - 1 :],
                padded[window - 1 :, c],
                color="0.6",
                linestyle="--",
                label="padding",
            )
        if first:
            ax.axvspan(-0.5, first - 0.5, color="0.85", label="left out")
        # below the values, one bar per patch; overlapping patches get own lanes
        low, high = np.nanmin(padded[:, c]), np.nanmax(padded[:, c])
        size = float(high - low) or 1.0
        for j in range(count):
            s = first + j * stride
            color = colors[j % len(colors)]
            ax.plot(
                steps[s : s + patch_len],
                padded[s : s + patch_len, c],
                color=color,
                linewidth=3,
                alpha=0.7,
                label=f"patch {j}",
            )
            lane = j % lanes
            ax.broken_barh(
                [(s - 0.4, patch_len - 0.2)],
                (low - size * (0.15 + 0.12 * lane), size * 0.08),
                facecolors=color,
                alpha=0.7,
            )
        ax.set_title(str(frame.columns[c]))
    axes[-1].set_xlabel("step in window")
    if count <= 10:
        axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    fig.suptitle(
        f"patch_len={patch_len}, stride={stride}, padding={padding!r}: "
        f"{count} patch(es) per channel"
    )
    return fig, axes


def _history_records(obj: Any) -> list[dict]:
    """The list of per-epoch dicts of a History, list or fitted estimator."""
    from sklearn.pipeline import Pipeline

    if isinstance(obj, list):
        return obj
    if isinstance(obj, Pipeline):
        return _history_records(obj.steps[-1][1])
    for attr in ("history_", "estimator_", "history"):
        inner = getattr(obj, attr, None)
        if inner is not None:
            return _history_records(inner)
    raise TypeError(
        "history_or_estimator must be a skorch History, a list of dicts with keys "
        "'epoch', 'train_loss' and 'valid_loss', or a fitted estimator with a "
        f"history_ attribute; got {type(obj).__name__}. Fit the estimator first."
    )


def plot_training_history(
    history_or_estimator: Any,
    *,
    logy: bool = False,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Plot training and validation loss per epoch.

    Parameters
    ----------
    history_or_estimator : skorch History, list of dict or estimator
        A list with one dict per epoch (keys ``"epoch"``, ``"train_loss"`` and,
        when a validation split was used, ``"valid_loss"``), such as a skorch
        ``History``; or a fitted estimator holding one as ``history_`` (e.g.
        ``PatchForecaster``), also inside a ``SeriesForecaster`` or at the end of
        a ``Pipeline``.
    logy : bool, default=False
        Log scale for the loss.
    ax : matplotlib.axes.Axes or None, default=None
        Axes to draw into; None makes a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    ax : matplotlib.axes.Axes
        The axes, with lines ``"train loss"``, ``"validation loss"`` and a marker
        ``"best validation (epoch k)"`` (the last two only when validated).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sktime_patches.plotting import plot_training_history
    >>> history = [
    ...     {"epoch": 1, "train_loss": 1.0, "valid_loss": 1.2},
    ...     {"epoch": 2, "train_loss": 0.5, "valid_loss": 0.7},
    ...     {"epoch": 3, "train_loss": 0.3, "valid_loss": 0.8},
    ... ]
    >>> fig, ax = plot_training_history(history)
    >>> [line.get_label() for line in ax.get_lines()]
    ['train loss', 'validation loss', 'best validation (epoch 2)']
    """
    records = _history_records(history_or_estimator)
    if len(records) == 0:
        raise ValueError(
            "history_or_estimator holds no epochs; fit the estimator for at least "
            "one epoch (max_epochs >= 1) before plotting its history."
        )
    if not all(isinstance(r, dict) for r in records):
        raise TypeError(
            "history_or_estimator must hold one dict per epoch (keys 'epoch', "
            "'train_loss', 'valid_loss'); got a list of "
            f"{type(records[0]).__name__ if records else 'nothing'}."
        )

    def column(key: str) -> np.ndarray:
        return np.array([r.get(key, np.nan) for r in records], dtype=np.float64)

    epochs = np.array(
        [r.get("epoch", i + 1) for i, r in enumerate(records)], dtype=np.float64
    )
    train, valid = column("train_loss"), column("valid_loss")
    if np.isnan(train).all():
        raise ValueError(
            "history_or_estimator has no 'train_loss' in any epoch; pass the history "
            "recorded while training (a skorch History or a list of dicts)."
        )
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.0, 4.0), layout="constrained")
    else:
        fig = ax.figure
    ax.plot(epochs, train, marker=".", label="train loss")
    if not np.isnan(valid).all():
        ax.plot(epochs, valid, marker=".", label="validation loss")
        best = int(np.nanargmin(valid))
        ax.plot(
            [epochs[best]],
            [valid[best]],
            linestyle="none",
            marker="*",
            markersize=12,
            color="C3",
            label=f"best validation (epoch {epochs[best]:g})",
        )
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend(loc="best")
    return fig, ax


@validate_params(
    {
        "tidy": [pd.DataFrame],
        "metric": [StrOptions({"mae", "mse"})],
        "columns": "no_validation",
        "ax": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def plot_backtest_errors(
    tidy: pd.DataFrame,
    *,
    metric: str = "mae",
    columns: Sequence[Any] | None = None,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Plot the backtest error by forecast step, one line per column.

    The error at step ``k`` averages over the cutoffs of the backtest; errors
    usually grow with the step. Columns on very different scales are best
    plotted separately (``columns=``).

    Parameters
    ----------
    tidy : pd.DataFrame
        The frame returned by :func:`~sktime_patches.backtesting.backtest`.
    metric : {"mae", "mse"}, default="mae"
        Mean absolute or mean squared error.
    columns : list or None, default=None
        Columns to draw; None draws all.
    ax : matplotlib.axes.Axes or None, default=None
        Axes to draw into; None makes a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    ax : matplotlib.axes.Axes
        The axes, with one line per column (x = step 1 .. horizon), labelled by
        the column name.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from sktime_patches.plotting import plot_backtest_errors
    >>> tidy = pd.DataFrame({
    ...     "cutoff": [9, 9, 12, 12], "timestamp": [10, 11, 13, 14],
    ...     "step": [1, 2, 1, 2], "column": ["y", "y", "y", "y"],
    ...     "actual": [1.0, 2.0, 3.0, 4.0], "forecast": [1.0, 3.0, 1.0, 4.0],
    ... })
    >>> fig, ax = plot_backtest_errors(tidy)
    >>> line = ax.get_lines()[0]
    >>> line.get_label(), line.get_xdata().tolist(), line.get_ydata().tolist()
    ('y', [1, 2], [1.0, 0.5])
    """
    errors = backtest_errors(tidy, by=["step", "column"])[metric].unstack("column")
    cols = list(errors.columns) if columns is None else list(columns)
    missing = [c for c in cols if c not in errors.columns]
    if missing:
        raise ValueError(
            f"tidy has no column(s) {missing} in its 'column' column; known: "
            f"{list(errors.columns)}."
        )
    plt = _pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.0, 4.0), layout="constrained")
    else:
        fig = ax.figure
    for col in cols:
        ax.plot(
            errors.index.to_numpy(), errors[col].to_numpy(), marker="o", label=str(col)
        )
    n_cutoffs = tidy["cutoff"].nunique()
    ax.set_xlabel("forecast step")
    ax.set_ylabel(metric.upper())
    ax.set_title(f"{metric.upper()} by forecast step over {n_cutoffs} cutoff(s)")
    ax.legend(loc="best")
    return fig, ax
