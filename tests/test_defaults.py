"""The "auto" recipes (_defaults): resolution, and the documentation written
from RECIPES (the user guide's table, PatchForecaster's Notes)."""

import importlib.util
from pathlib import Path

import pytest

from sktime_patches import PatchForecaster
from sktime_patches._defaults import (
    AUTO_PARAMS,
    MANY_ROWS,
    RECIPES,
    recipe_network,
    recipe_notes,
    recipe_table,
    resolve_params,
)
from sktime_patches.nn import CELLS, HEADS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_resolve_params_keeps_every_parameter_and_leaves_no_auto():
    params = PatchForecaster(max_epochs=3, d_model=16).get_params()
    for n_rows, recipe in [(MANY_ROWS - 1, "few"), (MANY_ROWS, "many")]:
        used = resolve_params(params, n_rows)
        assert list(used) == list(params)
        assert "auto" not in used.values()
        assert (used["max_epochs"], used["d_model"]) == (3, 16)
        assert used["head"] == RECIPES[recipe]["head"]


def test_every_recipe_sets_every_auto_parameter():
    assert set(RECIPES) == {"few", "many"}
    for values in RECIPES.values():
        assert tuple(values) == AUTO_PARAMS
    assert set(AUTO_PARAMS) == {
        name
        for name, value in PatchForecaster().get_params().items()
        if value == "auto"
    }


def test_the_table_holds_every_value_of_both_recipes():
    lines = recipe_table().splitlines()
    assert lines[0] == lines[2] == lines[-1] and set(lines[0]) == {"=", " "}
    rows = {line.split()[0].strip("`"): line.split()[1:] for line in lines[3:-1]}
    assert list(rows) == list(AUTO_PARAMS)
    for name, (few, many) in rows.items():
        for cell, recipe in ((few, "few"), (many, "many")):
            value = RECIPES[recipe][name]
            shown = f'"{value}"' if isinstance(value, str) else repr(value)
            assert cell == f"``{shown}``"


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("skip", ["ridge", "blend", "learned", "none"])
def test_the_network_is_described_for_any_recipe_values(monkeypatch, cell, head, skip):
    monkeypatch.setitem(
        RECIPES,
        "few",
        {**RECIPES["few"], "cell": cell, "head": head, "linear_skip": skip},
    )
    sentence = recipe_network("few")
    assert sentence.startswith("Below 20,000 training rows: ")
    assert ("LSTM" in sentence) == (cell == "lstm")
    assert ("GRU" in sentence) == (cell == "gru")
    assert ("SegRNN" in sentence) == (head == "recurrent")


def test_the_class_notes_show_the_recipes():
    doc = " ".join(PatchForecaster.__doc__.split())
    assert " ".join(recipe_notes().split()) in doc
    assert "{recipe_notes}" not in PatchForecaster.__doc__
    assert "GRU" in doc and "LSTM" in doc  # the default network on each side


def test_the_user_guide_shows_the_recipes_written_from_recipes():
    """The page holds the directive, and the directive writes recipe_notes()."""
    pytest.importorskip("sphinx")
    assert "\n.. recipe-table::\n" in (DOCS / "user_guide.rst").read_text("utf-8")
    assert '"recipes"' in (DOCS / "conf.py").read_text("utf-8")
    spec = importlib.util.spec_from_file_location(
        "recipes", DOCS / "sphinxext" / "recipes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.recipe_notes is recipe_notes
