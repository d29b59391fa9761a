"""Mutation test of ATS101 on real suites: remove one `await`, does the plugin notice?

For every corpus test file, every `await` of
  (a) a call of an `async def` of the same module (a module-level or nested function by name,
      or a method of the enclosing class through `self.`/`cls.`), or
  (b) a call of an httpx `AsyncClient` or SQLAlchemy `AsyncSession` method on a name the same
      function binds by `async with AsyncClient(...) as name` / `name = AsyncClient(...)` /
      an annotated parameter,
whose await stands where RULES.md says a missing await must be found (an expression
statement, an assignment to a name, an assert, a comparison, an if/while test) becomes one
mutant: the file with that single `await` removed. Each mutant is written over the file (the
original is put back at once), flake8 runs on it from the project's root with only ATS1xx, and
the mutant counts as flagged when ATS101 is reported on the call's line.

Sites whose await stands where RULES.md says the plugin must stay silent (returned, passed as
an argument, yielded, in a container...) are counted and shown, not mutated.

Usage: python tools/mutate_await.py [CORPUS_SRC] [--limit-per-project N] [--show-missed]
(default /tmp/ats-corpus/src; fetch it with ../shared/corpus/fetch.sh). Run by hand.
"""

from __future__ import annotations

import argparse
import ast
import collections
import re
import subprocess
import sys
from pathlib import Path

CLIENT_METHODS = {
    "AsyncClient": {"get", "post", "put", "patch", "delete", "head", "options", "request", "send"},
    "AsyncSession": {
        "execute",
        "scalar",
        "scalars",
        "get",
        "commit",
        "rollback",
        "flush",
        "refresh",
        "delete",
        "merge",
    },
}
CHECKED_POSITIONS = (ast.Expr, ast.Assign, ast.Assert, ast.Compare, ast.If, ast.While)


def test_files(project: Path) -> list[Path]:
    found = []
    for path in project.rglob("*.py"):
        relative = path.relative_to(project)
        if any(part.startswith(".") for part in relative.parts):
            continue
        name = path.name
        in_tests = any(part in ("tests", "test") for part in relative.parts[:-1])
        if in_tests or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
            found.append(path)
    return sorted(found)


def parsed_test_files(project: Path):
    """(path, original bytes, tree) for each test file of a project that parses."""
    for path in test_files(project):
        original = path.read_bytes()
        try:
            yield path, original, ast.parse(original)
        except (SyntaxError, ValueError):
            continue


class SiteFinder(ast.NodeVisitor):
    """Collect (await node, parent node, kind) for the awaits the mutation may remove."""

    def __init__(self, tree: ast.Module) -> None:
        self.module = tree
        self.sites: list[tuple[ast.Await, ast.AST, str]] = []
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.class_methods: dict[ast.ClassDef, set[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                self.class_methods[node] = {
                    item.name
                    for item in node.body
                    if isinstance(item, ast.AsyncFunctionDef)
                    and not _is_generator(item)
                    and all(_decorator_name(d) in ("staticmethod", "classmethod") for d in item.decorator_list)
                }
        self.visit(tree)

    def visit_Await(self, node: ast.Await) -> None:
        call = node.value
        if isinstance(call, ast.Call):
            kind = self._kind(node, call)
            if kind is not None:
                self.sites.append((node, self.parents.get(node), kind))
        self.generic_visit(node)

    def _kind(self, node: ast.Await, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Name):
            definition = self._definition_of(func.id, node)
            if isinstance(definition, ast.AsyncFunctionDef) and not definition.decorator_list:
                return None if _is_generator(definition) else "same-module function"
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            function = self._enclosing_function(node)
            if func.value.id in ("self", "cls") and function is not None:
                cls = self.parents.get(function)
                if isinstance(cls, ast.ClassDef) and func.attr in self.class_methods.get(cls, ()):
                    return "same-module method"
            if function is not None:
                client = _client_kind(function, func.value.id)
                if client is not None and func.attr in CLIENT_METHODS[client]:
                    return f"{client} method"
        return None

    def _definition_of(self, name: str, node: ast.AST) -> ast.AST | None:
        """What a bare name refers to at `node`: a def, a parameter or an assignment in an
        enclosing function (innermost first), else a module-level def; None if unknown."""
        scope = self._enclosing_function(node)
        while scope is not None:
            parameters = {arg.arg for arg in ast.walk(scope.args) if isinstance(arg, ast.arg)}  # type: ignore
            if name in parameters:
                return scope.args  # type: ignore[attr-defined]
            for child in _own_statements(scope):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child.name == name:
                    return child
                if isinstance(child, ast.Name) and child.id == name and isinstance(child.ctx, ast.Store):
                    return child
            scope = self._enclosing_function(scope)
        found = None
        for child in self.module.body:
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child.name == name:
                found = child
            elif isinstance(child, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name) == name for a in child.names
            ):
                found = None
        return found

    def _enclosing_function(self, node: ast.AST) -> ast.AST | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None


def _own_statements(function: ast.AST):
    """Nodes of a function's body, not descending into nested functions or classes."""
    stack = list(function.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _decorator_name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else ""


def _is_generator(function: ast.AST) -> bool:
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _class_name(expr: ast.AST) -> str | None:
    if isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    return None


def _client_kind(function: ast.AST, name: str) -> str | None:
    """AsyncClient / AsyncSession when the function binds `name` to one, syntactically."""
    for arg in function.args.args + function.args.kwonlyargs:  # type: ignore[attr-defined]
        if arg.arg == name and arg.annotation is not None and _class_name(arg.annotation) in CLIENT_METHODS:
            return _class_name(arg.annotation)
    for node in ast.walk(function):
        if isinstance(node, ast.AsyncWith):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                    if isinstance(item.context_expr, ast.Call) and _class_name(item.context_expr) in CLIENT_METHODS:
                        return _class_name(item.context_expr)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            if isinstance(node.value, ast.Call) and _class_name(node.value) in CLIENT_METHODS:
                return _class_name(node.value)
    return None


def in_checked_position(await_node: ast.Await, parent: ast.AST | None) -> bool:
    if isinstance(parent, ast.Expr):
        return True
    if isinstance(parent, ast.Assign):
        return parent.value is await_node and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)
    if isinstance(parent, (ast.Assert, ast.If, ast.While)):
        return parent.test is await_node
    if isinstance(parent, ast.Compare):
        return True
    return False


def mutate(source_lines: list[str], node: ast.Await) -> list[str] | None:
    """Remove `await ` (and following spaces) where the node starts; None if not one line."""
    call = node.value
    if node.lineno != call.lineno:
        return None
    line = source_lines[node.lineno - 1]
    encoded = line.encode("utf-8")
    start, end = node.col_offset, call.col_offset
    if not encoded[start:end].strip() == b"await":
        return None
    mutated = list(source_lines)
    mutated[node.lineno - 1] = (encoded[:start] + encoded[end:]).decode("utf-8")
    return mutated


def await_removed_is_flagged(project: Path, path: Path, original: bytes, node: ast.Await) -> bool | None:
    """Write the file with that one `await` removed, run flake8, put the file back: is ATS101
    reported on the call's line? None when the await cannot be removed on one line."""
    mutated = mutate(original.decode("utf-8").splitlines(keepends=True), node)
    if mutated is None:
        return None
    try:
        path.write_text("".join(mutated), encoding="utf-8")
        return node.value.lineno in flagged_lines(project, path)
    finally:
        path.write_bytes(original)


def flagged_lines(project: Path, path: Path, code: str = "ATS101") -> set[int]:
    """Lines where flake8, run from the project's root, reports `code` in the file."""
    return {line for line, found in findings(project, path, code) if found == code}


def findings(project: Path, path: Path, select: str) -> set[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", select, str(path.relative_to(project))],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode not in (0, 1) or "Traceback" in result.stderr:
        raise RuntimeError(f"flake8 failed on {path}: {result.stderr[-2000:]}")
    return {(int(line), code) for line, code in re.findall(r"^[^:]+:(\d+):\d+: (ATS\d+)", result.stdout, re.M)}


def count(totals: dict[str, collections.Counter[str]], keys: tuple[str, ...], hit: bool) -> None:
    for key in keys:
        totals[key]["mutants"] += 1
        totals[key]["flagged" if hit else "missed"] += 1


def print_totals(totals: dict[str, collections.Counter[str]]) -> tuple[int, int]:
    """One row per project, then per `(by kind) ...` and other `(...)` rows; (flagged, mutants)."""
    print(f"{'project / kind':55} {'mutants':>8} {'flagged':>8} {'rate':>7}")
    for name in sorted(totals, key=lambda n: (n.startswith("("), not n.startswith("(by kind)"), n)):
        counts = totals[name]
        rate = f"{counts['flagged'] / counts['mutants']:7.1%}" if counts["flagged"] or counts["missed"] else ""
        print(f"{name:55} {counts['mutants']:8d} {counts['flagged']:8d} {rate}")
    mutants = sum(c["mutants"] for n, c in totals.items() if not n.startswith("("))
    flagged = sum(c["flagged"] for n, c in totals.items() if not n.startswith("("))
    print(f"\nTOTAL: {flagged}/{mutants} mutants flagged on the right line ({flagged / max(mutants, 1):.1%})")
    return flagged, mutants


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="/tmp/ats-corpus/src")
    parser.add_argument("--limit-per-project", type=int, default=0, help="at most N mutants per project (0: all)")
    parser.add_argument("--show-missed", action="store_true")
    options = parser.parse_args()

    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    skipped_positions: collections.Counter[str] = collections.Counter()
    missed: list[str] = []
    for project in sorted(Path(options.corpus).iterdir()):
        if not project.is_dir():
            continue
        made = 0
        for path, original, tree in parsed_test_files(project):
            for node, parent, kind in SiteFinder(tree).sites:
                if options.limit_per_project and made >= options.limit_per_project:
                    break
                if not in_checked_position(node, parent):
                    skipped_positions[type(parent).__name__] += 1
                    continue
                hit = await_removed_is_flagged(project, path, original, node)
                if hit is None:
                    continue
                made += 1
                count(totals, (project.name, "(by kind) " + kind), hit)
                if not hit:
                    missed.append(f"{path}:{node.lineno}: {ast.unparse(parent) if parent else ''}"[:200])
    print_totals(totals)
    print(f"not mutated (the await stands where RULES.md says to stay silent): {dict(skipped_positions)}")
    if options.show_missed:
        print("\nmissed:")
        print("\n".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
