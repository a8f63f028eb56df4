"""The patch forecaster as an sktime forecaster (the ``sktime`` extra)."""

from __future__ import annotations

import contextvars
import warnings
from typing import Any

import numpy as np
import pandas as pd

try:
    from sktime.forecasting.base import BaseForecaster, ForecastingHorizon
except ModuleNotFoundError as error:  # pragma: no cover - the extra is missing
    raise ModuleNotFoundError(
        "sktime_patches.sktime needs sktime; install the extra with "
        'pip install "sktime_patches[sktime]".'
    ) from error

from .conformal import ConformalForecaster
from .forecaster import PatchForecaster
from .persistence import Reader, SaveMixin, Writer
from .series import SeriesForecaster

__all__ = ["PatchLSTMForecaster"]

#: Fitted series forecasters being loaded (``__load_state__``), by the id of
#: the sktime forecaster they belong to: its ``fit`` (which sktime calls to
#: rebuild its bookkeeping, after resetting every fitted attribute) takes the
#: saved model instead of training one.
_SAVED: dict[int, SeriesForecaster] = {}

#: The reader of the file being loaded, while sktime's ``fit`` rebuilds the
#: bookkeeping of a loaded forecaster: a ``_fit`` without its saved model then
#: (sktime splitting the saved data among clones) refuses, never trains.
_LOADING: contextvars.ContextVar[Reader | None] = contextvars.ContextVar(
    "sktime_patches_loading", default=None
)

#: The sktime layouts a saved forecaster's history may come in (others would
#: make sktime's ``fit`` split it among clones, each of which would train).
_SAVED_MTYPES = ("pd.Series", "pd.DataFrame", "pd-multiindex")


class PatchLSTMForecaster(SaveMixin, BaseForecaster, saved_as="PatchLSTMForecaster"):
    """Spacetime patches, a recurrent network and a one-shot head, for sktime.

    An sktime adapter around :class:`~sktime_patches.series.SeriesForecaster`
    and :class:`~sktime_patches.PatchForecaster`: the window model sees the
    last ``lookback`` steps and forecasts every step up to the largest of
    ``fh`` at once, so ``fh`` must be known in ``fit`` (relative or absolute,
    contiguous or not; out-of-sample steps only). Exogenous ``X`` is read as
    known-future covariates (sktime passes ``X`` over the forecast horizon to
    ``predict``); panels (``pd-multiindex``: one global model on every series)
    and missing values (windows touching one are skipped in training; a gap in
    the last window is carried forward) are handled as the package handles
    them. Prediction intervals and quantiles are split-conformal
    (:class:`~sktime_patches.conformal.ConformalForecaster`): calibrated on
    the latest training windows, then the network is refitted on all of them.

    Parameters
    ----------
    lookback : int or "auto", default="auto"
        Steps of history each forecast reads; ``"auto"`` picks it by the
        closed-form ridge's validation error.
    patch_len : int or None, default=None
        Steps per patch; None derives it from the lookback.
    head : {"flatten", "last", "recurrent", "auto"}, default="auto"
        The forecast head (see :class:`~sktime_patches.PatchForecaster`;
        ``"auto"``: by the size of the training data, as there).
    d_model, hidden_size : int or "auto", default="auto"
        Token and recurrent state sizes (``"auto"``: as ``head``).
    max_epochs : int, default=30
        Most training epochs (early stopping usually ends sooner).
    intervals : {"conformal"} or None, default="conformal"
        How ``predict_interval`` and ``predict_quantiles`` are made; None
        trains once and offers point forecasts only.
    random_state : int or None, default=None
        Seed of the network's training.

    Attributes
    ----------
    forecaster_ : SeriesForecaster
        The fitted series forecaster (its ``estimator_`` the window model).

    Examples
    --------
    >>> from sktime.datasets import load_airline
    >>> from sktime.forecasting.model_evaluation import evaluate
    >>> from sktime.split import ExpandingWindowSplitter
    >>> from sktime_patches.sktime import PatchLSTMForecaster
    >>> y = load_airline()
    >>> forecaster = PatchLSTMForecaster(lookback=24, max_epochs=2, random_state=0)
    >>> cv = ExpandingWindowSplitter(initial_window=96, step_length=24, fh=[1, 2, 3])
    >>> results = evaluate(forecaster=forecaster, y=y, cv=cv)
    >>> len(results), "test_MeanAbsolutePercentageError" in results
    (2, True)
    """

    _tags = {
        "authors": ["sktime_patches developers"],
        "maintainers": ["sktime_patches developers"],
        "python_dependencies": ["torch", "skorch"],
        "y_inner_mtype": ["pd.DataFrame", "pd-multiindex"],
        "X_inner_mtype": ["pd.DataFrame", "pd-multiindex"],
        "capability:multivariate": True,
        "capability:exogenous": True,
        "capability:insample": False,
        "capability:pred_int": True,
        "capability:pred_int:insample": False,
        "capability:missing_values": True,
        "capability:random_state": True,
        "requires-fh-in-fit": True,
        "X-y-must-have-same-index": True,
        "capability:categorical_in_X": False,
    }

    def __init__(
        self,
        lookback: int | str = "auto",
        patch_len: int | None = None,
        head: str = "auto",
        d_model: int | str = "auto",
        hidden_size: int | str = "auto",
        max_epochs: int = 30,
        intervals: str | None = "conformal",
        random_state: int | None = None,
    ) -> None:
        self.lookback = lookback
        self.patch_len = patch_len
        self.head = head
        self.d_model = d_model
        self.hidden_size = hidden_size
        self.max_epochs = max_epochs
        self.intervals = intervals
        self.random_state = random_state
        super().__init__()
        if intervals is None:
            self.set_tags(**{"capability:pred_int": False})

    # ---------------------------------------------------------------- fit
    def _fit(
        self, y: pd.DataFrame, X: pd.DataFrame | None, fh: Any
    ) -> PatchLSTMForecaster:
        saved = _SAVED.pop(id(self), None)  # sktime_patches.load
        loading = _LOADING.get()
        if saved is None and loading is not None:
            raise loading.refuse(
                "its sktime forecaster's history does not restore in one piece "
                "(sktime would train a network to load it)"
            )
        self._time_step = _time_step(y)
        steps = self._steps(fh)
        network = PatchForecaster(
            patch_len=self.patch_len,
            head=self.head,
            d_model=self.d_model,
            hidden_size=self.hidden_size,
            max_epochs=self.max_epochs,
            random_state=self.random_state,
        )
        estimator: Any = network
        if self.intervals == "conformal":
            estimator = ConformalForecaster(network, refit=True, small_data="insample")
        if saved is not None:
            self.forecaster_ = saved
            self._fitted_cutoff = self.cutoff
            return self
        self.forecaster_ = SeriesForecaster(
            estimator,
            lookback=self.lookback,
            horizon=int(max(steps)),
            future_covariates=None if X is None else list(X.columns),
            fill="ffill",
        )
        self.forecaster_.fit(y, X=X)
        self._fitted_cutoff = self.cutoff
        return self

    def _update(
        self, y: pd.DataFrame, X: pd.DataFrame | None = None, update_params: bool = True
    ) -> PatchLSTMForecaster:
        """New observations: refit on all of them (``update_params=True``), or
        forecast from the new cutoff with the fitted network."""
        if update_params:
            self._fit(self._y, self._X, self.fh)
        return self

    def save(self, path: Any = None, serialization_format: str = "pickle") -> Any:
        """Save the forecaster.

        Parameters
        ----------
        path : str, Path or None, default=None
            With a path ending in ``.skp``, the package's own format
            (:func:`sktime_patches.persistence.save`: no pickle; load it with
            :func:`sktime_patches.load`); otherwise sktime's ``save`` (pickle
            or cloudpickle, to a zip file, or in memory for None).
        serialization_format : str, default="pickle"
            The format of sktime's ``save``, when it saves.

        Returns
        -------
        saved : Path, ZipFile or bytes
            What the format chosen returns.
        """
        if path is not None and str(path).endswith(".skp"):
            return SaveMixin.save(self, path)
        return BaseForecaster.save(
            self, path, serialization_format=serialization_format
        )

    def __save_state__(self, writer: Writer, where: str) -> dict[str, Any]:
        """The fitted series forecaster, and the data sktime's bookkeeping is
        rebuilt from on load."""
        if not self.is_fitted:
            return {}
        steps = [int(s) for s in self.fh.to_relative(self.cutoff)]
        return {
            "sktime": {
                "forecaster_": writer.estimator(
                    self.forecaster_, f"{where}.forecaster_"
                ),
                "y": writer.value(self._y, f"{where}._y"),
                "X": writer.value(self._X, f"{where}._X"),
                "fh": steps,
                "y_mtype": self._y_mtype_last_seen,
            }
        }

    def __load_state__(self, state: dict[str, Any], reader: Reader) -> None:
        """Fit by sktime's own ``fit`` for its bookkeeping (cutoff, fh, the
        data's layout), with the saved network in place of training: the
        saved data is checked first, and a ``fit`` that would train refuses."""
        if "sktime" not in state:
            return
        state = state["sktime"]
        if not isinstance(state, dict) or not {"forecaster_", "y", "fh"} <= set(state):
            raise reader.refuse(
                "the sktime forecaster's state lacks its model, history or fh"
            )
        model = reader.estimator(state["forecaster_"])
        if getattr(model, "saved_as", None) != "SeriesForecaster" or not hasattr(
            model, "estimator_"
        ):
            raise reader.refuse(
                f"the sktime forecaster holds a {type(model).__name__}, not a "
                "fitted SeriesForecaster"
            )
        y, X = reader.value(state["y"]), reader.value(state.get("X"))
        mtype = state.get("y_mtype")
        fh = state["fh"]
        if (
            mtype not in _SAVED_MTYPES
            or not isinstance(y, pd.DataFrame)
            or (isinstance(y.index, pd.MultiIndex) and y.index.nlevels != 2)
            or not (X is None or isinstance(X, pd.DataFrame))
        ):
            raise reader.refuse(
                f"the sktime forecaster's history is a {type(y).__name__} of "
                f"layout {mtype!r}; files hold one of {list(_SAVED_MTYPES)}"
            )
        if (
            not isinstance(fh, list)
            or not fh
            or any(isinstance(s, bool) or not isinstance(s, int) for s in fh)
            or not 1 <= min(fh) <= max(fh) <= model.horizon
        ):
            raise reader.refuse(
                f"the sktime forecaster's fh is {fh!r}; it must be steps from 1 "
                f"to the model's horizon, {model.horizon}"
            )
        if mtype == "pd.Series":  # answers come in the form fit got
            y = y.iloc[:, 0]
        _SAVED[id(self)] = model
        token = _LOADING.set(reader)
        try:
            self.fit(y, X=X, fh=fh)
        finally:
            _LOADING.reset(token)
            _SAVED.pop(id(self), None)

    # ------------------------------------------------------------ predict
    def _steps(self, fh: Any) -> np.ndarray:
        """The steps after the cutoff that ``fh`` asks for (1 is the next
        time stamp of the series), each on the series' grid."""
        steps = np.asarray(fh.to_relative(self.cutoff), dtype=np.int64).reshape(-1)
        if steps.min() < 1:
            raise ValueError(
                f"fh holds in-sample steps {steps[steps < 1].tolist()}; "
                "PatchLSTMForecaster forecasts after the cutoff only (steps of 1 "
                "or more)."
            )
        step = getattr(self, "_time_step", None)
        if step is None:  # a series too short to tell its frequency
            return steps
        cutoff = self.cutoff[0] if isinstance(self.cutoff, pd.Index) else self.cutoff
        grid = _grid(cutoff, step, int(steps.max()))
        wanted = fh.to_absolute_index(self.cutoff)
        at = grid.get_indexer(wanted)
        if (at < 0).any():
            off = [str(t) for t in wanted[at < 0][:3]]
            near = _grid(cutoff, step, 3)
            relative = ForecastingHorizon(near, is_relative=False).to_relative(
                self.cutoff
            )
            raise ValueError(
                f"fh holds {', '.join(off)}, off the grid of the series (its time "
                f"stamps after the cutoff {cutoff} are {', '.join(map(str, near))}"
                f", ...: a step of {_step_text(step)}); pass fh on that grid, e.g. "
                f"fh={[int(r) for r in relative]} for the next three."
            )
        return at + 1

    def _call(self, method: str, fh: Any, X: Any, **kwargs: Any) -> pd.DataFrame:
        """Run a SeriesForecaster prediction for ``fh``, from the fitted
        history or, after an update, from all the data seen."""
        steps = self._steps(fh)
        if int(max(steps)) > self.forecaster_.horizon:
            raise ValueError(
                f"fh reaches step {int(max(steps))}, beyond the horizon of "
                f"{self.forecaster_.horizon} steps the model was fitted for; "
                "refit with that fh."
            )
        df = None
        if self.cutoff != self._fitted_cutoff:  # updated without refitting
            df = self._y
        covariates = None if X is None else self._every_step(X, fh)
        out = getattr(self.forecaster_, method)(df, X=covariates, **kwargs)
        return self._at_steps(out, steps)

    def _every_step(self, X: pd.DataFrame, fh: Any) -> pd.DataFrame:
        """Covariates at every step up to the fitted horizon: sktime passes
        ``X`` at the steps of ``fh``, where it must be complete, with the
        columns of ``fit``; the steps between them that ``X`` lacks (the
        network reads every step) are carried forward from the step before,
        with a warning."""
        fitted = [] if self._X is None else list(self._X.columns)
        if list(X.columns) != fitted:
            raise ValueError(
                f"X has columns {[str(c) for c in X.columns]}, but "
                f"{type(self).__name__} was fitted with X columns "
                f"{[str(c) for c in fitted]}; pass X with the same columns, in "
                f"the same order, e.g. X[{fitted!r}]."
            )
        if X.isna().to_numpy().any():
            row, col = np.argwhere(X.isna().to_numpy())[0]
            raise ValueError(
                f"X has {int(X.isna().to_numpy().sum())} missing value(s) (first "
                f"in column {str(X.columns[col])!r} at {X.index[row]}); the "
                "network reads the covariates at every step of fh: pass X "
                "without gaps there."
            )
        combined = X if self._X is None else pd.concat([self._X, X])
        combined = combined[~combined.index.duplicated(keep="last")].sort_index()
        if isinstance(combined.index, pd.MultiIndex):
            return combined.groupby(level=0).ffill()
        wanted = fh.to_absolute_index(self.cutoff)
        absent = wanted.difference(X.index)
        if len(absent):
            raise ValueError(
                f"X has no row for {len(absent)} time stamp(s) of fh (first: "
                f"{absent[0]}); the network reads the covariates at every step "
                "of fh: pass X on each of them."
            )
        every = ForecastingHorizon(
            np.arange(1, self.forecaster_.horizon + 1), is_relative=True
        ).to_absolute_index(self.cutoff)
        between = every.difference(X.index)
        if len(between):
            warnings.warn(
                f"X has no row for {len(between)} step(s) between the steps of fh "
                f"(first: {between[0]}); the network reads every step up to the "
                "largest of fh, so the covariates there were carried forward "
                "from the step before. Pass X on every step up to the largest "
                "of fh to give them.",
                UserWarning,
                stacklevel=4,
            )
        return combined.reindex(combined.index.union(every)).ffill()

    @staticmethod
    def _at_steps(out: pd.DataFrame, steps: np.ndarray) -> pd.DataFrame:
        """The rows of a full-horizon forecast at the steps asked for (each
        series', for a panel)."""
        if isinstance(out.index, pd.MultiIndex):  # each series' step, in order
            step = out.groupby(level=0, sort=False).cumcount().to_numpy() + 1
            return out.iloc[np.flatnonzero(np.isin(step, steps))]
        return out.iloc[steps - 1]

    def _predict(self, fh: Any, X: Any = None) -> pd.DataFrame:
        return self._call("predict", fh, X)

    def _predict_interval(self, fh: Any, X: Any, coverage: list[float]) -> pd.DataFrame:
        out = self._call("predict_interval", fh, X, coverage=list(coverage))
        return out

    def _predict_quantiles(self, fh: Any, X: Any, alpha: list[float]) -> pd.DataFrame:
        return self._call("predict_quantiles", fh, X, alpha=list(alpha))

    @classmethod
    def get_test_params(cls, parameter_set: str = "default") -> list[dict[str, Any]]:
        """Small, fast settings for sktime's estimator checks.

        Parameters
        ----------
        parameter_set : str, default="default"
            The name of the set (one set here).

        Returns
        -------
        params : list of dict
            Parameter settings that fit in a second.
        """
        return [
            {"lookback": 4, "d_model": 8, "hidden_size": 8, "max_epochs": 1,
             "random_state": 0},
            {"lookback": "auto", "head": "recurrent", "d_model": 8,
             "hidden_size": 8, "max_epochs": 1, "random_state": 1,
             "intervals": None},
        ]  # fmt: skip


def _time_step(y: pd.DataFrame | pd.Series) -> Any:
    """The step of the series' time index (an offset for dates and periods,
    an int for step numbers), or None when it cannot be told."""
    index = y.index
    if isinstance(index, pd.MultiIndex):  # a panel: its first series
        index = y.loc[index[0][0]].index
    if isinstance(index, pd.PeriodIndex):
        return index.freq
    if isinstance(index, pd.DatetimeIndex):
        if index.freq is not None:
            return index.freq
        inferred = pd.infer_freq(index) if len(index) >= 3 else None
        return None if inferred is None else pd.tseries.frequencies.to_offset(inferred)
    if pd.api.types.is_integer_dtype(index.dtype) and len(index) > 1:
        return int(index[1] - index[0])
    return None


def _grid(cutoff: Any, step: Any, n: int) -> pd.Index:
    """The ``n`` time stamps after ``cutoff`` at ``step``."""
    if isinstance(cutoff, pd.Period):
        return pd.period_range(cutoff + 1, periods=n, freq=cutoff.freq)
    if isinstance(cutoff, pd.Timestamp):
        return pd.date_range(cutoff + step, periods=n, freq=step)
    return pd.Index(int(cutoff) + step * np.arange(1, n + 1))


def _step_text(step: Any) -> str:
    return repr(step.freqstr) if hasattr(step, "freqstr") else str(step)
