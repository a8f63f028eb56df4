"""The hyper-parameters whose default depends on the size of the training data.

A :class:`~sktime_patches.PatchForecaster` left at its defaults trains one of
two recipes, chosen by the number of training rows (windows times channel
groups: what a channel-shared network sees):

* **few rows** (a few hundred weekly values, a short daily series): the LSTM
  learns a *correction* on top of the closed-form ridge it starts from,
  trained on absolute errors with averaged weights, in batches of 32 windows.
  From a random start, a network cannot learn from so few windows what the
  ridge gives in closed form.
* **many rows** (years of hourly data, panels): a SegRNN-style network (patch
  segments, a GRU, parallel segment decoding) learns the *whole* forecast on
  its own, and is then blended with the same ridge by a weight chosen on the
  validation windows. Trained as a correction, a network overfits the
  ridge's residuals; trained alone, it learns a different forecaster whose
  errors only partly overlap the ridge's, and the blend keeps the better of
  the two where the network does not help (long horizons).

``benchmarks/TRIED.md`` and the user guide give the measurements behind both.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AUTO_PARAMS", "MANY_ROWS", "RECIPES", "data_size", "resolve_params"]

#: Training rows (windows times channel groups) from which the "many" recipe
#: is used. The benchmarks' two datasets fall on either side: ILI trains on
#: about 3,800 rows (537 weekly windows of 7 channels), ETTh1 on about 59,000
#: (8,449 hourly windows of 7 channels).
MANY_ROWS = 20_000

#: Each recipe's value of every hyper-parameter whose default is ``"auto"``.
RECIPES: dict[str, dict[str, Any]] = {
    "few": {
        "linear_skip": "ridge",
        "head": "flatten",
        "cell": "lstm",
        "d_model": 128,
        "hidden_size": 128,
        "dropout": 0.3,
        "correction_scale": "window",
        "loss": "mae",
        "ema_halflife": 1.0,
        "lr_schedule": "cosine",
        "patience": 3,
        "batch_size": 32,
    },
    "many": {
        "linear_skip": "blend",
        "head": "recurrent",
        "cell": "gru",
        "d_model": 256,
        "hidden_size": 256,
        "dropout": 0.5,
        "correction_scale": "channel",
        "loss": "mse",
        "ema_halflife": None,
        "lr_schedule": "constant",
        "patience": 10,
        "batch_size": 256,
    },
}

#: The hyper-parameters that take ``"auto"`` (the keys of every recipe).
AUTO_PARAMS: tuple[str, ...] = tuple(RECIPES["few"])


def data_size(n_rows: int) -> str:
    """The recipe for ``n_rows`` training rows: ``"few"`` below
    ``MANY_ROWS``, ``"many"`` from there.

    Examples
    --------
    >>> data_size(537 * 7), data_size(8449 * 7), data_size(20_000)
    ('few', 'many', 'many')
    """
    return "few" if n_rows < MANY_ROWS else "many"


def resolve_params(params: dict[str, Any], n_rows: int) -> dict[str, Any]:
    """The value used for each of ``AUTO_PARAMS``: the given one, or the
    recipe's for ``n_rows`` training rows where it is ``"auto"``.

    Examples
    --------
    >>> params = {name: "auto" for name in AUTO_PARAMS}
    >>> params["d_model"] = 64
    >>> used = resolve_params(params, n_rows=500)
    >>> used["d_model"], used["head"], used["batch_size"]
    (64, 'flatten', 32)
    >>> resolve_params(params, n_rows=60_000)["linear_skip"]
    'blend'
    """
    recipe = RECIPES[data_size(n_rows)]
    return {
        name: recipe[name] if params[name] == "auto" else params[name]
        for name in AUTO_PARAMS
    }
