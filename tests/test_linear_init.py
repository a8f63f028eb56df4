"""The closed-form ridge solution of the network's linear skip (nn.linear_init)."""

import numpy as np
import pytest
import torch
from helpers import tiny
from sklearn.linear_model import Ridge

from sktime_patches import PatchForecaster, make_windows
from sktime_patches.nn import PatchLSTMNet, init_skip_ridge


def windows(channels=1, n=300, lookback=32, horizon=6, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)[:, None]
    series = np.sin(2 * np.pi * t / 12 + np.arange(channels)) + 0.2 * rng.normal(
        size=(n, channels)
    )
    X, y = make_windows(series.astype(np.float32), lookback, horizon)
    return torch.from_numpy(X.copy()), torch.from_numpy(y.copy())


@pytest.mark.parametrize(
    ("channels", "groups", "norm"),
    [(1, None, "standard"), (3, None, "last"), (4, [[0, 2], [1, 3]], "standard")],
)
def test_skip_equals_sklearn_ridge_on_normalised_rows(channels, groups, norm):
    X, y = windows(channels)
    net = PatchLSTMNet(
        32,
        6,
        channels,
        patch_len=8,
        channel_groups=groups,
        norm=norm,
        linear_skip=True,
    )
    alpha = init_skip_ridge(net, [(X[:100], y[:100]), (X[100:], y[100:])], alphas=[3.0])
    assert alpha == 3.0
    z, (loc, scale) = net.norm(X)
    rows = net.group_rows(z).detach().numpy().astype(np.float64)
    targets = net.group_rows((y - loc) / scale).detach().numpy().astype(np.float64)
    ref = Ridge(alpha=3.0).fit(rows, targets)
    np.testing.assert_allclose(net.skip.weight.detach(), ref.coef_, atol=2e-4)
    np.testing.assert_allclose(net.skip.bias.detach(), ref.intercept_, atol=2e-4)
    # the head starts at zero: the network *is* the ridge forecaster
    with torch.no_grad():
        out = net.eval()(X)
    assert torch.count_nonzero(net.head.proj.weight) == 0
    pred_rows = net.group_rows(out).detach().numpy()
    manual = (
        ref.predict(rows) * net.group_rows(scale.expand_as(y)).numpy()
        + net.group_rows(loc.expand_as(y)).numpy()
    )
    np.testing.assert_allclose(pred_rows, manual, rtol=1e-4, atol=1e-4)


def test_alpha_is_chosen_on_the_validation_batches():
    X, y = windows()
    net = PatchLSTMNet(32, 6, 1, patch_len=8, linear_skip=True)
    alphas = [1e-3, 1e1, 1e7]
    chosen = init_skip_ridge(net, [(X[:200], y[:200])], [(X[220:], y[220:])], alphas)
    errors = []
    for alpha in alphas:
        init_skip_ridge(net, [(X[:200], y[:200])], [(X[220:], y[220:])], [alpha])
        with torch.no_grad():
            errors.append(float(((net(X[220:]) - y[220:]) ** 2).mean()))
    assert chosen == alphas[int(np.argmin(errors))]
    assert chosen != 1e7  # a huge penalty forecasts the window mean: not chosen


def test_needs_a_skip_path():
    net = PatchLSTMNet(32, 6, 1, patch_len=8, linear_skip=False)
    X, y = windows()
    with pytest.raises(ValueError, match="needs a network built with linear_skip"):
        init_skip_ridge(net, [(X, y)])


def test_forecaster_never_ends_worse_than_its_ridge_start_on_validation():
    X, y = make_windows(
        np.sin(np.arange(500.0) / 3) + 0.1 * np.random.default_rng(1).normal(size=500),
        lookback=36,
        horizon=6,
    )
    kw = tiny(patch_len=6)
    X_tr, y_tr, X_va, y_va = X[:300], y[:300], X[320:], y[320:]
    # a learning rate far too high for the correction: every epoch is worse
    model = PatchForecaster(**kw, lr=1.0, max_epochs=3, patience=2)
    model.fit(X_tr, y_tr, X_val=X_va, y_val=y_va)
    start = PatchForecaster(**kw, lr=1e-12, max_epochs=1, patience=None)
    start.fit(X_tr, y_tr, X_val=X_va, y_val=y_va)
    mse = np.mean((model.predict(X_va) - y_va) ** 2)
    mse_start = np.mean((start.predict(X_va) - y_va) ** 2)
    assert mse <= mse_start * (1 + 1e-4)
    assert model.skip_alpha_ == start.skip_alpha_


def test_skip_alpha_is_none_without_ridge_start():
    X, y = windows()
    model = PatchForecaster(
        **tiny(patch_len=8, max_epochs=1, linear_skip="learned", random_state=None)
    ).fit(X.numpy(), y.numpy())
    assert model.skip_alpha_ is None
