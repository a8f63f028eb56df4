"""PatchForecaster: the spacetime-patch recurrent network as a sklearn regressor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._defaults import AUTO_PARAMS, document_recipes, recipe_plan, resolve_params
from ._floor import choose_floor, floor_applies
from ._patching import default_patch_len
from ._tags import ForecasterTags, window_regressor_tags
from ._training.build import NetSpec, build_net, saved_weights_problem
from ._training.inputs import (
    ArrayInput,
    SeriesInput,
    channel_scale,
    prediction_input,
    targets_of,
    training_input,
    validation_input,
    window_shape,
)
from ._training.net import PatchNet
from ._training.runtime import (
    native_bfloat16,
    resolve_device,
    torch_threads,
    train_net,
)
from ._validation import (
    PATCHING_CONSTRAINTS,
    bound_positions,
    check_channel_groups,
    check_channel_list,
    check_coverage,
    check_levels,
    check_lookback,
    check_patch_fits,
    match_levels,
    median_index,
    y_in_form,
)
from .nn import LOSSES, NETWORK_PARAMS
from .persistence import Reader, SaveMixin, Writer, fitted_attributes

__all__ = ["PatchForecaster"]


@dataclass(frozen=True)
class FitPlan:
    """What ``fit`` decided from the data and the parameters, before anything
    is built (:meth:`PatchForecaster._validate_input`).

    Parameters
    ----------
    data : ArrayInput or SeriesInput
        The training windows, validated.
    valid : Dataset, SeriesWindows or None
        Explicit validation windows (``X_val``/``y_val``), or None.
    lookback : int
        Steps of history the network reads.
    known : int
        Rows of known future after the history (the horizon, or 0).
    patch_len : int
        Steps per patch.
    groups : list of list of int
        The channel groups patched together.
    targets, future : list of int or None
        The channels forecast, and those known over the horizon.
    levels : ndarray or None
        The quantile levels (sorted, with 0.5), or None.
    device : str
        The torch device.
    explicit : tuple
        ``fit``'s own ``(X_val, y_val)`` as given (``(None, None)`` when
        validation takes the latest training windows).
    """

    data: ArrayInput | SeriesInput
    valid: Any
    lookback: int
    known: int
    patch_len: int
    groups: list[list[int]]
    targets: list[int] | None
    future: list[int] | None
    levels: np.ndarray | None
    device: str
    explicit: tuple[Any, Any] = (None, None)

    @property
    def n_rows(self) -> int:
        """Training rows: windows times channel groups (what the ``"auto"``
        recipes go by)."""
        return len(self.data) * len(self.groups)


def _listed(levels: np.ndarray | None) -> str:
    return "None" if levels is None else str(levels.tolist())


@document_recipes
class PatchForecaster(
    SaveMixin, RegressorMixin, BaseEstimator, saved_as="PatchForecaster"
):
    """Forecast the next ``horizon`` steps from a window with a spacetime-patch RNN.

    Each window ``(lookback, n_channels)`` is normalised per window and channel
    (undone at the output), cut into spacetime patches (``patch_len`` steps of a
    channel group), each patch is embedded by a small ``encoder``, ``pool_size``
    neighbouring tokens are pooled into one, a recurrent layer (an LSTM or a GRU:
    ``cell``) runs over the tokens in time order and a head emits all
    ``horizon`` steps at once (a linear map of the recurrent states, or a
    SegRNN-style recurrent decoder: ``head``). Beside it, a linear skip maps
    the window to the forecast (``linear_skip``): by default the closed-form
    ridge, which the network corrects or is blended with. Which network the
    defaults build depends on the size of the training data (see Notes). The
    network is a plain ``torch.nn.Module``
    (:class:`~sktime_patches.nn.PatchLSTMNet`) trained by a skorch
    ``NeuralNetRegressor`` built in ``fit``.

    It trains on windows arrays, or on a
    :class:`~sktime_patches.SeriesWindows` (one or many series, windows cut
    on demand) for data whose windows do not fit in memory.

    Parameters
    ----------
    lookback : int or None, default=None
        Steps of each window the network reads (the most recent ones); None reads
        the whole window. Must not exceed the window length.
    horizon : int or None, default=None
        Steps to forecast; None takes it from ``y``. When given, ``y`` must match.
    patch_len : int or None, default=None
        Steps per patch (at most the lookback). None: 24 steps, or a quarter of
        the lookback (rounded up) when that is shorter, so that a default model
        fits windows of any length (``patch_len_`` holds the value used).
    stride : int or None, default=None
        Steps between patch starts; None means ``patch_len`` (non-overlapping).
    channel_groups : None, int or list of lists of int, default=None
        Channels patched together (see :class:`SpacetimePatcher`); None treats each
        channel alone with shared weights (channel independence).
    padding : {"end", "none"}, default="end"
        Repeat the last value so the last patch is whole (``"end"``), or align
        patches to the end of the window (``"none"``).
    encoder : {"linear", "mlp", "conv", "transformer"}, default="linear"
        Patch encoder.
    d_model : int or "auto", default="auto"
        Token size of the encoder. ``"auto"``: by the size of the training data (see
        Notes).
    pool : {"mean", "max", "attention"}, default="mean"
        How neighbouring tokens are pooled.
    pool_size : int, default=1
        Tokens pooled into one; 1 means no pooling. Need not divide the number of
        patches (the oldest run is then shorter).
    hidden_size : int or "auto", default="auto"
        Recurrent state size. ``"auto"``: by the size of the training data (see Notes).
    num_layers : int, default=1
        Recurrent layers.
    dropout : float or "auto", default="auto"
        Dropout on tokens, between recurrent layers and before the head.
        ``"auto"``: by the size of the training data (see Notes).
    head : {"flatten", "last", "recurrent", "auto"}, default="auto"
        How the forecast is read from the recurrent layer: a linear map of every state
        (``"flatten"``) or of the last one (``"last"``), or ``"recurrent"``: the horizon
        is cut into segments of ``patch_len`` steps, each decoded from the encoder's
        final state by the same recurrent layer fed a learned segment (and channel
        group) embedding, all segments at once (SegRNN's parallel multi-step decoding;
        see :class:`~sktime_patches.nn.RecurrentHead`). ``"auto"``: by the size of the
        training data (see Notes).
    cell : {"lstm", "gru", "auto"}, default="auto"
        The recurrent cell that runs over the patch tokens (and decodes, with
        ``head="recurrent"``). ``"auto"``: by the size of the training data (see Notes).
    norm : {"last", "standard", "none"}, default="last"
        Per-window normalisation, undone at the output: subtract the window's
        last value and divide by the channel's standard deviation in the
        training windows (NLinear-style), subtract the window mean and divide
        by the window's std (RevIN), or none.
    affine : bool, default=False
        Learnable per-channel affine in the normalisation.
    linear_skip : {"ridge", "blend", "learned", "none", "auto"}, default="auto"
        A linear map from the normalised window to the forecast, added to the
        head's output. ``"ridge"`` sets it to the closed-form ridge solution on
        the training windows (penalty chosen on the validation windows) and
        keeps it fixed, with the head starting at zero, so the network learns
        a correction to a linear forecast:
        training starts from a strong linear forecaster (the closed-form analogue of
        NLinear) and fits only the nonlinear correction, and early stopping never ends
        worse than the linear start on validation. ``"blend"`` trains the network on its
        own, as a whole forecaster (SegRNN-style networks learn more that way than as a
        correction), and then weighs it against the same closed-form ridge: ``w *
        network + (1 - w) * ridge``, with ``w`` (``blend_weight_``) the one of 0, 0.05,
        ..., 1 with the lowest validation loss (0.5 without validation windows);
        with ``quantiles``, the network's median is blended and the levels keep
        their spread around it. ``"learned"`` trains the linear map from a random
        start with the rest; ``"none"`` leaves it out. ``"auto"``: by the size of
        the training data (see Notes).
    correction_scale : {"channel", "window", "auto"}, default="auto"
        How the patch/recurrent branch (the nonlinear part) sees each window:
        normalised as the linear skip sees it (``"channel"``), or also divided by the
        window's own standard deviation, its output multiplied back (``"window"``).
        ``"window"`` makes the correction equivariant to the window's scale, as the
        linear skip is, so that a wilder or quieter period than the training data looks
        familiar to it: series whose scale drifts (counts that grow, a seasonal
        amplitude that changes) need it, and on steadier ones it costs little.
        ``"channel"`` lets the correction depend on the level of volatility itself. The
        user guide gives the evidence for each choice. ``"auto"``: by the size of the
        training data (see Notes).
    loss : {"mse", "mae", "huber", "auto"}, default="auto"
        Training loss, on errors divided by each channel's standard deviation in the
        training windows, so that channels of very different magnitudes weigh alike
        (forecasts stay in the data's units; the losses in ``history_`` are in these
        scaled units). A correction fitted to the absolute error is less pulled by the
        rare large errors of the training months; ``"mse"`` targets the mean, the figure
        most benchmarks report. ``"auto"``: by the size of the training data (see
        Notes).
    valid_loss : {"mse", "mae", "huber"} or None, default=None
        Loss on the validation windows, the one early stopping monitors (and
        ``history_``'s ``valid_loss`` column); None: the same as ``loss``. For
        instance, ``loss="mae"`` (robust to outliers) with ``valid_loss="mse"``
        trains on absolute errors but keeps the epoch with the best squared
        error, the figure most benchmarks report.
    quantiles : array-like of float or None, default=None
        Quantile levels in (0, 1), e.g. ``(0.1, 0.9)``: the head then emits a
        forecast for every level at once, trained and early-stopped on the
        pinball (quantile) loss averaged over the levels (``loss`` and
        ``valid_loss`` are not used). The median (0.5) is always among them
        (added when missing), and it is what ``predict`` returns;
        :meth:`predict_quantiles` and :meth:`predict_interval` return the
        others. The levels are sorted at the output, so they never cross
        (monotone rearrangement, which never increases the pinball loss,
        rather than a parameterisation by positive increments, which would
        need a centre level and cannot start every level at the ridge start).
        With ``linear_skip="ridge"`` every level starts at the ridge forecast
        and training spreads them. Calibrate them on held-out windows with
        :class:`~sktime_patches.conformal.ConformalForecaster` (``method="cqr"``).
    target_channels : array-like of int or None, default=None
        The channels of ``X`` to forecast, when the others are covariates
        (inputs only: the literature's "MS" setting); ``y`` then holds these
        channels only, in this order. None forecasts every channel. With
        covariates, every channel is patched in one group (spacetime patches
        spanning the targets and their covariates; ``channel_groups`` must be
        None).
    future_channels : array-like of int or None, default=None
        Channels of ``X`` whose values over the horizon are known in advance
        (calendar features, planned prices, weather forecasts). Each window of
        ``X`` then has ``lookback + horizon`` rows: the last ``horizon`` hold
        those channels' future values (the other channels' values there are
        ignored). They enter the linear skip beside the history, so the ridge
        start is a ridge regression on both. ``X`` keeps one array, so
        ``fit(X, y)``/``predict(X)``, Pipelines and searches work unchanged;
        :class:`~sktime_patches.series.SeriesForecaster` builds such windows
        from a DataFrame of covariates.
    lr : float or "auto", default="auto"
        Learning rate of AdamW. ``"auto"``: by the size of the training data (see
        Notes).
    weight_decay : float, default=0.0
        AdamW weight decay.
    max_epochs : int, default=30
        Most epochs to train (early stopping usually ends sooner).
    windows_per_epoch : int, None or "auto", default="auto"
        Most training windows an epoch trains on: a longer training set (a
        series of hundreds of thousands of steps, a large panel) trains each
        epoch on a fresh random sample of this many, so that an epoch takes a
        bounded, predictable time whatever the data's length; early stopping
        then validates on as many of the latest windows at most, evenly spaced
        through them. None trains every epoch on all the windows. ``"auto"``:
        by the size of the training data (see Notes).
    batch_size : int or "auto", default="auto"
        Windows per training batch. ``"auto"``: by the size of the training data (see
        Notes). Prediction and validation keep no gradients and run in their own
        batches: on a CPU, sized so that the recurrent layer's work stays in
        cache (about 512 channel rows for 14 patches, 73 windows of 7
        channels), where it runs fastest; on a GPU, of at least 2048 windows.
    validation_fraction : float, default=0.1
        Share of the training windows, taken from the **end** (the latest), used
        for early stopping; the ``horizon`` windows before them are left out so
        no training target overlaps a validation target. Ignored when
        ``X_val``/``y_val`` are passed to ``fit``. 0 disables validation.
    linear_floor : bool, default=True
        With a ridge skip (``linear_skip`` ``"ridge"`` or ``"blend"``) and a
        point forecast of every channel: after training, unless the network is
        strictly better on the validation windows than
        :class:`~sktime_patches.baselines.LastValueRidge` (fitted on the same
        windows, its penalty chosen the same way on the same validation
        windows, errors compared on its scale), the model *is* that baseline,
        refitted as it refits itself (``linear_floor_``): its forecasts are the
        baseline's to the last digit, so a default never does worse than the
        linear model printed beside it on its own validation windows. Without
        validation windows the baseline is kept too. False keeps the network
        whatever it scores.
    max_time : float or None, default=None
        Seconds the training may take: once they are spent, training stops
        (within the current batch) and the model is its best epoch so far (as
        early stopping would restore it), the linear floor then applying as
        usual; ``max_time_reached_`` says whether it happened, and a verbose
        fit prints it. The ridge start, validation and the floor's fit are not
        counted. None: no limit.
    patience : int, "auto" or None, default="auto"
        Epochs without improvement of the validation loss before training stops; the
        best weights are restored. None disables early stopping. ``"auto"``: by the size
        of the training data (see Notes).
    ema_halflife : float, "auto" or None, default="auto"
        Half-life, in epochs, of an exponential moving average of the weights
        (:class:`torch.optim.swa_utils.AveragedModel`, started after the first epoch):
        validation, early stopping and the fitted model use the averaged weights, which
        are less noisy than the last step's (a smooth validation curve, so a short
        patience suffices). None: no averaging. ``"auto"``: by the size of the training
        data (see Notes).
    gradient_clip : float or None, default=1.0
        Clip the gradient norm to this value; None disables clipping.
    lr_schedule : {"cosine", "constant", "auto"}, default="auto"
        Learning-rate schedule over ``max_epochs``. ``"auto"``: by the size of the
        training data (see Notes).
    device : str, default="cpu"
        ``"cpu"``, ``"cuda"`` (or ``"cuda:N"``), or ``"auto"`` (a GPU when there is
        one). A model fitted on CUDA unpickles on a machine without one and then
        predicts on the CPU.
    amp : bool or "auto", default="auto"
        Automatic mixed precision: run the network under :func:`torch.autocast`,
        in float16 with gradient scaling on CUDA (faster, less memory on GPUs
        with tensor cores) and in bfloat16 on a CPU (about twice as fast on
        processors that compute bfloat16 natively, such as those with AVX-512
        BF16 or AMX; emulated, and slower, elsewhere). The loss, the optimizer
        and the predictions stay float32 (returned as float64). ``"auto"``:
        by the size of the training data (see Notes), and only on a CPU that
        computes bfloat16 natively (``resolved_params_["amp"]`` says what was
        used), so that the same code trains in float32 elsewhere.
    n_jobs : int or None, default=None
        Torch threads while fitting and predicting; None leaves torch's setting.
        Set it when several models train in parallel, so they do not fight over
        cores.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling and dropout; an int gives identical
        predictions on every CPU fit.
    verbose : int, default=0
        0 is silent; 1 prints skorch's epoch table (with a column ``left``: the
        time the remaining epochs may take) and a progress bar per epoch.
    warm_start : bool, default=False
        When True, a second ``fit`` on data of the same shape continues training
        the fitted network for ``max_epochs`` more epochs instead of starting over,
        with the ``lr`` and ``patience`` set then (a cosine schedule anneals
        anew); the architecture must stay as it was.

    Attributes
    ----------
    net_ : skorch.NeuralNetRegressor
        The trained skorch net (a ``NeuralNetRegressor`` subclass that adds
        ``amp``); ``net_.module_`` is the
        :class:`~sktime_patches.nn.PatchLSTMNet`.
    history_ : skorch.callbacks.History
        Per-epoch ``train_loss`` and ``valid_loss`` (also ``net_.history``).
    n_epochs_ : int
        Epochs trained (all fits together, with ``warm_start``).
    best_epoch_ : int
        The epoch whose weights the model holds (early stopping restores the
        best on the validation windows): 0 means no epoch improved on the
        starting weights, i.e. with ``linear_skip="ridge"`` the model is its
        closed-form ridge start. ``n_epochs_`` without early stopping.
    n_features_in_ : int
        Steps per window seen in ``fit`` (the window length).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame of univariate windows.
    n_channels_in_ : int
        Channels per window.
    lookback_ : int
        Steps the network reads.
    horizon_ : int
        Steps forecast.
    patch_len_ : int
        Steps per patch (``patch_len``, or the default derived from the lookback).
    resolved_params_ : dict
        Every hyper-parameter's value used, by name: the given one, or, for
        those left at ``"auto"``, the one chosen by the size of the training
        data (see Notes). A warm start keeps the ``"auto"`` choices of the fit
        it continues.
    device_ : str
        The device used for training.
    skip_alpha_ : float or None
        Ridge penalty chosen for the linear skip (``linear_skip="ridge"`` or
        ``"blend"``); None otherwise.
    blend_weight_ : float or None
        With ``linear_skip="blend"``: the network's weight against the ridge
        (0 is the ridge alone, 1 the network alone); None otherwise.
    quantiles_ : ndarray of float or None
        The quantile levels the head forecasts, sorted (``quantiles`` with 0.5);
        None without ``quantiles``.
    target_channels_, future_channels_ : list of int or None
        The channels forecast and those known in the future (None: every
        channel is a target; none is known in the future).
    channel_groups_ : list of list of int
        The channel groups patched together (resolved from ``channel_groups``).
    seed_ : int
        The seed the fit drew from ``random_state`` (its streams derive from it).
    validation_gap_ : int
        Windows left out before the validation windows.
    linear_floor_ : LastValueRidge or None
        The linear baseline the model is, when the network did not beat it on
        the validation windows (see ``linear_floor``); None when the model is
        the network.
    validation_scores_ : dict or None
        The validation MSE, on values divided by each channel's spread, of the
        trained ``"network"`` and of the ``"linear"`` baseline fitted without
        the validation windows (what ``linear_floor`` compares); None when no
        floor applies or there were no validation windows.
    max_time_reached_ : bool
        Whether training stopped because ``max_time`` was spent.

    See Also
    --------
    SpacetimePatcher : The same patching as a transformer, for classic models.
    make_windows : Cut a series into ``(X, y)`` windows.

    Notes
    -----
    Shapes: ``X`` is ``(n_windows, lookback, n_channels)``, or 2-D ``(n_windows,
    lookback)`` for one channel. ``y`` is ``(n_windows, horizon, n_channels)``, or
    2-D ``(n_windows, horizon * n_channels)`` laid out as
    ``y3d.reshape(n_windows, -1)`` (the form scikit-learn scorers need), or 1-D for
    one step of one channel. ``predict`` returns the form ``fit`` was given, as
    float64; reshape a 2-D forecast back with ``pred.reshape(n, horizon,
    n_channels)``. Windows are expected in time order (oldest first): early
    stopping validates on the last ones.

    Defaults by data size: the hyper-parameters left at ``"auto"`` take the
    values of one of two recipes, by the number of training rows (windows
    times channel groups; ILI's 537 weekly windows of 7 channels are 3,759,
    ETTh1's 8,449 hourly windows of 7 channels 59,143), and
    ``resolved_params_`` shows every value used. Each recipe is the one that
    beat the ridge on the test months of its benchmark
    (``benchmarks/RESULTS.md``); the second costs several times the first's
    training time.

    {recipe_notes}

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_patches import PatchForecaster, make_windows
    >>> t = np.arange(400.0)
    >>> series = np.sin(2 * np.pi * t / 24) + 0.01 * t
    >>> X, y = make_windows(series, lookback=48, horizon=12)
    >>> model = PatchForecaster(patch_len=8, max_epochs=20, random_state=0)
    >>> model.fit(X[:300], y[:300]).predict(X[300:]).shape
    (41, 12, 1)
    >>> bool(model.score(X[300:], y[300:].reshape(41, -1)) > 0.9)
    True
    """

    _parameter_constraints: dict = {
        "lookback": [Interval(Integral, 1, None, closed="left"), None],
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
        **PATCHING_CONSTRAINTS,
        "encoder": [StrOptions({"linear", "mlp", "conv", "transformer"})],
        "d_model": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "pool": [StrOptions({"mean", "max", "attention"})],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
        "hidden_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left"), StrOptions({"auto"})],
        "head": [StrOptions({"flatten", "last", "recurrent", "auto"})],
        "cell": [StrOptions({"lstm", "gru", "auto"})],
        "norm": [StrOptions({"standard", "last", "none"})],
        "affine": ["boolean"],
        "linear_skip": [StrOptions({"ridge", "blend", "learned", "none", "auto"})],
        "correction_scale": [StrOptions({"channel", "window", "auto"})],
        "loss": [StrOptions({*LOSSES, "auto"})],
        "valid_loss": [StrOptions(set(LOSSES)), None],
        "quantiles": ["array-like", None],
        "target_channels": ["array-like", None],
        "future_channels": ["array-like", None],
        "lr": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "windows_per_epoch": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "linear_floor": ["boolean"],
        "max_time": [Interval(Real, 0, None, closed="neither"), None],
        "patience": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
        "ema_halflife": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"auto"}),
            None,
        ],
        "gradient_clip": [Interval(Real, 0, None, closed="neither"), None],
        "lr_schedule": [StrOptions({"cosine", "constant", "auto"})],
        "device": [str],
        "amp": ["boolean", StrOptions({"auto"})],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        lookback: int | None = None,
        horizon: int | None = None,
        patch_len: int | None = None,
        stride: int | None = None,
        channel_groups: int | Sequence[Sequence[int]] | None = None,
        padding: str = "end",
        encoder: str = "linear",
        d_model: int | str = "auto",
        pool: str = "mean",
        pool_size: int = 1,
        hidden_size: int | str = "auto",
        num_layers: int = 1,
        dropout: float | str = "auto",
        head: str = "auto",
        cell: str = "auto",
        norm: str = "last",
        affine: bool = False,
        linear_skip: str = "auto",
        correction_scale: str = "auto",
        loss: str = "auto",
        valid_loss: str | None = None,
        quantiles: Sequence[float] | None = None,
        target_channels: Sequence[int] | None = None,
        future_channels: Sequence[int] | None = None,
        lr: float | str = "auto",
        weight_decay: float = 0.0,
        max_epochs: int = 30,
        windows_per_epoch: int | str | None = "auto",
        batch_size: int | str = "auto",
        validation_fraction: float = 0.1,
        linear_floor: bool = True,
        max_time: float | None = None,
        patience: int | str | None = "auto",
        ema_halflife: float | str | None = "auto",
        gradient_clip: float | None = 1.0,
        lr_schedule: str = "auto",
        device: str = "cpu",
        amp: bool | str = "auto",
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = None,
        verbose: int = 0,
        warm_start: bool = False,
    ) -> None:
        self.lookback = lookback
        self.horizon = horizon
        self.patch_len = patch_len
        self.stride = stride
        self.channel_groups = channel_groups
        self.padding = padding
        self.encoder = encoder
        self.d_model = d_model
        self.pool = pool
        self.pool_size = pool_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.head = head
        self.cell = cell
        self.norm = norm
        self.affine = affine
        self.linear_skip = linear_skip
        self.correction_scale = correction_scale
        self.loss = loss
        self.valid_loss = valid_loss
        self.quantiles = quantiles
        self.target_channels = target_channels
        self.future_channels = future_channels
        self.lr = lr
        self.weight_decay = weight_decay
        self.max_epochs = max_epochs
        self.windows_per_epoch = windows_per_epoch
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.linear_floor = linear_floor
        self.max_time = max_time
        self.patience = patience
        self.ema_halflife = ema_halflife
        self.gradient_clip = gradient_clip
        self.lr_schedule = lr_schedule
        self.device = device
        self.amp = amp
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: Any, y: Any = None, *, X_val: Any = None, y_val: Any = None
    ) -> PatchForecaster:
        """Train the network on windows ``X`` and the values ``y`` that follow them.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels), or SeriesWindows
            Input windows, in time order; or a
            :class:`~sktime_patches.SeriesWindows`, whose windows are cut
            on demand from one or many series and carry their targets (then
            ``y`` is None, and early stopping validates on the latest
            ``validation_fraction`` of each series' windows).
        y : array-like of shape (n_windows,), (n_windows, horizon * n_channels) \
or (n_windows, horizon, n_channels), or None
            The ``horizon`` values after each window; None when ``X`` is a
            ``SeriesWindows``.
        X_val, y_val : array-like, default=None
            Explicit validation windows for early stopping (same forms as ``X``
            and ``y``; a ``SeriesWindows`` with ``y_val=None``), instead of the
            latest ``validation_fraction`` of ``X``.

        Returns
        -------
        self : PatchForecaster
            The fitted forecaster.
        """
        params = self.get_params()
        first_pass = not (params["warm_start"] and hasattr(self, "net_"))
        plan = self._validate_input(params, X, y, X_val, y_val, first_pass)
        used = self._resolve_params(params, plan, first_pass)
        if used["verbose"]:
            print(recipe_plan(params, used, plan.n_rows, len(plan.data)), flush=True)
        seed = int(
            check_random_state(used["random_state"]).randint(np.iinfo(np.int32).max)
        )
        with torch_threads(used["n_jobs"]):
            if first_pass:
                net = build_net(used, self._net_spec(plan, used, seed), plan.valid)
            else:
                net = self.net_
                net.amp = used["amp"]
                net.set_params(**_continued(net, used))
            X_fit, y_fit = plan.data.fit_data(plan.lookback + plan.known)
            train_net(net, X_fit, y_fit, used, seed, keep_on_failure=not first_pass)
        self._set_fitted(net, plan, seed)
        self._choose_floor(plan, used)
        return self

    def _choose_floor(self, plan: FitPlan, params: dict[str, Any]) -> None:
        """``linear_floor_``: the baseline, unless the trained network beats
        it on the validation windows (see ``linear_floor``)."""
        self.linear_floor_, self.validation_scores_ = None, None
        if not floor_applies(params, plan.targets, plan.future, plan.levels):
            return
        with torch_threads(params["n_jobs"]):
            choice = choose_floor(
                plan.data,
                plan.lookback,
                params["validation_fraction"],
                plan.explicit,
                lambda X: self._forecast(X)[0],
            )
        self.linear_floor_ = choice.floor
        if choice.network_mse is not None:
            self.validation_scores_ = {
                "network": choice.network_mse,
                "linear": choice.linear_mse,
            }
        if params["verbose"]:
            print(choice.message())

    def _validate_input(
        self,
        params: dict[str, Any],
        X: Any,
        y: Any,
        X_val: Any,
        y_val: Any,
        first_pass: bool,
    ) -> FitPlan:
        """Check ``fit``'s input against the parameters (and, on a warm start,
        the fitted network) and decide everything the data decides. Sets the
        input attributes (``n_features_in_``, ...) on a first pass only."""
        levels = None
        if params["quantiles"] is not None:
            levels = np.union1d(check_levels(params["quantiles"], "quantiles"), [0.5])
        if not first_pass:
            self._check_warm_start(X, levels)
        n_targets = None
        if params["target_channels"] is not None:
            n_targets = len(np.asarray(params["target_channels"]).reshape(-1))
        data = training_input(
            self,
            X,
            y,
            horizon=params["horizon"],
            reset=first_pass,
            n_targets=n_targets,
            future_rows=params["future_channels"] is not None,
        )
        targets = check_channel_list(
            params["target_channels"], "target_channels", data.n_channels
        )
        future = check_channel_list(
            params["future_channels"], "future_channels", data.n_channels
        )
        known = data.horizon if future is not None else 0  # rows after the history
        lookback = check_lookback(params["lookback"], data.window - known, known)
        if not first_pass and (lookback, data.horizon) != (
            self.lookback_,
            self.horizon_,
        ):
            raise ValueError(self._warm_start_message(lookback, data.horizon))
        patch_len = params["patch_len"]
        if patch_len is None:
            patch_len = default_patch_len(lookback)
        check_patch_fits(patch_len, lookback, params["stride"], params["padding"])
        mixed = targets is not None or future is not None
        if mixed and params["channel_groups"] is not None:
            raise ValueError(
                "target_channels and future_channels patch every channel in one "
                "group, the targets with their covariates; got channel_groups="
                f"{params['channel_groups']!r}. Pass channel_groups=None."
            )
        groups = check_channel_groups(  # with covariates: one group of all
            data.n_channels if mixed else params["channel_groups"],
            data.n_channels,
            data.columns,
        )
        device = resolve_device(params["device"])
        valid = None
        if X_val is not None or y_val is not None:
            valid = validation_input(
                self, X_val, y_val, data, lookback + known, n_targets
            )
        return FitPlan(
            data=data,
            valid=valid,
            lookback=lookback,
            known=known,
            patch_len=patch_len,
            groups=groups,
            targets=targets,
            future=future,
            levels=levels,
            device=device,
            explicit=(X_val, y_val) if valid is not None else (None, None),
        )

    def _resolve_params(
        self, params: dict[str, Any], plan: FitPlan, first_pass: bool
    ) -> dict[str, Any]:
        """``resolved_params_``: every hyper-parameter's value, the ``"auto"``
        ones by the training data's size (a warm start keeps those of the
        network it continues, for those still ``"auto"``)."""
        if first_pass:
            self.resolved_params_ = resolve_params(
                params, plan.n_rows, native_bfloat16(plan.device)
            )
        else:
            kept = {
                name: self.resolved_params_[name]
                for name in AUTO_PARAMS
                if isinstance(params[name], str) and params[name] == "auto"
            }
            self.resolved_params_ = {**params, **kept}
        return self.resolved_params_

    @staticmethod
    def _net_spec(plan: FitPlan, params: dict[str, Any], seed: int) -> NetSpec:
        """What the net is built from besides the hyper-parameters."""
        data = plan.data
        n_valid = data.n_valid(params["validation_fraction"])
        return NetSpec(
            lookback=plan.lookback,
            horizon=data.horizon,
            n_channels=data.n_channels,
            patch_len=plan.patch_len,
            groups=plan.groups,
            scale=channel_scale(data),
            levels=plan.levels,
            targets=plan.targets,
            future=plan.future,
            has_valid=plan.valid is not None or n_valid > 0,
            gap=data.gap,
            device=plan.device,
            seed=seed,
        )

    def _set_fitted(self, net: PatchNet, plan: FitPlan, seed: int) -> None:
        """The fitted attributes, from the trained net and the plan."""
        callbacks = dict(net.callbacks_)
        ridge, blend = callbacks.get("ridge_start"), callbacks.get("blend")
        stopper = callbacks.get("early_stopping")
        budget = callbacks.get("time_budget")
        self.max_time_reached_ = budget is not None and budget.reached_
        self.skip_alpha_ = None if ridge is None else ridge.alpha_
        self.blend_weight_ = None if blend is None else blend.weight_
        self.net_ = net
        self.history_ = net.history
        self.n_epochs_ = len(net.history)
        self.best_epoch_ = (
            self.n_epochs_ if stopper is None else int(stopper.best_epoch_)
        )
        self.y_ndim_ = plan.data.y_ndim
        self.lookback_ = plan.lookback
        self.horizon_ = plan.data.horizon
        self.patch_len_ = plan.patch_len
        self.device_ = plan.device
        self.quantiles_ = plan.levels
        self.target_channels_ = plan.targets
        self.future_channels_ = plan.future
        self.channel_groups_ = plan.groups
        self.seed_ = seed
        self.validation_gap_ = plan.data.gap

    # ------------------------------------------------------------- save/load
    def __save_state__(self, writer: Writer, where: str) -> dict[str, Any]:
        """The fitted attributes, and the net as its weights and history (the
        net itself is built again on load)."""
        fitted = fitted_attributes(self)
        if not fitted:
            return {}
        net = fitted.pop("net_")
        fitted.pop("history_", None)
        return {
            "weights": {
                k: writer.tensor(v) for k, v in net.module_.state_dict().items()
            },
            "history": writer.value(list(net.history), f"{where}.history_"),
            "fitted": writer.values(fitted, where),
        }

    def __load_state__(self, state: dict[str, Any], reader: Reader) -> None:
        """Set the fitted attributes, and build the net again from them with
        the saved weights and history."""
        super().__load_state__(state, reader)
        if "fitted" in state:
            weights = {k: reader.value(v) for k, v in state["weights"].items()}
            self._restore_net(weights, reader.value(state["history"]), reader)

    def _restore_net(
        self, weights: dict[str, torch.Tensor], history: list, reader: Reader
    ) -> None:
        """Build the fitted net again from the parameters and fitted
        attributes, with these weights and this training history."""
        from skorch.history import History

        # saved before "auto" existed, or when resolved_params_ held the
        # "auto" ones only: the others are the parameters
        saved = getattr(self, "resolved_params_", {})
        self.resolved_params_ = {**resolve_params(self.get_params(), 0), **saved}
        # a model trained on a GPU predicts on the CPU where there is none
        device = self.device_
        if device.startswith("cuda") and not torch.cuda.is_available():
            device = "cpu"
        spec = NetSpec(
            lookback=self.lookback_,
            horizon=self.horizon_,
            n_channels=self.n_channels_in_,
            patch_len=self.patch_len_,
            groups=self.channel_groups_,
            scale=weights["norm.channel_scale"].reshape(-1).tolist(),
            levels=self.quantiles_,
            targets=self.target_channels_,
            future=self.future_channels_,
            has_valid=any("valid_loss" in row for row in history),
            gap=self.validation_gap_,
            device=device,
            seed=self.seed_,
        )
        problem = saved_weights_problem(self.resolved_params_, spec, weights)
        if problem is not None:  # checked before the net is allocated
            raise reader.refuse(problem)
        with torch_threads(self.resolved_params_["n_jobs"]):
            net = build_net(self.resolved_params_, spec)
        net.module_.load_state_dict(weights)
        for group in net.optimizer_.param_groups:  # a learning-rate schedule
            group.setdefault("initial_lr", group["lr"])  # resumes from here
        net.history = History(history)
        ridge = dict(net.callbacks_).get("ridge_start")
        if ridge is not None and self.skip_alpha_ is not None:
            ridge.alpha_ = self.skip_alpha_  # kept: a warm start continues from it
            if ridge.freeze:
                net.module_.skip.requires_grad_(False)
        self.net_ = net
        self.history_ = net.history
        self.device_ = device

    def _check_warm_start(self, X: Any, levels: np.ndarray | None) -> None:
        """Refuse, before anything is changed, a warm start on windows of
        another shape than the fitted network's, or for other quantiles."""
        fitted = getattr(self, "quantiles_", None)
        if (levels is None) != (fitted is None) or (
            levels is not None and not np.array_equal(levels, fitted)
        ):
            raise ValueError(
                "warm_start=True continues training the fitted network, whose "
                f"head forecasts the quantiles {_listed(fitted)}; got quantiles "
                f"{_listed(levels)}. The fitted model is unchanged. Pass the same "
                "quantiles, or warm_start=False to train a new network."
            )
        shape = window_shape(X)
        if shape is not None and shape != (self.n_features_in_, self.n_channels_in_):
            raise ValueError(self._warm_start_message(shape[0], None, shape[1]))
        params, built = self.get_params(), self.resolved_params_
        changed = [
            name
            for name in (*NETWORK_PARAMS, *_BUILT_FROM)
            if name in built
            and not (params[name] == "auto" and name in AUTO_PARAMS)
            and not _same(params[name], built[name])
            # the patch length None chose, now given
            and not (name == "patch_len" and params[name] == self.patch_len_)
        ]
        if changed:
            was = ", ".join(f"{n}={built[n]!r}" for n in changed)
            got = ", ".join(f"{n}={params[n]!r}" for n in changed)
            raise ValueError(
                "warm_start=True continues training the fitted network, which was "
                f"built with {was}; got {got}. The fitted model is unchanged. Pass "
                "the same values (or 'auto' where the parameter takes it), or "
                "warm_start=False to train a new network."
            )

    def _warm_start_message(
        self, steps: int, horizon: int | None, n_channels: int | None = None
    ) -> str:
        n_channels = self.n_channels_in_ if n_channels is None else n_channels
        got = f"{steps} steps, " + ("" if horizon is None else f"{horizon} horizon, ")
        return (
            "warm_start=True continues training the fitted network, which needs "
            f"windows of the same shape as before ({self.lookback_} steps, "
            f"{self.horizon_} horizon, {self.n_channels_in_} channels); got "
            f"{got}{n_channels} channels. The fitted model is unchanged. Pass "
            "warm_start=False to train a new network."
        )

    # -------------------------------------------------------------- predict
    def predict(self, X: Any) -> np.ndarray:
        """Forecast the ``horizon`` steps after each window.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels), or SeriesWindows
            Windows shaped like those seen in ``fit``, or a
            :class:`~sktime_patches.SeriesWindows` with the same channels
            and at least the lookback the network reads.

        Returns
        -------
        y_pred : ndarray of float64
            In the form ``fit`` got ``y``: ``(n_windows,)``, ``(n_windows,
            horizon * n_channels)`` or ``(n_windows, horizon, n_channels)``;
            always ``(n_windows, horizon, n_channels)`` for a SeriesWindows.
        """
        pred, y_ndim = self._forecast(X)
        if self.quantiles_ is not None:
            pred = pred[..., median_index(self.quantiles_)]
        return y_in_form(pred, y_ndim)

    def predict_quantiles(self, X: Any, quantiles: Any = None) -> np.ndarray:
        """Forecast quantiles of the ``horizon`` steps after each window.

        Needs a model fitted with ``quantiles``.

        Parameters
        ----------
        X : array-like or SeriesWindows
            Windows, as for :meth:`predict`.
        quantiles : array-like of float or None, default=None
            Levels to return, each among ``quantiles_``; None returns them all.

        Returns
        -------
        y_quantiles : ndarray of float64
            The forecast of :meth:`predict` with a last axis of one value per
            level, in the order asked: ``(n_windows, n_quantiles)``,
            ``(n_windows, horizon * n_channels, n_quantiles)`` or
            ``(n_windows, horizon, n_channels, n_quantiles)``.

        Examples
        --------
        >>> import numpy as np
        >>> from sktime_patches import PatchForecaster, make_windows
        >>> rng = np.random.default_rng(0)
        >>> t = np.arange(600.0)
        >>> series = np.sin(2 * np.pi * t / 24) + 0.3 * rng.standard_normal(600)
        >>> X, y = make_windows(series, lookback=48, horizon=12)
        >>> model = PatchForecaster(quantiles=(0.1, 0.9), random_state=0)
        >>> model.fit(X[:500], y[:500]).quantiles_.tolist()
        [0.1, 0.5, 0.9]
        >>> q = model.predict_quantiles(X[500:])
        >>> q.shape  # (n_windows, horizon, n_channels, n_quantiles)
        (41, 12, 1, 3)
        >>> bool(np.all(np.diff(q, axis=-1) >= 0))  # levels never cross
        True
        """
        levels = self._fitted_levels()
        pick = np.arange(len(levels))
        if quantiles is not None:
            check_levels(quantiles, "quantiles")
            where = "the model was fitted with (quantiles_)"
            pick = match_levels(quantiles, levels, "quantiles", where)
        pred, y_ndim = self._forecast(X)
        return y_in_form(pred[..., pick], y_ndim, extra=1)

    def predict_interval(self, X: Any, coverage: Any = 0.9) -> np.ndarray:
        """Central prediction intervals from the quantile head.

        The interval of coverage ``c`` runs from the ``(1 - c) / 2`` to the
        ``(1 + c) / 2`` quantile, both of which must be in ``quantiles_``
        (``quantiles=(0.05, 0.95)`` gives 90% intervals). These are the
        network's own quantiles, uncalibrated; wrap the model in
        :class:`~sktime_patches.conformal.ConformalForecaster` for intervals
        with a coverage guarantee.

        Parameters
        ----------
        X : array-like or SeriesWindows
            Windows, as for :meth:`predict`.
        coverage : float or array-like of float, default=0.9
            Coverage(s) in (0, 1).

        Returns
        -------
        intervals : ndarray of float64
            The shape of :meth:`predict`'s forecast plus ``(2,)`` (lower,
            upper) for one coverage, or plus ``(n_coverages, 2)`` for several.
        """
        levels = self._fitted_levels()
        cover, scalar = check_coverage(coverage)
        fix = (
            "refit with quantiles that include both, or wrap the model in "
            "sktime_patches.conformal.ConformalForecaster."
        )
        pick_low, pick_high = np.array(
            [bound_positions(c, levels, fix) for c in cover]
        ).T
        pred, y_ndim = self._forecast(X)
        bounds = np.stack([pred[..., pick_low], pred[..., pick_high]], axis=-1)
        bounds = y_in_form(bounds, y_ndim, extra=2)
        return bounds[..., 0, :] if scalar else bounds

    def _fitted_levels(self) -> np.ndarray:
        check_is_fitted(self)
        if self.quantiles_ is None:
            raise ValueError(
                f"{type(self).__name__} was fitted without quantiles, so it "
                "forecasts no quantiles; refit with e.g. quantiles=(0.05, 0.95), "
                "or wrap it in sktime_patches.conformal.ConformalForecaster for "
                "intervals around its point forecast."
            )
        return self.quantiles_

    def _forecast(self, X: Any) -> tuple[np.ndarray, int]:
        """The model's output ``(n, horizon, n_channels[, n_quantiles])`` (the
        network's, or its linear floor's) and the number of axes of the ``y``
        seen in ``fit``."""
        check_is_fitted(self)
        floor = getattr(self, "linear_floor_", None)
        if floor is not None:
            X_pred, y_ndim = prediction_input(self, X, self.lookback_, np.float64)
            pred = np.asarray(floor.predict(X_pred), dtype=np.float64)
            return pred.reshape(len(pred), self.horizon_, -1), y_ndim
        known = self.horizon_ if self.future_channels_ is not None else 0
        X_pred, y_ndim = prediction_input(self, X, self.lookback_ + known)
        with torch_threads(self.n_jobs):
            pred = self.net_.predict(X_pred).astype(np.float64)
        if self.quantiles_ is not None and pred.ndim == 3:  # quantiles=(0.5,)
            pred = pred[..., None]  # the network drops an axis of one level
        return pred, y_ndim

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """R² of the forecast over all the values of the windows given.

        Every value forecast (each window, horizon step and channel) counts as
        one observation: ``1 - sum((y - y_pred)**2) / sum((y - mean(y))**2)``,
        the mean taken over all of them. Unlike scikit-learn's default for
        multi-output regressors (an R² per output column, averaged), this is
        defined for a single window, so a time-ordered cross-validation with
        one test window per fold (:class:`~sktime_patches.backtesting.BacktestSplit`
        in ``GridSearchCV``) gets finite scores. Channels on larger scales weigh
        more; scale the data, or pass ``scoring=`` for another metric.

        Parameters
        ----------
        X : array-like of shape (n_windows, lookback) or (n_windows, lookback, \
n_channels), or SeriesWindows
            Windows.
        y : array-like of shape (n_windows,), (n_windows, horizon * n_channels) \
or (n_windows, horizon, n_channels), or None
            True future values, in any form ``fit`` accepts; None for a
            SeriesWindows ``X`` (its windows' targets).
        sample_weight : array-like of shape (n_windows,), default=None
            Weights of the windows.

        Returns
        -------
        score : float
            R² (1.0 is a perfect forecast; 0.0 is as good as forecasting the
            mean of ``y``).
        """
        from sklearn.metrics import r2_score

        y_pred = self.predict(X)
        y = np.asarray(targets_of(X, y), dtype=np.float64).reshape(len(y_pred), -1)
        weights = None
        if sample_weight is not None:  # a window's weight on each of its values
            weights = np.repeat(np.asarray(sample_weight, dtype=np.float64), y.shape[1])
        return float(r2_score(y.ravel(), y_pred.ravel(), sample_weight=weights))

    def __forecaster_tags__(self) -> ForecasterTags:
        """Trains on a SeriesWindows; a series wrapper may say which channels
        are targets and which covariates are known over the horizon; gives
        intervals when fitted with quantiles; holds out its latest
        ``validation_fraction`` of windows to stop early."""
        return ForecasterTags(
            series_windows=True,
            settings={
                "target_channels": "target_channels",
                "future_channels": "future_channels",
            },
            intervals=self.quantiles is not None,
            holds_out="validation_fraction",
        )

    def __sklearn_tags__(self):
        tags = window_regressor_tags(super().__sklearn_tags__())
        tags.non_deterministic = False
        return tags


#: Parameters besides ``NETWORK_PARAMS`` that shape the fitted network: a warm
#: start refuses a change to any of them, as to the quantiles.
_BUILT_FROM = ("patch_len", "channel_groups", "linear_skip", "loss")


def _same(a: Any, b: Any) -> bool:
    """Whether two parameter values are equal (lists, tuples and arrays by
    their items)."""
    if isinstance(a, (list, tuple, np.ndarray)) or isinstance(
        b, (list, tuple, np.ndarray)
    ):
        try:
            return np.array_equal(
                np.asarray(a, dtype=object), np.asarray(b, dtype=object)
            )
        except ValueError:  # ragged
            return [list(x) for x in a] == [list(x) for x in b]
    return bool(a == b)


def _continued(net: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The settings a warm start takes from the parameters as they are now:
    the epochs to train, the learning rate (the optimizer's too), early
    stopping's patience, and a schedule started anew over the new epochs."""
    updates: dict[str, Any] = {"max_epochs": params["max_epochs"], "lr": params["lr"]}
    callbacks = dict(net.callbacks_)
    if "lr_schedule" in callbacks:  # anew over the epochs of this fit
        updates["callbacks__lr_schedule__T_max"] = params["max_epochs"]
    if "early_stopping" in callbacks and params["patience"] is not None:
        updates["callbacks__early_stopping__patience"] = params["patience"]
    return updates
