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
        "pandas.tseries.offsets", "._version",
    }  # fmt: skip
