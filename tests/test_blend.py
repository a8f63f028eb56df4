"""linear_skip="blend": a network trained on its own, weighed against the
closed-form ridge on the validation windows (BlendWeight)."""

import numpy as np
import pytest
import torch
from helpers import seasonal, tiny

from sktime_patches import PatchForecaster, load, make_windows
from sktime_patches.nn import PatchLSTMNet

SMALL = tiny(patch_len=6, max_epochs=4)


@pytest.fixture(scope="module")
def windows():
    """A seasonal series with a slow swing the ridge cannot follow, in windows:
    train, validation and later windows."""
    t = np.arange(700.0)
    series = seasonal(700, period=12, noise=0.2)[:, 0] + np.sin(t / 40) ** 3
    X, y = make_windows(series.astype(np.float32), lookback=24, horizon=6)
    return X[:400], y[:400], X[420:560], y[420:560], X[580:], y[580:]


def forecasts_at(model, X, weight, method="predict"):
    """The fitted model's forecast (``method``) with the blend weight set to
    ``weight``."""
    module = model.net_.module_
    kept = module.blend_weight.clone()
    module.blend_weight.fill_(weight)
    try:
        return getattr(model, method)(X)
    finally:
        module.blend_weight.copy_(kept)


def quantiles_at(model, X, weight):
    return forecasts_at(model, X, weight, method="predict_quantiles")


def test_the_weight_is_the_grid_point_with_the_lowest_validation_loss(windows):
    X, y, X_val, y_val, X_new, _ = windows
    model = PatchForecaster(
        linear_skip="blend", loss="mse", linear_floor=False, **SMALL
    )
    model.fit(X, y, X_val=X_val, y_val=y_val)
    network, ridge = forecasts_at(model, X_val, 1.0), forecasts_at(model, X_val, 0.0)
    scale = np.asarray(model.net_.criterion_.scale)
    grid = np.linspace(0, 1, 21)
    by_hand = [
        np.mean(((w * network + (1 - w) * ridge - y_val) / scale) ** 2) for w in grid
    ]
    assert model.blend_weight_ == pytest.approx(grid[int(np.argmin(by_hand))])
    losses = dict(model.net_.callbacks_)["blend"].losses_
    np.testing.assert_allclose(losses, by_hand, rtol=1e-4)
    # the forecast is that mix of the two forecasts
    w = model.blend_weight_
    np.testing.assert_allclose(
        model.predict(X_new),
        w * forecasts_at(model, X_new, 1.0) + (1 - w) * forecasts_at(model, X_new, 0.0),
        rtol=1e-5,
        atol=1e-5,
    )


def test_weight_zero_is_the_ridge_start_of_linear_skip_ridge(windows):
    """The blend's ridge is the ridge the correction model starts from."""
    X, y, X_val, y_val, X_new, _ = windows
    blend = PatchForecaster(linear_skip="blend", **SMALL).fit(
        X, y, X_val=X_val, y_val=y_val
    )
    start = PatchForecaster(linear_skip="ridge", **{**SMALL, "max_epochs": 1})
    start.fit(X, y, X_val=X_val, y_val=y_val)
    start.net_.module_.head.proj.weight.data.zero_()
    start.net_.module_.head.proj.bias.data.zero_()
    assert blend.skip_alpha_ == start.skip_alpha_
    np.testing.assert_allclose(
        forecasts_at(blend, X_new, 0.0), start.predict(X_new), rtol=1e-5, atol=1e-5
    )


def test_the_network_trains_alone_and_is_not_zeroed(windows):
    """With the weight at 1 in training, the skip takes no part: the head is
    not zeroed at the start, and the skip stays at its ridge solution."""
    X, y, X_val, y_val, _, _ = windows
    model = PatchForecaster(linear_skip="blend", **SMALL)
    model.fit(X, y, X_val=X_val, y_val=y_val)
    module = model.net_.module_
    assert torch.count_nonzero(module.head.proj.weight) > 0
    assert not module.skip.weight.requires_grad
    # the training loss falls from epoch to epoch as a network's does (the
    # ridge start of linear_skip="ridge" would begin near its end)
    train_loss = model.history_[:, "train_loss"]
    assert train_loss[-1] < train_loss[0]


def test_without_validation_windows_the_two_are_averaged(windows):
    X, y, *_ = windows
    model = PatchForecaster(linear_skip="blend", validation_fraction=0, **SMALL)
    model.fit(X, y)
    assert model.blend_weight_ == 0.5
    assert dict(model.net_.callbacks_)["blend"].losses_ is None


def test_the_weight_survives_save_and_load_and_warm_start_chooses_again(
    windows, tmp_path
):
    X, y, X_val, y_val, X_new, _ = windows
    model = PatchForecaster(linear_skip="blend", warm_start=True, **SMALL)
    model.fit(X, y, X_val=X_val, y_val=y_val)
    model.save(tmp_path / "blend.zip")
    loaded = load(tmp_path / "blend.zip")
    assert loaded.blend_weight_ == model.blend_weight_
    assert float(loaded.net_.module_.blend_weight) == model.blend_weight_
    np.testing.assert_allclose(loaded.predict(X_new), model.predict(X_new), rtol=1e-6)
    # a continued fit trains the network alone again, then weighs it again
    model.fit(X, y, X_val=X_val, y_val=y_val)
    losses = dict(model.net_.callbacks_)["blend"].losses_
    assert model.blend_weight_ == pytest.approx(
        np.linspace(0, 1, 21)[int(np.argmin(losses))]
    )
    assert model.n_epochs_ == 2 * SMALL["max_epochs"]


def test_the_network_refuses_a_blend_without_a_skip():
    with pytest.raises(ValueError, match="blend=True weighs the network against"):
        PatchLSTMNet(24, 6, 1, patch_len=6, blend=True)
    net = PatchLSTMNet(24, 6, 1, patch_len=6, blend=True, linear_skip=True)
    assert float(net.blend_weight) == 1.0
    assert "blend_weight" in net.state_dict()
    assert "blend_weight" not in PatchLSTMNet(24, 6, 1, patch_len=6).state_dict()


def test_with_quantiles_the_ridge_gives_the_centre_and_the_network_the_spread(
    windows,
):
    """With a quantile head the median is blended with the ridge and every
    level keeps its distance from the median: at weight 0 the median is the
    ridge forecast, and the spread is the network's at every weight (so the
    intervals never collapse to a point); the weight minimises the pinball
    loss of the blend; the levels never cross."""
    X, y, X_val, y_val, X_new, _ = windows
    model = PatchForecaster(linear_skip="blend", quantiles=(0.1, 0.9), **SMALL)
    model.fit(X, y, X_val=X_val, y_val=y_val)
    ridge = PatchForecaster(linear_skip="blend", **SMALL).fit(
        X, y, X_val=X_val, y_val=y_val
    )
    at0, at1 = quantiles_at(model, X_new, 0.0), quantiles_at(model, X_new, 1.0)
    np.testing.assert_allclose(
        at0[..., 1], forecasts_at(ridge, X_new, 0.0), rtol=1e-5, atol=1e-5
    )
    spread = at1 - at1[..., 1:2]
    np.testing.assert_allclose(at0 - at0[..., 1:2], spread, rtol=1e-5, atol=1e-5)
    assert (spread[..., 2] > spread[..., 0]).all()
    q = model.predict_quantiles(X_new)
    assert (np.diff(q, axis=-1) >= 0).all()
    w = model.blend_weight_
    np.testing.assert_allclose(q, w * at1 + (1 - w) * at0, rtol=1e-5, atol=1e-5)
    # the weight: the grid point with the lowest pinball loss on the validation
    v0, v1 = quantiles_at(model, X_val, 0.0), quantiles_at(model, X_val, 1.0)
    levels = np.array([0.1, 0.5, 0.9])
    scale = np.asarray(model.net_.criterion_.scale)[:, None]
    grid = np.linspace(0, 1, 21)

    def pinball(pred):
        error = (y_val[..., None] - pred) / scale
        return np.mean(np.maximum(levels * error, (levels - 1) * error))

    losses = [pinball(g * v1 + (1 - g) * v0) for g in grid]
    assert w == pytest.approx(grid[int(np.argmin(losses))])
