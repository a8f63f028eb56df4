"""Prediction intervals on test windows under the protocol: coverage, width, scores.

Every method gives 80% and 95% intervals of every test window around one point
forecaster (``--point``: the package's default
:class:`~sktime_patches.PatchForecaster`, or the closed-form
:class:`~sktime_patches.baselines.LastValueRidge`, cheap):

- ``conformal``: split conformal (absolute errors), calibrated on the val
  windows (:meth:`~sktime_patches.conformal.ConformalForecaster.calibrate`);
- ``conformal_scaled``: the same, scores divided by each window's spread
  (locally adaptive);
- ``conformal_online``: ``conformal`` with its scores updated as the test
  period unfolds (``adapt=None``: the windows whose targets are all observed
  join the scores, the latest as many as there are val windows kept), the test
  windows forecast in blocks (a day of ETTh1, four weeks of ILI);
- ``tracking`` and ``tracking_normalized``: ``conformal``, and the same with
  scores divided by each window's standard deviation, tracked as the test
  period unfolds (``adapt="tracking"``, the package's step size, chosen on
  val): before the window of row ``t`` is forecast, every value observed by
  then is given, the forecast made at row ``s`` scored at step ``h`` when row
  ``s + h`` arrives (:func:`online_intervals`, the bookkeeping of
  :meth:`~sktime_patches.series.SeriesForecaster.update`);
- ``cv_tracking_normalized``: ``tracking_normalized`` calibrated on every
  train window instead (cross-conformal over ``--cv-folds`` time-ordered folds
  of the train windows, ``calibration="cv"``: the point model trained on them
  all is the same), then tracked through the val period and the test period
  as their values arrive; it trains the point model ``--cv-folds`` more times
  (``--cv-folds 0`` leaves it out);
- ``pid``: conformal PID control as its reference code runs it (Angelopoulos,
  Candès & Tibshirani 2023): a quantile tracker with an integrator per
  horizon step, channel and coverage, its learning rate 0.1 of the range of
  the val scores and its integrator gain and saturation those of the R
  package ``conformalForecast`` (``KI`` the largest val score, ``Csat`` from
  the number of test windows), the same stream of values (:func:`pid_intervals`);
- ``mapie_aci``: the outside anchor, MAPIE's ``TimeSeriesRegressor``
  (``method="aci"``, Gibbs & Candès 2021, ``gamma=0.005`` as in the paper)
  around the same point forecast, calibrated on the val windows, one regressor
  per horizon step and channel, adapted with the same stream; MAPIE is a
  benchmark-only import (not a dependency of the package); on ETTh1, for
  speed, on 8 evenly spaced steps of the horizon (every channel);
- ``quantile``, ``cqr``, ``cqr_online`` (``--point default`` only): the
  network's own quantile head
  (``PatchForecaster(quantiles=(0.025, 0.1, 0.9, 0.975))``), uncalibrated,
  calibrated by CQR on val, and with its scores updated online;
- ``ridge_conformal``: split conformal around the ridge.

Every model is trained on the train windows (early stopping and the ridge's
penalty on the latest 10% of them, the estimators' own split) and calibrated
on the val windows; the test windows are scored once per seed. Nothing is
tuned on the test windows: the tracking's step size is the package default,
chosen on val (``benchmarks/TRIED.md``), PID's and ACI's settings are their
references' defaults. Widths, pinball losses and MSIS are on the protocol's
scale (each channel standardised on train); MSIS divides by each channel's
mean absolute one-step change over the train rows (M4's scale with a season of
1).

Usage::

    python benchmarks/studies/intervals.py --dataset ili --horizon 24 60 --seeds 0 1 2
    python benchmarks/studies/intervals.py --dataset etth1 --horizon 96 336 \\
        --seeds 0 1 2 --cv-folds 0
    python benchmarks/studies/intervals.py --dataset etth1 --horizon 96 336 \\
        --point ridge --seeds 0

Writes ``benchmarks/results/studies/intervals_<dataset>_L<L>_H<h>.json``
(``..._ridge.json`` with ``--point ridge``).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import protocol
from run import STUDY_RESULTS, provenance, write_record

from sktime_patches import PatchForecaster
from sktime_patches.baselines import LastValueRidge
from sktime_patches.conformal import ConformalForecaster, conformal_quantile
from sktime_patches.metrics import (
    interval_coverage,
    interval_width,
    msis,
    pinball_values,
)

COVERAGES = (0.8, 0.95)
QUANTILES = (0.025, 0.1, 0.9, 0.975)
METHODS = (
    "conformal",
    "conformal_scaled",
    "conformal_online",
    "tracking",
    "tracking_normalized",
    "cv_tracking_normalized",
    "pid",
    "mapie_aci",
    "quantile",
    "cqr",
    "cqr_online",
    "ridge_conformal",
)
#: The point forecasters ``--point`` takes.
POINTS = {
    "default": "PatchForecaster(), the package's defaults",
    "ridge": "LastValueRidge()",
}
#: Test windows forecast between two updates of the online scores.
BLOCK = {"etth1": 24, "ili": 4}
#: Horizon steps MAPIE's regressors cover on ETTh1 (every step on ILI).
MAPIE_STEPS = 8
#: ACI's step (Gibbs & Candès 2021).
ACI_GAMMA = 0.005
#: PID's learning rate, relative to the range of the scores (its reference).
PID_LR = 0.1


class Cached(RegressorMixin, BaseEstimator):
    """A fitted point forecaster's forecasts, looked up by window: the last
    channel of each window holds its row in ``table``, so the intervals'
    updates do not forecast a window again (``target_channels_`` leaves that
    channel out of the windows' spreads)."""

    def __init__(self, table: np.ndarray | None = None) -> None:
        self.table = table

    def fit(self, X: Any, y: Any = None) -> Cached:
        self.table_ = np.asarray(self.table)
        self.target_channels_ = list(range(np.shape(X)[2] - 1))
        return self

    def predict(self, X: Any) -> np.ndarray:
        return self.table_[np.asarray(X)[:, 0, -1].astype(np.int64)]


def indexed(X: np.ndarray, start: int) -> np.ndarray:
    """Windows with their row of a :class:`Cached` table as a last channel."""
    rows = np.arange(start, start + len(X), dtype=np.float64)
    index = np.broadcast_to(rows[:, None, None], (len(X), X.shape[1], 1))
    return np.concatenate([X, index], axis=2)


def stream(y: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
    """The values observed at row ``t`` of the test period: step ``h`` of
    the window made at ``t - h`` (windows ``i`` start the test at ``i``),
    one row per such window, NaN but at its step; and those windows."""
    horizon = y.shape[1]
    made = t - np.arange(1, horizon + 1)
    keep = (made >= 0) & (made < len(y))
    made, steps = made[keep], np.arange(horizon)[keep]
    seen = np.full((len(made), *y.shape[1:]), np.nan)
    seen[np.arange(len(made)), steps] = y[made, steps]
    return made, seen


def online_intervals(
    model: ConformalForecaster, X: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """Intervals of every test window ``i``, forecast at row ``i`` after
    every value observed by then was given to ``model.update`` (step ``h`` of
    window ``j`` at row ``j + h``): no value is used before it is observed."""
    out = np.empty((*y.shape, len(COVERAGES), 2))
    for t in range(len(X)):
        made, seen = stream(y, t)
        if len(made):
            model.update(X[made], seen.reshape(len(made), -1))
        out[t] = model.predict_interval(X[t : t + 1], COVERAGES)[0]
    return out


def warm_up(model: ConformalForecaster, X: np.ndarray, y: np.ndarray) -> None:
    """Give ``model`` every value of windows ``X``, ``y`` in the order they
    are observed (the val period, before the test period starts)."""
    for t in range(len(X) + y.shape[1]):
        made, seen = stream(y, t)
        if len(made):
            model.update(X[made], seen.reshape(len(made), -1))


def block_intervals(
    model: ConformalForecaster,
    X: np.ndarray,
    y: np.ndarray,
    horizon: int,
    block: int,
) -> np.ndarray:
    """Intervals of every test window, forecast ``block`` windows at a time,
    the scores updated before each block with the windows whose ``horizon``
    targets have all been observed (window ``i`` by the origin of ``i +
    horizon``)."""
    out = np.empty((*y.shape, len(COVERAGES), 2))
    known = 0
    for start in range(0, len(X), block):
        done = max(start - horizon + 1, 0)  # windows i <= start - horizon
        if done > known:
            model.update(X[known:done], y[known:done])
            known = done
        stop = min(start + block, len(X))
        out[start:stop] = model.predict_interval(X[start:stop], COVERAGES)
    return out


def pid_intervals(
    point_val: np.ndarray, y_val: np.ndarray, point: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """Conformal PID control (quantile tracking and an integrator), one
    tracker per horizon step, channel and coverage, on absolute errors, fed
    the values as they are observed (see :func:`stream`)."""
    cal = np.abs(y_val - point_val).reshape(len(y_val), -1)
    scores = np.abs(y - point).reshape(len(y), -1)
    n, n_values = scores.shape
    horizon = y.shape[1]
    per_step = n_values // horizon
    lr = PID_LR * (cal.max(axis=0) - cal.min(axis=0))
    gain = cal.max(axis=0)  # KI: the largest score (conformalForecast's default)
    log_n = math.log(n)
    saturation = 2 / math.pi * (math.ceil(log_n * 0.01) - 1 / log_n)
    out = np.empty((n, n_values, len(COVERAGES), 2))
    flat = point.reshape(n, -1)
    for k, c in enumerate(COVERAGES):
        alpha = 1 - c
        start = conformal_quantile(cal, c)
        start = np.where(np.isfinite(start), start, cal.max(axis=0))
        tracked, integral, count = start.copy(), np.zeros(n_values), np.zeros(n_values)
        q = start.copy()
        for t in range(n):
            made, _ = stream(y, t)
            if len(made):
                steps = t - made - 1
                columns = (steps[:, None] * per_step + np.arange(per_step)).ravel()
                rows = np.repeat(made, per_step)
                miss = (scores[rows, columns] > q[columns]).astype(float)
                tracked[columns] += lr[columns] * (miss - alpha)
                integral[columns] += miss - alpha
                count[columns] += 1
                arg = integral * np.log(count + 1) / (saturation * (count + 1))
                # the reference's tan reaches infinity at pi/2: held just short
                arg = np.clip(arg, -1.5, 1.5)
                q = np.maximum(tracked + gain * np.tan(arg), 0.0)
            out[t, :, k, 0] = flat[t] - q
            out[t, :, k, 1] = flat[t] + q
    return out.reshape(*y.shape, len(COVERAGES), 2)


def mapie_aci_intervals(
    point_val: np.ndarray, y_val: np.ndarray, point: np.ndarray, y: np.ndarray,
    steps: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """MAPIE's ACI around the point forecast, one ``TimeSeriesRegressor`` per
    horizon step (of ``steps``) and channel, calibrated on the val windows and
    adapted with the values as they are observed (see :func:`stream`)."""
    from mapie.regression import TimeSeriesRegressor  # benchmark-only

    class Forecast(RegressorMixin, BaseEstimator):
        """The point forecast, read from the one feature MAPIE is given."""

        def fit(self, X: Any, y: Any) -> Forecast:
            self.n_features_in_ = 1
            return self

        def predict(self, X: Any) -> np.ndarray:
            return np.asarray(X, dtype=np.float64)[:, 0]

    n, _, n_channels = y.shape
    out = np.full((n, len(steps), n_channels, len(COVERAGES), 2), np.nan)
    for j, step in enumerate(steps):
        for ch in range(n_channels):
            model = TimeSeriesRegressor(
                Forecast().fit(None, None), method="aci", cv="prefit"
            )
            model.fit(point_val[:, step, ch][:, None], y_val[:, step, ch])
            for t in range(n):
                made = t - step - 1  # the window whose step is observed now
                if made >= 0:
                    model.adapt_conformal_inference(
                        point[made : made + 1, step, ch][:, None],
                        y[made : made + 1, step, ch],
                        gamma=ACI_GAMMA,
                        confidence_level=list(COVERAGES),
                    )
                _, bounds = model.predict(
                    point[t : t + 1, step, ch][:, None],
                    confidence_level=list(COVERAGES),
                    allow_infinite_bounds=True,
                )
                out[t, j, ch] = bounds[0].T  # (coverage, lower/upper)
    return out


def scores(y: np.ndarray, intervals: np.ndarray, scale: np.ndarray) -> dict[str, float]:
    """Coverage, width and MSIS per coverage, and the pinball loss over the
    intervals' bounds as quantile levels; ``intervals`` is ``y.shape + (2
    coverages, 2)``. An infinite bound counts as covering, and makes the
    width, MSIS and pinball loss infinite (``infinite_<c>``: their share)."""
    out: dict[str, float] = {}
    bounds, levels = [], []
    with np.errstate(invalid="ignore"):
        for k, c in enumerate(COVERAGES):
            lo, hi = intervals[..., k, 0], intervals[..., k, 1]
            out[f"coverage_{c:g}"] = interval_coverage(y, lo, hi)
            out[f"width_{c:g}"] = interval_width(lo, hi)
            out[f"msis_{c:g}"] = msis(y, lo, hi, c, scale=scale)
            out[f"infinite_{c:g}"] = float(np.mean(~np.isfinite(hi - lo)))
            bounds += [lo, hi]
            levels += [(1 - c) / 2, (1 + c) / 2]
        out["pinball"] = float(np.mean(pinball_values(y, np.stack(bounds, -1), levels)))
    return out


def point_model(
    kind: str, split: protocol.Split, horizon: int, seed: int, threads: int
) -> Any:
    """The point forecaster, unfitted."""
    if kind == "ridge":
        return LastValueRidge()
    return PatchForecaster(
        lookback=split.lookback, horizon=horizon, random_state=seed, n_jobs=threads
    )


def fit_point(
    kind: str, split: protocol.Split, horizon: int, seed: int, threads: int
) -> tuple[Any, float]:
    """The point forecaster on the train windows, and its fit's seconds."""
    X_tr, y_tr = split.windows("train", horizon)
    start = time.perf_counter()
    model = point_model(kind, split, horizon, seed, threads).fit(X_tr, y_tr)
    return model, time.perf_counter() - start


def run_seed(
    split: protocol.Split,
    horizon: int,
    seed: int,
    threads: int,
    point_kind: str,
    cv_folds: int = 5,
) -> dict[str, dict[str, float]]:
    """Every method's test scores for one seed."""
    X_val, y_val = split.windows("val", horizon)
    X_te, y_te = split.windows("test", horizon)
    train_rows = split.segments["train"]
    scale = np.abs(np.diff(train_rows, axis=0)).mean(axis=0)  # per channel
    results: dict[str, dict[str, float]] = {}

    def record(name: str, intervals: np.ndarray, seconds: float, **extra: Any) -> None:
        results[name] = {**scores(y_te, intervals, scale), "fit_seconds": seconds}
        results[name].update(extra)
        print(
            f"  {name:20s} "
            + " ".join(
                f"cov{c:g} {results[name][f'coverage_{c:g}']:.3f} "
                f"w {results[name][f'width_{c:g}']:.3f}"
                for c in COVERAGES
            ),
            flush=True,
        )

    point, point_seconds = fit_point(point_kind, split, horizon, seed, threads)
    pred_val, pred_te = point.predict(X_val), point.predict(X_te)
    test_mse = float(np.mean((pred_te - y_te) ** 2))
    for method, name in (("absolute", "conformal"), ("scaled", "conformal_scaled")):
        model = ConformalForecaster(point, method=method).calibrate(X_val, y_val)
        record(
            name,
            model.predict_interval(X_te, COVERAGES),
            point_seconds,
            test_mse=test_mse,
        )
    block = BLOCK[split.dataset]
    online = ConformalForecaster(point, max_scores=len(X_val)).calibrate(X_val, y_val)
    record(
        "conformal_online",
        block_intervals(online, X_te, y_te, horizon, block),
        point_seconds,
        test_mse=test_mse,
    )

    # the tracked intervals: the point forecasts looked up, not made again
    table = np.concatenate([pred_val, pred_te])
    cached = Cached(table).fit(indexed(X_val, 0))
    X_val_i, X_te_i = indexed(X_val, 0), indexed(X_te, len(X_val))
    for method, name in (
        ("absolute", "tracking"),
        ("normalized", "tracking_normalized"),
    ):
        start = time.perf_counter()
        tracked = ConformalForecaster(cached, method=method, adapt="tracking")
        tracked.calibrate(X_val_i, y_val)
        intervals = online_intervals(tracked, X_te_i, y_te)
        record(
            name,
            intervals,
            point_seconds,
            test_mse=test_mse,
            step_size=tracked.step_size,
            online_seconds=time.perf_counter() - start,
        )
    if cv_folds:
        X_tr, y_tr = split.windows("train", horizon)
        start = time.perf_counter()
        every = ConformalForecaster(
            point_model(point_kind, split, horizon, seed, threads),
            method="normalized",
            calibration="cv",
            n_folds=cv_folds,
            adapt="tracking",
        ).fit(X_tr, y_tr)
        fit_seconds = time.perf_counter() - start
        warm_up(every, X_val, y_val)
        intervals = online_intervals(every, X_te, y_te)
        record(
            "cv_tracking_normalized",
            intervals,
            fit_seconds,
            test_mse=float(np.mean((every.predict(X_te) - y_te) ** 2)),
            n_calibration=every.n_calibration_,
            step_size=every.step_size,
            online_seconds=time.perf_counter() - start - fit_seconds,
        )
    record(
        "pid",
        pid_intervals(pred_val, y_val, pred_te, y_te),
        point_seconds,
        test_mse=test_mse,
    )
    mapie = _mapie(pred_val, y_val, pred_te, y_te, split.dataset, scale)
    if mapie is not None:
        results["mapie_aci"] = {**mapie, "fit_seconds": point_seconds}
        print(f"  {'mapie_aci':20s} " + " ".join(
            f"cov{c:g} {mapie[f'coverage_{c:g}']:.3f} w {mapie[f'width_{c:g}']:.3f}"
            for c in COVERAGES
        ), flush=True)  # fmt: skip

    if point_kind == "default":
        X_tr, y_tr = split.windows("train", horizon)
        start = time.perf_counter()
        quantile = PatchForecaster(
            lookback=split.lookback,
            horizon=horizon,
            quantiles=QUANTILES,
            random_state=seed,
            n_jobs=threads,
        ).fit(X_tr, y_tr)
        quantile_seconds = time.perf_counter() - start
        median_mse = float(np.mean((quantile.predict(X_te) - y_te) ** 2))
        record(
            "quantile",
            quantile.predict_interval(X_te, COVERAGES),
            quantile_seconds,
            test_mse=median_mse,
        )
        cqr = ConformalForecaster(quantile, method="cqr").calibrate(X_val, y_val)
        record(
            "cqr",
            cqr.predict_interval(X_te, COVERAGES),
            quantile_seconds,
            test_mse=median_mse,
        )
        cqr_online = ConformalForecaster(
            quantile, method="cqr", max_scores=len(X_val)
        ).calibrate(X_val, y_val)
        record(
            "cqr_online",
            block_intervals(cqr_online, X_te, y_te, horizon, block),
            quantile_seconds,
            test_mse=median_mse,
        )

    if point_kind == "ridge":
        results["ridge_conformal"] = dict(results["conformal"])
    else:
        ridge, ridge_seconds = fit_point("ridge", split, horizon, seed, threads)
        ridge_conformal = ConformalForecaster(ridge).calibrate(X_val, y_val)
        record(
            "ridge_conformal",
            ridge_conformal.predict_interval(X_te, COVERAGES),
            ridge_seconds,
            test_mse=float(np.mean((ridge.predict(X_te) - y_te) ** 2)),
        )
    return results


def _mapie(
    pred_val: np.ndarray,
    y_val: np.ndarray,
    pred_te: np.ndarray,
    y_te: np.ndarray,
    dataset: str,
    scale: np.ndarray,
) -> dict[str, float] | None:
    """MAPIE's ACI figures (on its steps), or None when MAPIE is missing."""
    try:
        import mapie  # noqa: F401
    except ImportError:
        print("  mapie_aci: MAPIE is not installed; row left out", flush=True)
        return None
    horizon = y_te.shape[1]
    steps = np.arange(horizon)
    if dataset == "etth1":
        steps = np.unique(np.linspace(0, horizon - 1, MAPIE_STEPS).round().astype(int))
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        intervals = mapie_aci_intervals(pred_val, y_val, pred_te, y_te, steps)
    figures = scores(y_te[:, steps], intervals, scale)
    figures["steps"] = (steps + 1).tolist()
    figures["online_seconds"] = time.perf_counter() - start
    figures["gamma"] = ACI_GAMMA
    return figures


def summarise(runs: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Per method and figure: mean and std (ddof=0) over seeds."""
    out: dict[str, Any] = {}
    for method in METHODS:
        if method not in runs[0]:
            continue
        out[method] = {}
        for key, value in runs[0][method].items():
            if not isinstance(value, (int, float)):
                out[method][key] = value
                continue
            values = np.asarray([r[method][key] for r in runs], dtype=float)
            out[method][key] = {
                "mean": float(values.mean()),
                "std": float(values.std()),
            }
    return out


def run_cell(
    dataset: str,
    horizon: int,
    seeds: list[int],
    threads: int,
    out_dir: Path,
    point: str = "default",
    cv_folds: int = 5,
) -> dict[str, Any]:
    torch.set_num_threads(threads)
    split = protocol.prepare(dataset)
    runs = []
    for seed in seeds:
        print(f"{dataset} H={horizon} seed={seed} point={point}", flush=True)
        runs.append(run_seed(split, horizon, seed, threads, point, cv_folds))
    record = {
        "dataset": dataset,
        "lookback": split.lookback,
        "horizon": horizon,
        "point_model": POINTS[point],
        "coverages": list(COVERAGES),
        "quantiles": list(QUANTILES),
        "seeds": seeds,
        "n_calibration_windows": len(split.windows("val", horizon)[0]),
        "n_test_windows": len(split.windows("test", horizon)[0]),
        "runs": runs,
        "summary": summarise(runs),
        **provenance(threads),
    }
    suffix = "" if point == "default" else f"_{point}"
    write_record(
        out_dir / f"intervals_{dataset}_L{split.lookback}_H{horizon}{suffix}.json",
        record,
    )
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=sorted(protocol.DATASETS), required=True)
    parser.add_argument("--horizon", type=int, nargs="+", required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--point",
        choices=sorted(POINTS),
        default="default",
        help="the point forecaster: the package's default PatchForecaster, or "
        "the closed-form ridge (cheap; no quantile-head rows)",
    )
    parser.add_argument(
        "--cv-folds",
        type=int,
        default=5,
        help="time-ordered folds of the train windows that calibrate "
        "cv_tracking_normalized (the point model trained that many more "
        "times); 0 leaves that row out",
    )
    parser.add_argument("--out-dir", type=Path, default=STUDY_RESULTS)
    protocol.add_data_dir_argument(parser)
    args = parser.parse_args(argv)
    for horizon in args.horizon:
        run_cell(
            args.dataset,
            horizon,
            args.seeds,
            args.threads,
            args.out_dir,
            args.point,
            args.cv_folds,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
