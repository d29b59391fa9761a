"""Mutation test of ATS101 on objects that arrive as fixture parameters: remove one `await`.

The oracle is independent of the plugin's value model: a fixture (any def under a decorator
whose name ends in `fixture`, in a test module or a conftest of the project) is taken to hand
over
  - a client: it yields / returns `AsyncClient(...)` (httpx), directly or as `async with
    AsyncClient(...) as name: yield name`, or its return annotation names `AsyncClient`;
  - a session: the same with `AsyncSession`, or `async with <a name bound to
    async_sessionmaker(...)>() as name`;
  - an AsyncMock: it returns / yields `AsyncMock(...)` or `mocker.AsyncMock(...)`;
  - an instance of a project class: it returns / yields `ClassName(...)` for a class of the
    project's own (non-test) modules with `async def` methods;
and only where the fixture name is defined once in the project (no override to choose between).
Parameters the test annotates count too (shown apart: the plugin knew those before it followed
fixture values).
For every `await param.method(...)` in a test of that project, where `param` requests such a
fixture and `method` is an async method of what it hands over (any method for an AsyncMock),
standing where RULES.md says a missing await must be found (an expression statement, an
assignment to a name, an assert, a comparison, an if/while test), one mutant removes that
`await`; it counts as flagged when flake8 (run from the project's root, ATS101 only) reports
ATS101 on the call's line.

Usage: python tools/mutate_fixtures.py [CORPUS_SRC ...] [--show-missed]   (run by hand;
default /tmp/ats-corpus/src)
"""

from __future__ import annotations

import argparse
import ast
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutate_await import (  # noqa: E402
    CLIENT_METHODS,
    await_removed_is_flagged,
    count,
    in_checked_position,
    parsed_test_files,
    print_totals,
)
from mutate_mocks import project_classes  # noqa: E402

ANY_METHOD = "*"


def _last_name(node: ast.AST | None) -> str | None:
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _is_fixture(function: ast.AST) -> bool:
    return any((_last_name(d) or "").endswith("fixture") for d in getattr(function, "decorator_list", []))


def _fixture_name(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return function.name


def handed_over(function: ast.AST, classes: dict[str, tuple[set[str], list[str]]]) -> str | None:
    """`AsyncClient`, `AsyncSession`, `AsyncMock` or a project class name; None when unsure."""
    returns = getattr(function, "returns", None)
    annotated = ast.unparse(returns) if returns is not None else ""
    for kind in CLIENT_METHODS:
        if kind in annotated:
            return kind
    sessionmakers: set[str] = set()
    entered: dict[str, str] = {}
    kinds: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _last_name(node.value) == "async_sessionmaker":
            sessionmakers.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                made = _made(item.context_expr, sessionmakers)
                if made and isinstance(item.optional_vars, ast.Name):
                    entered[item.optional_vars.id] = made
        elif isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Name):
                kinds.add(entered.get(value.id, "?"))
            else:
                kinds.add(_made(value, sessionmakers) or "?")
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind in CLIENT_METHODS or kind == "AsyncMock":
        return kind
    return kind if kind in classes and _async_methods(kind, classes) else None


def _made(expr: ast.expr, sessionmakers: set[str]) -> str | None:
    if not isinstance(expr, ast.Call):
        return None
    name = _last_name(expr.func)
    if isinstance(expr.func, ast.Name) and expr.func.id in sessionmakers:
        return "AsyncSession"
    return name


def _async_methods(name: str, classes: dict[str, tuple[set[str], list[str]]], depth: int = 0) -> set[str]:
    methods, bases = classes.get(name, (set(), []))
    found = set(methods)
    if depth < 5:
        for base in bases:
            found |= _async_methods(base, classes, depth + 1)
    return found


def fixtures_of(project: Path, classes) -> dict[str, str]:
    """Fixture name -> what it hands over, for names defined once in the project's test files."""
    definitions: dict[str, list[str | None]] = collections.defaultdict(list)
    for _, _, tree in parsed_test_files(project):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_fixture(node):
                definitions[_fixture_name(node)].append(handed_over(node, classes))
    return {name: kinds[0] for name, kinds in definitions.items() if len(kinds) == 1 and kinds[0]}


def sites(tree: ast.Module, fixtures: dict[str, str], classes):
    """(await node, parent, kind) for awaits of fixture-provided objects' async methods in tests."""
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    for function in ast.walk(tree):
        is_test = isinstance(function, ast.AsyncFunctionDef) and function.name.startswith("test")
        if not is_test or _is_fixture(function):
            continue
        annotated = {arg.arg for arg in function.args.args if arg.annotation is not None}
        arguments = {arg.arg for arg in function.args.args}
        for node in ast.walk(function):
            if not (isinstance(node, ast.Await) and isinstance(node.value, ast.Call)):
                continue
            func = node.value.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
                continue
            receiver, method = func.value.id, func.attr
            kind = fixtures.get(receiver) if receiver in arguments else None
            if kind is None or _rebound(function, receiver):
                continue
            if kind == "AsyncMock":
                allowed = {ANY_METHOD}
            else:
                allowed = CLIENT_METHODS.get(kind) or _async_methods(kind, classes)
            if method in allowed or (ANY_METHOD in allowed and not method.startswith(("assert_", "_"))):
                label = kind if kind in CLIENT_METHODS or kind == "AsyncMock" else "project class"
                yield node, parents.get(node), label + (", annotated parameter" if receiver in annotated else "")


def _passed_on(parent: ast.AST | None, tree: ast.Module) -> bool:
    """`x = await f()` and later `g(x)`: RULES.md keeps ATS101 silent for a coroutine bound to
    a name that is passed on, so such a site is not a mutant the rule must find."""
    if not (isinstance(parent, ast.Assign) and isinstance(parent.targets[0], ast.Name)):
        return False
    name = parent.targets[0].id
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            if any(isinstance(a, ast.Name) and a.id == name for a in arguments):
                return True
    return False


def _rebound(function: ast.AST, name: str) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=["/tmp/ats-corpus/src"])
    parser.add_argument("--show-missed", action="store_true")
    options = parser.parse_args()
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    missed: list[str] = []
    for corpus in options.corpora:
        for project in sorted(Path(corpus).iterdir()):
            if not project.is_dir():
                continue
            classes = project_classes(project)
            fixtures = fixtures_of(project, classes)
            if not fixtures:
                continue
            for path, original, tree in parsed_test_files(project):
                for node, parent, kind in sites(tree, fixtures, classes):
                    if not in_checked_position(node, parent):
                        continue
                    if _passed_on(parent, tree):
                        totals["(not mutated) bound, then passed on as an argument"]["mutants"] += 1
                        continue
                    hit = await_removed_is_flagged(project, path, original, node)
                    if hit is None:
                        continue
                    count(totals, (project.name, "(by kind) " + kind), hit)
                    if not hit:
                        missed.append(f"{path}:{node.lineno}: {ast.unparse(parent) if parent else ''}"[:200])
    print_totals(totals)
    if options.show_missed:
        print("\nmissed:")
        print("\n".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
