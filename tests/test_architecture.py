"""The layout stays readable: no module-level import cycle, no module over 400
lines, and the core never imports the command line or the terminal libraries.

The import graph is read from the source with `ast`, so the test sees every
module, including those that no other test imports. Imports inside functions
(the lazy ones that keep start-up fast) and under `if TYPE_CHECKING:` are not
edges: they cannot make a cycle when a module is first loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "followup"
MAX_LINES = 400
# Modules that may import Typer or rich; everything else is the core.
TYPER_ALLOWED = ("followup.cli",)
RICH_ALLOWED = ("followup.render",)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((SRC / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports run when the module is loaded: at the top level, or inside a
    top-level `try`/`if` (but not `if TYPE_CHECKING:`)."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                pending.extend(node.body)
            pending.extend(node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                pending.extend(handler.body)
    return found


def imported_names(name: str, path: Path) -> set[str]:
    """Every module (ours or not) that loading `name` imports at once."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in _top_level_imports(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        names.add(target)
        # `from followup.cli import steps` imports the submodule followup.cli.steps.
        names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def graph() -> dict[str, set[str]]:
    """Our modules and the modules of ours each one loads at import time.
    Importing `a.b.c` runs `a` and `a.b` first, so those are edges too."""
    ours = modules()
    edges: dict[str, set[str]] = {}
    for name, path in ours.items():
        targets: set[str] = set()
        for imported in imported_names(name, path):
            parts = imported.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                if prefix in ours and prefix != name and not name.startswith(prefix + "."):
                    targets.add(prefix)
        edges[name] = targets
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_module_level_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_the_graph_sees_relative_and_submodule_imports(tmp_path: Path) -> None:
    tree = ast.parse(
        "from . import sibling\nfrom .pkg import thing\nimport os\n"
        "if TYPE_CHECKING:\n    from followup import hidden\n"
        "def f():\n    from followup import lazy\n"
    )
    imports = [n for n in _top_level_imports(tree)]
    assert len(imports) == 3
    path = tmp_path / "mod.py"
    path.write_text(ast.unparse(tree), encoding="utf-8")
    names = imported_names("followup.store.mod", path)
    assert {"followup.store.sibling", "followup.store.pkg.thing", "os"} <= names
    assert "followup.hidden" not in names and "followup.lazy" not in names


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it into modules with one job each"


def every_import(name: str, path: Path) -> set[str]:
    """Every module `name` imports anywhere: at load time, lazily inside a function,
    or for the type checker. `from followup import render` counts as followup.render."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = imported_names(name, path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_core_imports_neither_typer_nor_rich() -> None:
    for name, path in modules().items():
        every = every_import(name, path)
        if not name.startswith(TYPER_ALLOWED):
            assert not any(m == "typer" or m.startswith(("typer.", "click")) for m in every), f"{name} imports Typer"
        if not name.startswith(RICH_ALLOWED):
            assert not any(m == "rich" or m.startswith("rich.") for m in every), f"{name} imports rich"


def test_only_the_command_line_imports_the_renderer() -> None:
    """The core needs nothing that draws: what it shares with the renderer (escaping
    text and JSON) lives in the core, and the renderer imports it from there."""
    allowed = (*TYPER_ALLOWED, *RICH_ALLOWED)
    for name, path in modules().items():
        if name in allowed or name.startswith(tuple(f"{prefix}." for prefix in allowed)):
            continue
        found = sorted(
            m for m in every_import(name, path) if m == "followup.render" or m.startswith("followup.render.")
        )
        assert not found, f"{name} imports {', '.join(found)}"


def test_every_import_sees_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    path = tmp_path / "mod.py"
    path.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from followup.render import Renderer\n"
        "def f():\n    from followup import render\n    import followup.render.streams\n",
        encoding="utf-8",
    )
    assert {"followup.render", "followup.render.Renderer", "followup.render.streams"} <= every_import(
        "followup.mod", path
    )
