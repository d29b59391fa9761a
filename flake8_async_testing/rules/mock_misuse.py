"""ATS5xx: a sync Mock where an AsyncMock is needed.

`await` on what a `Mock` / `MagicMock` returns raises "object MagicMock can't be used in
'await' expression"; an async function patched with one breaks the code under test the same
way; `assert_called*` on an `AsyncMock` passes although nothing awaited it; a mock whose
return value is one coroutine object fails on the second await. Mocks are followed through
names, attributes and `return_value` chains, `with patch(...) as m`, `@patch` arguments,
`mocker`, and fixtures of the module that return one (the semantic model follows them).
Anything configured in a way the plugin cannot see through (a spec, a computed return value or
side effect) keeps the rules silent.
"""

from __future__ import annotations

import ast

from ..mock_api import CONFIGURING_KEYWORDS, PATCH_APIS, RECONFIGURING_METHODS, SYNC_MOCK_CLASSES, patch_replacement
from ..names import keyword as keyword_value
from ..names import path_of, root_name
from ..scopes import Frame
from ..module_facts import own_nodes
from ..values import ASYNC, RETURN, SYNC, UNKNOWN
from .base import Code, RuleFamily

ATS501 = Code(
    "ATS501",
    "'{call}' is a {kind} and its result is awaited: TypeError \"object {kind} can't be used in 'await' "
    'expression"; use AsyncMock (or give it an async spec)',
    "await on a call of a sync Mock / MagicMock",
)
ATS502 = Code(
    "ATS502",
    "async '{target}' is replaced by a sync {kind}: the code under test awaits it and fails with \"object {kind} "
    "can't be used in 'await' expression\"; use AsyncMock, or patch() without new / new_callable",
    "an async function or method patched with a sync Mock / MagicMock",
)
ATS503 = Code(
    "ATS503",
    "'{call}' on AsyncMock '{mock}' ({basis}) passes even if it was never awaited; use {fix}",
    "assert_called* or called / call_count / call_args checks on an AsyncMock",
)
ATS504 = Code(
    "ATS504",
    "mock returns the coroutine object '{call}(...)': the first await uses it up and the next fails with "
    "'cannot reuse already awaited coroutine'; use AsyncMock(return_value=<the value>)",
    "a mock whose return_value is a coroutine object",
)

AWAITED_EQUIVALENTS = {
    "assert_called": "assert_awaited",
    "assert_called_once": "assert_awaited_once",
    "assert_called_with": "assert_awaited_with",
    "assert_called_once_with": "assert_awaited_once_with",
    "assert_any_call": "assert_any_await",
    "assert_has_calls": "assert_has_awaits",
}
"""Each call assertion ATS503 reports, and the AsyncMock assertion that checks awaits instead
(same arguments); the fix command renames one to the other."""
CALLED_ASSERTIONS = frozenset(AWAITED_EQUIVALENTS)
AWAITED_CHECKS = frozenset(
    {
        "assert_awaited",
        "assert_awaited_once",
        "assert_awaited_with",
        "assert_awaited_once_with",
        "assert_any_await",
        "assert_has_awaits",
        "assert_not_awaited",
        "await_count",
        "await_args",
        "await_args_list",
    }
)
CALL_RECORDS = {
    "called": "await_count",
    "call_count": "await_count",
    "call_args": "await_args",
    "call_args_list": "await_args_list",
}
"""What a mock records of its calls, and the awaited twin to check instead (`assert m.called`
-> `assert m.await_count`); the fix command renames one to the other."""
CALLED_ASSERTION_FIX = "the matching assert_awaited* (assert_awaited_once_with, ...)"
CalledAssertion = tuple[ast.expr, str, tuple[str, ...], str, str]
"""(the call or attribute, the mock's root name, its path, the assertion or attribute, what
the plugin's knowledge that it is an AsyncMock rests on)."""
MADE_ASYNC_MOCK = "made as one"


class Assertions:
    """What one function asserts of mocks: ATS503 waits for its end, to know whether the test
    checks awaiting some other way."""

    __slots__ = ("called", "awaited_checks")

    def __init__(self) -> None:
        self.called: list[CalledAssertion] = []
        self.awaited_checks: set[tuple[str, tuple[str, ...]]] = set()


class MockMisuse(RuleFamily):
    codes = (ATS501, ATS502, ATS503, ATS504)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._assertions: dict[Frame, Assertions] = {}

    def _assertions_here(self) -> Assertions:
        frame = self.model.statement_frame
        found = self._assertions.get(frame)
        if found is None:
            found = self._assertions[frame] = Assertions()
        return found

    def on_frame_exit(self, frame: Frame) -> None:
        """ATS503 is decided when the function ends: a later assert_awaited* on the same mock,
        or `await_count`, means the test checks awaiting after all."""
        state = self._assertions.pop(frame, None)
        if state is None or not frame.may_await:
            return  # nothing here can await the mock: a call is all there is to assert
        for call, root, path, assertion, basis in state.called:
            if (root, path) not in state.awaited_checks:
                fix = CALL_RECORDS.get(assertion, CALLED_ASSERTION_FIX)
                self.report(ATS503, call, call=assertion, mock=".".join((root, *path)), basis=basis, fix=fix)

    # -- attributes set on mocks and objects ---------------------------------------------

    def enter_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute):
                self._check_attribute_assignment(target, node.value, node)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, ast.Attribute):
            self._check_attribute_assignment(node.target, node.value, node)

    def _check_attribute_assignment(self, target: ast.Attribute, value: ast.expr, statement: ast.stmt) -> None:
        """ATS504 for a coroutine made a return value, ATS502 for a sync mock put in place of
        a coroutine function (the model has followed the assignment already)."""
        self._check_returns_coroutine(target.attr, value)
        assigned = self.model.assigned_mock(target)
        if assigned is None:
            return
        replacement, onto_mock = assigned
        if onto_mock:
            return
        frame = self.model.statement_frame
        if replacement is not None and replacement[0] == SYNC and frame.may_await:
            target_name = self.model.async_attribute(target.value, target.attr)
            if target_name is not None and not self._configured_later(frame.node, target):
                self.report(ATS502, statement, target=target_name, kind=replacement[1])

    def _configured_later(self, function: ast.AST, target: ast.Attribute) -> bool:
        """`obj.load = Mock()` and, in the same function, `obj.load.return_value = <maybe
        awaitable>` (or a side effect, or `configure_mock`): the mock may return an awaitable."""
        spelled = self.model.describe(target)
        nodes = own_nodes(function) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else ()
        for node in nodes:
            if isinstance(node, ast.Assign):
                for assigned in node.targets:
                    if (
                        isinstance(assigned, ast.Attribute)
                        and assigned.attr in CONFIGURING_KEYWORDS
                        and self.model.describe(assigned.value) == spelled
                        and not (assigned.attr == RETURN and self.model.surely_not_awaitable(node.value))
                    ):
                        return True
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in RECONFIGURING_METHODS and self.model.describe(node.func.value) == spelled:
                    return True
        return False

    # -- the rules ------------------------------------------------------------------------------

    def enter_Await(self, node: ast.Await) -> None:
        call = node.value
        if not isinstance(call, ast.Call):
            return
        root, path = path_of(call.func)
        value = self.model.value_of_name(root) if root is not None else None
        kind = value.kind_at(path) if value is not None else None
        if kind is not None and kind[0] == SYNC and path not in (value.configured or ()):  # type: ignore[union-attr]
            self.report(ATS501, node, call=self.model.describe(call), kind=kind[1])

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in AWAITED_CHECKS:
                self._note_awaited_read(func)
            elif func.attr in CALLED_ASSERTIONS:
                self._note_assertion(node, func)
            elif func.attr.startswith("assert"):  # self.assertEqual(m.await_count, 1)
                for argument in node.args:
                    self._note_awaited_read(argument)
                self._note_unittest_record_check(func.attr, node.args)
            elif func.attr == "setattr" and isinstance(func.value, ast.Name) and func.value.id == "monkeypatch":
                self._check_monkeypatch(node)
        if root_name(func) not in self.model.mock_roots:
            return
        api = self.model.mock_api(func)
        if api is None:
            return
        for keyword in node.keywords:
            if keyword.arg == RETURN:
                self._check_returns_coroutine(RETURN, keyword.value)
        if api in PATCH_APIS:
            self._check_patch(node, api)

    def enter_Assert(self, node: ast.Assert) -> None:
        self._note_awaited_read(node.test)
        self._note_record_check(node.test)

    def _note_record_check(self, test: ast.expr) -> None:
        """`assert m.called`, `assert m.call_count == 1`, `assert m.call_args == call(...)`,
        `assert call(...) in m.call_args_list`: true once the mock is called, awaited or not.
        Checks that it was not called (`not m.called`, `call_count == 0`) are not weak."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            for value in test.values:
                self._note_record_check(value)
        elif isinstance(test, ast.Attribute) and test.attr == "called":
            self._note_called_check(test)
        elif isinstance(test, ast.Compare) and len(test.ops) == 1:
            self._note_compared_record(test.left, test.ops[0], test.comparators[0])

    def _note_compared_record(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> None:
        if isinstance(op, ast.In):
            if isinstance(right, ast.Attribute) and right.attr == "call_args_list":
                self._note_called_check(right)
            return
        for record, other in ((left, right), (right, left)):
            if not isinstance(record, ast.Attribute) or record.attr not in CALL_RECORDS:
                continue
            if isinstance(op, ast.Eq) and not _is_empty_or_zero(other):
                self._note_called_check(record)
            elif record is left and isinstance(op, (ast.Gt, ast.GtE)) and record.attr == "call_count":
                self._note_called_check(record)

    def _note_unittest_record_check(self, method: str, args: list[ast.expr]) -> None:
        """`self.assertTrue(m.called)`, `self.assertEqual(m.call_count, 1)`, `assertIn(call(), m.call_args_list)`."""
        if method == "assertTrue" and args:
            self._note_record_check(args[0])
        elif len(args) >= 2:
            op = {"assertEqual": ast.Eq(), "assertIn": ast.In(), "assertGreater": ast.Gt()}.get(method)
            if op is not None:
                self._note_compared_record(args[0], op, args[1])

    def _note_called_check(self, record: ast.Attribute) -> None:
        self._note_call_check(record, record.value, record.attr)

    def _note_call_check(self, node: ast.expr, mock: ast.expr, assertion: str) -> None:
        """An assertion on the calls of the mock at `mock`: kept if the mock is an AsyncMock, by
        how it was made or by the suite's habit of checking its awaits."""
        root, path = path_of(mock)
        if root is None:
            return
        value = self.model.value_of_name(root)
        kind = value.kind_at(path) if value is not None else None
        if kind is not None and kind[0] == ASYNC:
            self._assertions_here().called.append((node, root, path, assertion, MADE_ASYNC_MOCK))
        elif (kind is None or kind[0] == UNKNOWN) and RETURN not in path:
            checked = self.model.awaits_checked_habit(root, path)
            if checked is not None:
                self._assertions_here().called.append((node, root, path, assertion, checked))

    def enter_Compare(self, node: ast.Compare) -> None:
        self._note_awaited_read(node.left)
        for comparator in node.comparators:
            self._note_awaited_read(comparator)

    def _note_awaited_read(self, expr: ast.expr) -> None:
        """`m.await_count == 1`, `assert m.await_args`, `m.await_args_list[0]`: the test
        checks awaiting by itself (a shallow look, no walk)."""
        while isinstance(expr, (ast.Subscript, ast.UnaryOp)):
            expr = expr.value if isinstance(expr, ast.Subscript) else expr.operand
        if isinstance(expr, ast.Attribute) and expr.attr in AWAITED_CHECKS:
            root, path = path_of(expr.value)
            if root is not None:
                self._assertions_here().awaited_checks.add((root, path))

    def _note_assertion(self, call: ast.Call, func: ast.Attribute) -> None:
        self._note_call_check(call, func.value, func.attr)

    def _check_patch(self, call: ast.Call, api: str) -> None:
        replacement = patch_replacement(call, is_object=api.endswith("object"))
        kind, class_name = UNKNOWN, ""
        if replacement is not None:
            kind, class_name = self.model.mock_kind(replacement) or (UNKNOWN, "")
        else:
            new_callable = keyword_value(call, "new_callable")
            created = self.model.mock_api(new_callable) if new_callable is not None else None
            if created in SYNC_MOCK_CLASSES:
                kind, class_name = self.model.configured_kind(
                    call, SYNC_MOCK_CLASSES[created], spec_may_be_positional=False
                )
        if kind == SYNC and self.model.statement_frame.may_await:
            target = self.model.async_patch_target(call, api)
            if target is not None:
                self.report(ATS502, call, target=target, kind=class_name)

    def _check_monkeypatch(self, call: ast.Call) -> None:
        args = call.args
        dotted = self.model.constant_string(args[0]) if len(args) == 2 else None
        attribute = self.model.constant_string(args[1]) if len(args) >= 3 else None
        if dotted:
            target, value = self.model.async_dotted_target(dotted), args[1]
        elif attribute:
            target, value = self.model.async_attribute(args[0], attribute), args[2]
        else:
            return
        replacement = self.model.mock_kind(value)
        frame = self.model.statement_frame
        if target is not None and replacement is not None and replacement[0] == SYNC and frame.may_await:
            self.report(ATS502, call, target=target, kind=replacement[1])

    def _check_returns_coroutine(self, attribute: str, value: ast.expr) -> None:
        if attribute == RETURN and isinstance(value, ast.Call) and self.model.coroutine_callee(value) is not None:
            self.report(ATS504, value, call=self.model.describe(value))


def _is_empty_or_zero(node: ast.expr) -> bool:
    """`0`, `None`, `False`, `[]`, `()`: a check that the mock was not called."""
    if isinstance(node, ast.Constant):
        return node.value in (0, None, False)
    return isinstance(node, (ast.List, ast.Tuple)) and not node.elts
