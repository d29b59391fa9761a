"""Mutation test of ATS501-ATS503 on real suites: put a sync mock where an AsyncMock was.

Sites, in the corpus's test files:
  - an `AsyncMock` given to `patch(...)` / `patch.object(...)` / `mocker.patch*` as `new` (or
    `new_callable=AsyncMock`), or to `monkeypatch.setattr`: expect ATS502 on the patch line;
  - an `AsyncMock` assigned over an attribute (`obj.method = AsyncMock()`): expect ATS502 there;
  - an `AsyncMock` bound to a name that the same function awaits a call of: expect ATS501 on
    the first such `await`;
  - `assert_awaited*` calls on a mock: all of one mock's in a function become the matching
    `assert_called*`: expect ATS503 on the first.
Each mutant replaces `AsyncMock` by `MagicMock` (adding `from unittest.mock import MagicMock` at
the end of the file, so no line moves) or the awaited assertions by called ones, is written over
the file (the original is put back at once) and checked by flake8 from the project's root.

Usage: python tools/mutate_mocks.py [CORPUS_SRC] [--show-missed]   (run by hand)
"""

from __future__ import annotations

import argparse
import ast
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutate_await import count, findings, parsed_test_files, print_totals, test_files  # noqa: E402

AWAITED_TO_CALLED = {
    "assert_awaited": "assert_called",
    "assert_awaited_once": "assert_called_once",
    "assert_awaited_with": "assert_called_with",
    "assert_awaited_once_with": "assert_called_once_with",
    "assert_any_await": "assert_any_call",
    "assert_has_awaits": "assert_has_calls",
}
PATCHERS = ("patch", "object")


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _function_of(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
    return None


def _imports_async_mock(tree: ast.Module) -> bool:
    """`AsyncMock` is unittest.mock's (a project may define a class of that name)."""
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module in ("unittest.mock", "mock")
        and any(alias.name == "AsyncMock" and not alias.asname for alias in node.names)
        for node in tree.body
    )


def _is_async_mock(reference: ast.expr, imported: bool) -> bool:
    if isinstance(reference, ast.Name):
        return reference.id == "AsyncMock" and imported
    return isinstance(reference, ast.Attribute) and reference.attr == "AsyncMock"


PROJECT_CLASSES: dict[str, tuple[set[str], list[str]]] = {}
"""Classes of the project's own (non-test) code by name: their async methods and base names."""


def _async_methods_of(name: str, depth: int = 0) -> set[str]:
    methods, bases = PROJECT_CLASSES.get(name, (set(), []))
    found = set(methods)
    if depth < 5:
        for base in bases:
            found |= _async_methods_of(base, depth + 1)
    return found


def _constructed_class(receiver: ast.expr, statement: ast.AST, parents) -> str | None:
    """The project class a plain name was built from in the same function (`c = pkg.Client()`)."""
    if not isinstance(receiver, ast.Name):
        return None
    function = _function_of(statement, parents)
    for node in ast.walk(function) if function is not None else ():
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == receiver.id for t in node.targets)
            and isinstance(node.value, ast.Call)
            and _name(node.value.func) in PROJECT_CLASSES
        ):
            return _name(node.value.func)
    return None


SKIPPED = collections.Counter()
"""Sites that are not of the kinds the rules target (no known async method is replaced)."""
EQUIVALENT = collections.Counter()
"""Sites not mutated because a sync mock would behave the same (it raises before any await)."""


def sites(tree: ast.Module):
    """(kind, [(line, col_start, col_end, replacement)], expected line, expected code)."""
    parents = _parents(tree)
    imported = _imports_async_mock(tree)
    found = []
    for node in ast.walk(tree):
        reference = None
        if isinstance(node, ast.Call) and _is_async_mock(node.func, imported):
            if any(keyword.arg == "side_effect" for keyword in node.keywords):
                EQUIVALENT["AsyncMock(side_effect=...)"] += 1
                continue
            if any(
                keyword.arg == "return_value" and not _surely_not_awaitable(keyword.value) for keyword in node.keywords
            ):
                SKIPPED[
                    "AsyncMock(return_value=<a name or call>): a MagicMock returning it may be awaitable, "
                    "ATS501/502 stay silent by design"
                ] += 1
                continue
            if node.args or any(keyword.arg in ("spec", "spec_set") for keyword in node.keywords):
                EQUIVALENT["AsyncMock(spec=...): MagicMock(spec=...) makes async methods AsyncMocks too"] += 1
                continue
            reference = node.func
        elif isinstance(node, ast.keyword) and node.arg == "new_callable" and _is_async_mock(node.value, imported):
            patch_call = parents.get(node)
            if isinstance(patch_call, ast.Call) and any(k.arg == "side_effect" for k in patch_call.keywords):
                EQUIVALENT["patch(new_callable=AsyncMock, side_effect=...)"] += 1
                continue
            reference = node.value
        if reference is not None:
            site = _async_mock_site(node, reference, parents)
            if site is not None:
                found.append(site)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in AWAITED_TO_CALLED:
            if not _bound_in_the_test(node.func.value, node, parents):
                SKIPPED[
                    "assert_awaited* on a mock reached only through the code under test "
                    "(e.g. s.eio.send after eio.return_value.send = AsyncMock())"
                ] += 1
                continue
            if _still_checks_awaiting(node, parents):
                SKIPPED[
                    "assert_awaited* on a mock the test also checks with await_count / await_args / "
                    "assert_not_awaited (ATS503 stays silent there by design)"
                ] += 1
                continue
            found.append(("assert_awaited -> assert_called", _assertion_edits(node, parents), node.lineno, "ATS503"))
    unique = {}
    for kind, edits, line, code in found:
        unique.setdefault((tuple(edits), code), (kind, edits, line, code))
    return list(unique.values())


def _surely_not_awaitable(value: ast.expr) -> bool:
    """A literal or a mock object: no mock class supports `__await__`."""
    if isinstance(value, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.Set, ast.JoinedStr)):
        return True
    return isinstance(value, ast.Call) and _name(value.func) in ("Mock", "MagicMock", "AsyncMock", "NonCallableMock")


def _edit_reference(reference: ast.expr) -> tuple[int, int, int, str]:
    end = reference.end_col_offset
    return (reference.lineno, end - len("AsyncMock"), end, "MagicMock")  # type: ignore[operator]


def _async_mock_site(node, reference, parents):
    edit = [_edit_reference(reference)]
    holder = parents.get(node)
    call = holder if isinstance(node, ast.keyword) else node
    parent = parents.get(call) if not isinstance(node, ast.keyword) else holder
    if isinstance(node, ast.keyword) or (
        isinstance(parent, ast.Call) and _name(parent.func) in PATCHERS + ("setattr",)
    ):
        patch_call = holder if isinstance(node, ast.keyword) else parent
        if _name(patch_call.func) in PATCHERS + ("setattr",):
            return ("AsyncMock given to patch/setattr", edit, patch_call.lineno, "ATS502")
        return None
    if isinstance(parent, ast.keyword) and parent.arg == "new":
        patch_call = parents.get(parent)
        if isinstance(patch_call, ast.Call) and _name(patch_call.func) in PATCHERS:
            return ("AsyncMock given to patch/setattr", edit, patch_call.lineno, "ATS502")
        return None
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, ast.Attribute):
            owner_class = _constructed_class(target.value, parent, parents)
            if owner_class is None or target.attr not in _async_methods_of(owner_class):
                SKIPPED[
                    "AsyncMock over an attribute whose owner is not a constructed project object "
                    "with that async method (no known target)"
                ] += 1
                return None
            return ("AsyncMock assigned over an async method", edit, parent.lineno, "ATS502")
        if isinstance(target, ast.Name):
            function = _function_of(parent, parents)
            awaits = [
                node
                for node in (ast.walk(function) if function is not None else ())
                if isinstance(node, ast.Await)
                and isinstance(node.value, ast.Call)
                and _root(node.value.func) == target.id
                and node.lineno > parent.lineno
            ]
            if awaits:
                return ("awaited AsyncMock", edit, min(a.lineno for a in awaits), "ATS501")
    return None


def _root(expr):
    while isinstance(expr, (ast.Attribute, ast.Call)):
        expr = expr.func if isinstance(expr, ast.Call) else expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _bound_in_the_test(receiver: ast.expr, call: ast.AST, parents) -> bool:
    """The asserted mock is one the test itself names: assigned (`x = ...`, `obj.x = ...`),
    bound by `with ... as x`, or a parameter (fixture, @patch argument), in the test function
    or in a setUp-like method of its class."""
    text = ast.unparse(receiver)
    function = _function_of(call, parents)
    scopes = [function] if function is not None else []
    owner = parents.get(function) if function is not None else None
    if isinstance(owner, ast.ClassDef):
        scopes += [
            item
            for item in owner.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            and item.name in ("setUp", "asyncSetUp", "setup_method")
        ]
    for scope in scopes:
        if text in {arg.arg for arg in ast.walk(scope.args) if isinstance(arg, ast.arg)}:
            return True
        for node in ast.walk(scope):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
            if any(ast.unparse(target) == text for target in targets):
                return True
    return False


STILL_AWAITED = ("await_count", "await_args", "await_args_list", "assert_not_awaited")


def _still_checks_awaiting(call: ast.Call, parents) -> bool:
    receiver = ast.unparse(call.func.value)
    function = _function_of(call, parents)
    return any(
        isinstance(node, ast.Attribute) and node.attr in STILL_AWAITED and ast.unparse(node.value) == receiver
        for node in (ast.walk(function) if function is not None else ())
    )


def _assertion_edits(call: ast.Call, parents):
    """Every awaited assertion on the same receiver in the function becomes a called one."""
    receiver = ast.unparse(call.func.value)
    function = _function_of(call, parents)
    edits = []
    for node in ast.walk(function) if function is not None else [call]:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in AWAITED_TO_CALLED
            and ast.unparse(node.func.value) == receiver
        ):
            end = node.func.end_col_offset
            edits.append((node.func.end_lineno, end - len(node.func.attr), end, AWAITED_TO_CALLED[node.func.attr]))
    return sorted(edits)


def project_classes(project: Path) -> dict[str, tuple[set[str], list[str]]]:
    tests = set(test_files(project))
    classes: dict[str, tuple[set[str], list[str]]] = {}
    for path in project.rglob("*.py"):
        if path in tests:
            continue
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                methods, bases = classes.setdefault(node.name, (set(), []))
                methods.update(item.name for item in node.body if isinstance(item, ast.AsyncFunctionDef))
                bases.extend(name for name in map(_name, node.bases) if name)
    return classes


def apply(source: str, edits) -> str:
    lines = source.splitlines(keepends=True)
    for line, start, end, text in sorted(edits, reverse=True):
        encoded = lines[line - 1].encode("utf-8")
        lines[line - 1] = (encoded[:start] + text.encode("utf-8") + encoded[end:]).decode("utf-8")
    mutated = "".join(lines)
    if any(text == "MagicMock" for *_, text in edits):
        mutated = mutated.rstrip("\n") + "\nfrom unittest.mock import MagicMock  # noqa: E402\n"
    return mutated


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="/tmp/ats-corpus/src")
    parser.add_argument("--show-missed", action="store_true")
    options = parser.parse_args()
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    missed = []
    for project in sorted(Path(options.corpus).iterdir()):
        if not project.is_dir():
            continue
        PROJECT_CLASSES.clear()
        PROJECT_CLASSES.update(project_classes(project))
        for path, original, tree in parsed_test_files(project):
            for kind, edits, line, code in sites(tree):
                try:
                    path.write_text(apply(original.decode("utf-8"), edits), encoding="utf-8")
                    hit = (line, code) in findings(project, path, "ATS5")
                finally:
                    path.write_bytes(original)
                count(counts, (project.name, "(by kind) " + kind), hit)
                if not hit:
                    missed.append(f"{path}:{line}: expected {code} ({kind})")
    print_totals(counts)
    print(f"sites not mutated (a sync mock would behave the same): {dict(EQUIVALENT)}")
    print(f"sites not mutated (not a kind the rules target): {dict(SKIPPED)}")
    if options.show_missed:
        print("\n".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
