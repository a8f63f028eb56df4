"""Can a different closed-form linear model beat the ridge start on val?

The PatchForecaster starts from the channel-shared, last-value-subtracted ridge
(the baseline). This script asks, on train/val only, whether another closed-form
linear model fits the val windows better and so would make a better start:

- a ridge that shrinks towards another shift-equivariant forecast than
  repeat-last (seasonal naive over the last day or week, the mean of the last
  ``k`` days at the same hour, the window's mean, the last day's mean);
- inputs smoothed by a moving average;
- recent training windows weighted more (exponential decay with a half-life in
  windows);
- one ridge per channel instead of one shared by all channels.

Each variant picks its penalty on val, as the baseline does; test is not read.

Usage::

    python benchmarks/studies/linear_variants.py [--dataset etth1] [--horizon 96 336]

writes ``benchmarks/results/studies/linear_variants_<dataset>.json``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/

import baselines
import protocol
from run import STUDY_RESULTS, versions, write_record

#: Penalties searched on val: 10^-1 .. 10^6 in quarter-decades.
ALPHAS = tuple(float(a) for a in 10.0 ** np.arange(-1.0, 6.01, 0.25))

Transform = Callable[[np.ndarray], np.ndarray]

#: The baseline's variant: the ridge on the lags minus the window's last value.
BASELINE = "ridge on lags - last value (the baseline)"


def weighted_val_mse(
    features: np.ndarray,
    targets: np.ndarray,
    val_features: np.ndarray,
    val_targets: np.ndarray,
    weights: np.ndarray,
) -> tuple[float, float]:
    """Best val MSE over :data:`ALPHAS` of a sample-weighted ridge with intercept.

    The weights are divided by their mean, so that the penalties mean the same
    as for an unweighted ridge. Returns ``(val_mse, alpha)``.
    """
    path = baselines.RidgePath(
        features, targets, sample_weight=weights / weights.mean()
    )
    mse = path.mse_path(val_features, val_targets, ALPHAS)
    best = int(np.argmin(mse))
    return mse[best], ALPHAS[best]


def seasonal_prior(period: int, n_periods: int, horizon: int) -> Transform:
    """Mean of the last ``n_periods`` periods, repeated over the horizon."""

    def prior(lags: np.ndarray) -> np.ndarray:
        steps = lags.shape[1]
        cycles = [
            lags[:, steps - (j + 1) * period : steps - j * period]
            for j in range(n_periods)
        ]
        base = np.mean(cycles, axis=0)
        return np.tile(base, -(-horizon // period))[:, :horizon]

    return prior


def level_prior(level: Transform, horizon: int) -> Transform:
    """A level (one value per window) repeated over the horizon."""
    return lambda lags: np.repeat(level(lags), horizon, axis=1)


def variants(horizon: int) -> dict[str, tuple[Transform, Transform]]:
    """``name -> (features, prior)``: the ridge maps ``features(lags)`` to
    ``target - prior(lags)``; all are shift-equivariant."""
    last = lambda lags: lags[:, -1:]  # noqa: E731
    minus_last = lambda lags: lags - last(lags)  # noqa: E731
    mean = lambda lags: lags.mean(1, keepdims=True)  # noqa: E731
    day_mean = lambda lags: lags[:, -24:].mean(1, keepdims=True)  # noqa: E731

    def smoothed(lags: np.ndarray) -> np.ndarray:
        z = minus_last(lags)
        return (z + np.concatenate([z[:, :1], z[:, :-1]], axis=1)) / 2

    repeat_last = level_prior(last, horizon)
    return {
        BASELINE: (minus_last, repeat_last),
        "shrink to seasonal naive, last day": (
            minus_last,
            seasonal_prior(24, 1, horizon),
        ),
        "shrink to mean of last 7 days, same hour": (
            minus_last,
            seasonal_prior(24, 7, horizon),
        ),
        "shrink to seasonal naive, last week": (
            minus_last,
            seasonal_prior(168, 1, horizon),
        ),
        "window mean subtracted": (
            lambda lags: lags - mean(lags),
            level_prior(mean, horizon),
        ),
        "last day's mean subtracted": (
            lambda lags: lags - day_mean(lags),
            level_prior(day_mean, horizon),
        ),
        "inputs smoothed (2-step moving average)": (smoothed, repeat_last),
    }


def score(name: str, horizon: int) -> list[dict[str, object]]:
    """Val MSE of every variant at one horizon."""
    split = protocol.prepare(name)
    X_tr, y_tr = split.windows("train", horizon)
    X_va, y_va = split.windows("val", horizon)
    n_windows, _, n_channels = X_tr.shape
    lags, target = baselines.to_univariate(X_tr), baselines.to_univariate(y_tr)
    val_lags, val_target = (
        baselines.to_univariate(X_va),
        baselines.to_univariate(y_va),
    )
    uniform = np.ones(len(lags))
    rows = []

    def add(variant: str, mse: float, alpha: float | None) -> None:
        rows.append(
            {"variant": variant, "horizon": horizon, "val_mse": mse, "alpha": alpha}
        )
        penalty = "per channel" if alpha is None else f"{alpha:.3g}"
        print(f"{name} H={horizon} {variant}: val MSE {mse:.4f} (alpha {penalty})")

    for variant, (features, prior) in variants(horizon).items():
        add(
            variant,
            *weighted_val_mse(
                features(lags),
                target - prior(lags),
                features(val_lags),
                val_target - prior(val_lags),
                uniform,
            ),
        )
    minus_last, repeat_last = variants(horizon)[BASELINE]
    age = n_windows - 1 - np.arange(n_windows)  # 0 for the latest training window
    for half_life in (8640, 2160):
        weights = np.repeat(0.5 ** (age / half_life), n_channels)
        add(
            f"recent windows weighted (half-life {half_life} windows)",
            *weighted_val_mse(
                minus_last(lags),
                target - repeat_last(lags),
                minus_last(val_lags),
                val_target - repeat_last(val_lags),
                weights,
            ),
        )
    # one ridge per channel: the val MSE is the mean over channels of each one's best
    per_channel = []
    for c in range(n_channels):
        own, own_val = X_tr[:, :, c], X_va[:, :, c]
        per_channel.append(
            weighted_val_mse(
                minus_last(own),
                y_tr[:, :, c] - own[:, -1:],
                minus_last(own_val),
                y_va[:, :, c] - own_val[:, -1:],
                np.ones(n_windows),
            )[0]
        )
    add("one ridge per channel", float(np.mean(per_channel)), None)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="etth1", choices=["etth1"])
    parser.add_argument("--horizon", type=int, nargs="+", default=[96, 336])
    args = parser.parse_args(argv)
    rows = [row for h in args.horizon for row in score(args.dataset, h)]
    out = write_record(
        STUDY_RESULTS / f"linear_variants_{args.dataset}.json",
        {"rows": rows, "versions": versions()},
    )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
