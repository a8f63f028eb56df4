"""``.. recipe-table::``: the recipes of the ``"auto"`` defaults, written from
``RECIPES`` (``sktime_patches._defaults.recipe_notes``) when the docs are built,
so that the page shows the values the package uses."""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from sktime_patches._defaults import recipe_notes


class RecipeTable(SphinxDirective):
    """Both recipes' networks, one sentence each, and the table of their values."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        lines = StringList(recipe_notes().splitlines(), source="RECIPES")
        self.state.nested_parse(lines, self.content_offset, container)
        return container.children


def setup(app) -> dict:
    app.add_directive("recipe-table", RecipeTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
