"""The hyper-parameters whose default depends on the size of the training data.

A :class:`~sktime_patches.PatchForecaster` left at its defaults trains one of
two recipes, chosen by the number of training rows (windows times channel
groups: what a channel-shared network sees). ``RECIPES`` holds their values;
everything the documentation says about them (the table in the user guide
and in ``PatchForecaster``'s Notes, the network each builds) is written from
it by :func:`recipe_table` and :func:`recipe_network`, so that it stays true
when the values change.

Why two: with few windows, a network from a random start cannot learn what
the closed-form ridge gives, and a correction to the ridge is what carries to
unseen months; with many, a network trained as a correction overfits the
ridge's residuals, while one trained alone learns a different forecaster
whose errors only partly overlap the ridge's, and a blend with the ridge
keeps the better of the two where the network does not help.
``benchmarks/TRIED.md`` and the user guide give the measurements behind both.
"""

from __future__ import annotations

import textwrap
from typing import Any

__all__ = [
    "AUTO_PARAMS",
    "MANY_ROWS",
    "RECIPES",
    "RECIPES_MARKER",
    "data_size",
    "document_recipes",
    "recipe_network",
    "recipe_notes",
    "recipe_plan",
    "recipe_table",
    "resolve_params",
]

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
        "lr": 1e-3,
        "amp": False,
        "windows_per_epoch": 100_000,
    },
    "many": {
        "linear_skip": "blend",
        "head": "recurrent",
        "cell": "gru",
        "d_model": 64,
        "hidden_size": 64,
        "dropout": 0.5,
        "correction_scale": "channel",
        "loss": "mse",
        "ema_halflife": None,
        "lr_schedule": "constant",
        "patience": 5,
        "batch_size": 256,
        "lr": 3e-3,
        "amp": True,
        "windows_per_epoch": 100_000,
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


def resolve_params(
    params: dict[str, Any], n_rows: int, native_bfloat16: bool = False
) -> dict[str, Any]:
    """Every hyper-parameter's value used: the given one, or, for those of
    ``AUTO_PARAMS`` left at ``"auto"``, the recipe's for ``n_rows`` training
    rows. A recipe's ``amp=True`` (bfloat16 autocast) is used only where the
    processor computes bfloat16 natively (``native_bfloat16``): elsewhere it
    would be emulated, slower than float32.

    Parameters
    ----------
    params : dict
        The estimator's parameters (``get_params(deep=False)``).
    n_rows : int
        Training rows (windows times channel groups).
    native_bfloat16 : bool, default=False
        Whether the training device computes bfloat16 natively
        (:func:`sktime_patches._training.runtime.native_bfloat16`).

    Returns
    -------
    resolved : dict
        ``params`` with no ``"auto"`` left, in the same order.

    Examples
    --------
    >>> params = {name: "auto" for name in AUTO_PARAMS}
    >>> params.update(d_model=64, max_epochs=5)
    >>> used = resolve_params(params, n_rows=500)
    >>> used["d_model"], used["max_epochs"], used["head"] == RECIPES["few"]["head"]
    (64, 5, True)
    >>> resolve_params(params, n_rows=60_000)["linear_skip"] == RECIPES["many"][
    ...     "linear_skip"
    ... ]
    True
    """
    recipe = RECIPES[data_size(n_rows)]
    resolved = {
        name: recipe[name] if name in recipe and value == "auto" else value
        for name, value in params.items()
    }
    if params.get("amp") == "auto":
        resolved["amp"] = bool(recipe["amp"]) and native_bfloat16
    return resolved


# ------------------------------------------------------------------- docs
#: How each recipe's column is headed in the documentation.
_HEADINGS = {
    "few": f"fewer than {MANY_ROWS:,} rows",
    "many": f"{MANY_ROWS:,} rows or more",
}
_CELLS = {"lstm": "an LSTM", "gru": "a GRU"}
_HEADS = {
    "flatten": "a linear head over every recurrent state",
    "last": "a linear head over the last recurrent state",
    "recurrent": (
        "a SegRNN-style recurrent head (the horizon decoded in segments, all at "
        "once, by the same recurrent layer)"
    ),
}
_SKIPS = {
    "ridge": (
        "learns a correction to the closed-form ridge it starts from (the ridge "
        "kept fixed)"
    ),
    "blend": (
        "learns the whole forecast on its own and is then blended with the "
        "closed-form ridge, by the weight with the lowest validation loss"
    ),
    "learned": "learns beside a linear map of the window trained with it",
    "none": "learns the whole forecast alone",
}


def _literal(value: Any) -> str:
    """A value as the reader would type it: ``"ridge"``, ``128``, ``None``."""
    return f'``"{value}"``' if isinstance(value, str) else f"``{value!r}``"


def recipe_network(recipe: str) -> str:
    """What the default network is under a recipe, in one sentence.

    Parameters
    ----------
    recipe : {"few", "many"}
        A key of ``RECIPES``.

    Returns
    -------
    sentence : str
        The recurrent cell, the head and the role of the ridge, read from
        ``RECIPES[recipe]``.

    Examples
    --------
    >>> print(recipe_network("few"))  # doctest: +ELLIPSIS
    Below 20,000 training rows: ... over the patch tokens and a ...; the network ...
    """
    values = RECIPES[recipe]
    where = (
        f"Below {MANY_ROWS:,} training rows"
        if recipe == "few"
        else f"From {MANY_ROWS:,} training rows"
    )
    return (
        f"{where}: {_CELLS[values['cell']]} over the patch tokens and "
        f"{_HEADS[values['head']]}; the network {_SKIPS[values['linear_skip']]}."
    )


def recipe_plan(
    given: dict[str, Any], params: dict[str, Any], n_rows: int, n_windows: int
) -> str:
    """One line, before training, of what a fit will train: the recipe
    chosen for its data, the network, and the windows.

    Parameters
    ----------
    given : dict
        The estimator's parameters as set (``get_params()``): those not left
        at ``"auto"`` are named as the user's own.
    params : dict
        Every hyper-parameter's value used (``resolved_params_``).
    n_rows : int
        Training rows (windows times channel groups).
    n_windows : int
        Training windows.

    Returns
    -------
    line : str

    Examples
    --------
    >>> from sktime_patches import PatchForecaster
    >>> given = PatchForecaster().get_params()
    >>> params = resolve_params(given, 59_143)
    >>> print(recipe_plan(given, params, 59_143, 8_449))  # doctest: +ELLIPSIS
    Training the 'many' recipe (59,143 training rows: 8,449 windows times ...
    """
    recipe = data_size(n_rows)
    own = [name for name in AUTO_PARAMS if given[name] != "auto"]
    changed = f" (with your {', '.join(own)})" if own else ""
    return (
        f"Training the {recipe!r} recipe{changed} ({n_rows:,} training rows: "
        f"{n_windows:,} windows times {n_rows // max(n_windows, 1)} channel "
        f"group(s)): a {params['cell'].upper()} of width {params['hidden_size']} "
        f"with a {params['head']} head, linear skip {params['linear_skip']!r}, "
        + ("in bfloat16, " if params["amp"] else "")
        + f"at most {params['max_epochs']} epochs"
        + (f" or {params['max_time']:g}s" if params.get("max_time") else "")
        + "."
    )


def recipe_table() -> str:
    """The recipes as a reStructuredText table: a row per hyper-parameter,
    a column per recipe.

    The user guide and ``PatchForecaster``'s Notes show this table, written
    from ``RECIPES`` when the documentation is built (and when the package is
    imported, for the docstring).

    Returns
    -------
    table : str
        A simple reStructuredText table.

    Examples
    --------
    >>> print(recipe_table())  # doctest: +ELLIPSIS
    ===...===
    hyper-parameter      fewer than 20,000 rows   20,000 rows or more
    ===...===
    ``linear_skip``      ``"ridge"``              ``"blend"``
    ``head``             ``"flatten"``            ``"recurrent"``
    ``cell``             ``"lstm"``               ``"gru"``
    ...
    ===...===
    """
    rows = [["hyper-parameter", _HEADINGS["few"], _HEADINGS["many"]]]
    rows += [
        [f"``{name}``", _literal(RECIPES["few"][name]), _literal(RECIPES["many"][name])]
        for name in AUTO_PARAMS
    ]
    widths = [max(len(row[k]) for row in rows) for k in range(3)]
    rule = "  ".join("=" * w for w in widths)
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join([rule, lines[0], rule, *lines[1:], rule])


def recipe_notes() -> str:
    """Both recipes' networks, one sentence each, then :func:`recipe_table`:
    what the documentation shows about the ``"auto"`` defaults.

    Returns
    -------
    text : str
        reStructuredText.

    Examples
    --------
    >>> print(recipe_notes())  # doctest: +ELLIPSIS
    * Below 20,000 training rows: ...
    * From 20,000 training rows: ...
    <BLANKLINE>
    ====...
    """
    bullets = [
        textwrap.fill(f"* {recipe_network(recipe)}", width=76, subsequent_indent="  ")
        for recipe in RECIPES
    ]
    return "\n".join([*bullets, "", recipe_table()])


#: The line of a docstring that :func:`document_recipes` replaces.
RECIPES_MARKER = "{recipe_notes}"


def document_recipes(cls: type) -> type:
    """Write :func:`recipe_notes` into ``cls``'s docstring, at the line
    holding ``RECIPES_MARKER`` (indented as that line).

    Parameters
    ----------
    cls : type
        A class whose docstring holds the marker on a line of its own.

    Returns
    -------
    cls : type
        The same class.

    Examples
    --------
    >>> class Model:
    ...     \"\"\"A model.
    ...
    ...     {recipe_notes}
    ...     \"\"\"
    >>> "fewer than 20,000 rows" in document_recipes(Model).__doc__
    True
    """
    lines = []
    for line in (cls.__doc__ or "").splitlines():
        if line.strip() == RECIPES_MARKER:
            indent = line[: len(line) - len(line.lstrip())]
            lines += [
                indent + part if part else "" for part in recipe_notes().splitlines()
            ]
        else:
            lines.append(line)
    cls.__doc__ = "\n".join(lines)
    return cls
