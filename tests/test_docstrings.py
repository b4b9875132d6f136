"""Every module and public definition says what it is; the engines, the library and the façades show how.

Rules (docs/architecture.md, "Habits"):
- every module of ``sim`` has a module docstring, and every public class, function and method a docstring;
- every public function and method of the engines (``sim.law``, ``sim.cases``, ``sim.engine``,
  ``sim.training``), the library (``sim.library``) and the façades (``sim.app``) has a runnable example
  (a ``>>>`` doctest, run by ``pytest --doctest-modules``). Properties need a docstring only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"
WITH_EXAMPLES = ("law", "cases", "engine", "training", "library", "app")


def _public(tree: ast.Module):
    """(qualified name, node, is_property) of every public class, function and method, outermost first."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            yield node.name, node, False
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield node.name, node, False
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and not item.name.startswith("_"):
                    decorators = {getattr(d, "id", getattr(d, "attr", "")) for d in item.decorator_list}
                    yield f"{node.name}.{item.name}", item, bool(decorators & {"property", "cached_property", "setter"})


def _modules() -> list[Path]:
    return sorted(SIM.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SIM.parent)))
def test_module_and_public_definitions_have_docstrings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [] if ast.get_docstring(tree) else ["module"]
    missing += [f"{name} (line {node.lineno})" for name, node, _ in _public(tree) if not ast.get_docstring(node)]
    assert missing == [], f"{path.relative_to(SIM.parent)}: add a docstring to " + ", ".join(missing)


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if p.relative_to(SIM).parts[0] in WITH_EXAMPLES],
    ids=lambda p: str(p.relative_to(SIM.parent)),
)
def test_engine_library_and_facade_functions_have_runnable_examples(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [
        f"{name} (line {node.lineno})"
        for name, node, is_property in _public(tree)
        if not isinstance(node, ast.ClassDef) and not is_property and ">>>" not in (ast.get_docstring(node) or "")
    ]
    assert missing == [], f"{path.relative_to(SIM.parent)}: add a runnable example (>>>) to " + ", ".join(missing)
