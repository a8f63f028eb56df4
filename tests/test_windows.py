"""make_windows and n_windows."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sktime_patches import make_windows, n_windows


@given(
    n_timesteps=st.integers(2, 60),
    n_channels=st.integers(1, 3),
    lookback=st.integers(1, 20),
    horizon=st.integers(0, 10),
    stride=st.integers(1, 7),
)
def test_windows_are_the_series_slices(
    n_timesteps, n_channels, lookback, horizon, stride
):
    series = np.arange(n_timesteps * n_channels, dtype=float).reshape(n_timesteps, -1)
    expected = n_windows(n_timesteps, lookback, horizon, stride)
    if expected == 0:
        with pytest.raises(ValueError, match="fewer than one window needs"):
            make_windows(series, lookback, horizon, stride)
        return
    X, y = make_windows(series, lookback, horizon, stride)
    assert X.shape == (expected, lookback, n_channels)
    assert y.shape == (expected, horizon, n_channels)
    for i in range(expected):
        s = i * stride
        np.testing.assert_array_equal(X[i], series[s : s + lookback])
        np.testing.assert_array_equal(
            y[i], series[s + lookback : s + lookback + horizon]
        )
    # inverse: the first step of every window, then the rest of the last one,
    # rebuild the covered part of the series when stride is 1
    if stride == 1:
        rebuilt = np.concatenate([X[:, 0], X[-1, 1:], y[-1]])
        np.testing.assert_array_equal(
            rebuilt, series[: expected + lookback - 1 + horizon]
        )


def test_windows_are_read_only_views_of_float_arrays():
    series = np.random.default_rng(0).normal(size=(50, 2))
    X, y = make_windows(series, 10, 5)
    assert np.shares_memory(X, series) and np.shares_memory(y, series)
    assert not X.flags.writeable


def test_pandas_inputs_give_the_same_windows():
    values = np.random.default_rng(1).normal(size=(30, 2))
    index = pd.date_range("2020-01-01", periods=30, freq="D")
    df = pd.DataFrame(values, index=index, columns=["a", "b"])
    X_df, y_df = make_windows(df, 5, 3)
    X_np, y_np = make_windows(values, 5, 3)
    np.testing.assert_array_equal(X_df, X_np)
    np.testing.assert_array_equal(y_df, y_np)
    X_s, _ = make_windows(df["a"], 5, 3)
    np.testing.assert_array_equal(X_s[..., 0], X_np[..., 0])


def test_integer_series_are_converted_to_float():
    X, _ = make_windows(np.arange(10), 3, 1)
    assert X.dtype == np.float64


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"lookback": 0, "horizon": 1},
            ValueError,
            "lookback must be >= 1; got lookback=0.",
        ),
        (
            {"lookback": 3, "horizon": -1},
            ValueError,
            "horizon must be >= 0; got horizon=-1.",
        ),
        (
            {"lookback": 3, "horizon": 1, "stride": 0},
            ValueError,
            "stride must be >= 1; got stride=0.",
        ),
        (
            {"lookback": 2.5, "horizon": 1},
            TypeError,
            "lookback must be an int; got 2.5 of type float.",
        ),
        (
            {"lookback": 8, "horizon": 4},
            ValueError,
            "series has 10 time step(s), fewer than one window needs (lookback + "
            "horizon = 8 + 4 = 12); pass a longer series or a smaller "
            "lookback/horizon.",
        ),
    ],
)
def test_bad_window_sizes(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make_windows(np.arange(10.0), **kwargs)


def test_split_counts_is_the_rule_of_time_ordered_indices():
    from sktime_patches.windows import time_ordered_indices
    from sktime_patches.windows._split import split_counts

    counts = np.arange(0, 60)
    for fraction, gap in [(0.0, 3), (0.1, 0), (0.2, 3), (0.5, 1), (0.9, 2)]:
        n_train, n_valid = split_counts(counts, fraction, gap)
        for n, tr, va in zip(counts, n_train, n_valid, strict=True):
            train, valid = time_ordered_indices(int(n), fraction, gap)
            assert (len(train), len(valid)) == (tr, va)
            assert train.tolist() == list(range(tr))
            assert valid.tolist() == list(range(n - va, n))
