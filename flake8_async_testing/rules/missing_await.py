"""ATS1xx: a coroutine that is never awaited.

A call of a known coroutine function whose result is thrown away, asserted, compared, tested
or bound to a name that is never awaited or passed on: its body never runs ("coroutine ... was
never awaited", often attached to a later test by the garbage collector), and an `assert` on
it always passes. Only calls the resolver knows to return a coroutine are considered; every
place a coroutine may legitimately go (awaited, returned, yielded, passed as an argument,
stored in an attribute or container, used by `async with` / `async for`) keeps the rules
silent.
"""

from __future__ import annotations

import ast
from typing import Iterator

from ..scopes import EVENT_LOOP, Frame
from .base import Code, RuleFamily

ATS101 = Code(
    "ATS101",
    "coroutine from '{call}' is never awaited ({how}): its body never runs ('coroutine ... was never "
    "awaited'); add 'await'",
    "a coroutine that is never awaited",
)
ATS102 = Code(
    "ATS102",
    "sync {role} '{function}' calls coroutine function '{call}' and {how}: it can never await it, so the "
    "body never runs; make the {role} async, or hand the coroutine to asyncio.run / anyio.run",
    "a sync test or fixture that calls a coroutine function and drops or compares the coroutine",
)
ATS103 = Code(
    "ATS103",
    "task created by '{call}' is dropped: an exception in it is never seen ('Task exception was never "
    "retrieved'), and it may be garbage-collected mid-run; keep the task and await it, or use a TaskGroup",
    "a task whose handle is dropped in a test or fixture",
)

COROUTINE_METHODS = frozenset({"close", "send", "throw", "__await__"})
INSPECTING_BUILTINS = frozenset(
    {
        "bool",
        "repr",
        "str",
        "print",
        "len",
        "isinstance",
        "type",
        "id",
        "hasattr",
        "getattr",
        "format",
        "hash",
        "vars",
        "dir",
    }
)
"""Builtins that only look at their argument: passing a coroutine to them does not await it."""
TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.ensure_future"})


class Awaiting:
    """Names one scope bound to a coroutine, and which of them went somewhere."""

    __slots__ = ("pending", "consumed")

    def __init__(self) -> None:
        self.pending: dict[str, ast.Call] = {}
        self.consumed: set[str] = set()


class MissingAwait(RuleFamily):
    codes = (ATS101, ATS102, ATS103)
    uses_scopes = True

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.imports = self.context.module.imports
        self._pending_names: dict[str, int] = {}

    # -- per-scope state, kept on the tracker's frames ----------------------------------------

    def _awaiting(self, frame: Frame | None = None) -> Awaiting:
        return (frame or self.scopes.frame).slot("awaiting", Awaiting)

    def _all_awaiting(self) -> Iterator[Awaiting]:
        """Innermost first."""
        for frame in reversed(self.scopes.frames):
            awaiting = frame.slots.get("awaiting")
            if awaiting is not None:
                yield awaiting

    def enter_Lambda(self, node: ast.Lambda) -> None:
        self._enter_nested(node)

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_nested(node)

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_nested(node)

    def _enter_nested(self, node: ast.AST) -> None:
        """A pending name a nested function or lambda reads escapes: silence (the nested
        code may await it). Looked at only while some name is pending."""
        if any(self._pending_names.values()):
            read = {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}
            for awaiting in self._all_awaiting():
                awaiting.consumed.update(read & awaiting.pending.keys())

    def on_scope_exit(self, frame: Frame) -> None:
        awaiting = frame.slots.get("awaiting")
        if awaiting is None:
            return
        for name, call in awaiting.pending.items():
            self._pending_names[name] -= 1
            if name not in awaiting.consumed:
                self._report_unawaited(call, frame, f"bound to '{name}' and never awaited or passed on")

    # -- where a coroutine is dropped, tested or compared ------------------------------------

    def enter_Expr(self, node: ast.Expr) -> None:
        value = node.value
        if isinstance(value, ast.Call):
            self._check_call(value, "its result is discarded")
            self._check_dropped_task(value)

    def enter_Assert(self, node: ast.Assert) -> None:
        self._check_test(node.test, "an assert on a coroutine object always passes")

    def enter_If(self, node: ast.If) -> None:
        self._check_test(node.test, "a coroutine object is always true")

    def enter_While(self, node: ast.While) -> None:
        self._check_test(node.test, "a coroutine object is always true")

    def enter_IfExp(self, node: ast.IfExp) -> None:
        self._check_test(node.test, "a coroutine object is always true")

    def enter_Compare(self, node: ast.Compare) -> None:
        for operand in (node.left, *node.comparators):
            if isinstance(operand, ast.Call):
                self._check_call(operand, "the coroutine object is compared, not its result")

    def _check_test(self, test: ast.expr, how: str) -> None:
        if isinstance(test, ast.Call):
            self._check_call(test, how)
        elif isinstance(test, ast.BoolOp):
            for value in test.values:
                self._check_test(value, how)
        elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            self._check_test(test.operand, how)

    def _check_call(self, call: ast.Call, how: str) -> None:
        frame = self.scopes.frame
        if frame.role in ("other", "class"):
            return
        if self.scopes.coroutine_callee(call) is not None:
            self._report_unawaited(call, frame, how)

    def _report_unawaited(self, call: ast.Call, frame: Frame, how: str) -> None:
        callee = self.scopes.describe(call)
        if frame.role == "async":
            self.report(ATS101, call, call=callee, how=how)
        elif frame.role in ("sync test", "sync fixture"):
            role = frame.role.split()[1]
            self.report(ATS102, call, role=role, function=frame.name, call=callee, how=_past(how))

    def _check_dropped_task(self, call: ast.Call) -> None:
        if not self.scopes.frame.in_test_or_fixture:
            return
        func = call.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if called not in ("create_task", "ensure_future"):
            return
        qualified = self.imports.qualified_name(func)
        if qualified in TASK_FACTORIES:
            self.report(ATS103, call, call=qualified)
        elif isinstance(func, ast.Attribute) and func.attr == "create_task":
            if self.scopes.type_of(func.value) == EVENT_LOOP:
                self.report(ATS103, call, call=self.scopes.describe(call))

    # -- where a coroutine bound to a name goes ---------------------------------------------

    def enter_Assign(self, node: ast.Assign) -> None:
        self._consume(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._bind(target.id, node.value)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._consume(node.value)
            if isinstance(node.target, ast.Name):
                self._bind(node.target.id, node.value)

    def _bind(self, name: str, value: ast.expr) -> None:
        awaiting = self._awaiting()
        if (
            isinstance(value, ast.Call)
            and self.scopes.frame.role != "class"
            and name not in awaiting.pending
            and self.scopes.coroutine_callee(value) is not None
        ):
            awaiting.pending[name] = value
            self._pending_names[name] = self._pending_names.get(name, 0) + 1

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        for item in node.items:
            self._consume(item.context_expr)

    def enter_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._consume(node.iter)

    def enter_Await(self, node: ast.Await) -> None:
        self._consume(node.value)

    def enter_Return(self, node: ast.Return) -> None:
        self._consume(node.value)

    def enter_Yield(self, node: ast.Yield) -> None:
        self._consume(node.value)

    def enter_YieldFrom(self, node: ast.YieldFrom) -> None:
        self._consume(node.value)

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        builtin = func.id if isinstance(func, ast.Name) and not self.scopes.is_local(func.id) else None
        if builtin == "bool" and len(node.args) == 1 and isinstance(node.args[0], ast.Call):
            self._check_call(node.args[0], "a coroutine object is always true")
        if isinstance(func, ast.Attribute) and func.attr in COROUTINE_METHODS:
            self._consume(func.value)  # `coroutine.close()`: handled on purpose
        if builtin in INSPECTING_BUILTINS:
            return  # `repr(coroutine)` looks at it; nothing awaits it
        for argument in node.args:
            self._consume(argument.value if isinstance(argument, ast.Starred) else argument)
        for keyword in node.keywords:
            self._consume(keyword.value)

    def enter_List(self, node: ast.List) -> None:
        for element in node.elts:
            self._consume(element)

    def enter_Tuple(self, node: ast.Tuple) -> None:
        for element in node.elts:
            self._consume(element)

    def enter_Set(self, node: ast.Set) -> None:
        for element in node.elts:
            self._consume(element)

    def enter_Dict(self, node: ast.Dict) -> None:
        for value in node.values:
            self._consume(value)

    def enter_Global(self, node: ast.Global) -> None:
        self._awaiting().consumed.update(node.names)

    def enter_Nonlocal(self, node: ast.Nonlocal) -> None:
        self._awaiting().consumed.update(node.names)

    def _consume(self, value: ast.expr | None) -> None:
        if isinstance(value, ast.Name) and self._pending_names.get(value.id):
            for awaiting in self._all_awaiting():
                if value.id in awaiting.pending:
                    awaiting.consumed.add(value.id)
                    return


def _past(how: str) -> str:
    """ATS102's message reads "...and <how>": say what the test does with the coroutine."""
    if how.startswith("bound to "):
        return "binds it to " + how[len("bound to ") :].replace("never awaited or passed on", "never hands it on")
    return {
        "its result is discarded": "discards the coroutine",
        "an assert on a coroutine object always passes": "asserts on it (always true)",
        "a coroutine object is always true": "tests it (always true)",
        "the coroutine object is compared, not its result": "compares the coroutine object",
    }.get(how, how)
