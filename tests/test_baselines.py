"""The baseline forecasters of windows: exact forecasts, the ridge's closed form."""

import numpy as np
import pytest
from helpers import raises, seasonal
from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from sktime_patches import make_windows
from sktime_patches.baselines import (
    LastValueRidge,
    RepeatLast,
    SeasonalNaive,
    season_length,
)


@parametrize_with_checks([RepeatLast(), SeasonalNaive(), LastValueRidge()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.fixture
def windows():
    return make_windows(seasonal(300, period=12, channels=2), lookback=24, horizon=6)


@pytest.mark.parametrize("form", [3, 2])
def test_predict_answers_in_the_form_of_y(windows, form):
    X, y = windows
    y_fit = y if form == 3 else y.reshape(len(y), -1)
    for model in (RepeatLast(), SeasonalNaive(12), LastValueRidge()):
        assert model.fit(X, y_fit).predict(X).shape == y_fit.shape


def test_repeat_last_and_seasonal_naive(windows):
    X, y = windows
    last = RepeatLast().fit(X, y).predict(X)
    np.testing.assert_array_equal(last, np.repeat(X[:, -1:], 6, axis=1))
    naive = SeasonalNaive(season=4).fit(X, y).predict(X)
    np.testing.assert_array_equal(naive[:, 0], X[:, -4])
    np.testing.assert_array_equal(naive[:, 4], X[:, -4])  # the season repeats
    np.testing.assert_array_equal(naive[:, 3], X[:, -1])
    with raises(
        ValueError,
        "season=30 is longer than the windows (24 steps); pass season <= 24 or "
        "longer windows.",
    ):
        SeasonalNaive(season=30).fit(X, y)


def test_last_value_ridge_is_sklearns_ridge_on_its_rows(windows):
    X, y = windows
    model = LastValueRidge(alphas=(3.0,)).fit(X, y)
    scale = X[:, -1, :].std(axis=0)
    last = X[:, -1:, :]
    rows = ((X - last) / scale).transpose(0, 2, 1).reshape(-1, 24)
    targets = ((y - last) / scale).transpose(0, 2, 1).reshape(-1, 6)
    reference = Ridge(alpha=3.0).fit(rows, targets)
    np.testing.assert_allclose(model.coef_, reference.coef_.T, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(model.intercept_, reference.intercept_, atol=1e-9)
    assert model.alpha_ == 3.0


def test_last_value_ridge_chooses_its_penalty_on_the_latest_windows(windows):
    """The penalty is the one whose ridge, fitted on the earlier windows, errs
    least on the latest fifth (a horizon of windows between them)."""
    from sktime_patches.windows import time_ordered_indices

    X, y = windows
    y = y + np.random.default_rng(0).normal(scale=0.5, size=y.shape)
    alphas = (1e-3, 1.0, 30.0, 1e3, 1e5)
    model = LastValueRidge(alphas=alphas).fit(X, y)
    train, valid = time_ordered_indices(len(X), 0.2, gap=6)
    scale = model.scale_  # every window's last step, as in fit

    def rows(idx):
        last = X[idx][:, -1:, :]
        r = ((X[idx] - last) / scale).transpose(0, 2, 1).reshape(-1, 24)
        t = ((y[idx] - last) / scale).transpose(0, 2, 1).reshape(-1, 6)
        return r, t

    (r_tr, t_tr), (r_va, t_va) = rows(train), rows(valid)
    errors = [
        np.mean((Ridge(alpha=a).fit(r_tr, t_tr).predict(r_va) - t_va) ** 2)
        for a in alphas
    ]
    assert model.alpha_ == alphas[int(np.argmin(errors))]


@pytest.mark.parametrize(
    ("freq", "steps"),
    [("h", 24), ("30min", 48), ("D", 7), ("B", 5), ("W-TUE", 52), ("MS", 12),
     ("QE-DEC", 4), ("YS", 1), ("2h", 1)],
)  # fmt: skip
def test_season_length(freq, steps):
    assert season_length(freq) == steps


def test_last_value_ridge_chooses_its_penalty_on_explicit_validation_windows(windows):
    """With X_val and y_val, the penalty is the one whose ridge, fitted on every
    window of X, errs least on them; the model is that ridge."""
    X, y = windows
    y = y + np.random.default_rng(1).normal(scale=0.5, size=y.shape)
    X_tr, y_tr, X_va, y_va = X[:200], y[:200], X[206:], y[206:]
    alphas = (1e-3, 1.0, 30.0, 1e3, 1e5)
    model = LastValueRidge(alphas=alphas).fit(X_tr, y_tr, X_val=X_va, y_val=y_va)
    scale = X_tr[:, -1, :].std(axis=0)

    def rows(X, y):
        last = X[:, -1:, :]
        r = ((X - last) / scale).transpose(0, 2, 1).reshape(-1, 24)
        t = ((y - last) / scale).transpose(0, 2, 1).reshape(-1, 6)
        return r, t

    (r_tr, t_tr), (r_va, t_va) = rows(X_tr, y_tr), rows(X_va, y_va)
    fits = [Ridge(alpha=a).fit(r_tr, t_tr) for a in alphas]
    errors = [np.mean((fit.predict(r_va) - t_va) ** 2) for fit in fits]
    best = int(np.argmin(errors))
    assert 0 < best < len(alphas) - 1  # an inner choice, not an end of the grid
    assert model.alpha_ == alphas[best]
    np.testing.assert_allclose(model.coef_, fits[best].coef_.T, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(model.intercept_, fits[best].intercept_, atol=1e-9)
    # 2-D windows and targets of one channel choose as well
    one = LastValueRidge(alphas=alphas).fit(
        X_tr[:, :, 0], y_tr[:, :, 0], X_val=X_va[:, :, 0], y_val=y_va[:, :, 0]
    )
    assert one.predict(X_va[:, :, 0]).shape == y_va[:, :, 0].shape


def test_last_value_ridge_explains_bad_validation_windows(windows):
    X, y = windows
    model = LastValueRidge()
    with raises(
        ValueError,
        "Pass both X_val and y_val (validation windows and their targets), or "
        "neither to choose the penalty on the latest windows of X.",
    ):
        model.fit(X, y, X_val=X)
    with raises(
        ValueError,
        "X_val has windows of shape (12, 2), but X has (24, 2); pass validation "
        "windows shaped like X.",
    ):
        model.fit(X, y, X_val=X[:, :12], y_val=y)
