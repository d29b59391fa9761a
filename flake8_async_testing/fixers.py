"""What each code's fix does: the fixer of every code that has one, and the FIXES table.

A fixer gets one finding (line, column and message as flake8 reported them) and the file's
tree, and answers with edits (spans of the original text and their replacement), `None` where
the code has no fix in this form, or a `Skip` with the reason a fix is not safe here. Text
outside the edited spans (comments, layout, quotes) is never touched.

Safe fixes keep what the test means (it now runs, or runs without a deprecation); unsafe fixes
change what it does (it now awaits, asserts awaits, or gets an AsyncMock) and are applied only
with `--unsafe-fixes`.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Sequence, TypeVar, Union

from .collection import CollectedAs
from .libraries import GET_EVENT_LOOP
from .mock_api import PATCH_APIS, SYNC_MOCK_CLASSES, mock_api_of, patch_replacement
from .names import keyword
from .module_facts import UNITTEST_TESTCASE, as_mark
from .rules.event_loop import ATS405, IN_A_COROUTINE
from .rules.mock_misuse import AWAITED_EQUIVALENTS, CALL_RECORDS
from .source_file import Edit, Report, Skip, SourceFile, is_docstring, last_line, remove_list_item

SAFE = "safe"
UNSAFE = "unsafe"
FixResult = Union[list[Edit], Skip, None]
Fixer = Callable[[SourceFile, Report], FixResult]
T = TypeVar("T")


def _rename_last(file: SourceFile, node: ast.expr, old: str, new: str) -> list[Edit] | Skip:
    """Replace the name an attribute chain or name ends with (`x.y.old` -> `x.y.new`)."""
    end = file.end(node)
    if file.text[end - len(old) : end] != old:
        return Skip(f"'{old}' is not spelled out here")
    return [Edit(end - len(old), end, new)]


def _single(found: Sequence[T], what: str) -> T | Skip:
    if len(found) == 1:
        return found[0]
    return Skip(f"{'no' if not found else 'more than one'} {what} at the reported position")


# -- safe fixes -------------------------------------------------------------------------------


def fix_ats408(file: SourceFile, report: Report) -> FixResult:
    """`pytest.mark.asyncio(scope=...)` -> `loop_scope=`."""
    found = _single(
        [
            node
            for node in file.nodes_at(report, ast.Call)
            if isinstance(node, ast.Call) and _asyncio_mark(node, file) and keyword(node, "scope") is not None
        ],
        "asyncio mark with scope=",
    )
    if isinstance(found, Skip):
        return found
    assert isinstance(found, ast.Call)
    if keyword(found, "loop_scope") is not None:
        return Skip("the mark has both scope= and loop_scope=: remove scope= by hand")
    argument = next(kw for kw in found.keywords if kw.arg == "scope")
    start = file.start(argument)
    if file.text[start : start + len("scope")] != "scope":
        return Skip("scope= is not spelled out here")
    return [Edit(start, start + len("scope"), "loop_scope")]


def _asyncio_mark(node: ast.expr, file: SourceFile) -> bool:
    mark = as_mark(node, file.imports)
    return mark is not None and mark.name == "asyncio"


def fix_ats405(file: SourceFile, report: Report) -> FixResult:
    """`asyncio.get_event_loop()` inside a coroutine -> `asyncio.get_running_loop()`."""
    if (ATS405.parse(report.text) or {}).get("why") != IN_A_COROUTINE:
        return None  # sync code: it has to become async first
    found = _single(
        [
            node
            for node in file.nodes_at(report, ast.Call)
            if isinstance(node, ast.Call) and file.imports.qualified_name(node.func) in GET_EVENT_LOOP
        ],
        "get_event_loop() call",
    )
    if isinstance(found, Skip):
        return found
    assert isinstance(found, ast.Call)
    if not isinstance(file.scope_of(found), ast.AsyncFunctionDef):
        return None  # a lambda or nested sync function: it may run outside the loop
    if found.args or found.keywords:
        return Skip("get_event_loop() has arguments here")
    if isinstance(found.func, ast.Attribute):
        return _rename_last(file, found.func, "get_event_loop", "get_running_loop")
    spelled = file.require("asyncio", "get_running_loop", found, style="from")
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(found.func)
    return [Edit(file.start(found.func), file.end(found.func), spelled)]


def fix_ats203(file: SourceFile, report: Report) -> FixResult:
    """Remove `@pytest.mark.asyncio` from a sync test (a comment on its line stays)."""
    marks = [
        mark
        for definition in file.module.functions.values()
        if not definition.is_async
        for mark in definition.marks
        if mark.name == "asyncio" and (mark.node.lineno, mark.node.col_offset) == (report.line, report.col)
    ]
    found = _single(marks, "asyncio mark on a sync def")
    if isinstance(found, Skip):
        return found
    node = found.node
    first, last = node.lineno, node.end_lineno or node.lineno
    before = file.line_text(first)[: file.start(node) - file.line_starts[first - 1]]
    after = file.text[file.end(node) : file.line_end(last)]
    if not re.fullmatch(r"\s*@\s*", before) or not re.fullmatch(r"\s*(#.*)?", after):
        return Skip("the mark does not stand on lines of its own")
    comment = after.strip()
    start, end = file.line_starts[first - 1], file.next_line_start(last)
    file.replaces_use_of(node)
    if comment:
        indent = before[: len(before) - len(before.lstrip())]
        return [Edit(start, file.line_end(last), indent + comment)]
    return [Edit(start, end, "")]


def fix_ats202(file: SourceFile, report: Report) -> FixResult:
    """`@pytest.fixture` on an async fixture -> `@pytest_asyncio.fixture`, arguments kept."""
    definition = file.definition_at(report)
    if definition is None or not definition.is_plain_async_fixture or definition.fixture_decorator is None:
        return Skip("no async fixture under @pytest.fixture at the reported position")
    decorator = definition.fixture_decorator
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    spelled = file.require("pytest_asyncio", "fixture", definition.node)
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(target)
    return [Edit(file.start(target), file.end(target), spelled)]


def fix_ats201(file: SourceFile, report: Report) -> FixResult:
    """Add the asyncio mark (in the module's spelling of pytest): to the module's `pytestmark`
    where it has one and no sync test (pytest-asyncio warns about a sync test the module's mark
    reaches), else as a decorator above the test."""
    definition = file.definition_at(report)
    if definition is None or not definition.is_async:
        return Skip("no async test at the reported position")
    if file.context.anyio_or_trio_may_run_fixtures:
        return Skip(
            "anyio or trio is at work here (or pytest-asyncio is switched off): add the mark of the framework "
            "that should run the test by hand"
        )
    node = definition.node
    spelled = file.require("pytest", "mark.asyncio", node)
    if isinstance(spelled, Skip):
        return spelled
    pytestmark = _module_pytestmark(file)
    if pytestmark is not None and not _has_sync_tests(file):
        value = pytestmark.value
        if isinstance(value, ast.List) and value.elts:
            return [Edit(file.end(value.elts[-1]), file.end(value.elts[-1]), f", {spelled}")]
        if isinstance(value, ast.List):
            return [Edit(file.start(value) + 1, file.start(value) + 1, spelled)]
        start, end = file.start(value), file.end(value)
        return [Edit(start, start, "["), Edit(end, end, f", {spelled}]")]
    if not file.starts_its_line(node):
        return Skip("the def does not start its line")
    start = file.line_starts[node.lineno - 1]
    return [Edit(start, start, f"{file.indent_of(node)}@{spelled}{file.newline}")]


def _module_pytestmark(file: SourceFile) -> ast.Assign | None:
    """The module's `pytestmark = <mark>` or `= [<marks>]`, if it is a statement of the module
    itself (not under an `if`) and its last assignment."""
    assignments = [
        statement
        for statement in file.tree.body
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        and any(isinstance(target, ast.Name) and target.id == "pytestmark" for target in _targets(statement))
    ]
    if not assignments or not isinstance(assignments[-1], ast.Assign) or len(assignments[-1].targets) != 1:
        return None
    last = assignments[-1]
    marks = file.module.pytestmark
    if not marks.understood or isinstance(last.value, ast.Tuple):
        return None
    return last


def _targets(statement: ast.Assign | ast.AnnAssign | ast.AugAssign) -> list[ast.expr]:
    return list(statement.targets) if isinstance(statement, ast.Assign) else [statement.target]


def _has_sync_tests(file: SourceFile) -> bool:
    context = file.context
    return any(
        not definition.is_async and context.collection.test_kind(definition.node, classes) is CollectedAs.PYTEST
        for definition, classes in context.collection.collected_tests()
    )


def fix_ats205(file: SourceFile, report: Report) -> FixResult:
    """Base class `unittest.TestCase` -> `unittest.IsolatedAsyncioTestCase`."""
    definition = file.definition_at(report)
    owner = file.parents.get(definition.node) if definition is not None else None
    facts = file.module.classes.get(owner) if isinstance(owner, ast.ClassDef) else None
    if facts is None:
        return Skip("no test method of a class at the reported position")
    if UNITTEST_TESTCASE not in facts.base_names:
        return Skip(f"'{facts.node.name}' is a TestCase through another class: change that class's base by hand")
    base = facts.node.bases[facts.base_names.index(UNITTEST_TESTCASE)]
    if isinstance(base, ast.Attribute):
        return _rename_last(file, base, "TestCase", "IsolatedAsyncioTestCase")
    spelled = file.require("unittest", "IsolatedAsyncioTestCase", base, style="from")
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(base)
    return [Edit(file.start(base), file.end(base), spelled)]


# -- unsafe fixes -----------------------------------------------------------------------------


def fix_ats101(file: SourceFile, report: Report) -> FixResult:
    """`await` before the call (in parentheses where the call is part of a longer primary)."""
    calls = [call for call in file.nodes_at(report, ast.Call) if isinstance(call, ast.Call)]
    outermost = [call for call in calls if not _is_primary_part(call, file.parents.get(call))]
    found = _single(outermost or calls, "call")
    if isinstance(found, Skip):
        return found
    if not isinstance(file.scope_of(found), ast.AsyncFunctionDef):
        return Skip("the call is in a lambda, generator expression or nested def, where 'await' cannot go")
    start, end = file.start(found), file.end(found)
    if _is_primary_part(found, file.parents.get(found)):
        return [Edit(start, start, "(await "), Edit(end, end, ")")]
    return [Edit(start, start, "await ")]


def _is_primary_part(node: ast.AST, parent: ast.AST | None) -> bool:
    """`f().x`, `f()[0]`, `f()()`: `await f().x` would await `f().x`."""
    if isinstance(parent, (ast.Attribute, ast.Subscript)):
        return parent.value is node
    return isinstance(parent, ast.Call) and parent.func is node


def fix_ats503(file: SourceFile, report: Report) -> FixResult:
    """`m.assert_called_once_with(...)` -> `m.assert_awaited_once_with(...)`, `m.called` ->
    `m.await_count`, `m.call_args` -> `m.await_args`, and the like."""
    found = _single(
        [
            node.func if isinstance(node, ast.Call) else node
            for node in file.nodes_at(report, (ast.Call, ast.Attribute))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in AWAITED_EQUIVALENTS
            )
            or (isinstance(node, ast.Attribute) and node.attr in CALL_RECORDS)
        ],
        "call assertion or call record",
    )
    if isinstance(found, Skip):
        return found
    assert isinstance(found, ast.Attribute)
    return _rename_last(file, found, found.attr, {**AWAITED_EQUIVALENTS, **CALL_RECORDS}[found.attr])


def fix_ats502(file: SourceFile, report: Report) -> FixResult:
    """The sync mock that replaces an async target -> `AsyncMock` (from the same module)."""
    candidates = [
        node
        for node in file.nodes_at(report, (ast.Assign, ast.AnnAssign, ast.Call))
        if not isinstance(node, ast.Call)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "setattr")
        or mock_api_of(node.func, file.qualified_name_at(node)) in PATCH_APIS
    ]
    found = _single(candidates, "patch or assignment")  # `patch(...).start()`: the patch call
    if isinstance(found, Skip):
        return found
    is_local = file.is_local_at(found)

    mock: ast.expr | None = None
    if isinstance(found, (ast.Assign, ast.AnnAssign)):
        mock = found.value
    elif isinstance(found, ast.Call) and isinstance(found.func, ast.Attribute) and found.func.attr == "setattr":
        mock = found.args[-1] if len(found.args) in (2, 3) else None
    elif isinstance(found, ast.Call):
        api = mock_api_of(found.func, file.qualified_name_at(found))
        if api not in PATCH_APIS:
            return Skip("no patch call at the reported position")
        mock = patch_replacement(found, is_object=api == "patch.object")
        if mock is None:
            new_callable = keyword(found, "new_callable")
            if new_callable is None:
                return Skip("no new= or new_callable= in the patch call")
            return _async_mock_class(file, new_callable, is_local)
    if isinstance(mock, ast.Call):
        return _async_mock_class(file, mock.func, is_local)
    shown = file.source_of(mock) if mock is not None else "?"
    return Skip(f"the sync mock '{shown}' is made elsewhere: make it an AsyncMock where it is created")


def _async_mock_class(file: SourceFile, reference: ast.expr, is_local: Callable[[str | None], bool]) -> FixResult:
    """`Mock` -> `AsyncMock`, `mock.MagicMock` -> `mock.AsyncMock`, `mocker.Mock` -> `mocker.AsyncMock`."""
    api = mock_api_of(reference, file.qualified_name_at(reference))
    if api not in SYNC_MOCK_CLASSES:
        return Skip(f"'{file.source_of(reference)}' is not a Mock class the fix knows")
    if isinstance(reference, ast.Attribute):
        return _rename_last(file, reference, reference.attr, "AsyncMock")
    qualified = file.imports.qualified_name(reference) or ""
    module = qualified.rpartition(".")[0]
    spelled = file.require(module, "AsyncMock", reference, style="from")
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(reference)
    return [Edit(file.start(reference), file.end(reference), spelled)]


def fix_ats402(file: SourceFile, report: Report) -> FixResult:
    """Drop the `event_loop` parameter of an async test or fixture; where the body uses the
    name, bind it first: `event_loop = asyncio.get_running_loop()`."""
    found = _single(
        [node for node in file.nodes_at(report, ast.arg) if isinstance(node, ast.arg) and node.arg == "event_loop"],
        "event_loop parameter",
    )
    if isinstance(found, Skip):
        return found
    function = file.parents.get(file.parents.get(found, found))
    if not isinstance(function, ast.AsyncFunctionDef):
        return None  # a sync requester has no running loop to ask for
    arguments = function.args
    if found not in arguments.args and found not in arguments.kwonlyargs:
        return Skip("event_loop is a positional-only parameter")
    if arguments.kwonlyargs == [found] and arguments.vararg is None:
        return Skip("event_loop is the only keyword-only parameter: remove it and the '*' by hand")
    positional = [*arguments.posonlyargs, *arguments.args]
    defaulted = positional[len(positional) - len(arguments.defaults) :]
    kw_defaulted = [arg for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is not None]
    if found in defaulted or found in kw_defaulted:
        return Skip("event_loop has a default value: remove it by hand")
    if any(isinstance(node, (ast.Global, ast.Nonlocal)) and "event_loop" in node.names for node in ast.walk(function)):
        return Skip("event_loop is declared global or nonlocal")
    body = function.body
    only_a_docstring = len(body) == 1 and is_docstring(body[0])
    first = body[1] if is_docstring(body[0]) and not only_a_docstring else body[0]
    if first.lineno == function.lineno or not file.starts_its_line(first):
        return Skip("the body does not start on a line of its own")
    edits = remove_list_item(file, found)
    if isinstance(edits, Skip):
        return edits
    used = any(
        isinstance(node, ast.Name) and node.id == "event_loop" for statement in body for node in ast.walk(statement)
    )
    if used:
        spelled = file.require("asyncio", "get_running_loop", first)
        if isinstance(spelled, Skip):
            return spelled
        statement = f"event_loop = {spelled}()"
        if only_a_docstring:
            end = file.line_end(last_line(first))
            edits.append(Edit(end, end, f"{file.newline}{file.indent_of(first)}{statement}"))
        else:
            start = file.line_starts[first.lineno - 1]
            edits.append(Edit(start, start, f"{file.indent_of(first)}{statement}{file.newline}"))
    return edits


FIXES: dict[str, tuple[str, Fixer]] = {
    "ATS201": (SAFE, fix_ats201),
    "ATS202": (SAFE, fix_ats202),
    "ATS203": (SAFE, fix_ats203),
    "ATS205": (SAFE, fix_ats205),
    "ATS405": (SAFE, fix_ats405),
    "ATS408": (SAFE, fix_ats408),
    "ATS101": (UNSAFE, fix_ats101),
    "ATS402": (UNSAFE, fix_ats402),
    "ATS502": (UNSAFE, fix_ats502),
    "ATS503": (UNSAFE, fix_ats503),
}
"""The codes that have a fix, and how safe it is."""
