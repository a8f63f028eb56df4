"""The documentation stays complete and its examples stay true.

- every public name of the documented modules is in ``docs/api.rst``;
- every public class and function has a numpydoc Examples section that runs as
  a doctest (pytest runs those doctests with ``--doctest-modules``);
- the ``>>>`` examples of the ``docs/*.rst`` pages run and print what they show.

Building the HTML (``sphinx-build -W``) is CI's job; these checks need no Sphinx.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
MODULES = [
    "sktime_patches",
    "sktime_patches.series",
    "sktime_patches.backtesting",
    "sktime_patches.plotting",
    "sktime_patches.datasets",
    "sktime_patches.windows",
    "sktime_patches.lookback",
    "sktime_patches.io",
    "sktime_patches.baselines",
    "sktime_patches.exceptions",
    "sktime_patches.nn",
    "sktime_patches.cli",
]


def public_names() -> list[tuple[str, str]]:
    names = []
    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # pragma: no cover - a module not written yet
            continue
        names += [(module_name, n) for n in module.__all__ if not n.startswith("_")]
    return names


def api_entries() -> set[str]:
    """Full names listed by the autosummary directives of docs/api.rst."""
    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    current, entries = "", set()
    for line in text.splitlines():
        if m := re.match(r"\.\. currentmodule:: (\S+)", line):
            current = m.group(1)
        elif m := re.match(r"   ([A-Za-z_][\w.]*)$", line):
            entries.add(f"{current}.{m.group(1)}")
    return entries


def documented_as(module_name: str, name: str) -> set[str]:
    """The full names under which ``name`` may be listed: where it is exported
    and where it is defined."""
    obj = getattr(importlib.import_module(module_name), name)
    names = {f"{module_name}.{name}"}
    home = getattr(obj, "__module__", None)
    if home and (inspect.isclass(obj) or inspect.isfunction(obj)):
        # e.g. sktime_patches.data.SeriesWindows is listed as sktime_patches.X
        names |= {f"{m}.{name}" for m in MODULES if home.startswith(m)}
    return names


@pytest.mark.parametrize(
    "module_name, name", public_names(), ids=[f"{m}.{n}" for m, n in public_names()]
)
def test_public_name_in_api_reference(module_name, name):
    if name == "__version__":
        pytest.skip("the version is shown in the page title, not the API list")
    assert documented_as(module_name, name) & api_entries(), (
        f"{module_name}.{name} is public (in __all__) but not listed in "
        "docs/api.rst; add it to an autosummary list there."
    )


CALLABLES = sorted(
    {
        f"{getattr(importlib.import_module(m), n).__module__}.{n}": (m, n)
        for m, n in public_names()
        if inspect.isclass(getattr(importlib.import_module(m), n))
        or inspect.isfunction(getattr(importlib.import_module(m), n))
    }.values()
)


@pytest.mark.parametrize(
    "module_name, name", CALLABLES, ids=[f"{m}.{n}" for m, n in CALLABLES]
)
def test_docstring_has_runnable_examples(module_name, name):
    full = f"{module_name}.{name}"
    doc = inspect.getdoc(getattr(importlib.import_module(module_name), name)) or ""
    assert re.search(r"^Examples\n--------\n", doc, re.M), f"{full}: no Examples"
    examples = doc.split("Examples\n--------\n", 1)[1]
    assert ">>> " in examples, f"{full}: the Examples section has no doctest"


PAGES = sorted(p for p in DOCS.glob("*.rst") if ">>> " in p.read_text("utf-8"))


def test_some_pages_have_doctests():
    assert DOCS / "user_guide.rst" in PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_doctests(page):
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {page.name}"


def test_every_lazy_public_name_loads_and_is_listed():
    import sktime_patches

    lazy = set(vars(sktime_patches)["_SOURCES"])
    assert set(sktime_patches.__all__) == lazy | {"__version__"}
    for name in lazy:
        assert getattr(sktime_patches, name).__name__ == name


def _readme_block(after: str, language: str) -> str:
    """The first ``language`` code block of README.md after the line ``after``."""
    text = (DOCS.parent / "README.md").read_text("utf-8")
    rest = text[text.index(after) :]
    start = rest.index(f"```{language}\n") + len(language) + 4
    return rest[start : rest.index("```", start)]


def test_readme_quickstart_prints_what_the_readme_says(tmp_path, monkeypatch, capsys):
    """The quickstart's code runs, and its table of held-out errors (the model
    beside the baselines) is the one the README shows and discusses."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    exec(compile(_readme_block("## Quickstart", "python"), "README", "exec"), {})
    printed = capsys.readouterr().out.strip()
    shown = _readme_block("It prints", "text").strip()
    assert printed == shown
    assert (tmp_path / "quickstart.png").stat().st_size > 0


def test_long_code_lines_wrap_in_the_html():
    css = (DOCS / "_static" / "custom.css").read_text("utf-8")
    assert "white-space: pre-wrap" in css
    conf = (DOCS / "conf.py").read_text("utf-8")
    assert 'html_css_files = ["custom.css"]' in conf


def test_readme_tour_of_intervals_panels_covariates_and_saving(
    tmp_path, monkeypatch, capsys
):
    """The README's second block runs and prints what the README says."""
    monkeypatch.chdir(tmp_path)
    code = _readme_block(
        "## Intervals, many series, covariates, sktime, saving", "python"
    )
    exec(compile(code, "README", "exec"), {})
    printed = capsys.readouterr().out.strip()
    assert printed == "(48, 3) (48, 4) True"
    text = (DOCS.parent / "README.md").read_text("utf-8")
    assert f"prints `{printed}`" in text
