"""The patch forecaster as an sktime forecaster (the ``sktime`` extra)."""

from __future__ import annotations

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
        saved = _SAVED.pop(id(self), None)  # sktime_patches.load
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
        data's layout), with the saved network in place of training."""
        if "sktime" not in state:
            return
        state = state["sktime"]
        _SAVED[id(self)] = reader.estimator(state["forecaster_"])
        y = reader.value(state["y"])
        if state.get("y_mtype") == "pd.Series":  # answers come in the form fit got
            y = y.iloc[:, 0]
        try:
            self.fit(y, X=reader.value(state["X"]), fh=state["fh"])
        finally:
            _SAVED.pop(id(self), None)

    # ------------------------------------------------------------ predict
    def _steps(self, fh: Any) -> np.ndarray:
        steps = np.asarray(fh.to_relative(self.cutoff), dtype=np.int64).reshape(-1)
        if steps.min() < 1:
            raise ValueError(
                f"fh holds in-sample steps {steps[steps < 1].tolist()}; "
                "PatchLSTMForecaster forecasts after the cutoff only (steps of 1 "
                "or more)."
            )
        return steps

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
        covariates = None if X is None else self._every_step(X)
        out = getattr(self.forecaster_, method)(df, X=covariates, **kwargs)
        return self._at_steps(out, steps)

    def _every_step(self, X: pd.DataFrame) -> pd.DataFrame:
        """Covariates at every step up to the fitted horizon: sktime passes
        ``X`` at the steps of ``fh`` only, the network reads every step, so
        the steps between are carried forward from the last value known (in
        ``X`` or in the history)."""
        combined = X if self._X is None else pd.concat([self._X, X])
        combined = combined[~combined.index.duplicated(keep="last")].sort_index()
        if isinstance(combined.index, pd.MultiIndex):
            return combined.groupby(level=0).ffill()
        every = ForecastingHorizon(
            np.arange(1, self.forecaster_.horizon + 1), is_relative=True
        ).to_absolute_index(self.cutoff)
        return combined.reindex(combined.index.union(every)).ffill().bfill()

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
