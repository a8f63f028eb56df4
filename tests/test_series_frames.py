"""SeriesForecaster's pandas side (_series_frames): reading, windows, writing."""

import numpy as np
import pandas as pd
import pytest
from helpers import raises
from hypothesis import given, settings
from hypothesis import strategies as st

from sktime_patches._series_frames import (
    aligned,
    read_fit_history,
    realised_windows,
    training_windows,
)


def test_training_windows_keep_the_known_future_only_and_skip_gaps():
    values = np.column_stack([np.arange(10.0), 100 + np.arange(10.0), -np.arange(10.0)])
    values[6, 0] = np.nan
    X, y, skipped = training_windows(
        [values], ["s"], lookback=3, horizon=2, stride=1, n_targets=1, future=[2]
    )
    assert X.shape[1:] == (5, 3) and y.shape[1:] == (2, 1)
    assert skipped == 4  # windows 2 to 5 read row 6 (as a target or an input)
    assert (X[:, 3:, :2] == 0).all()  # a past covariate's future never leaks in
    np.testing.assert_array_equal(X[0, 3:, 2], [-3.0, -4.0])


def test_a_panel_of_mixed_frequencies_is_refused():
    daily = pd.DataFrame({"y": np.arange(5.0)}, pd.date_range("2024", periods=5))
    hourly = pd.DataFrame(
        {"y": np.arange(5.0)}, pd.date_range("2024", periods=5, freq="h")
    )
    with raises(
        ValueError,
        "series 'b' of df has a DatetimeIndex at frequency 'h', but series 'a' of "
        "df has a DatetimeIndex at frequency 'D'; every series of a panel needs the "
        "same kind of index and frequency.",
    ):
        read_fit_history({"a": daily, "b": hourly}, "df", None, None, None)


def test_covariates_must_cover_every_time_stamp():
    index = pd.date_range("2024-01-01", periods=5, freq="D")
    covariates = pd.DataFrame({"x": np.ones(4)}, index=index[:4])
    with pytest.raises(ValueError, match="no row for 1 time stamp"):
        aligned(covariates, index, "df", "X")


@settings(max_examples=40, deadline=None)
@given(
    n_rows=st.integers(1, 30),
    n_new=st.integers(1, 6),
    lookback=st.integers(1, 6),
    horizon=st.integers(1, 5),
    n_channels=st.integers(1, 3),
)
def test_new_rows_realise_one_step_of_each_earlier_forecast(
    n_rows, n_new, lookback, horizon, n_channels
):
    """Row t realises step h of the window ending at row t - h, once; the
    window is read from rows before t only, and every complete one is there."""
    values = np.arange(n_rows * n_channels, dtype=float).reshape(n_rows, n_channels)
    first = max(n_rows - n_new, 0)
    X, y = realised_windows(values, first, lookback, horizon)
    assert X.shape[1:] == (lookback, n_channels)
    assert y.shape == (len(X), horizon * n_channels)
    expected = sum(
        1
        for t in range(first, n_rows)
        for h in range(1, horizon + 1)
        if t - h + 1 - lookback >= 0
    )
    assert len(X) == expected
    targets = y.reshape(len(y), horizon, n_channels)
    for window, target in zip(X, targets, strict=True):
        (step,) = np.flatnonzero(~np.isnan(target[:, 0]))
        end = int(window[-1, 0]) // n_channels  # the window's last row
        t = end + step + 1  # the row realised
        assert np.array_equal(target[step], values[t]) and t >= first
        assert np.array_equal(window, values[end - lookback + 1 : end + 1])
