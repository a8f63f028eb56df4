"""The development panel: real series nobody tuned on, first 60% of each only.

Usage (from the repository root)::

    python benchmarks/studies/dev_panel.py
    python benchmarks/studies/dev_panel.py --models default ridge --series airline
    python benchmarks/studies/dev_panel.py --params '{"max_epochs": 10}' --tag short
    python benchmarks/studies/dev_panel.py --models AutoARIMA --exclude taylor

Every real time series that statsmodels, sktime and pmdarima ship with their
wheels (no download) is cut to its **first 60%** the moment it is loaded
(:func:`development_part`); the last 40% of each is reserved for checks outside
this repository and is never fitted, scored or plotted here. Within the 60%,
each series is scored at three rolling origins: fitted on every row before the
origin, it forecasts the next ``horizon`` rows, the last origin's forecast
ending on the 60% boundary.

Each forecast is scored by its MASE (MAE divided by the in-sample MAE of the
seasonal naive forecast on the rows before the origin); the panel's figure per
model is the geometric mean, over series and origins, of its MASE relative to
the seasonal naive forecast's (below 1: better than seasonal naive). Models:
``default`` (``SeriesForecaster(PatchForecaster(), lookback="auto")``),
``ridge`` (the package's ``LastValueRidge`` at the lookback ``"auto"``
chooses), ``seasonal_naive``, and statsforecast's ``AutoETS``, ``AutoARIMA``
and ``AutoTheta`` (season length from the frequency) when statsforecast is
installed. One JSON record lands in ``benchmarks/results/studies/``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import run

from sktime_patches import PatchForecaster, SeriesForecaster
from sktime_patches.baselines import LastValueRidge

#: Share of each series the panel may read: the rest is held out.
DEVELOPMENT_SHARE = 0.6

#: Rolling origins per series.
N_ORIGINS = 3

MODELS = ("default", "ridge", "seasonal_naive", "AutoETS", "AutoARIMA", "AutoTheta")


@dataclass(frozen=True)
class PanelSeries:
    """One series of the panel.

    Parameters
    ----------
    name : str
        ``"<package>/<dataset>[/<column>]"``.
    load : callable
        Returns the whole series as a ``pd.Series`` with a regular index
        (``PeriodIndex``, ``DatetimeIndex`` with a frequency, or ``RangeIndex``).
    season : int
        Steps per season (of the seasonal naive forecast and the statistical
        models).
    horizon : int
        Steps forecast at each origin.
    """

    name: str
    load: Callable[[], pd.Series]
    season: int
    horizon: int


def development_part(series: pd.Series) -> pd.Series:
    """The first ``DEVELOPMENT_SHARE`` of a series' rows (the only part read).

    Examples
    --------
    >>> development_part(pd.Series(range(10))).tolist()
    [0, 1, 2, 3, 4, 5]
    """
    return series.iloc[: int(DEVELOPMENT_SHARE * len(series))]


# ------------------------------------------------------------------ loaders
def _sm(dataset: str) -> pd.DataFrame:
    import statsmodels.api as sm

    return getattr(sm.datasets, dataset).load_pandas().data


def _sm_co2() -> pd.Series:
    weekly = _sm("co2")["co2"]
    monthly = weekly.resample("MS").mean().interpolate(limit_area="inside")
    return monthly.to_period("M").rename("co2")


def _sm_yearly(dataset: str, column: str, year: str) -> Callable[[], pd.Series]:
    def load() -> pd.Series:
        data = _sm(dataset)
        index = pd.PeriodIndex(data[year].astype(int), freq="Y")
        return pd.Series(data[column].to_numpy(float), index=index, name=column)

    return load


def _sm_quarterly(dataset: str, column: str) -> Callable[[], pd.Series]:
    def load() -> pd.Series:
        data = _sm(dataset)
        start = f"{int(data['year'].iloc[0])}Q{int(data['quarter'].iloc[0])}"
        index = pd.period_range(start, periods=len(data), freq="Q")
        return pd.Series(data[column].to_numpy(float), index=index, name=column)

    return load


def _sm_danish(column: str) -> Callable[[], pd.Series]:
    def load() -> pd.Series:
        data = _sm("danish_data")
        return data[column].to_period("Q").astype(float)

    return load


def _sm_elnino() -> pd.Series:
    data = _sm("elnino")
    values = data.drop(columns="YEAR").to_numpy(float).ravel()
    start = f"{int(data['YEAR'].iloc[0])}-01"
    index = pd.period_range(start, periods=len(values), freq="M")
    return pd.Series(values, index=index, name="elnino")


def _sktime(loader: str) -> Callable[[], pd.Series]:
    def load() -> pd.Series:
        import sktime.datasets

        data = getattr(sktime.datasets, loader)()
        series = data[0] if isinstance(data, tuple) else data
        return series.astype(float)

    return load


def _pmdarima(loader: str, freq: str | None = None, start: str = "") -> Callable:
    def load() -> pd.Series:
        import pmdarima.datasets

        values = np.asarray(getattr(pmdarima.datasets, loader)(), dtype=float)
        index = (
            pd.RangeIndex(len(values))
            if freq is None
            else pd.period_range(start, periods=len(values), freq=freq)
        )
        return pd.Series(values, index=index, name=loader.removeprefix("load_"))

    return load


def _pmdarima_msft() -> pd.Series:
    import pmdarima.datasets

    close = pmdarima.datasets.load_msft()["Close"].to_numpy(float)
    return pd.Series(close, index=pd.RangeIndex(len(close)), name="msft")


#: The panel: every real series the three packages ship offline, each once
#: (sktime's airline, lynx and macroeconomic data duplicate pmdarima's or
#: statsmodels'). Seasons by frequency: monthly 12, quarterly 4, yearly 1,
#: half-hourly 48, weekdays 5 (daily stock prices), none otherwise.
PANEL: tuple[PanelSeries, ...] = (
    PanelSeries("statsmodels/co2 (monthly means)", _sm_co2, 12, 12),
    PanelSeries(
        "statsmodels/sunspots", _sm_yearly("sunspots", "SUNACTIVITY", "YEAR"), 1, 6
    ),
    PanelSeries("statsmodels/nile", _sm_yearly("nile", "volume", "year"), 1, 6),
    PanelSeries("statsmodels/elnino", _sm_elnino, 12, 12),
    *(
        PanelSeries(f"statsmodels/macrodata/{c}", _sm_quarterly("macrodata", c), 4, 8)
        for c in ("realgdp", "realcons", "realinv", "cpi", "unemp", "tbilrate")
    ),
    *(
        PanelSeries(
            f"statsmodels/interest_inflation/{c}",
            _sm_quarterly("interest_inflation", c),
            4,
            8,
        )
        for c in ("Dp", "R")
    ),
    *(
        PanelSeries(f"statsmodels/danish_data/{c}", _sm_danish(c), 4, 4)
        for c in ("lrm", "lry", "ibo", "ide")
    ),
    PanelSeries("sktime/airline", _sktime("load_airline"), 12, 12),
    PanelSeries("sktime/lynx", _sktime("load_lynx"), 1, 6),
    PanelSeries("sktime/shampoo_sales", _sktime("load_shampoo_sales"), 12, 3),
    PanelSeries("sktime/PBS_dataset", _sktime("load_PBS_dataset"), 12, 12),
    PanelSeries("sktime/uschange", _sktime("load_uschange"), 4, 8),
    PanelSeries("sktime/solar", _sktime("load_solar"), 48, 24),
    PanelSeries("pmdarima/ausbeer", _pmdarima("load_ausbeer", "Q", "1956Q1"), 4, 8),
    PanelSeries("pmdarima/austres", _pmdarima("load_austres", "Q", "1971Q2"), 4, 8),
    PanelSeries("pmdarima/heartrate", _pmdarima("load_heartrate"), 1, 10),
    PanelSeries("pmdarima/msft", _pmdarima_msft, 5, 10),
    PanelSeries(
        "pmdarima/sunspots", _pmdarima("load_sunspots", "M", "1749-01"), 12, 12
    ),
    PanelSeries("pmdarima/taylor", _pmdarima("load_taylor"), 48, 48),
    PanelSeries("pmdarima/wineind", _pmdarima("load_wineind", "M", "1980-01"), 12, 12),
    PanelSeries("pmdarima/woolyrnq", _pmdarima("load_woolyrnq", "Q", "1965Q1"), 4, 8),
)


# ------------------------------------------------------------------ models
def _frame(history: pd.Series) -> pd.DataFrame:
    return history.to_frame(name=history.name or "y")


def _forecast_default(
    history: pd.Series, horizon: int, seed: int, params: dict[str, Any]
) -> np.ndarray:
    model = SeriesForecaster(
        PatchForecaster(random_state=seed, **params), lookback="auto", horizon=horizon
    )
    return model.fit(_frame(history)).predict().to_numpy()[:, 0]


def _forecast_ridge(history: pd.Series, horizon: int, **_: Any) -> np.ndarray:
    model = SeriesForecaster(LastValueRidge(), lookback="auto", horizon=horizon)
    return model.fit(_frame(history)).predict().to_numpy()[:, 0]


def _forecast_seasonal_naive(
    history: pd.Series, horizon: int, season: int, **_: Any
) -> np.ndarray:
    values = history.to_numpy(float)
    m = min(season, len(values))
    return values[len(values) - m + np.arange(horizon) % m]


def _forecast_statsforecast(
    name: str, history: pd.Series, horizon: int, season: int, **_: Any
) -> np.ndarray:
    from statsforecast import StatsForecast
    from statsforecast import models as sf_models

    df = pd.DataFrame(
        {"unique_id": "s", "ds": np.arange(len(history)), "y": history.to_numpy()}
    )
    model = getattr(sf_models, name)(season_length=season)
    out = StatsForecast(models=[model], freq=1).forecast(df=df, h=horizon)
    return out[name].to_numpy(float)


def forecast(
    model: str,
    history: pd.Series,
    horizon: int,
    season: int,
    seed: int,
    params: dict[str, Any],
) -> np.ndarray:
    """``model``'s forecast of the ``horizon`` rows after ``history``."""
    if model == "default":
        return _forecast_default(history, horizon, seed, params)
    if model == "ridge":
        return _forecast_ridge(history, horizon)
    if model == "seasonal_naive":
        return _forecast_seasonal_naive(history, horizon, season)
    return _forecast_statsforecast(model, history, horizon, season)


def naive_scale(history: np.ndarray, season: int) -> float:
    """In-sample MAE of the seasonal naive forecast: MASE's denominator.

    Examples
    --------
    >>> naive_scale(np.array([1.0, 2.0, 4.0, 7.0]), 1)
    2.0
    """
    m = min(season, len(history) - 1)
    return float(np.mean(np.abs(history[m:] - history[:-m])))


def origins(n_rows: int, horizon: int) -> list[int]:
    """The rows at which the ``N_ORIGINS`` forecasts start, the last one's
    forecast ending at ``n_rows``.

    Examples
    --------
    >>> origins(100, 12)
    [64, 76, 88]
    """
    return [n_rows - horizon * k for k in range(N_ORIGINS, 0, -1)]


def gmean(values: list[float]) -> float:
    finite = [v for v in values if v > 0 and math.isfinite(v)]
    return float(np.exp(np.mean(np.log(finite)))) if finite else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--series", nargs="+", default=None, help="name substrings")
    parser.add_argument(
        "--exclude", nargs="+", default=[], help="name substrings to leave out"
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--params", type=json.loads, default={})
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tag", default="default")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore")
    panel = [
        s
        for s in PANEL
        if (args.series is None or any(part in s.name for part in args.series))
        and not any(part in s.name for part in args.exclude)
    ]
    rows: list[dict[str, Any]] = []
    for spec in panel:
        dev = development_part(spec.load())  # the rest is never touched
        for origin in origins(len(dev), spec.horizon):
            history = dev.iloc[:origin]
            truth = dev.iloc[origin : origin + spec.horizon].to_numpy(float)
            scale = naive_scale(history.to_numpy(float), spec.season)
            for model in args.models:
                seeds = args.seeds if model == "default" else [0]
                for seed in seeds:
                    start = time.perf_counter()
                    try:
                        pred = forecast(
                            model, history, spec.horizon, spec.season, seed, args.params
                        )
                        error = None
                    except Exception as exc:  # recorded, not hidden
                        pred, error = None, f"{type(exc).__name__}: {exc}"
                    seconds = time.perf_counter() - start
                    mae = (
                        float(np.mean(np.abs(pred - truth)))
                        if pred is not None
                        else None
                    )
                    rows.append(
                        {
                            "series": spec.name,
                            "origin": origin,
                            "n_history": origin,
                            "horizon": spec.horizon,
                            "season": spec.season,
                            "model": model,
                            "seed": seed,
                            "mae": mae,
                            "mase": None if mae is None else mae / scale,
                            "fit_seconds": seconds,
                            "error": error,
                        }
                    )
                    print(
                        f"{spec.name:40s} origin {origin:5d} {model:15s} seed {seed} "
                        f"MASE {rows[-1]['mase'] if mae is not None else error} "
                        f"({seconds:.1f} s)",
                        flush=True,
                    )
    out = args.out or run.STUDY_RESULTS / f"dev_panel_{args.tag}.json"
    earlier: list[str] = []
    if out.exists():  # models run apart (another environment) merge into one record
        previous = json.loads(out.read_text())
        kept = [r for r in previous["rows"] if r["model"] not in args.models]
        rows = kept + rows
        if kept:  # the commands behind the rows kept
            earlier = previous.get("commands") or [previous["command"]]
    summary = summarise(rows)
    for model, figures in summary.items():
        print(f"{model:15s} {figures}")
    record = {
        "study": "dev_panel",
        "tag": args.tag,
        "params": args.params,
        "development_share": DEVELOPMENT_SHARE,
        "n_origins": N_ORIGINS,
        "series": sorted({r["series"] for r in rows}),
        "summary": summary,
        "rows": rows,
        **run.provenance(args.threads),
    }
    record["commands"] = [*earlier, record["command"]]
    run.write_record(out, record)
    print(f"wrote {out}")
    return 0


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per model: the geometric mean over (series, origin) of its MASE
    relative to the seasonal naive forecast's, and fit seconds (median).

    A (series, origin) enters every model's figure only when every model
    forecast it (the same cells for all)."""
    by_cell: dict[tuple[str, int], dict[str, list[float]]] = {}
    for row in rows:
        cell = by_cell.setdefault((row["series"], row["origin"]), {})
        cell.setdefault(row["model"], []).append(row["mase"])
    models = sorted({row["model"] for row in rows})
    complete = {
        key: cell
        for key, cell in by_cell.items()
        if "seasonal_naive" in cell
        and all(m in cell and None not in cell[m] for m in models)
        and cell["seasonal_naive"][0] > 0
    }
    summary = {}
    for model in models:
        ratios = [
            float(np.mean(cell[model])) / cell["seasonal_naive"][0]
            for cell in complete.values()
        ]
        seconds = [r["fit_seconds"] for r in rows if r["model"] == model]
        summary[model] = {
            "gmean_relative_mase": gmean(ratios),
            "mean_mase": float(np.mean([np.mean(c[model]) for c in complete.values()])),
            "cells": len(ratios),
            "failed": sum(r["error"] is not None for r in rows if r["model"] == model),
            "fit_seconds_median": float(np.median(seconds)),
        }
    return summary


if __name__ == "__main__":
    raise SystemExit(main())
