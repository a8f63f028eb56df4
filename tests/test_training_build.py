"""Building the skorch net (_training.build): callbacks in one place, the split."""

import numpy as np
import pytest

from sktime_patches import PatchForecaster
from sktime_patches._defaults import RECIPES, resolve_params
from sktime_patches._training.build import (
    NetSpec,
    build_net,
    default_callbacks,
    train_split,
)
from sktime_patches._training.callbacks import TimeOrderedSplit


def spec(**changes):
    values = dict(
        lookback=16, horizon=4, n_channels=2, patch_len=4, groups=[[0], [1]],
        scale=[1.0, 2.0], levels=None, targets=None, future=None, has_valid=True,
        gap=4, device="cpu", seed=0,
    )  # fmt: skip
    return NetSpec(**{**values, **changes})


def params(n_rows=100, **given):
    return resolve_params(PatchForecaster(**given).get_params(), n_rows)


@pytest.mark.parametrize(
    ("n_rows", "names"),
    [
        (100, ["divergence", "clip", "lr_schedule", "ridge_start",
               "weight_averaging", "early_stopping"]),
        (50_000, ["divergence", "clip", "ridge_start", "early_stopping", "blend"]),
    ],
)  # fmt: skip
def test_default_callbacks_in_the_order_they_must_run(n_rows, names):
    assert [name for name, _ in default_callbacks(params(n_rows), spec())] == names


def test_verbose_adds_the_progress_bar_and_the_time_left():
    names = [name for name, _ in default_callbacks(params(verbose=1), spec())]
    assert names[-2:] == ["progress", "time_left"]


def test_without_validation_windows_early_stopping_watches_the_training_loss():
    callbacks = dict(default_callbacks(params(), spec(has_valid=False)))
    assert callbacks["early_stopping"].monitor == "train_loss"
    assert train_split(params(), spec(has_valid=False)) is None


def test_the_split_is_the_explicit_windows_else_the_latest_ones():
    split = train_split(params(validation_fraction=0.3), spec(gap=7))
    assert isinstance(split, TimeOrderedSplit)
    assert (split.validation_fraction, split.gap) == (0.3, 7)
    assert split.max_windows == RECIPES["few"]["windows_per_epoch"]
    explicit = train_split(params(), spec(), valid=object())
    assert not isinstance(explicit, TimeOrderedSplit)


def test_build_net_sizes_the_module_from_the_spec_and_is_seeded():
    used = params(d_model=8, hidden_size=8)
    first, second = build_net(used, spec()), build_net(used, spec())
    module = first.module_
    assert (module.lookback, module.horizon, module.n_channels) == (16, 4, 2)
    assert first.batch_size == used["batch_size"]
    for a, b in zip(
        first.module_.state_dict().values(),
        second.module_.state_dict().values(),
        strict=True,
    ):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
