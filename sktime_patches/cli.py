"""The ``sktime-patches`` command line: a demo forecast and forecasts of any CSV."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from . import PatchForecaster, make_windows
    from .datasets import load_ili

    df = load_ili()
    lookback, horizon, column = args.lookback, args.horizon, args.column
    values = df[[column]]
    # hold out the windows whose targets fall in the last `holdout` rows
    holdout = args.holdout
    train = values.iloc[:-holdout]
    X, y = make_windows(train, lookback, horizon)
    X_test, y_test = make_windows(
        values.iloc[-(holdout + lookback) :], lookback, horizon
    )
    print(
        f"Fitting PatchForecaster on {len(X)} windows of the bundled ILI series "
        f"(column {column!r}, lookback={lookback}, horizon={horizon})",
        flush=True,
    )
    model = PatchForecaster(
        patch_len=args.patch_len,
        max_epochs=args.max_epochs,
        random_state=args.random_state,
        verbose=1,
    )
    model.fit(X, y)
    pred = model.predict(X_test)
    naive = np.repeat(X_test[:, -1:], horizon, axis=1)
    mae = float(np.mean(np.abs(pred - y_test)))
    mae_naive = float(np.mean(np.abs(naive - y_test)))
    print(
        f"held-out tail ({len(X_test)} windows in the last {holdout} weeks): "
        f"MAE {mae:.4g} (repeat-last: {mae_naive:.4g})"
    )
    future = model.predict(values.to_numpy()[-lookback:][None])[0]
    index = pd.date_range(df.index[-1], periods=horizon + 1, freq=df.index.freq)[1:]
    out = pd.DataFrame(future, index=index, columns=[column])
    out.index.name = df.index.name
    out.to_csv(args.out)
    print(f"forecast of the next {horizon} weeks written to {args.out}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4))
    hist = values.iloc[-3 * lookback :]
    ax.plot(hist.index, hist[column], label="history", color="0.3")
    ax.plot(out.index, out[column], label="forecast", color="tab:orange")
    ax.set_title(f"ILI {column}: {horizon}-week forecast")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.plot, dpi=100)
    plt.close(fig)
    print(f"plot written to {args.plot}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``sktime-patches``."""
    parser = argparse.ArgumentParser(
        prog="sktime-patches",
        description="Patch-based deep forecasting with scikit-learn estimators.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="fit on the bundled ILI data, forecast, plot")
    demo.add_argument("--column", default="% WEIGHTED ILI")
    demo.add_argument("--lookback", type=int, default=104)
    demo.add_argument("--horizon", type=int, default=24)
    demo.add_argument("--patch-len", type=int, default=8)
    demo.add_argument("--holdout", type=int, default=104)
    demo.add_argument("--max-epochs", type=int, default=30)
    demo.add_argument("--random-state", type=int, default=0)
    demo.add_argument("--out", default="forecast.csv")
    demo.add_argument("--plot", default="forecast.png")
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
