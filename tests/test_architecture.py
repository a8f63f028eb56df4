"""The layering docs/architecture.rst promises, checked on the source."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sktime_patches"
MODULES = sorted(PACKAGE.rglob("*.py"))
ESTIMATORS = {
    "PatchForecaster",
    "ConformalForecaster",
    "SeriesForecaster",
    "SpacetimePatcher",
    "PatchLSTMForecaster",
    "LastValueRidge",
    "RepeatLast",
    "SeasonalNaive",
}


def tree(path):
    return ast.parse(path.read_text("utf-8"), filename=str(path))


def name(path):
    return path.relative_to(PACKAGE.parent).with_suffix("").as_posix()


@pytest.mark.parametrize("path", MODULES, ids=name)
def test_no_module_imports_another_modules_private_names(path):
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert private in ([], ["__version__"]), (
                f"{name(path)} imports {private} from {node.module}"
            )


@pytest.mark.parametrize("path", MODULES, ids=name)
def test_no_module_tests_the_class_of_the_package_estimators(path):
    """Wrappers read declared capabilities (_tags), not isinstance."""
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
            classes = ast.unparse(node.args[1])
            assert not ESTIMATORS & set(classes.replace(",", " ").split()), (
                f"{name(path)}:{node.lineno} isinstance(..., {classes})"
            )


def imported(path):
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


@pytest.mark.parametrize("path", sorted((PACKAGE / "nn").glob("*.py")), ids=name)
def test_nn_is_plain_torch(path):
    for module in imported(path):
        assert not module.startswith(("sklearn", "skorch")), (name(path), module)


def test_the_format_module_imports_no_estimator():
    assert set(imported(PACKAGE / "persistence.py")) <= {
        "__future__", "datetime", "importlib", "io", "json", "zipfile", "pathlib",
        "typing", "numpy", "pandas", "torch", "pandas.tseries.frequencies",
        "pandas.tseries.offsets", "._version", "dataclasses", ".exceptions",
    }  # fmt: skip


def documented_imports():
    """docs/architecture.rst's table: module -> the modules it may import."""
    import re

    text = (PACKAGE.parent / "docs" / "architecture.rst").read_text("utf-8")
    table = text[text.index(".. list-table::") : text.index("\nRules\n")]
    allowed = {}
    for row in table.split("\n   * - ")[2:]:
        cells = row.split("\n     - ")
        module = cells[0].strip().strip("`").removesuffix(".py").rstrip("/")
        if "anything public" in cells[2]:
            continue
        allowed[module] = set(re.findall(r"``([\w.]+)``", cells[2]))
    return allowed


def top(path):
    """The part of the package a file belongs to: ``forecaster``, ``nn``."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def test_the_documented_imports_are_the_imports():
    """Each module imports, inside the package, only what the architecture
    page says it may."""
    allowed = documented_imports()
    assert {"forecaster", "persistence", "nn", "_training", "series"} <= set(allowed)
    for path in MODULES:
        if top(path) not in allowed:
            continue
        inside = set()
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                depth = len(path.relative_to(PACKAGE).parts) - node.level
                parts = [*path.relative_to(PACKAGE).parts[:depth]]
                parts += (node.module or "").split(".")
                inside.add(parts[0].removesuffix(".py"))
        inside -= {top(path), ""}
        assert inside <= allowed[top(path)], (name(path), inside - allowed[top(path)])
