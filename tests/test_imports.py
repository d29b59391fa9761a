"""The package's modules import each other without a cycle, delayed imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "flake8_async_testing"


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_imports(path: Path, package_folder: Path = PACKAGE) -> set[str]:
    """Modules of the package this file imports anywhere: in functions too, and those imported
    for type checking only (a cycle of types is a cycle a reader has to follow too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = module_name(path, package_folder)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else node.module if not node.level else base
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                is_module = (package_folder.parent / Path(*candidate.split("."))).with_suffix(".py").exists()
                found.add(candidate if is_module else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name and name.split(".")[0] == package_folder.name and name != own}


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): package_imports(path) for path in PACKAGE.rglob("*.py")}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        trail.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "open":
                return trail[trail.index(imported) :] + [imported]
            if imported not in state:
                found = visit(imported)
                if found:
                    return found
        trail.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert "flake8_async_testing.semantic_model" in graph
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


@pytest.mark.parametrize(
    "graph, cycle",
    [
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ],
)
def test_find_cycle_finds_cycles(graph, cycle):
    assert find_cycle(graph) == cycle


def test_imports_inside_functions_and_type_checking_ones_count(tmp_path):
    package = tmp_path / "flake8_async_testing"
    package.mkdir()
    for name in ("bindings", "values", "walk"):
        (package / f"{name}.py").write_text("", encoding="utf-8")
    source = package / "x.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .walk import Walk\n"
        "def f():\n    from .bindings import Frame\n    from . import values\n",
        encoding="utf-8",
    )
    assert package_imports(source, package) == {
        "flake8_async_testing.bindings",
        "flake8_async_testing.values",
        "flake8_async_testing.walk",
    }
