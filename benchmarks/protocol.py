"""The long-horizon protocol of benchmarks/PROTOCOL.md: data, splits, metrics."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

from sktime_patches import make_windows

__all__ = [
    "DATASETS",
    "EXPECTED_TEST_WINDOWS",
    "Dataset",
    "Split",
    "add_data_dir_argument",
    "check_window_counts",
    "data_dir",
    "load_dataset",
    "mae",
    "mse",
    "prepare",
    "split_bounds",
    "test_window_counts",
]


@dataclass(frozen=True)
class Dataset:
    """A benchmark dataset: its CSV file, split rule and standard settings.

    Parameters
    ----------
    filename : str
        CSV file in :func:`data_dir`; its first column is the date.
    split_rule : {"etth", "custom"}
        ``"etth"``: fixed 12/4/4-month row ranges; ``"custom"``: the 70/20/10 rule.
    lookback : int
        The standard lookback ``L``.
    horizons : tuple of int
        The standard horizons ``H``.
    """

    filename: str
    split_rule: str
    lookback: int
    horizons: tuple[int, ...]


#: The datasets of the benchmark, by the name the CLI takes.
DATASETS: dict[str, Dataset] = {
    "etth1": Dataset("ETTh1.csv", "etth", 336, (96, 192, 336, 720)),
    "ili": Dataset("national_illness.csv", "custom", 104, (24, 36, 48, 60)),
}

#: Test-window counts that PROTOCOL.md gives as a check, ``{dataset: {H: count}}``,
#: each at the dataset's standard lookback.
EXPECTED_TEST_WINDOWS: dict[str, dict[int, int]] = {
    "etth1": {96: 2785, 192: 2689, 336: 2545, 720: 2161},
    "ili": {24: 170, 36: 158, 48: 146, 60: 134},
}

# ETTh1/ETTh2 row boundaries: 12 months train, 4 val, 4 test (30-day months, hourly).
_ETTH_TRAIN_END = 12 * 30 * 24
_ETTH_VAL_END = _ETTH_TRAIN_END + 4 * 30 * 24
_ETTH_TEST_END = _ETTH_VAL_END + 4 * 30 * 24


def data_dir() -> Path:
    """Folder holding the benchmark CSV files.

    The environment variable ``SKTIME_PATCHES_DATA`` wins (the scripts'
    ``--data-dir`` sets it); otherwise the copies shipped inside the package
    (``sktime_patches/datasets/data``, the same bytes as the published files),
    so a clone runs every benchmark with nothing beside it.

    Returns
    -------
    path : pathlib.Path
        The data folder (not checked for existence).
    """
    env = os.environ.get("SKTIME_PATCHES_DATA")
    if env:
        return Path(env)
    return Path(str(resources.files("sktime_patches.datasets").joinpath("data")))


def add_data_dir_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--data-dir``: read the CSV files from that folder instead of the
    package's copies (it sets ``SKTIME_PATCHES_DATA`` for this process)."""

    def use(value: str) -> Path:
        path = Path(value)
        if not path.is_dir():
            raise argparse.ArgumentTypeError(f"{value!r} is not a folder")
        os.environ["SKTIME_PATCHES_DATA"] = str(path.resolve())
        return path

    parser.add_argument(
        "--data-dir",
        type=use,
        default=None,
        help="folder with the benchmark CSV files (default: the package's copies)",
    )


def _get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise ValueError(
            f"dataset must be one of {sorted(DATASETS)}; got {name!r}."
        ) from None


def load_dataset(name: str) -> tuple[np.ndarray, list[str]]:
    """Read a benchmark CSV, dropping its date column.

    Parameters
    ----------
    name : {"etth1", "ili"}
        The dataset.

    Returns
    -------
    values : ndarray of shape (n_rows, n_channels)
        All rows of the file as float64, oldest first.
    channels : list of str
        The channel (column) names.
    """
    path = data_dir() / _get_dataset(name).filename
    if not path.is_file():
        raise FileNotFoundError(
            f"benchmark data file {path} not found; put the CSV files there or set "
            "SKTIME_PATCHES_DATA to the folder that holds them."
        )
    frame = pd.read_csv(path)
    frame = frame.drop(columns=frame.columns[0])  # the date column
    return frame.to_numpy(dtype=np.float64), [str(c) for c in frame.columns]


def split_bounds(
    split_rule: str, n_rows: int, lookback: int
) -> dict[str, tuple[int, int]]:
    """Row ranges ``[start, end)`` of the train, val and test segments.

    Val and test start ``lookback`` rows early so that their first target step lies
    on the split boundary.

    Parameters
    ----------
    split_rule : {"etth", "custom"}
        ``"etth"``: train ``[0, 8640)``, val ``[8640 - L, 11520)``, test
        ``[11520 - L, 14400)``. ``"custom"``: ``n_train = int(0.7 n)``,
        ``n_test = int(0.2 n)``, ``n_val = n - n_train - n_test``.
    n_rows : int
        Rows in the file (``n``).
    lookback : int
        The lookback ``L``.

    Returns
    -------
    bounds : dict
        ``{"train": (start, end), "val": (start, end), "test": (start, end)}``.

    Examples
    --------
    >>> split_bounds("etth", 17420, 336)["test"]
    (11184, 14400)
    >>> split_bounds("custom", 966, 104)
    {'train': (0, 676), 'val': (572, 773), 'test': (669, 966)}
    """
    if split_rule == "etth":
        return {
            "train": (0, _ETTH_TRAIN_END),
            "val": (_ETTH_TRAIN_END - lookback, _ETTH_VAL_END),
            "test": (_ETTH_VAL_END - lookback, _ETTH_TEST_END),
        }
    if split_rule == "custom":
        n_train = int(0.7 * n_rows)
        n_test = int(0.2 * n_rows)
        n_val = n_rows - n_train - n_test
        return {
            "train": (0, n_train),
            "val": (n_train - lookback, n_train + n_val),
            "test": (n_rows - n_test - lookback, n_rows),
        }
    raise ValueError(f"split_rule must be 'etth' or 'custom'; got {split_rule!r}.")


@dataclass(frozen=True)
class Split:
    """The scaled train/val/test segments of one dataset at one lookback.

    Attributes
    ----------
    dataset : str
        The dataset name.
    lookback : int
        The lookback ``L`` the val/test segments were cut for.
    segments : dict of str to ndarray of shape (n_rows_split, n_channels)
        ``"train"``, ``"val"``, ``"test"`` segments, scaled with train statistics.
    bounds : dict of str to tuple of int
        The row ranges of the segments.
    channels : list of str
        The channel names.
    """

    dataset: str
    lookback: int
    segments: dict[str, np.ndarray]
    bounds: dict[str, tuple[int, int]]
    channels: list[str]

    def windows(self, split: str, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        """Stride-1 windows of one segment.

        Parameters
        ----------
        split : {"train", "val", "test"}
            The segment.
        horizon : int
            The horizon ``H``.

        Returns
        -------
        X : ndarray of shape (n_windows, lookback, n_channels)
            Input windows (read-only views).
        y : ndarray of shape (n_windows, horizon, n_channels)
            Targets (read-only views).
        """
        return make_windows(self.segments[split], self.lookback, horizon)


def prepare(name: str, lookback: int | None = None) -> Split:
    """Load, split and scale a dataset as the protocol prescribes.

    A :class:`sklearn.preprocessing.StandardScaler` is fitted on the train rows only
    and applied to all three segments; every metric is computed on this scale.

    Parameters
    ----------
    name : {"etth1", "ili"}
        The dataset.
    lookback : int or None, default=None
        The lookback ``L``; None takes the dataset's standard one (336 for ETTh1,
        104 for ILI).

    Returns
    -------
    split : Split
        The scaled segments.
    """
    info = _get_dataset(name)
    lookback = info.lookback if lookback is None else lookback
    values, channels = load_dataset(name)
    bounds = split_bounds(info.split_rule, len(values), lookback)
    lo, hi = bounds["train"]
    scaler = StandardScaler().fit(values[lo:hi])
    segments = {
        key: scaler.transform(values[start:end]) for key, (start, end) in bounds.items()
    }
    return Split(name, lookback, segments, bounds, channels)


def test_window_counts(
    name: str, lookback: int | None = None, horizons: tuple[int, ...] | None = None
) -> dict[int, int]:
    """Number of test windows per horizon, counted on the actual windows.

    Parameters
    ----------
    name : {"etth1", "ili"}
        The dataset.
    lookback : int or None, default=None
        The lookback; None takes the standard one.
    horizons : tuple of int or None, default=None
        The horizons; None takes the standard ones.

    Returns
    -------
    counts : dict of int to int
        ``{horizon: n_test_windows}``.
    """
    split = prepare(name, lookback)
    horizons = DATASETS[name].horizons if horizons is None else horizons
    return {h: len(split.windows("test", h)[0]) for h in horizons}


# Not collected by pytest: the name only looks like a test.
test_window_counts.__test__ = False  # type: ignore[attr-defined]


def check_window_counts(name: str) -> dict[int, int]:
    """Assert that the test-window counts match the check numbers of PROTOCOL.md.

    Parameters
    ----------
    name : {"etth1", "ili"}
        The dataset, at its standard lookback and horizons.

    Returns
    -------
    counts : dict of int to int
        ``{horizon: n_test_windows}``, equal to ``EXPECTED_TEST_WINDOWS[name]``.

    Raises
    ------
    AssertionError
        If any count differs.
    """
    counts = test_window_counts(name)
    expected = EXPECTED_TEST_WINDOWS[name]
    assert counts == expected, (
        f"{name}: test-window counts {counts} differ from PROTOCOL.md's {expected}."
    )
    return counts


def drop_last_kept(n_windows: int, batch_size: int) -> int:
    """Test windows a ``DataLoader(..., drop_last=True)`` scores: whole batches.

    The reference scripts behind the published figures score only these, the
    first ``n_windows // batch_size * batch_size`` windows in time order; this
    protocol scores all of them.

    Parameters
    ----------
    n_windows : int
        Test windows.
    batch_size : int
        The loader's batch size.

    Returns
    -------
    kept : int

    Examples
    --------
    >>> drop_last_kept(170, 16)  # ILI at H=24: the last 10 windows go unscored
    160
    """
    return n_windows // batch_size * batch_size


def mse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean squared error over all windows, channels and horizon steps.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_windows, horizon, n_channels)
        Targets and forecasts on the scaled data.

    Returns
    -------
    mse : float

    Examples
    --------
    >>> mse(np.zeros((2, 3, 1)), np.ones((2, 3, 1)))
    1.0
    """
    _check_same_shape(y_true, y_pred)
    return float(np.mean((np.asarray(y_pred) - np.asarray(y_true)) ** 2))


def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute error over all windows, channels and horizon steps.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_windows, horizon, n_channels)
        Targets and forecasts on the scaled data.

    Returns
    -------
    mae : float

    Examples
    --------
    >>> mae(np.zeros((2, 3, 1)), -2 * np.ones((2, 3, 1)))
    2.0
    """
    _check_same_shape(y_true, y_pred)
    return float(np.mean(np.abs(np.asarray(y_pred) - np.asarray(y_true))))


def _check_same_shape(y_true: np.ndarray, y_pred: np.ndarray) -> None:
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError(
            f"y_pred has shape {np.shape(y_pred)} but y_true has shape "
            f"{np.shape(y_true)}; forecasts must be (n_windows, horizon, n_channels)."
        )
