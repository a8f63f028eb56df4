"""SeriesForecaster's pandas side (_series_frames): reading, windows, writing."""

import numpy as np
import pandas as pd
import pytest
from helpers import raises

from sktime_patches._series_frames import (
    aligned,
    read_fit_history,
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
