"""The callbacks of PatchForecaster's training: the ridge start, early stopping
that counts the start, the time-ordered split, the divergence guard."""

import copy

import numpy as np
import pytest
import torch
from helpers import seasonal, tiny
from skorch import NeuralNetRegressor
from skorch.dataset import Dataset
from skorch.helper import predefined_split

from sktime_patches import PatchForecaster, TrainingDivergedError, make_windows
from sktime_patches._training.callbacks import EarlyStoppingFromStart, RidgeStart


def _toy_net(perfect_start: bool, messages: list[str]):
    """A linear model on exactly linear data, early stopping that scores its start."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)).astype(np.float32)
    y = (X @ [[1.0], [2.0], [-1.0]]).astype(np.float32)
    stopper = EarlyStoppingFromStart(
        score_start=True, patience=2, load_best=True, sink=messages.append
    )
    net = NeuralNetRegressor(
        torch.nn.Linear(3, 1),
        lr=0.05,
        max_epochs=4,
        train_split=predefined_split(Dataset(X, y)),
        callbacks=[("early_stopping", stopper)],
        verbose=0,
    )
    net.initialize()
    if perfect_start:
        with torch.no_grad():
            net.module_.weight.copy_(torch.tensor([[1.0, 2.0, -1.0]]))
            net.module_.bias.zero_()
    start = copy.deepcopy(net.module_.state_dict())
    net.partial_fit(X, y)
    return net, start, stopper


class TestEarlyStoppingFromStart:
    def test_restores_the_start_when_no_epoch_beats_it_and_says_so(self):
        messages = []
        net, start, stopper = _toy_net(perfect_start=True, messages=messages)
        assert stopper.start_score_ == pytest.approx(0.0, abs=1e-12)
        assert stopper.best_epoch_ == 0
        assert len(net.history) == 2  # patience 2: two misses, then stop
        for key, value in net.module_.state_dict().items():
            torch.testing.assert_close(value, start[key])
        assert messages[-1] == (
            "No epoch improved on the starting weights (the linear start: the "
            "ridge) on the validation windows; the model is that start."
        )

    def test_keeps_the_trained_weights_when_they_are_better(self):
        messages = []
        net, start, stopper = _toy_net(perfect_start=False, messages=messages)
        assert stopper.start_score_ > 0
        assert stopper.best_epoch_ >= 1
        assert not torch.equal(net.module_.weight, start["weight"])
        assert not any("No epoch improved" in m for m in messages)


def _windows():
    X, y = make_windows(seasonal(400, noise=0.2), lookback=32, horizon=6)
    return X, y


TINY = tiny(patch_len=8)


class TestRidgeStart:
    def test_sets_and_freezes_the_skip_once(self):
        X, y = _windows()
        model = PatchForecaster(**TINY, max_epochs=2, warm_start=True).fit(X, y)
        ridge = dict(model.net_.callbacks_)["ridge_start"]
        assert isinstance(ridge, RidgeStart)
        assert ridge.alpha_ == model.skip_alpha_ is not None
        skip = model.net_.module_.skip
        assert not skip.weight.requires_grad
        before = skip.weight.detach().clone()
        model.fit(X, y)  # warm start: continues, the start is not set again
        torch.testing.assert_close(skip.weight.detach(), before)
        assert model.n_epochs_ == 4

    def test_the_start_is_scored_by_early_stopping_as_epoch_zero(self):
        X, y = _windows()
        model = PatchForecaster(**TINY, lr=1e-12, max_epochs=2, patience=1).fit(X, y)
        stopper = dict(model.net_.callbacks_)["early_stopping"]
        assert stopper.start_score_ is not None
        # a step of 1e-12 cannot beat the start: it is what the model is
        assert stopper.best_epoch_ == 0

    def test_no_start_score_without_the_ridge_start(self):
        X, y = _windows()
        model = PatchForecaster(**TINY, max_epochs=1, linear_skip="learned").fit(X, y)
        assert dict(model.net_.callbacks_)["early_stopping"].start_score_ is None
        assert "ridge_start" not in dict(model.net_.callbacks_)


def test_divergence_guard_names_the_epoch_and_the_fix():
    X, y = _windows()
    model = PatchForecaster(**TINY, lr=1e30, gradient_clip=None, max_epochs=2)
    with pytest.raises(TrainingDivergedError, match="Training diverged at epoch 1"):
        model.fit(X * 1e30, y * 1e30)


def test_a_verbose_fit_shows_the_time_left(capsys):
    X, y = _windows()
    model = PatchForecaster(**TINY, max_epochs=3, patience=None, verbose=1)
    model.fit(X, y)
    lefts = [row["left"] for row in model.history_]
    assert len(lefts) == 3 and lefts[-1] == "0s"  # nothing left after the last
    assert all(left.endswith("s") or left.endswith("m") for left in lefts)
    lines = capsys.readouterr().out.splitlines()
    # what will train, then what the whole training may take, then the table
    assert lines[0].startswith("Training the 'few' recipe (with your ")
    assert lines[1].startswith("The first epoch took ")
    assert lines[1].endswith(
        "for the 3 epochs max_epochs allows; early stopping usually ends sooner."
    )
    assert "left" in lines[2]  # a column of the epoch table
    quiet = PatchForecaster(**TINY, max_epochs=1).fit(X, y)
    assert "left" not in quiet.history_[-1]


@pytest.mark.parametrize("patience", [None, 3])
def test_an_exploding_loss_that_never_becomes_nan_is_caught(patience):
    """lr=1e6 drives the loss to ~1e14, finite: still a divergence, with or
    without early stopping, and no model is kept."""
    X, y = _windows()
    model = PatchForecaster(**TINY, lr=1e6, max_epochs=3, patience=patience)
    with pytest.raises(
        TrainingDivergedError,
        match=r"^Training diverged at epoch 1: the training loss rose to \S+, \S+ "
        r"times its start \(\S+\)\. No model was kept\. Lower the learning rate "
        r"\(lr=1e\+06; try lr=100000\)",
    ):
        model.fit(X, y)
    assert not hasattr(model, "net_")


def test_a_start_that_fits_almost_exactly_is_not_an_explosion():
    """A pure sine: the ridge start is nearly exact (loss ~1e-9); the small
    wobbles of training stay far below the floor."""
    X, y = make_windows(np.sin(np.arange(400.0) / 4), lookback=32, horizon=6)
    model = PatchForecaster(**TINY, max_epochs=3, patience=None).fit(X, y)
    guard = dict(model.net_.callbacks_)["divergence"]
    assert guard.start_loss_ < 1e-4
    assert model.n_epochs_ == 3


def test_time_ordered_split_thins_the_validation_windows_evenly():
    """With max_windows, the latest windows still validate, thinned evenly
    (their first and last kept), for arrays and for a SeriesWindows."""
    import numpy as np
    from torch.utils.data import TensorDataset

    from sktime_patches import SeriesWindows
    from sktime_patches._training.callbacks import TimeOrderedSplit

    data = TensorDataset(torch.arange(100.0)[:, None])
    train, valid = TimeOrderedSplit(0.2, gap=3, max_windows=5)(data)
    assert list(train.indices) == list(range(77))
    assert list(valid.indices) == [80, 85, 90, 94, 99]
    _, all_valid = TimeOrderedSplit(0.2, gap=3)(data)
    assert list(all_valid.indices) == list(range(80, 100))
    windows = SeriesWindows([np.arange(60.0), np.arange(80.0)], 4, 2)
    _, valid = TimeOrderedSplit(0.2, gap=2, max_windows=4)(windows)
    full = windows.time_split(0.2, gap=2)[1]
    assert len(valid) == 4 and len(full) > 4
    for mine, theirs in ((0, 0), (3, len(full) - 1)):
        assert torch.equal(valid[mine][0], full[theirs][0])
