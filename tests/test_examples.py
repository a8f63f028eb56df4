"""Run every ``examples/plot_*.py`` in fast mode (``SKTIME_PATCHES_FAST=1``).

The examples are discovered by glob, so a new example is tested as soon as it
is added. Each runs headless (Agg) in a temporary folder, like sphinx-gallery
runs it when the documentation is built with the gallery on.
"""

from __future__ import annotations

import runpy
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("plot_*.py"))


def test_examples_are_found():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs_fast(path, monkeypatch, tmp_path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith('"""'), "a gallery example opens with its docstring"
    title = text.split("\n")[1:3]
    assert title[1] and set(title[1]) == {"="}, "the docstring opens with a title"
    assert "# %%" in text, "a gallery example is cut into # %% cells"
    assert "SKTIME_PATCHES_FAST" in text, "an example must honour the fast mode"

    monkeypatch.setenv("SKTIME_PATCHES_FAST", "1")
    monkeypatch.chdir(tmp_path)
    plt.close("all")
    try:
        with warnings.catch_warnings():
            # plt.show() on the Agg backend: nothing to show, nothing wrong
            warnings.filterwarnings("ignore", message=".*non-interactive.*")
            runpy.run_path(str(path), run_name="__main__")
        assert plt.get_fignums(), "an example should draw at least one figure"
    finally:
        plt.close("all")
