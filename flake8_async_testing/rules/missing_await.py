"""ATS101, ATS102, ATS104: a coroutine that is never awaited.

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
import dataclasses
import re

from ..scopes import Frame, PytestRole
from ..libraries import (
    COROUTINE_CONSUMERS,
    SYNC_CALLBACK_FUNCTIONS,
    SYNC_CALLBACK_METHODS,
)
from ..names import keyword
from ..project import PROJECT
from ..values import CoroutineValue
from .base import Code, RuleFamily

ATS101 = Code(
    "ATS101",
    "coroutine from '{call}' ({basis}) is never awaited ({how}): its body never runs ('coroutine ... was never "
    "awaited'); add 'await'",
    "a coroutine that is never awaited",
)
ATS102 = Code(
    "ATS102",
    "sync {role} '{function}' calls '{call}' ({basis}) and {how}: it can never await it, so the "
    "body never runs; make the {role} async, or hand the coroutine to asyncio.run / anyio.run",
    "a sync test or fixture that calls a coroutine function and drops or compares the coroutine",
)
ATS104 = Code(
    "ATS104",
    "coroutine function '{function}' is handed to '{api}', which calls it without awaiting: each call makes a "
    "coroutine and drops it ('coroutine ... was never awaited'), so its body never runs; {fix}",
    "a coroutine function handed to an API that calls it synchronously",
)


@dataclasses.dataclass(frozen=True)
class How:
    """Where a coroutine went, as each code's message says it: ATS101's `({how})` of an async
    def, ATS102's `and {how}` of a sync test or fixture."""

    in_async: str
    in_sync: str


DISCARDED = How("its result is discarded", "discards the coroutine")
ASSERTED = How("an assert on a coroutine object always passes", "asserts on it (always true)")
ALWAYS_TRUE = How("a coroutine object is always true", "tests it (always true)")
COMPARED = How("the coroutine object is compared, not its result", "compares the coroutine object")
SUBSCRIPTED = How("the coroutine object is subscripted, not its result", "subscripts the coroutine object")


def attribute_read(attribute: str) -> How:
    return How(
        f"'.{attribute}' is read off the coroutine object, not its result",
        f"reads '.{attribute}' off the coroutine object",
    )


def bound_to(name: str) -> How:
    return How(f"bound to '{name}' and never awaited or passed on", f"binds it to '{name}' and never hands it on")


def handed_to_requesters(verb: str) -> How:
    """A sync fixture that returns / yields the coroutine (ATS102 only)."""
    text = f"{verb} it to every requester (a coroutine object, not its result)"
    return How(text, text)


SYNC_CALLBACK_LAST_NAMES = frozenset(name.rpartition(".")[2] for name in SYNC_CALLBACK_FUNCTIONS)
"""`register`, `Thread`, ...: any other call is passed by before its name is resolved."""
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


class MissingAwait(RuleFamily):
    codes = (ATS101, ATS102, ATS104)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.in_test_code = self.context.is_test_code
        self._handed_on: set[CoroutineValue] = set()
        """Coroutines bound to names that went somewhere that may await them (awaited,
        returned, passed on, closed): this rule's own memory, not a fact of the model."""

    # -- coroutines bound to names: decided as their frame ends ------------------------------

    def enter_Lambda(self, node: ast.Lambda) -> None:
        self._enter_nested(node)

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_nested(node)

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_nested(node)

    def _enter_nested(self, node: ast.AST) -> None:
        """A coroutine a nested function or lambda reads escapes: silence (the nested code may
        await it). Looked at only while some coroutine is bound."""
        if self.model.open_coroutines.count:
            for name in {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}:
                self._await_name(name)

    def on_frame_exit(self, frame: Frame) -> None:
        if not frame.coroutines or not frame.checks_awaits or frame.is_comprehension:
            return
        reported: set[CoroutineValue] = set()
        for newest in frame.bindings.values():
            for binding in reversed(newest.chain()):
                value = binding.value
                if isinstance(value, CoroutineValue) and value not in self._handed_on and value not in reported:
                    reported.add(value)
                    self._report_unawaited(value.call, frame, bound_to(binding.name))

    # -- where a coroutine is dropped, tested or compared ------------------------------------

    def enter_Expr(self, node: ast.Expr) -> None:
        value = node.value
        if isinstance(value, ast.Call):
            self._check_call(value, DISCARDED)

    def enter_Assert(self, node: ast.Assert) -> None:
        self._check_test(node.test, ASSERTED)

    def enter_If(self, node: ast.If) -> None:
        self._check_test(node.test, ALWAYS_TRUE)

    def enter_While(self, node: ast.While) -> None:
        self._check_test(node.test, ALWAYS_TRUE)

    def enter_IfExp(self, node: ast.IfExp) -> None:
        self._check_test(node.test, ALWAYS_TRUE)

    def enter_Compare(self, node: ast.Compare) -> None:
        for operand in (node.left, *node.comparators):
            if isinstance(operand, ast.Call):
                self._check_call(operand, COMPARED)

    def enter_Attribute(self, node: ast.Attribute) -> None:
        if type(node.value) is ast.Call and node.attr not in COROUTINE_METHODS:
            self._check_call(node.value, attribute_read(node.attr))

    def enter_Subscript(self, node: ast.Subscript) -> None:
        if type(node.value) is ast.Call:
            self._check_call(node.value, SUBSCRIPTED)

    def _check_test(self, test: ast.expr, how: How) -> None:
        """A coroutine as the whole test (an assert on it always passes) or as a part of it
        (`not coro`, `coro or x`: only its truth is used, and it is always true)."""
        if isinstance(test, ast.Call):
            self._check_call(test, how)
        elif isinstance(test, ast.BoolOp):
            for value in test.values:
                self._check_test(value, ALWAYS_TRUE)
        elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            self._check_test(test.operand, ALWAYS_TRUE)

    def _check_call(self, call: ast.Call, how: How) -> None:
        frame = self.model.statement_frame
        if not frame.checks_awaits:
            return
        if self.model.coroutine_callee(call) is not None:
            self._report_unawaited(call, frame, how)

    def _report_unawaited(self, call: ast.Call, frame: Frame, how: How) -> None:
        callee = self.model.describe(call)
        basis = self.model.coroutine_basis(call.func)
        role = frame.sync_test_code
        if frame.is_async:
            self.report(ATS101, call, call=callee, basis=basis, how=how.in_async)
        elif role is not None:
            self.report(ATS102, call, role=role.value, function=frame.name, call=callee, basis=basis, how=how.in_sync)

    def _check_sync_callback(self, call: ast.Call) -> None:
        """ATS104: `request.addfinalizer(async_fn)`, `loop.call_soon(async_fn)`, `Thread(target=async_fn)`."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in SYNC_CALLBACK_METHODS:
            receivers, position, fix = SYNC_CALLBACK_METHODS[func.attr]
            receiver = func.value
            if isinstance(receiver, ast.Attribute) and receiver.attr == "node":
                receiver = receiver.value  # `request.node.addfinalizer(...)`
            if self.model.type_of(receiver) not in receivers:
                return
            callback = call.args[position] if len(call.args) > position else None
        else:
            last = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if last not in SYNC_CALLBACK_LAST_NAMES:
                return
            qualified = self.model.qualified_name(func)
            if qualified not in SYNC_CALLBACK_FUNCTIONS:
                return
            position, name, fix = SYNC_CALLBACK_FUNCTIONS[qualified]
            callback = call.args[position] if len(call.args) > position else keyword(call, name)
        if callback is None or isinstance(callback, ast.Starred):
            return
        if isinstance(callback, ast.Call) and self.model.qualified_name(callback.func) == "functools.partial":
            callback = callback.args[0] if callback.args and not isinstance(callback.args[0], ast.Starred) else None
        if not isinstance(callback, (ast.Name, ast.Attribute)):
            return
        function = self.model.coroutine_function(callback)
        if function is not None:
            self.report(ATS104, callback, function=function, api=self.model.describe(call), fix=fix)

    # -- where a coroutine bound to a name goes ---------------------------------------------

    def enter_Assign(self, node: ast.Assign) -> None:
        self._consume(node.value)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._consume(node.value)

    def enter_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._consume(node.value)

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        for item in node.items:
            self._consume(item.context_expr)

    def enter_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._consume(node.iter)

    def enter_Await(self, node: ast.Await) -> None:
        self._consume(node.value)

    def enter_Return(self, node: ast.Return) -> None:
        if not self._hands_coroutine_to_requesters(node.value, "returns"):
            self._consume(node.value)

    def enter_Yield(self, node: ast.Yield) -> None:
        if not self._hands_coroutine_to_requesters(node.value, "yields"):
            self._consume(node.value)

    def _hands_coroutine_to_requesters(self, value: ast.expr | None, verb: str) -> bool:
        """ATS102: a sync fixture that returns or yields a coroutine hands every requester a
        coroutine object, unless its requesters await it."""
        frame = self.model.statement_frame
        if frame.sync_test_code is not PytestRole.FIXTURE or value is None:
            return False
        call: ast.Call | None = None
        if isinstance(value, ast.Call) and self.model.coroutine_callee(value) is not None:
            call = value
        elif isinstance(value, ast.Name) and self.model.open_coroutines.count:
            binding = self.model.binding_of(value.id)
            bound = binding.value if binding is not None else None
            if isinstance(bound, CoroutineValue) and bound not in self._handed_on:
                call = bound.call
        collected = self.model.collected_def(frame.node) if call is not None else None
        fixture = self.context.fixtures.fixture_defined_by(collected[0]) if collected is not None else None
        if call is None or fixture is None or self._requesters_may_await(fixture.name):
            return False
        self._consume(value)
        self._report_unawaited(call, frame, handed_to_requesters(verb))
        return True

    def _requesters_may_await(self, fixture: str) -> bool:
        """Does some test or fixture that may request the fixture await it (or hand it to a
        runner)? The module's own for a test module, every file below a conftest; any other
        module's requesters are out of sight."""
        context = self.context
        if context.is_conftest:
            name = re.escape(fixture.encode())
            runners = "|".join(sorted(COROUTINE_CONSUMERS)).encode()
            pattern = rb"await\s+\(?\s*" + name + rb"\b|\b(?:" + runners + rb")\(\s*" + name + rb"\b"
            return PROJECT.files_below_match(str(context.path.parent), pattern)
        if not context.is_test_module or context.module.tree is None:
            return True
        for node in ast.walk(context.module.tree):
            if isinstance(node, ast.Await) and isinstance(node.value, ast.Name) and node.value.id == fixture:
                return True
            if isinstance(node, ast.Call) and any(isinstance(a, ast.Name) and a.id == fixture for a in node.args):
                if self.model.describe(node).rpartition(".")[2] in COROUTINE_CONSUMERS:
                    return True
        return False

    def enter_YieldFrom(self, node: ast.YieldFrom) -> None:
        self._consume(node.value)

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        if self.in_test_code:
            self._check_sync_callback(node)
        builtin = None
        if isinstance(func, ast.Name) and func.id in INSPECTING_BUILTINS and not self.model.is_local(func.id):
            builtin = func.id
        if builtin == "bool" and len(node.args) == 1 and isinstance(node.args[0], ast.Call):
            self._check_call(node.args[0], ALWAYS_TRUE)
        if isinstance(func, ast.Attribute) and func.attr in COROUTINE_METHODS:
            self._consume(func.value)  # `coroutine.close()`: handled on purpose
        if builtin is not None or not self.model.open_coroutines.count:
            return  # `repr(coroutine)` looks at it; nothing awaits it
        for argument in node.args:
            self._consume(argument.value if isinstance(argument, ast.Starred) else argument)
        for argument_keyword in node.keywords:
            self._consume(argument_keyword.value)

    def enter_List(self, node: ast.List) -> None:
        self._consume_all(node.elts)

    def enter_Tuple(self, node: ast.Tuple) -> None:
        self._consume_all(node.elts)

    def enter_Set(self, node: ast.Set) -> None:
        self._consume_all(node.elts)

    def enter_Dict(self, node: ast.Dict) -> None:
        self._consume_all(node.values)

    def _consume_all(self, values: list[ast.expr]) -> None:
        """Stored in a container: it may be awaited from there."""
        if self.model.open_coroutines.count:
            for value in values:
                self._consume(value)

    def _consume(self, value: ast.expr | None) -> None:
        if isinstance(value, ast.Name) and self.model.open_coroutines.count:
            self._await_name(value.id)

    def _await_name(self, name: str) -> None:
        """The coroutines a name may hold here went somewhere that may await them."""
        binding = self.model.binding_of(name)
        if binding is not None:
            for bound in binding.chain():
                if isinstance(bound.value, CoroutineValue):
                    self._handed_on.add(bound.value)
