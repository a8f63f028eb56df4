"""Choosing the lookback by the closed-form ridge's validation error."""

import re

import numpy as np
import pandas as pd
import pytest
from helpers import tiny
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge

from sktime_patches import PatchForecaster
from sktime_patches._patching import MAX_TOKENS, default_patch_len, n_patches
from sktime_patches.backtesting import backtest
from sktime_patches.lookback import (
    MAX_AUTO_LOOKBACK,
    lookback_candidates,
    select_lookback,
)
from sktime_patches.series import SeriesForecaster


def seasonal(n=600, period=24, noise=0.3, seed=0, channels=2):
    rng = np.random.default_rng(seed)
    t = np.arange(n)[:, None]
    phase = np.arange(channels)[None, :]
    return np.sin(2 * np.pi * t / period + phase) + noise * rng.standard_normal(
        (n, channels)
    )


@settings(deadline=None, max_examples=60)
@given(n_rows=st.integers(2, 50_000), horizon=st.integers(1, 2_000))
def test_candidates_fit_the_series(n_rows, horizon):
    candidates = lookback_candidates(n_rows, horizon)
    assert candidates == sorted(set(candidates)) and candidates[0] >= 1
    longest = max(1, (n_rows - horizon) // 2)
    assert all(c <= longest for c in candidates)
    assert all(c <= max(max(horizon, 8), MAX_AUTO_LOOKBACK) for c in candidates)


@settings(deadline=None, max_examples=60)
@given(n_rows=st.integers(2_000, 50_000), horizon=st.integers(1, 300))
def test_candidates_reach_720_steps_where_the_data_allows(n_rows, horizon):
    """A long series is compared at lookbacks up to 720 steps, and the default
    patch keeps every candidate's window to at most 16 tokens."""
    candidates = lookback_candidates(n_rows, horizon)
    if (n_rows - horizon) // 2 >= MAX_AUTO_LOOKBACK:
        assert candidates[-1] == MAX_AUTO_LOOKBACK or (
            candidates[-1] >= MAX_AUTO_LOOKBACK / 1.25
        )
    for lookback in candidates:
        patch_len = default_patch_len(lookback)
        assert n_patches(lookback, patch_len, patch_len, "end") <= MAX_TOKENS


def test_score_is_the_ridge_validation_error_with_the_best_penalty():
    """The score at one lookback equals sklearn's Ridge (on the same rows: last
    value subtracted, divided by the channel's std) at the chosen penalty."""
    values = seasonal(n=300, period=12, channels=2)
    horizon, lookback = 6, 24
    selection = select_lookback(values, horizon, candidates=[lookback])
    n_val = round(0.2 * 300)
    cut = 300 - n_val
    scaled = values / values[:cut].std(axis=0)

    def rows(starts):
        x = np.concatenate([scaled[s - lookback : s].T for s in starts])
        y = np.concatenate([scaled[s : s + horizon].T for s in starts])
        return x - x[:, -1:], y - x[:, -1:]

    x_tr, y_tr = rows(range(lookback, cut - horizon + 1))
    x_va, y_va = rows(range(cut, 300 - horizon + 1))
    ridge = Ridge(alpha=selection.alphas[lookback]).fit(x_tr, y_tr)
    expected = np.mean((ridge.predict(x_va) - y_va) ** 2)
    assert selection.scores[lookback] == pytest.approx(expected, rel=1e-8)
    assert selection.n_valid == 300 - horizon + 1 - cut


def test_the_validation_targets_are_the_same_for_every_candidate():
    values = seasonal(n=400)
    one = select_lookback(values, 5, candidates=[10])
    both = select_lookback(values, 5, candidates=[10, 40])
    assert one.n_valid == both.n_valid
    assert one.scores[10] == both.scores[10]


def test_a_long_seasonal_pattern_needs_a_long_lookback():
    values = seasonal(n=2000, period=48, noise=0.5)
    selection = select_lookback(values, 12, candidates=[12, 24, 96])
    assert selection.lookback == 96
    assert selection.scores[96] < selection.scores[24] < selection.scores[12]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"values": np.array([[1.0, np.nan]] * 50), "horizon": 2},
            "values must be a finite array of shape (n_timesteps,) or "
            "(n_timesteps, n_channels); got shape (50, 2) with NaN or inf.",
        ),
        (
            {"values": np.ones(50), "horizon": 0},
            "horizon must be a positive int; got 0.",
        ),
        (
            {"values": np.ones(50), "horizon": 2, "candidates": [0, 4]},
            "candidates must be positive lookbacks; got [0, 4].",
        ),
        (
            {"values": np.ones(50), "horizon": 5, "candidates": [40]},
            "the series has 50 rows: too few to compare lookbacks up to 40 with "
            "horizon=5 on the last 10 rows; pass shorter candidates or a longer "
            "series.",
        ),
    ],
)
def test_bad_input_is_refused_in_words(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        select_lookback(**kwargs)


@pytest.fixture
def daily():
    values = seasonal(n=400, period=7, noise=0.2, channels=2)
    index = pd.date_range("2024-01-01", periods=400, freq="D")
    return pd.DataFrame(values, index=index, columns=["a", "b"])


class TestSeriesForecasterAuto:
    def test_auto_uses_the_selected_lookback(self, daily):
        model = SeriesForecaster(Ridge(), lookback="auto", horizon=7).fit(daily)
        selection = select_lookback(daily.to_numpy(), 7)
        assert model.lookback_ == selection.lookback
        assert model.lookback_scores_ == selection.scores
        assert model.last_window_.shape == (selection.lookback, 2)
        assert model.get_params()["lookback"] == "auto"  # the parameter is kept
        forecast = model.predict()
        assert forecast.shape == (7, 2)
        fixed = SeriesForecaster(Ridge(), lookback=model.lookback_, horizon=7)
        pd.testing.assert_frame_equal(forecast, fixed.fit(daily).predict())
        assert fixed.lookback_scores_ is None

    def test_auto_feeds_the_chosen_lookback_to_a_patch_forecaster(self, daily):
        model = SeriesForecaster(
            PatchForecaster(**tiny(max_epochs=1)),
            lookback="auto",
            horizon=7,
        ).fit(daily)
        assert model.estimator_.lookback_ == model.lookback_
        assert model.estimator_.patch_len_ == min(24, -(-model.lookback_ // 4))

    def test_auto_on_a_series_too_short_for_a_window(self, daily):
        with pytest.raises(
            ValueError,
            match=re.escape(
                "df has 8 row(s), fewer than one training window needs "
                "(lookback='auto' needs horizon + 2 = 9)"
            ),
        ):
            SeriesForecaster(Ridge(), lookback="auto", horizon=7).fit(daily.iloc[:8])

    def test_backtest_chooses_the_lookback_at_every_cutoff(self, daily):
        tidy = backtest(
            SeriesForecaster(Ridge(), lookback="auto", horizon=7), daily, n_cutoffs=2
        )
        assert tidy["cutoff"].nunique() == 2
        assert np.isfinite(tidy["forecast"]).all()


def test_choose_lookback_takes_the_longest_candidate_when_none_can_be_compared():
    """lookback="auto" on a series too short to compare candidates takes the
    longest that fits (what the command line always did) instead of failing."""
    from sktime_patches.lookback import choose_lookback

    series = seasonal(n=14, period=7)
    with pytest.raises(ValueError, match="too few to compare"):
        select_lookback(series, 6)
    chosen = choose_lookback(series, 6)
    assert (chosen.lookback, chosen.scores) == (lookback_candidates(14, 6)[-1], {})
    index = pd.date_range("2024-01-01", periods=14, freq="D")
    model = SeriesForecaster(Ridge(), lookback="auto", horizon=6).fit(
        pd.DataFrame(series, index=index)
    )
    assert (model.lookback_, model.lookback_scores_) == (4, {})
    long = seasonal(n=300, period=7)
    assert choose_lookback(long, 6) == select_lookback(long, 6)
