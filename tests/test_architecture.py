"""The package's shape, checked from the source (docs/architecture.md): layers, no import cycle, the UI only
through the doors, the decision points written once, few process-wide caches, and a light ``import sim``.

Imports are read with ``ast`` from every module under ``sim/``: those that run when the module is imported
and those inside functions (they run when called). Imports under ``if TYPE_CHECKING:`` are type hints only
and do not count.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import ROOT

SIM = ROOT / "sim"

# Lowest first. A module may import modules of its own package and of lower packages only.
# sim.locations (where files live) sits at the bottom with the errors and the parsing boundary.
LAYERS: list[tuple[str, ...]] = [
    ("errors", "parsing", "locations"),
    ("law",),
    ("cases",),
    ("engine",),
    ("training",),
    ("library",),
    ("province",),
    ("drawing",),
    ("workshop",),
    ("app",),
    ("ui", "cli"),
]
BOTTOM = {"sim.errors", "sim.parsing", "sim.locations"}
EXEMPT = {"sim", "sim.__main__"}  # the package's own __init__ (only __version__) and ``python -m sim``
UI_MAY_IMPORT = ("sim.app", "sim.errors", "sim.ui")
DECISION_POINT_STRINGS = {f"D{i}" for i in range(1, 11)}
MAX_MODULE_CACHES = 3


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(SIM.rglob("*.py"))}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} → {self.target} (line {self.line})"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def runtime_imports(
    source: str, module: str, *, is_package: bool = False, known: set[str] | None = None
) -> list[Import]:
    """The ``sim`` modules a module imports at import or call time (``if TYPE_CHECKING:`` bodies skipped)."""
    known = set(MODULES) if known is None else known
    found: list[Import] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "sim" or alias.name.startswith("sim."):
                    found.append(Import(module, alias.name, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(module, is_package)
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            if base == "sim" or base.startswith("sim."):
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.append(Import(module, candidate if candidate in known else base, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def all_imports() -> list[Import]:
    found = []
    for module, path in MODULES.items():
        found += runtime_imports(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py")
    return found


IMPORTS = all_imports()


def package(module: str) -> str:
    """``sim.law.rulebook`` → ``law``; the bottom modules form one package."""
    return "bottom" if module in BOTTOM else module.split(".")[1]


def rank(module: str) -> int:
    name = module.split(".")[1]
    for i, layer in enumerate(LAYERS):
        if name in layer:
            return i
    raise AssertionError(f"{module} belongs to no layer: add sim.{name} to LAYERS in tests/test_architecture.py")


# the detector itself -------------------------------------------------------------------------------------------
def test_the_detector_reads_runtime_lazy_relative_and_skips_type_hints():
    source = (
        "from __future__ import annotations\n"
        "import os\n"
        "import sim.law.primitives\n"
        "from typing import TYPE_CHECKING\n"
        "from sim.errors import SimError\n"
        "from . import sibling\n"
        "from ..law import referral\n"
        "if TYPE_CHECKING:\n"
        "    from sim.library import Library\n"
        "else:\n"
        "    from sim.law import needs\n"
        "def f():\n"
        "    from sim.drawing.referral import referral_png\n"
        "    import typing\n"
        "    if typing.TYPE_CHECKING:\n"
        "        import sim.ui.trainer\n"
    )
    known = {
        "sim.cases.sibling",
        "sim.law.referral",
        "sim.law.needs",
        "sim.drawing.referral",
        "sim.law.primitives",
        "sim.errors",
    }
    found = [(i.target, i.line) for i in runtime_imports(source, "sim.cases.x", known=known)]
    assert found == [
        ("sim.law.primitives", 3),
        ("sim.errors", 5),
        ("sim.cases.sibling", 6),
        ("sim.law.referral", 7),
        ("sim.law.needs", 11),
        ("sim.drawing.referral", 13),
    ]


def test_the_detector_sees_the_real_imports():
    edges = {(i.source, i.target) for i in IMPORTS}
    assert ("sim.ui.trainer", "sim.app.trainer") in edges
    assert ("sim.app.trainee", "sim.library") in edges  # a lazy import inside a function
    assert ("sim.drawing.charts", "sim.drawing.png") in edges
    assert ("sim.ui.answer_forms", "sim.training.forms") not in edges  # under TYPE_CHECKING only
    assert all(i.target in MODULES for i in IMPORTS), sorted({i.target for i in IMPORTS} - set(MODULES))
    assert len(MODULES) > 50 and "sim.law.decision_points" in MODULES


# (i) no import cycle -------------------------------------------------------------------------------------------
KNOWN_CYCLES: set[tuple[str, ...]] = set()


def import_cycles() -> list[tuple[str, ...]]:
    G = nx.DiGraph()
    G.add_nodes_from(MODULES)
    G.add_edges_from((i.source, i.target) for i in IMPORTS if i.source != i.target)
    return sorted(tuple(sorted(c)) for c in nx.simple_cycles(G))


def test_no_import_cycle():
    cycles = import_cycles()
    assert cycles == [], "import cycles: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_no_import_cycle_beyond_the_known_ones():
    new = [c for c in import_cycles() if c not in KNOWN_CYCLES]
    assert new == [], "import cycles: " + "; ".join(" ↔ ".join(c) for c in new)


# (ii) layers ---------------------------------------------------------------------------------------------------
def test_every_module_belongs_to_a_layer():
    for module in MODULES:
        if module not in EXEMPT:
            rank(module)


def test_each_package_imports_only_itself_and_lower_packages():
    wrong = [
        str(i)
        for i in IMPORTS
        if i.source not in EXEMPT
        and i.target not in EXEMPT
        and package(i.target) != package(i.source)
        and rank(i.target) >= rank(i.source)
    ]
    assert wrong == [], "imports against the layers:\n" + "\n".join(wrong)


# (iii) the UI reaches the core through the doors only ------------------------------------------------------------
def test_the_ui_imports_only_the_doors_the_errors_and_itself():
    wrong = [
        str(i)
        for i in IMPORTS
        if i.source.startswith("sim.ui")
        and not any(i.target == allowed or i.target.startswith(allowed + ".") for allowed in UI_MAY_IMPORT)
    ]
    assert wrong == [], "the UI must go through sim.app:\n" + "\n".join(wrong)


# (iv) the decision points are written once -----------------------------------------------------------------------
def decision_point_literals(source: str) -> list[int]:
    """Lines of list/tuple/set literals holding five or more of the strings "D1" … "D10"."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            strings = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if len(strings & DECISION_POINT_STRINGS) >= 5:
                lines.append(node.lineno)
    return lines


def test_the_detector_finds_a_written_out_list_of_decision_points():
    assert decision_point_literals('POINTS = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10")\n') == [1]
    assert decision_point_literals('x = ["D1", "D2", "D4"]\ny = {"D1", "D2", "D3", "D4", "D5"}\n') == [2]
    assert decision_point_literals((SIM / "law" / "decision_points.py").read_text(encoding="utf-8"))  # the one place


def test_the_decision_points_are_listed_only_in_sim_law_decision_points():
    found = [
        f"{module}:{line}"
        for module, path in MODULES.items()
        if module != "sim.law.decision_points"
        for line in decision_point_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use sim.law.decision_points.DECISION_POINTS instead of: " + ", ".join(found)


# (v) few process-wide caches --------------------------------------------------------------------------------------
CACHE_DECORATORS = {"cache", "lru_cache"}


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def module_caches(source: str) -> list[str]:
    """Module-level functions decorated with ``functools.cache``/``lru_cache``, and module-level ``_dicts``
    that functions fill in as memos (``_memo[key] = …`` or ``_memo.setdefault(…)``)."""
    tree = ast.parse(source)
    found = [
        f"@{_decorator_name(d)} {node.name}"
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for d in node.decorator_list
        if _decorator_name(d) in CACHE_DECORATORS
    ]
    dicts = set()
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        value = getattr(node, "value", None)
        is_dict = isinstance(value, ast.Dict) or (isinstance(value, ast.Call) and _decorator_name(value.func) == "dict")
        dicts |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.startswith("_") and is_dict}
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for name in sorted(dicts):
        for function in functions:
            for node in ast.walk(function):
                stored = (
                    isinstance(node, ast.Subscript)
                    and isinstance(node.ctx, ast.Store)
                    and getattr(node.value, "id", None) == name
                )
                filled = (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("setdefault", "update")
                    and getattr(node.func.value, "id", None) == name
                )
                if stored or filled:
                    found.append(f"memo dict {name}")
                    break
            else:
                continue
            break
    return found


def test_the_cache_detector():
    source = (
        "import functools\nfrom functools import cache\n_MEMO = {}\n_TABLE = {'a': 1}\n"
        "@cache\ndef a(): ...\n@functools.lru_cache(maxsize=8)\ndef b(): ...\n"
        "def c(k):\n    _MEMO[k] = 1\n    return _TABLE[k]\n"
        "class K:\n    @cache\n    def m(self): ...\n"
    )
    assert module_caches(source) == ["@cache a", "@lru_cache b", "memo dict _MEMO"]


def test_at_most_three_module_level_caches():
    found = [
        f"{module}: {cache}"
        for module, path in MODULES.items()
        for cache in module_caches(path.read_text(encoding="utf-8"))
    ]
    assert len(found) <= MAX_MODULE_CACHES, "process-wide caches (memoise on the library instead):\n" + "\n".join(found)
    assert "sim.library: @cache packaged_library" in found  # the one packaged library


# (vi) a light import ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("statement", ["import sim", "import sim.cli", "import sim.app.trainee, sim.app.trainer"])
def test_import_sim_loads_no_jupyter_module(statement):
    code = (
        f"{statement}; import sys; "
        "print([m for m in sys.modules if m.startswith(('ipywidgets', 'IPython', 'voila', 'jupyter'))])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
