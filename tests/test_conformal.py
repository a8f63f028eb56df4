"""ConformalForecaster: the formulas on hand-made tables, coverage on known laws."""

import math

import numpy as np
import pytest
from helpers import raises, seasonal, tiny, warns_exactly
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.linear_model import Ridge

from sktime_patches import PatchForecaster, SeriesWindows, make_windows
from sktime_patches.baselines import LastValueRidge
from sktime_patches.conformal import (
    ConformalForecaster,
    conformal_quantile,
    held_out_windows,
    windows_needed,
)
from sktime_patches.exceptions import UnboundedIntervalWarning


class TableForecaster(RegressorMixin, BaseEstimator):
    """Forecasts read from the windows themselves: window ``i`` is ``[i]`` and
    its forecast is ``point[i]`` (quantiles ``quantiles[i]``), so a test sets
    every forecast by hand. ``fit`` records how many windows it saw."""

    def __init__(self, point=None, quantiles=None, levels=None):
        self.point = point
        self.quantiles = quantiles
        self.levels = levels

    def fit(self, X, y):
        self.n_fit_ = len(X)
        self.quantiles_ = None if self.levels is None else np.asarray(self.levels)
        return self

    def predict(self, X):
        return np.asarray(self.point)[_rows(X)]

    def predict_quantiles(self, X, quantiles=None):
        return np.asarray(self.quantiles)[_rows(X)]


def _rows(X):
    """The window numbers TableForecaster reads: each window's first value."""
    return np.asarray(X).reshape(len(X), -1)[:, 0].astype(int)


# ------------------------------------------------------------------ formulas
@settings(deadline=None, max_examples=60)
@given(n=st.integers(1, 60), coverage=st.floats(0.01, 0.99), seed=st.integers(0, 99))
def test_conformal_quantile_is_the_corrected_rank(n, coverage, seed):
    scores = np.random.default_rng(seed).permutation(np.arange(1.0, n + 1))
    rank = math.ceil((n + 1) * coverage)
    expected = np.inf if rank > n else float(rank)  # the rank-th smallest of 1..n
    assert float(conformal_quantile(scores, coverage)) == expected
    # per column, each on its own
    table = np.stack([scores, 2 * scores], axis=1)
    assert conformal_quantile(table, coverage).tolist() == [expected, 2 * expected]


def test_absolute_intervals_widen_each_step_by_its_own_score_quantile():
    """Nine calibration windows with forecasts 0 and targets |k| per step: the
    90% half-width of each step is the 9th smallest of its |errors|."""
    n_windows, horizon = 30, 2
    targets = np.zeros((n_windows, horizon))
    rng = np.random.default_rng(0)
    cal = np.arange(21, 30)  # calibration_fraction 0.3 of 30, after a gap of 2
    errors = rng.permutation(np.arange(1.0, 10.0))
    targets[cal, 0] = errors * np.where(rng.random(9) < 0.5, -1, 1)  # signs vary
    targets[cal, 1] = 10 * errors
    X = np.arange(n_windows, dtype=float)[:, None]
    point = np.zeros((n_windows, horizon))
    model = ConformalForecaster(
        TableForecaster(point=point), calibration="split", calibration_fraction=0.3
    ).fit(X, targets)
    assert model.n_calibration_ == 9 and model.estimator_.n_fit_ == 19
    assert model.scores_[:, 1].tolist() == (10 * np.abs(targets[cal, 0])).tolist()
    intervals = model.predict_interval(X[:3], [0.8, 0.9])
    assert intervals.shape == (3, 2, 2, 2)
    # ceil(10 * 0.8) = 8th and ceil(10 * 0.9) = 9th smallest of 1..9
    assert intervals[0, 0, :, 1].tolist() == [8.0, 9.0]
    assert intervals[0, 1, :, 0].tolist() == [-80.0, -90.0]
    # a coverage that needs more than 9 scores gets infinite bounds, and says so
    with warns_exactly(
        UnboundedIntervalWarning,
        "coverage=0.95 needs at least 19 calibration windows, but there are 9: "
        "its intervals are infinite; calibrate on every window "
        "(ConformalForecaster(..., calibration='cv')), pass more history, or ask "
        "a coverage of at most 0.9.",
    ):
        assert np.isinf(model.predict_interval(X[:1], 0.95)).all()


def test_cqr_widens_each_quantile_by_the_formula():
    """CQR's correction is the ceil((n + 1) c)-th smallest of max(q_lo - y,
    y - q_hi) over the calibration windows, added outside both quantiles."""
    n_windows = 30
    cal = np.arange(21, 30)
    rng = np.random.default_rng(1)
    q_lo = rng.normal(size=n_windows) - 1
    q_hi = q_lo + rng.uniform(0.5, 2, n_windows)
    y = rng.normal(size=n_windows)
    quantiles = np.stack([q_lo, (q_lo + q_hi) / 2, q_hi], axis=-1)[:, None, :]
    levels = [0.1, 0.5, 0.9]
    model = ConformalForecaster(
        TableForecaster(quantiles[:, :, 1], quantiles, levels),
        method="cqr",
        calibration="split",
        calibration_fraction=0.3,
    ).fit(np.arange(n_windows, dtype=float)[:, None], y[:, None])
    score = np.maximum(q_lo[cal] - y[cal], y[cal] - q_hi[cal])
    correction = np.sort(score)[math.ceil(10 * 0.8) - 1]
    new = np.array([[3.0], [7.0]])
    intervals = model.predict_interval(new, 0.8)
    assert intervals[:, 0, 0] == pytest.approx(q_lo[[3, 7]] - correction)
    assert intervals[:, 0, 1] == pytest.approx(q_hi[[3, 7]] + correction)
    with raises(
        ValueError,
        "coverage=0.9 needs the quantiles 0.05 and 0.95, but the estimator "
        "forecasts [0.1, 0.5, 0.9]; refit it with quantiles that include both, "
        "or use method='absolute'.",
    ):
        model.predict_interval(new, 0.9)


def test_scaled_scores_divide_by_each_windows_mean_step_change():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 6, 2)) * np.array([1.0, 10.0])
    y = rng.normal(size=(40, 3, 2))
    model = ConformalForecaster(Ridge(), method="scaled", calibration="split", gap=3)
    model.fit(X.reshape(40, -1), y.reshape(40, -1))
    # 2-D windows are one channel: the spread is the whole row's step change
    spread = np.abs(np.diff(X.reshape(40, -1), axis=1)).mean(axis=1)
    pred = model.estimator_.predict(X[-8:].reshape(8, -1))
    residual = np.abs(y[-8:].reshape(8, -1) - pred)
    assert np.allclose(model.scores_, residual / spread[-8:, None])
    # 3-D windows: one spread per channel, laid out (horizon, channel)
    # 3-D windows: one spread per channel, each forecast step of a channel
    # scaled by that channel's (forecasts laid out (horizon, channel))
    X3 = np.concatenate([np.zeros((40, 1, 2)), X], axis=1)  # window i starts at i
    X3[:, 0, 0] = np.arange(40)
    point = rng.normal(size=(40, 3, 2))
    model3 = ConformalForecaster(
        TableForecaster(point=point), method="scaled", calibration="split", gap=3
    )
    model3.fit(X3, y)
    per_channel = np.abs(np.diff(X3[-8:], axis=1)).mean(axis=1)  # (8, 2)
    expected = np.abs(y[-8:] - point[-8:]) / per_channel[:, None, :]
    assert np.allclose(model3.scores_, expected.reshape(8, 6))


def test_update_adds_new_scores_and_keeps_the_latest():
    X = np.arange(30, dtype=float)[:, None]
    y = np.arange(30, dtype=float)[:, None]
    point = np.zeros((40, 1))
    model = ConformalForecaster(
        TableForecaster(point=point),
        calibration="split",
        calibration_fraction=0.3,
        max_scores=10,
    ).fit(X, y)
    assert model.scores_[:, 0].tolist() == list(range(21, 30))
    model.update(np.array([[30.0], [31.0]]), np.array([[100.0], [200.0]]))
    assert model.scores_[:, 0].tolist() == [*range(22, 30), 100.0, 200.0]
    with raises(
        ValueError,
        "y has shape (1, 2), but the estimator forecasts (1, 1) for these "
        "windows; pass targets of that shape.",
    ):
        model.update(np.array([[32.0]]), np.array([[1.0, 2.0]]))


def test_refit_trains_the_forecasting_model_on_every_window():
    X = np.arange(30, dtype=float)[:, None]
    y = np.zeros((30, 1))
    model = ConformalForecaster(
        TableForecaster(point=np.zeros((30, 1))), calibration="split", refit=True
    )
    model.fit(X, y)
    assert model.estimator_.n_fit_ == 30 and model.n_calibration_ == 6


def test_calibrate_uses_a_fitted_model_as_it_is():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(50, 4)), rng.normal(size=(50, 2))
    ridge = Ridge().fit(X[:30], y[:30])
    model = ConformalForecaster(ridge).calibrate(X[30:], y[30:])
    assert model.estimator_ is ridge and model.n_calibration_ == 20
    assert np.allclose(model.scores_, np.abs(y[30:] - ridge.predict(X[30:])))
    with pytest.raises(Exception, match="not fitted"):
        ConformalForecaster(Ridge()).calibrate(X, y)


def test_quantiles_are_the_interval_bounds_and_the_median_the_forecast():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(200, 5)), rng.normal(size=(200, 3))
    model = ConformalForecaster(Ridge()).fit(X, y)
    q = model.predict_quantiles(X[:4], [0.05, 0.5, 0.9, 0.95])
    intervals = model.predict_interval(X[:4], [0.9, 0.8])
    assert q.shape == (4, 3, 4)
    assert np.array_equal(q[..., 0], intervals[..., 0, 0])
    assert np.array_equal(q[..., 1], model.predict(X[:4]))
    assert np.array_equal(q[..., 2], intervals[..., 1, 1])
    assert np.array_equal(q[..., 3], intervals[..., 0, 1])


# ------------------------------------------------------------- real coverage
@pytest.mark.parametrize("noise", ["gaussian", "student_t"])
@pytest.mark.parametrize("method", ["absolute", "scaled"])
def test_conformal_intervals_cover_a_known_noise_law(noise, method):
    """A daily-seasonal series plus Gaussian or Student-t (3 degrees of
    freedom) noise: around the last-value ridge, the 80% and 95% intervals of
    each horizon step cover within 3 points of nominal over ~4,000 windows."""
    n = 12_000
    rng = np.random.default_rng(5)
    t = np.arange(n)
    draws = rng.standard_normal(n) if noise == "gaussian" else rng.standard_t(3, n)
    series = 5 * np.sin(2 * np.pi * t / 24) + draws
    X, y = make_windows(series, lookback=48, horizon=12)
    split = 8_000
    model = ConformalForecaster(LastValueRidge(), method=method).fit(
        X[:split], y[:split]
    )
    intervals = model.predict_interval(X[split:], [0.8, 0.95])
    for k, c in enumerate([0.8, 0.95]):
        inside = (y[split:] >= intervals[..., k, 0]) & (
            y[split:] <= intervals[..., k, 1]
        )
        per_step = inside.mean(axis=(0, 2))
        assert np.all(np.abs(per_step - c) < 0.03), (c, per_step)


def test_quantile_head_and_cqr_cover_on_series_windows():
    """PatchForecaster's quantile head on a seasonal series with Student-t
    noise, calibrated by CQR on the latest windows of each of two series
    (a SeriesWindows: split per series)."""
    rng = np.random.default_rng(6)
    series = [
        seasonal(3000, noise=0.0, seed=s) * 3 + 0.5 * rng.standard_t(4, (3000, 1))
        for s in range(2)
    ]
    train = [s[:2400] for s in series]
    windows = SeriesWindows(train, lookback=48, horizon=12)
    network = PatchForecaster(quantiles=(0.1, 0.9), random_state=0, n_jobs=1)
    model = ConformalForecaster(network, method="cqr", calibration="split")
    model.fit(windows)
    assert model.n_calibration_ == len(windows.time_split(0.2, gap=12)[1])
    X, y = zip(*(make_windows(s[2400 - 48 :], 48, 12) for s in series), strict=True)
    X, y = np.concatenate(X), np.concatenate(y)
    raw = model.estimator_.predict_interval(X, 0.8)
    calibrated = model.predict_interval(X, 0.8)
    for bounds in (raw, calibrated):
        inside = (y >= bounds[..., 0]) & (y <= bounds[..., 1])
        assert abs(inside.mean() - 0.8) < 0.04, inside.mean()
    assert np.all(np.diff(model.predict_quantiles(X, [0.1, 0.5, 0.9]), axis=-1) >= 0)


# -------------------------------------------------------------------- errors
def test_errors_name_the_argument_and_the_fix():
    X, y = np.zeros((10, 3)), np.zeros((10, 2))
    with raises(
        ValueError,
        "method='cqr' needs an estimator with predict_quantiles (e.g. "
        "PatchForecaster(quantiles=(0.05, 0.95))); got Ridge. Use "
        "method='absolute' or 'scaled'.",
    ):
        ConformalForecaster(Ridge(), method="cqr").fit(X, y)
    with raises(
        ValueError,
        "method='cqr' needs an estimator fitted with quantiles; got one whose "
        "quantiles_ is None. Pass e.g. quantiles=(0.05, 0.95).",
    ):
        ConformalForecaster(TableForecaster(point=np.zeros((10, 2))), method="cqr").fit(
            np.arange(10.0)[:, None], y
        )
    with raises(
        ValueError,
        "X has n_samples = 3 window(s): too few to keep calibration_fraction=0.2 "
        "of them for calibration after a gap of 2 window(s) and still train on as "
        "many; pass more windows, a larger calibration_fraction or a smaller gap.",
    ):
        ConformalForecaster(Ridge(), calibration="split").fit(X[:3], y[:3])
    with raises(
        ValueError,
        "X has n_samples = 3 window(s): too few to calibrate on any held-out "
        "window (cross-conformal over n_folds=5 time-ordered folds, a gap of 2 "
        "window(s) on either side of each, trains on at least as many windows as "
        "it scores); pass more windows, a smaller gap or n_folds, or "
        "small_data='insample'.",
    ):
        ConformalForecaster(Ridge()).fit(X[:3], y[:3])
    with raises(
        ValueError,
        "ConformalForecaster requires y to be passed, but the target y is None; "
        "pass the windows' targets, or a SeriesWindows as X.",
    ):
        ConformalForecaster(Ridge()).fit(X)
    rng = np.random.default_rng(7)
    model = ConformalForecaster(Ridge()).fit(rng.random((40, 3)), np.zeros((40, 2)))
    with raises(
        ValueError,
        "coverage must lie in (0, 1); got [1.5]; pass numbers strictly between 0 "
        "and 1, e.g. coverage=[0.8, 0.95].",
    ):
        model.predict_interval(X, 1.5)
    with raises(
        ValueError,
        "quantiles repeats a level: [0.1, 0.1]; pass numbers strictly between 0 "
        "and 1, e.g. quantiles=[0.1, 0.5, 0.9].",
    ):
        model.predict_quantiles(X, [0.1, 0.1])


# ------------------------------------------------- calibration at no cost
def test_holdout_calibrates_on_early_stopping_windows_and_keeps_the_forecast():
    """PatchForecaster holds its latest validation_fraction of windows out to
    stop early: the calibration takes those, and the point forecast is the
    one the network makes alone."""
    X, y = make_windows(seasonal(700, period=12), lookback=24, horizon=4)
    network = PatchForecaster(**tiny(max_epochs=2))
    alone = clone(network).fit(X, y)
    model = ConformalForecaster(network).fit(X, y)
    assert model.calibration_ == "holdout"
    held_X, _ = held_out_windows(model.estimator_, X, y)
    assert model.n_calibration_ == len(held_X) == math.ceil(0.1 * len(X))
    assert np.array_equal(model.predict(X[-5:]), alone.predict(X[-5:]))


def test_auto_calibration_without_a_hold_out_splits_then_refits():
    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(400, 6)), rng.normal(size=(400, 2))
    model = ConformalForecaster(Ridge(), gap=2).fit(X, y)
    assert model.calibration_ == "split" and model.n_calibration_ == 80
    assert np.allclose(model.predict(X), Ridge().fit(X, y).predict(X))


@pytest.mark.parametrize("calibration", ["auto", "cv"])
def test_cross_conformal_scores_every_window_of_a_short_series(calibration):
    """40 windows: too few to hold 50 out, so every window is forecast by a
    model trained without its fold (and a gap on either side)."""
    n_windows, gap = 40, 3
    X = np.arange(n_windows, dtype=float)[:, None]
    point = np.zeros((n_windows, 1))
    y = np.arange(n_windows, dtype=float)[:, None]
    model = ConformalForecaster(
        TableForecaster(point=point), calibration=calibration, gap=gap
    ).fit(X, y)
    assert model.calibration_ == "cv" and model.n_calibration_ == n_windows
    assert model.scores_[:, 0].tolist() == list(range(n_windows))
    assert model.estimator_.n_fit_ == n_windows  # the point model: every window
    # fold 3 of 5 (windows 16..23) trains on windows 0..12 and 27..39
    folds = model._cv_folds(n_windows, gap)
    assert folds[2][1].tolist() == list(range(16, 24))
    assert folds[2][0].tolist() == [*range(13), *range(27, 40)]


def test_holdout_needs_a_model_that_holds_windows_out():
    X, y = np.random.default_rng(9).normal(size=(60, 3)), np.zeros((60, 1))
    with raises(
        ValueError,
        "calibration='holdout' calibrates on the windows the estimator keeps out "
        "of its training, but Ridge declares none (its tags' holds_out); pass "
        "calibration='auto', 'split' or 'cv'.",
    ):
        ConformalForecaster(Ridge(), calibration="holdout").fit(X, y)


@settings(max_examples=30, deadline=None)
@given(
    coverage=st.floats(0.05, 0.995),
)
def test_windows_needed_is_the_fewest_that_bound(coverage):
    n = windows_needed(coverage)
    assert np.isfinite(conformal_quantile(np.arange(float(n)), coverage))
    if n > 1:
        assert np.isinf(conformal_quantile(np.arange(n - 1.0), coverage))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 40),
    n_columns=st.integers(1, 4),
    seed=st.integers(0, 10_000),
    coverage=st.floats(0.5, 0.99),
)
def test_missing_scores_do_not_count(n, n_columns, seed, coverage):
    """Each column's quantile is that of its own observed scores."""
    rng = np.random.default_rng(seed)
    scores = rng.exponential(size=(n, n_columns))
    missing = rng.random((n, n_columns)) < 0.3
    table = np.where(missing, np.nan, scores)
    got = conformal_quantile(table, coverage)
    for j in range(n_columns):
        own = scores[~missing[:, j], j]
        expected = conformal_quantile(own, coverage) if len(own) else np.inf
        assert got[j] == expected


# ------------------------------------------------------------ under drift
def _drift_run(adapt, update=True):
    """Ridge on a sine whose noise grows tenfold after the calibration:
    every window forecast, then (``update``) each value given as it is
    observed."""
    rng = np.random.default_rng(10)
    n, horizon = 3000, 4
    noise = np.where(np.arange(n) < 1500, 0.1, 1.0) * rng.standard_normal(n)
    X, y = make_windows(np.sin(np.arange(n) / 3) + noise, 12, horizon)
    X, y = X[:, :, 0], y[:, :, 0]
    model = ConformalForecaster(
        Ridge(), calibration="split", adapt=adapt, gap=horizon
    ).fit(X[:1200], y[:1200])
    inside = []
    for i in range(1200, len(X)):
        # step h of the window made at i - h is observed now: the diagonal
        seen = np.full((horizon, horizon), np.nan)
        rows = np.arange(i - horizon, i)
        steps = i - rows - 1
        seen[np.arange(horizon), steps] = y[rows, steps]
        if update:
            model.update(X[rows], seen)
        bounds = model.predict_interval(X[i : i + 1], 0.9)[0]
        inside.append((y[i] >= bounds[:, 0]) & (y[i] <= bounds[:, 1]))
    return np.array(inside)


def test_tracking_recovers_coverage_after_a_drift_where_split_fails():
    static = _drift_run(None, update=False)
    tracked = _drift_run("tracking")
    late = slice(600, None)  # windows from 600 after the noise grew
    assert static[late].mean() < 0.5
    assert abs(tracked[late].mean() - 0.9) < 0.05, tracked[late].mean()


def test_tracking_takes_each_value_once_and_in_order():
    """Windows given in two calls move the factors as in one; a value not yet
    observed (NaN) moves nothing; larger errors widen."""
    rng = np.random.default_rng(11)
    X, y = rng.normal(size=(300, 5)), rng.normal(size=(300, 3))
    model = ConformalForecaster(
        Ridge(), calibration="split", adapt="tracking", gap=3
    ).fit(X[:200], y[:200])
    once = clone(model).fit(X[:200], y[:200]).update(X[200:], 3 * y[200:])
    twice = clone(model).fit(X[:200], y[:200])
    twice.update(X[200:250], 3 * y[200:250]).update(X[250:], 3 * y[250:])
    assert np.array_equal(once.log_scale_, twice.log_scale_)
    # 40 calibration windows bound up to 97.5%: 99% is not tracked
    assert (once.log_scale_[:-1] > 0).all() and not once.log_scale_[-1].any()
    assert once.n_updates_ == 100
    nothing = clone(model).fit(X[:200], y[:200])
    nothing.update(X[200:], np.full_like(y[200:], np.nan))
    assert not nothing.log_scale_.any()
