"""skorch pieces of PatchForecaster's training: the time-ordered split, the ridge
start, early stopping that counts the start, weight averaging, a divergence guard."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
from skorch.callbacks import Callback, EarlyStopping
from skorch.utils import noop, to_tensor
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import Subset

from ..exceptions import TrainingDivergedError
from ..nn import init_skip_ridge
from ..windows import SeriesWindows, time_ordered_indices

__all__ = [
    "BlendWeight",
    "DivergenceGuard",
    "EarlyStoppingFromStart",
    "RidgeStart",
    "TimeBudget",
    "TimeLeft",
    "TimeOrderedSplit",
    "WeightAveraging",
    "format_seconds",
]


class TimeOrderedSplit:
    """A skorch ``train_split`` that validates on the latest windows (never a
    random split, which would leak the future into training).

    Parameters
    ----------
    validation_fraction : float
        Share of the windows, taken from the end, used for validation.
    gap : int
        Windows dropped between the training and the validation windows (of
        each series, for a :class:`~sktime_patches.SeriesWindows`, which
        is split per series with :meth:`~sktime_patches.SeriesWindows.time_split`).
    max_windows : int or None, default=None
        Validate on at most this many of those windows, evenly spaced through
        them (the same ones every epoch): on data of millions of windows,
        scoring every latest window each epoch would cost more than the
        epoch's training. None validates on all.
    """

    def __init__(
        self, validation_fraction: float, gap: int, max_windows: int | None = None
    ) -> None:
        self.validation_fraction = validation_fraction
        self.gap = gap
        self.max_windows = max_windows

    def __call__(self, dataset: Any, y: Any = None, groups: Any = None):
        if isinstance(dataset, SeriesWindows):
            # per series: its latest windows validate; views share the values
            train_ds, valid_ds = dataset.time_split(
                self.validation_fraction, gap=self.gap
            )
            if not len(valid_ds):
                return train_ds, None
            return train_ds, self._capped(valid_ds, np.arange(len(valid_ds)))
        train, valid = time_ordered_indices(
            len(dataset), self.validation_fraction, self.gap
        )
        if len(valid) == 0:
            return dataset, None
        return Subset(dataset, train.tolist()), self._capped(dataset, valid)

    def _capped(self, dataset: Any, indices: np.ndarray) -> Any:
        """``dataset[indices]``, thinned evenly to ``max_windows``."""
        if self.max_windows is not None and len(indices) > self.max_windows:
            keep = np.linspace(0, len(indices) - 1, self.max_windows).round()
            indices = indices[keep.astype(np.int64)]
        elif isinstance(dataset, SeriesWindows) and len(indices) == len(dataset):
            return dataset
        return Subset(dataset, indices.tolist())


class TimeBudget(Callback):
    """Stop training once ``max_time`` seconds of it are spent.

    Checked after every training batch: when the budget is spent, the fit
    loop is ended (skorch ends a fit interrupted by ``KeyboardInterrupt``
    cleanly: every callback's ``on_train_end`` runs, so early stopping
    restores the best epoch so far). An epoch cut short is not one: its row
    leaves the history. Place it last among the callbacks, so that every
    other callback has seen each complete epoch.

    Parameters
    ----------
    max_time : float
        Seconds of training (from the start of the first epoch).
    sink : callable, default=noop
        Where the one line saying so goes (``print`` for a verbose fit).

    Attributes
    ----------
    reached_ : bool
        Whether the budget ended this fit's training.
    """

    def __init__(self, max_time: float, sink: Any = noop) -> None:
        self.max_time = max_time
        self.sink = sink

    def initialize(self) -> TimeBudget:
        self.reached_ = False
        self._start: float | None = None
        self._cut_short = False
        return self

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        self.initialize()
        self._start = time.perf_counter()

    def _spent(self) -> float:
        return time.perf_counter() - self._start

    def on_batch_end(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        if training and self._spent() >= self.max_time:
            self.reached_, self._cut_short = True, True
            raise KeyboardInterrupt

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        if self._spent() >= self.max_time and len(net.history) < net.max_epochs:
            self.reached_ = True
            raise KeyboardInterrupt

    def on_train_end(self, net: Any, **kwargs: Any) -> None:
        if (
            self._cut_short
            and len(net.history)
            and ("train_loss" not in net.history[-1])
        ):
            del net.history[-1]  # the epoch cut short
        if self.reached_:
            self.sink(
                f"Training stopped by max_time={self.max_time:g}s after "
                f"{len(net.history)} complete epoch(s) ({self._spent():.0f}s); the "
                "model is the best epoch so far."
            )


class TimeLeft(Callback):
    """Add the time the training may still take to skorch's epoch table.

    After each epoch, the column ``left`` estimates the time of the epochs that
    ``max_epochs`` still allows, from the mean duration of the last three (an
    upper bound: early stopping may end sooner). After the first epoch, one
    line says what the whole training may take.

    Parameters
    ----------
    sink : callable, default=noop
        Where that line goes (``print`` for a verbose fit).
    max_time : float or None, default=None
        The fit's time budget (seconds), which caps the estimate.

    Attributes
    ----------
    epochs_ : int
        Epochs run since this fit began.
    """

    def __init__(self, sink: Any = noop, max_time: float | None = None) -> None:
        self.sink = sink
        self.max_time = max_time

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        self.epochs_ = 0

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        self.epochs_ += 1
        recent = [float(d) for d in net.history[-3:, "dur"]]
        seconds = (net.max_epochs - self.epochs_) * sum(recent) / len(recent)
        net.history.record("left", format_seconds(seconds))
        if self.epochs_ == 1:
            total = net.max_epochs * recent[0]
            capped = self.max_time is not None and total > self.max_time
            self.sink(
                f"The first epoch took {format_seconds(recent[0])}: at most "
                f"{format_seconds(min(total, self.max_time) if capped else total)} "
                f"for the {net.max_epochs} epochs max_epochs allows"
                + (f" (capped by max_time={self.max_time:g}s)" if capped else "")
                + "; early stopping usually ends sooner."
            )


def format_seconds(seconds: float) -> str:
    """``"45s"``, ``"3m05s"``, ``"1h02m"``: a duration at a glance.

    Examples
    --------
    >>> format_seconds(4.2), format_seconds(185), format_seconds(3725)
    ('4s', '3m05s', '1h02m')
    """
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class DivergenceGuard(Callback):
    """Stop training with a clear error as soon as the loss explodes.

    The loss has exploded when an epoch's training or validation loss is not
    finite, or is more than ``factor`` times the loss of the weights training
    started from (the loss of the first training batch, measured before its
    step), and above ``factor * floor`` (losses are in units of each channel's
    spread, so an error the size of the series is about 1: a start that fits
    almost exactly does not make every later wobble an explosion). A learning
    rate far too large can drive a loss to 1e13 without it ever becoming NaN,
    and early stopping alone would not say so.

    Parameters
    ----------
    lr : float
        The learning rate in use, quoted in the error message.
    factor : float, default=1e4
        How many times the starting loss counts as an explosion.
    floor : float, default=0.01
        The smallest starting loss the factor applies to.

    Attributes
    ----------
    start_loss_ : float or None
        The first training batch's loss in this fit.
    """

    def __init__(self, lr: float, factor: float = 1e4, floor: float = 0.01) -> None:
        self.lr = lr
        self.factor = factor
        self.floor = floor

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        self.start_loss_: float | None = None

    def on_batch_end(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        if training and self.start_loss_ is None:
            loss = float(net.history[-1, "batches", -1, "train_loss"])
            if math.isfinite(loss):
                self.start_loss_ = loss

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        epoch = len(net.history)
        for key in ("train_loss", "valid_loss"):
            if key not in net.history[-1]:
                continue
            loss = net.history[-1, key]
            start = self.start_loss_
            if math.isfinite(loss) and not (
                start is not None and loss > self.factor * max(start, self.floor)
            ):
                continue
            what = (
                f"became {loss}"
                if not math.isfinite(loss)
                else f"rose to {loss:.4g}, {loss / start:.3g} times its start "
                f"({start:.4g})"
            )
            raise TrainingDivergedError(
                f"Training diverged at epoch {epoch}: the "
                f"{'training' if key == 'train_loss' else 'validation'} loss "
                f"{what}. No model was kept. Lower the learning rate (lr="
                f"{self.lr:g}; try lr={self.lr / 10:g}), keep gradient clipping on "
                "(gradient_clip), and check that X and y are on a similar, moderate "
                "scale."
            )


def _batches(net: Any, dataset: Any) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """``dataset`` in the net's validation batches, on its device."""
    for xb, yb in net.get_iterator(dataset, training=False):
        yield to_tensor(xb, net.device), to_tensor(yb, net.device)


def _has_windows(dataset: Any) -> bool:
    return dataset is not None and len(dataset) > 0


class RidgeStart(Callback):
    """Start the network's linear skip at the closed-form ridge solution.

    When training begins, the skip path is set to the ridge regression of the
    training windows' targets on their normalised windows, its penalty chosen
    on the validation windows (:func:`~sktime_patches.nn.init_skip_ridge`),
    and the head's output layer to zero: the network starts as that linear
    forecaster and training fits a correction to it. Once set, the start is
    kept: a warm start continues from the trained network.

    Parameters
    ----------
    freeze : bool, default=True
        Keep the skip fixed at the ridge solution (it is already the best
        linear map), so training fits only the nonlinear correction.
    zero_head : bool, default=True
        Zero the head's output layer, so that training starts from the ridge;
        False (a blended network, :class:`BlendWeight`) leaves it as
        initialised.

    Attributes
    ----------
    alpha_ : float or None
        The ridge penalty chosen; None until training first begins.
    """

    def __init__(self, freeze: bool = True, zero_head: bool = True) -> None:
        self.freeze = freeze
        self.zero_head = zero_head

    def initialize(self) -> RidgeStart:
        self.alpha_: float | None = None
        return self

    def on_train_begin(self, net: Any, X: Any = None, y: Any = None, **kwargs: Any):
        if self.alpha_ is not None:
            return
        train, valid = net.get_split_datasets(X, y)
        self.alpha_ = init_skip_ridge(
            net.module_,
            _batches(net, train),
            _batches(net, valid) if _has_windows(valid) else None,
            zero_head=self.zero_head,
        )
        if self.freeze:
            net.module_.skip.requires_grad_(False)


class BlendWeight(Callback):
    """Weigh a network trained on its own against its ridge skip, on the
    validation windows.

    For a :class:`~sktime_patches.nn.PatchLSTMNet` built with ``blend=True``:
    the network trains alone (blend weight 1); when training ends (after early
    stopping has restored the best epoch), the weight ``w`` of ``w * network +
    (1 - w) * ridge`` is set to the one of ``weights`` with the lowest
    validation loss (the net's criterion, as early stopping measures it). The
    two forecasts are computed once; each weight costs one loss evaluation.
    Without validation windows the weight is ``fallback``.

    Parameters
    ----------
    weights : sequence of float, default=21 values from 0 to 1
        The weights tried; the smallest of those with the lowest loss wins
        (so a tie goes to the ridge).
    fallback : float, default=0.5
        The weight used when there are no validation windows.

    Attributes
    ----------
    weight_ : float or None
        The weight chosen; None until training first ends.
    losses_ : ndarray of shape (len(weights),) or None
        The validation loss at each weight (None without validation windows).
    """

    def __init__(
        self,
        weights: tuple[float, ...] = tuple(np.linspace(0.0, 1.0, 21)),
        fallback: float = 0.5,
    ) -> None:
        self.weights = weights
        self.fallback = fallback

    def initialize(self) -> BlendWeight:
        self.weight_: float | None = None
        self.losses_: np.ndarray | None = None
        return self

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        net.module_.blend_weight.fill_(1.0)  # the network trains alone

    def on_train_end(self, net: Any, X: Any = None, y: Any = None, **kwargs: Any):
        module = net.module_
        _, valid = net.get_split_datasets(X, y)
        if not _has_windows(valid):
            self.weight_, self.losses_ = float(self.fallback), None
            module.blend_weight.fill_(self.weight_)
            return
        totals = torch.zeros(len(self.weights), dtype=torch.float64)
        count = 0
        was_training = module.training
        module.eval()
        net.criterion_.eval()
        try:
            with torch.no_grad():
                for xb, yb in _batches(net, valid):
                    module.blend_weight.fill_(1.0)
                    network = module(xb)
                    module.blend_weight.fill_(0.0)
                    ridge = module(xb)
                    for k, w in enumerate(self.weights):
                        # the module's own rule (with quantiles, the centre moves)
                        blended = ridge + w * (network - ridge)
                        totals[k] += float(net.criterion_(blended, yb)) * len(xb)
                    count += len(xb)
        finally:
            module.train(was_training)
        self.losses_ = (totals / count).numpy()
        self.weight_ = float(self.weights[int(np.argmin(self.losses_))])
        module.blend_weight.fill_(self.weight_)


class EarlyStoppingFromStart(EarlyStopping):
    """skorch's ``EarlyStopping`` that also counts the weights training starts from.

    When training starts from a model that is already good (the linear skip at
    its ridge solution), every epoch may make the validation loss worse; plain
    early stopping would then restore the best *trained* epoch, worse than the
    start. With ``score_start=True`` this callback scores the starting weights
    on the validation windows when training begins (after the callbacks before
    it, such as :class:`RidgeStart`, have set them up): they compete as the
    epoch before the first, and are restored if no epoch beats them.

    Parameters
    ----------
    score_start : bool, default=False
        Score the starting weights; False behaves as plain ``EarlyStopping``.
    **kwargs
        Passed to :class:`skorch.callbacks.EarlyStopping`.

    Attributes
    ----------
    start_score_ : float or None
        Validation loss of the starting weights (None when not scored).
    """

    def __init__(self, score_start: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.score_start = score_start

    def on_train_begin(self, net: Any, X: Any = None, y: Any = None, **kwargs: Any):
        super().on_train_begin(net, X=X, y=y, **kwargs)
        self.start_score_: float | None = None
        if not self.score_start or self.monitor != "valid_loss":
            return
        _, valid = net.get_split_datasets(X, y)
        if not _has_windows(valid):
            return
        score = _validation_loss(net, valid)
        if not math.isfinite(score):
            return
        self.start_score_ = score
        self.dynamic_threshold_ = self._calc_new_threshold(score)
        self.best_epoch_ = len(net.history)  # 0: before the first epoch
        if self.load_best:
            self.best_model_weights_ = copy.deepcopy(net.module_.state_dict())

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        """skorch's check; when it stops, the epoch's row of the table is
        printed before its "Stopping since ..." line (skorch's stop skips the
        print log of the last epoch)."""
        held: list[str] = []
        sink, self.sink = self.sink, held.append
        try:
            super().on_epoch_end(net, **kwargs)
        except KeyboardInterrupt:
            printer = dict(net.callbacks_).get("print_log")
            if printer is not None and net.verbose:
                printer.on_epoch_end(net, **kwargs)
            raise
        finally:
            self.sink = sink
            for line in held:
                sink(line)

    def on_train_end(self, net: Any, **kwargs: Any) -> None:
        if self.best_epoch_ == 0 and self.start_score_ is not None:
            restore = self.load_best and len(net.history) > 0
            if restore:
                net.module_.load_state_dict(self.best_model_weights_)
            self._sink(
                "No epoch improved on the starting weights (the linear start: the "
                "ridge) on the validation windows; the model is that start.",
                verbose=net.verbose,
            )
            return
        super().on_train_end(net, **kwargs)


@torch.no_grad()
def _validation_loss(net: Any, dataset: Any) -> float:
    """The net's validation loss (its eval criterion) over ``dataset``."""
    module_mode, criterion_mode = net.module_.training, net.criterion_.training
    net.module_.eval()
    net.criterion_.eval()  # its eval loss: valid_loss
    total, count = 0.0, 0
    try:
        for xb, yb in _batches(net, dataset):
            loss = net.get_loss(net.module_(xb), yb, training=False)
            total += float(loss) * len(xb)
            count += len(xb)
    finally:
        net.module_.train(module_mode)
        net.criterion_.train(criterion_mode)
    return total / count


class WeightAveraging(Callback):
    """Validate, and keep, an exponential moving average (EMA) of the weights.

    The average is :class:`torch.optim.swa_utils.AveragedModel`, started from
    the weights at the end of the first epoch and updated after every optimizer
    step from then on. Each validation pass runs on the averaged weights, so
    early stopping compares and restores averaged weights; the next epoch trains
    on from the raw weights. After training the network holds the averaged
    weights (with early stopping: its best epoch's).

    Place it before early stopping in the callbacks, so that early stopping's
    restore of the best epoch comes last.

    Parameters
    ----------
    halflife : float
        Half-life of the average, in epochs: the weights of ``halflife`` epochs
        ago count half as much as the latest. The per-step decay is
        ``0.5 ** (1 / (halflife * steps_per_epoch))``, with the steps counted in
        the first epoch.
    """

    def __init__(self, halflife: float) -> None:
        self.halflife = halflife

    def initialize(self) -> WeightAveraging:
        self._reset()
        return self

    def _reset(self) -> None:
        self.averaged_: AveragedModel | None = None
        self.raw_: dict[str, torch.Tensor] | None = None
        self.steps_ = 0

    def on_train_begin(self, net: Any, **kwargs: Any) -> None:
        self._reset()

    def on_epoch_begin(self, net: Any, **kwargs: Any) -> None:
        if self.raw_ is not None:  # train on from the raw weights
            net.module_.load_state_dict(self.raw_)
            self.raw_ = None

    def on_batch_begin(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        if not training and self.averaged_ is not None and self.raw_ is None:
            self._swap_in(net)

    def on_batch_end(self, net: Any, training: bool = False, **kwargs: Any) -> None:
        if training:
            self.steps_ += 1
            if self.averaged_ is not None:
                self.averaged_.update_parameters(net.module_)

    def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
        if self.averaged_ is None and self.steps_:
            decay = 0.5 ** (1.0 / (self.halflife * self.steps_))
            self.averaged_ = AveragedModel(
                net.module_,
                multi_avg_fn=get_ema_multi_avg_fn(decay),
                use_buffers=True,
            )
            # its first update copies: the average starts at this epoch's weights
            self.averaged_.update_parameters(net.module_)

    def on_train_end(self, net: Any, **kwargs: Any) -> None:
        if self.averaged_ is not None and self.raw_ is None:
            self._swap_in(net)  # no validation after the last step
        self._reset()  # the average is in the network; do not pickle a copy

    def _swap_in(self, net: Any) -> None:
        self.raw_ = copy.deepcopy(net.module_.state_dict())
        net.module_.load_state_dict(self.averaged_.module.state_dict())
