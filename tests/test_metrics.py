"""Interval and quantile scores: hand-computed values, the laws they follow."""

import numpy as np
import pytest
from helpers import raises
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sktime_patches.metrics import (
    interval_coverage,
    interval_scores,
    interval_width,
    msis,
    pinball_loss,
    pinball_values,
)


def test_hand_computed_values():
    y = np.array([0.0, 1.0, 2.0, 5.0])
    lo = np.array([-1.0, 0.0, 2.5, 4.0])
    hi = np.array([1.0, 1.0, 3.0, 6.0])
    assert interval_coverage(y, lo, hi) == 0.75  # the third misses by 0.5
    assert interval_width(lo, hi) == pytest.approx((2 + 1 + 0.5 + 2) / 4)
    # widths plus 2 / 0.2 times the miss of the third value
    assert interval_scores(y, lo, hi, 0.8).tolist() == pytest.approx(
        [2.0, 1.0, 0.5 + 10 * 0.5, 2.0]
    )
    assert msis(y, lo, hi, 0.8, scale=2.0) == pytest.approx(10.5 / 4 / 2)
    # a 0.9 quantile forecast 1 below the value costs 0.9, 1 above it 0.1
    assert pinball_values([1.0, 0.0], [[0.0], [1.0]], [0.9]).tolist() == pytest.approx(
        [0.9, 0.1]
    )
    assert pinball_loss([1.0, 0.0], [[0.0], [1.0]], [0.9]) == pytest.approx(0.5)


def test_the_true_quantiles_minimise_the_pinball_loss():
    """Over many draws of a known law, its quantiles score better than any
    shifted forecast, and the median's loss is half the mean absolute error."""
    rng = np.random.default_rng(0)
    y = rng.standard_normal(200_000)
    levels = [0.1, 0.5, 0.9]
    true = np.broadcast_to(stats.norm.ppf(levels), (len(y), 3))
    best = pinball_loss(y, true, levels)
    for shift in (-0.2, 0.2):
        assert pinball_loss(y, true + shift, levels) > best
    median = np.zeros((len(y), 1))
    assert pinball_loss(y, median, [0.5]) == pytest.approx(np.abs(y).mean() / 2)


@settings(deadline=None, max_examples=50)
@given(
    n=st.integers(1, 30),
    seed=st.integers(0, 10_000),
    coverage=st.floats(0.05, 0.99),
)
def test_interval_score_is_width_when_covered_and_grows_with_the_miss(
    n, seed, coverage
):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n)
    lo = y - rng.uniform(0, 1, n)
    hi = y + rng.uniform(0, 1, n)
    assert np.allclose(interval_scores(y, lo, hi, coverage), hi - lo)
    assert interval_coverage(y, lo, hi) == 1.0
    shifted = interval_scores(y, lo + 5, hi + 5, coverage)  # every value missed
    assert np.all(shifted > hi - lo)
    assert interval_coverage(y, lo + 5, hi + 5) == 0.0


def test_errors_name_the_argument_and_the_fix():
    with raises(
        ValueError,
        "y_true, lower and upper must have one shape; got (2,), (3,) and (2,).",
    ):
        interval_coverage([0.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0])
    with raises(
        ValueError,
        "lower exceeds upper at 1 value(s); pass the interval's lower bound first.",
    ):
        interval_width([0.0, 2.0], [1.0, 1.0])
    with raises(ValueError, "y_true is empty; pass at least one value to score."):
        interval_coverage([], [], [])
    with raises(
        ValueError,
        "y_quantiles must have shape y_true.shape + (n_quantiles,) = (2, 2); got (2,).",
    ):
        pinball_loss([0.0, 1.0], [0.0, 1.0], [0.1, 0.9])
    with raises(ValueError, "quantiles must lie in (0, 1); got [0.0, 0.9]."):
        pinball_loss([0.0], [[0.0, 1.0]], [0.0, 0.9])
    with raises(ValueError, "coverage must lie in (0, 1); got 90."):
        msis([0.0], [0.0], [1.0], coverage=90)
    with raises(
        ValueError,
        "scale must be positive; got 0.0 (a series that never changes has a mean "
        "absolute step change of 0); pass a positive scale.",
    ):
        msis([0.0], [0.0], [1.0], coverage=0.9, scale=0.0)
