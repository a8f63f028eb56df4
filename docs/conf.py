"""Sphinx configuration of the sktime_patches documentation.

Build (from the repository root, with the ``docs`` extra installed)::

    SKTIME_PATCHES_FAST=1 sphinx-build -W --keep-going -b html docs docs/_build/html

The gallery's examples run during the build: ``SKTIME_PATCHES_FAST=1`` runs them
in seconds with rough figures (CI does this); without it they run at full
settings (a few minutes on a CPU); ``SPHINX_GALLERY_PLOT=0`` skips running them
(placeholder thumbnails, no figures).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import sktime_patches

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "sphinxext"))

# -- Project -----------------------------------------------------------------
project = "sktime_patches"
author = "sktime_patches developers"
copyright = "2026, sktime_patches developers"
release = sktime_patches.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "myst_parser",
    "recipes",  # docs/sphinxext/recipes.py: the "auto" recipes, from RECIPES
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "auto_examples/*.ipynb"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
default_role = "literal"

# -- API reference: autosummary + numpydoc -----------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections say it better
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# Docstring checks: a failed check is a warning, so -W makes it an error. Left
# out: extended summaries (ES01), See Also everywhere (SA01), Examples on every
# method (EX01; tests/test_docs.py checks that every public function and class
# has a runnable Examples section), the summary-line style rules SS05/SS06, the
# quote placement rule GL02, and RT02, which rejects the named returns
# ("self : object") that scikit-learn's docstrings, and ours, use.
numpydoc_validation_checks = {
    "all",
    "ES01",
    "SA01",
    "EX01",
    "SS05",
    "SS06",
    "GL02",
    "GL08",
    "RT02",
}
numpydoc_validation_exclude = {
    r"\.__init__$",
    # torch.nn.Module methods in sktime_patches.nn keep torch's docstring style
    r"^sktime_patches\.nn\..*\.(forward|inverse|extra_repr)$",
}

# -- Example gallery ---------------------------------------------------------
_run_gallery = os.environ.get("SPHINX_GALLERY_PLOT", "1").lower() not in {
    "0",
    "false",
    "no",
}
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "plot_gallery": str(_run_gallery),
    "within_subsection_order": "gallery_order.QuickstartFirst",
    "doc_module": ("sktime_patches",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"sktime_patches": None},
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "show_memory": False,
    "min_reported_time": 5,
}

# -- Figures drawn at build time (.. plot::) ---------------------------------
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_pre_code = "import numpy as np\nimport matplotlib.pyplot as plt"

# -- Markdown (benchmarks/RESULTS.md) ----------------------------------------
myst_heading_anchors = 3

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sktime_patches {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"index": [], "getting_started": [], "benchmarks": [], "tried": []}
html_show_sourcelink = False
html_static_path = ["_static"]
html_css_files = ["custom.css"]

BENCHMARK_RESULTS = ROOT / "benchmarks" / "RESULTS.md"
_NO_RESULTS = """\
# Benchmark results

No benchmark results have been recorded yet: `benchmarks/RESULTS.md` is written
by `python benchmarks/make_table.py` from the runs in `benchmarks/results/`.
"""


def _benchmarks_page(app, docname: str, source: list[str]) -> None:
    """Show a note instead of including ``benchmarks/RESULTS.md`` when it is missing."""
    if docname == "benchmarks" and not BENCHMARK_RESULTS.exists():
        source[0] = _NO_RESULTS


#: The links between benchmarks/RESULTS.md and benchmarks/TRIED.md, as the
#: pages that include them are named here.
_BENCHMARK_LINKS = {"](TRIED.md)": "](tried.md)", "](RESULTS.md)": "](benchmarks.md)"}


def _benchmark_links(app, relative_path, parent_docname, content: list[str]) -> None:
    """Point the links between the two benchmark files at the pages that
    include them (on GitHub they point at each other)."""
    if parent_docname in ("benchmarks", "tried"):
        for link, page in _BENCHMARK_LINKS.items():
            content[0] = content[0].replace(link, page)


def _skip_member(app, what, name, obj, skip, options):
    """Leave out the set_*_request methods that scikit-learn's metadata routing
    generates: their docstrings point into scikit-learn's own documentation."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


_SHAPE = re.compile(r"of shape \(([^)]*)\)")
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\w])([A-Za-z_]\w*_)(?![`\w])")


def _literal_shapes(app, what, name, obj, options, lines: list[str]) -> None:
    """Quote fitted-attribute names in shapes, e.g. ``of shape (n_features_in_,)``.

    In reStructuredText ``name_`` is a link to a target called ``name``, so a
    shape written as in scikit-learn's docstrings would be an error.
    """

    def quote(match: re.Match) -> str:
        inner = _TRAILING_UNDERSCORE.sub(r"``\1``", match.group(1))
        return f"of shape ({inner})"

    lines[:] = [_SHAPE.sub(quote, line) for line in lines]


def setup(app):
    # before numpydoc (priority 500) parses the docstring
    app.connect("autodoc-process-docstring", _literal_shapes, priority=400)
    app.connect("source-read", _benchmarks_page)
    app.connect("include-read", _benchmark_links)
    app.connect("autodoc-skip-member", _skip_member)
