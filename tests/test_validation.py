"""One message per input condition, the same from every public entry point that
meets it (only the argument's name changes)."""

import numpy as np
import pandas as pd
import pytest
from helpers import raises
from sklearn.linear_model import Ridge

from sktime_patches import SeriesWindows, make_windows
from sktime_patches.backtesting import backtest
from sktime_patches.io import read_series_csv
from sktime_patches.series import SeriesForecaster

INDEX = pd.date_range("2024-01-01", periods=40, freq="D")


def frame(values=None, index=INDEX):
    values = np.arange(40.0) if values is None else values
    return pd.DataFrame({"load": values}, index=index)


def with_nan():
    values = np.arange(40.0)
    values[[7, 9]] = np.nan
    return frame(values)


def with_inf():
    values = np.arange(40.0)
    values[3] = -np.inf
    return frame(values)


def duplicated():
    return frame(index=INDEX[[0, *range(39)]])


def unsorted():
    return frame(index=INDEX[[*range(10), 11, 10, *range(12, 40)]])


def text_column():
    return frame().assign(city="Oslo")


# every entry point, and the name it gives its series argument
ENTRY_POINTS = {
    "make_windows": (lambda s: make_windows(s, 4, 2), "series"),
    "SeriesWindows": (lambda s: SeriesWindows(s, 4, 2), "series"),
    "SeriesForecaster": (lambda s: SeriesForecaster(Ridge(), 4, 2).fit(s), "df"),
    "backtest": (lambda s: backtest(Ridge(), s, lookback=4, horizon=2), "df"),
}

CONDITIONS = {
    "missing values": (
        with_nan,
        ValueError,
        "{name} has 2 missing value(s) (first in column 'load' at 2024-01-08 "
        "00:00:00); fill them first, e.g. {name}.interpolate() or {name}.ffill().",
    ),
    "infinite values": (
        with_inf,
        ValueError,
        "{name} has 1 infinite value(s) (first in column 'load' at 2024-01-04 "
        "00:00:00); replace them first, e.g. {name}.replace([np.inf, -np.inf], "
        "np.nan).interpolate().",
    ),
    "duplicated time stamps": (
        duplicated,
        ValueError,
        "{name} has 1 duplicated timestamp(s) (first: 2024-01-01 00:00:00); each "
        "time step must appear once, so aggregate them, e.g. "
        "{name}.groupby(level=0).mean().",
    ),
    "unsorted time stamps": (
        unsorted,
        ValueError,
        "{name} has an unsorted time index (2024-01-11 00:00:00 comes after "
        "2024-01-12 00:00:00); sort it first, e.g. {name}.sort_index().",
    ),
    "a text column": (
        text_column,
        TypeError,
        "{name} has non-numeric column(s) 'city' (str); pass only numeric "
        "columns, e.g. {name}.select_dtypes('number'), and keep dates in the "
        "index, e.g. {name}.set_index('date').",
    ),
    "a bool array": (
        lambda: np.arange(40) % 2 == 0,
        TypeError,
        "{name} must hold real numbers; got an array of dtype bool. Pass a numeric "
        "array, or a DataFrame with numeric columns.",
    ),
    "a 3-D array": (
        lambda: np.zeros((40, 2, 1)),
        ValueError,
        "{name} must be 1-D (n_timesteps,) or 2-D (n_timesteps, n_channels); got "
        "an array with shape (40, 2, 1).",
    ),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_one_message_per_condition_from_every_entry_point(entry, condition):
    call, name = ENTRY_POINTS[entry]
    make, error, message = CONDITIONS[condition]
    if entry == "SeriesWindows" and condition == "a 3-D array":
        pytest.skip(
            "SeriesWindows also takes a stack of series, so it says more: a 3-D "
            "array looks like windows (tested in test_windows_series.py)"
        )
    if entry == "SeriesForecaster" and condition == "missing values":
        pytest.skip(
            "SeriesForecaster trains on gappy series, skipping the windows that "
            "touch a gap (tested in test_series.py::TestGaps)"
        )
    with raises(error, message.format(name=name)):
        call(make())


def test_a_csv_file_with_repeated_dates_gets_the_same_message(tmp_path):
    path = tmp_path / "dup.csv"
    duplicated().rename_axis("date").reset_index().to_csv(path, index=False)
    with raises(
        ValueError,
        "date column 'date' has 1 duplicated timestamp(s) (first: 2024-01-01 "
        "00:00:00); each time step must appear once, so keep one row per time "
        "step, e.g. average the duplicates.",
    ):
        read_series_csv(path)


class TestWindowMessages:
    """Windows and targets that scikit-learn would answer with long messages."""

    def fit(self, X, y, **params):
        from sktime_patches import PatchForecaster

        return PatchForecaster(max_epochs=1, **params).fit(X, y)

    def test_a_series_instead_of_windows(self):
        with raises(
            ValueError,
            "X is 1-D (shape (40,)): a single series, not windows. Reshape your "
            "data: cut it into windows (n_windows, lookback) with "
            "sktime_patches.make_windows(series, lookback, horizon), or pass one "
            "window as X.reshape(1, -1).",
        ):
            self.fit(np.arange(40.0), np.arange(40.0))

    def test_complex_windows(self):
        X = np.ones((10, 8), dtype=complex)
        with raises(
            ValueError,
            "Complex data not supported: X holds complex numbers (dtype complex128), "
            "windows hold real values; pass X.real, or abs(X), as the data mean.",
        ):
            self.fit(X, np.ones((10, 2)))

    @pytest.mark.parametrize(
        ("bad", "first"), [(np.nan, "NaN first: window 5, step 2, channel 1"),
                           (np.inf, "inf first: window 5, step 2, channel 1")]
    )  # fmt: skip
    def test_a_gap_in_y_is_located(self, bad, first):
        X, y = make_windows(np.arange(200.0).reshape(100, 2), 10, 4)
        y = y.copy()
        y[5, 2, 1] = bad
        with raises(
            ValueError,
            f"y has 1 missing or infinite value(s) ({first}); drop the windows "
            "whose targets touch a gap, or fill the series before cutting it into "
            "windows (e.g. series.interpolate()).",
        ):
            self.fit(X, y)

    def test_a_horizon_of_no_steps(self):
        X, y = make_windows(np.arange(100.0), 10, 4)
        with raises(
            ValueError,
            "y holds 0 steps per window (shape (87, 0, 1)); pass the future values "
            "of each window, at least one step: make_windows(series, lookback, "
            "horizon) with horizon >= 1 gives them.",
        ):
            self.fit(X, y[:, :0])

    def test_an_unknown_device(self):
        X, y = make_windows(np.arange(100.0), 10, 4)
        with raises(
            ValueError,
            "device='nonsense' is not a torch device; pass 'cpu', 'cuda' (or "
            "'cuda:0', 'cuda:1', ...), 'mps', or 'auto' for a GPU when there is one.",
        ):
            self.fit(X, y, device="nonsense")

    @pytest.mark.parametrize(
        ("args", "error", "message"),
        [
            ((100, -5, 12), ValueError, "lookback must be >= 1; got lookback=-5."),
            (
                (100, 24.5, 12),
                TypeError,
                "lookback must be an int; got 24.5 of type float.",
            ),
            ((100, 24, 12, 0), ValueError, "stride must be >= 1; got stride=0."),
        ],
    )
    def test_n_windows_refuses_what_make_windows_refuses(self, args, error, message):
        from sktime_patches import n_windows

        with raises(error, message):
            n_windows(*args)


@pytest.mark.parametrize(
    ("columns", "detail"),
    [
        ([f"s{i}" for i in range(8)],
         "new columns ['s0', 's1', 's2', 's3', 's4'] and lacks ['t0', 't1', 't2', 't3', 't4']"),
        ([f"t{i}" for i in reversed(range(8))],
         "the same columns in another order (column 0 is 't7', 't0' in fit)"),
    ],
)  # fmt: skip
def test_dataframe_windows_with_other_column_names(columns, detail):
    from sktime_patches import SpacetimePatcher

    X = pd.DataFrame(np.ones((20, 8)), columns=[f"t{i}" for i in range(8)])
    model = SpacetimePatcher(patch_len=4).fit(X)
    with raises(
        ValueError,
        f"The feature names should match those that were passed during fit: X has "
        f"{detail}. SpacetimePatcher reads the columns as the steps of each window, "
        "in order; pass X[model.feature_names_in_], or rename the columns as in fit.",
    ):
        model.transform(X.set_axis(columns, axis=1))


def test_complex_targets_and_text_windows_are_named():
    from sktime_patches import PatchForecaster, SpacetimePatcher

    X, y = make_windows(np.arange(100.0), 10, 4)
    with raises(
        ValueError,
        "Complex data not supported: y holds complex numbers (dtype complex128), "
        "targets hold real values; pass y.real, or abs(y), as the data mean.",
    ):
        PatchForecaster(max_epochs=1).fit(X, y.astype(complex))
    with raises(
        ValueError,
        "X holds values that are not numbers (first: np.str_('a'), dtype <U1); "
        "windows hold numbers: convert the data first, e.g. pd.to_numeric, and keep "
        "dates and labels out of the windows.",
    ):
        SpacetimePatcher().fit([["a", "b"], ["c", "d"]])
