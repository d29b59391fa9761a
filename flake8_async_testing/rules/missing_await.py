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

from ..coroutines import (
    ASYNC_MOCK,
    ASYNC_WITH_METHOD_RESULTS,
    CALL_RESULTS,
    SELF_ENTERING_TYPES,
    CoroutineResolver,
    class_method,
)
from ..pytest_model import ClassFacts, decorated
from ..walk import Scope
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
EVENT_LOOP = "asyncio.AbstractEventLoop"
LOOP_FACTORIES = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop"})


class Frame:
    """What the family knows about one function (or the module, a class, a lambda) while the
    walk is inside it."""

    __slots__ = (
        "node",
        "role",
        "in_test_or_fixture",
        "owner",
        "types",
        "async_defs",
        "shadowed",
        "pending",
        "consumed",
    )

    def __init__(self, node: ast.AST, role: str, in_test_or_fixture: bool, owner: ClassFacts | None) -> None:
        self.node = node
        self.role = role
        """`async` (ATS101 applies), `sync test` / `sync fixture` (ATS102), or `other`."""
        self.in_test_or_fixture = in_test_or_fixture
        self.owner = owner
        """The class a method belongs to, for `self.method()`."""
        self.types: dict[str, str] = {}
        self.async_defs: set[str] = set()
        self.shadowed: set[str] = set()
        self.pending: dict[str, ast.Call] = {}
        """Names bound to a coroutine, waiting to be awaited or passed on."""
        self.consumed: set[str] = set()


class MissingAwait(RuleFamily):
    codes = (ATS101, ATS102, ATS103)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        settings = self.context.settings
        self.resolver = CoroutineResolver(self.context, settings.coroutine_functions, settings.async_classes)
        self.imports = self.context.module.imports
        self.frames: list[Frame] = []
        self._pending_names: dict[str, int] = {}

    # -- frames -----------------------------------------------------------------------------

    def enter_Module(self, node: ast.Module) -> None:
        self.frames.append(Frame(node, "other", False, None))

    def enter_ClassDef(self, node: ast.ClassDef) -> None:
        self.frames[-1].shadowed.add(node.name)
        self.frames.append(Frame(node, "class", self.frames[-1].in_test_or_fixture, None))

    def leave_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        self.frames.pop()

    def enter_Lambda(self, node: ast.Lambda) -> None:
        frame = Frame(node, "other", self.frames[-1].in_test_or_fixture, None)
        frame.shadowed.update(arg.arg for arg in _all_arguments(node.args))
        self.frames.append(frame)

    def leave_Lambda(self, node: ast.Lambda, scope: Scope) -> None:
        self._leave_frame()

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_function(node)

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_function(node)

    def leave_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        self._leave_frame()

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, scope: Scope) -> None:
        self._leave_frame()

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        parent = self.frames[-1]
        if parent.role != "class" and not isinstance(parent.node, ast.Module):
            parent.shadowed.add(node.name)
            if isinstance(node, ast.AsyncFunctionDef) and decorated(node, self.imports).is_coroutine_function:
                parent.async_defs.add(node.name)
                parent.shadowed.discard(node.name)
        role, test_or_fixture, owner = "other", False, None
        collected = self.collected_def(node)
        if collected is not None:
            definition, classes = collected
            owner = classes[-1] if classes else None
            if definition.is_fixture:
                test_or_fixture, role = True, "sync fixture"
            elif self.context.test_kind(node, classes) is not None:
                test_or_fixture, role = True, "sync test"
        if isinstance(node, ast.AsyncFunctionDef):
            role = "async"
        elif not test_or_fixture:
            role = "other"
        frame = Frame(node, role, test_or_fixture or parent.in_test_or_fixture, owner)
        for argument in _all_arguments(node.args):
            frame.shadowed.add(argument.arg)
            if argument.annotation is not None:
                type_name = self._annotation_type(argument.annotation)
                if type_name is not None:
                    frame.types[argument.arg] = type_name
        self.frames.append(frame)

    def _leave_frame(self) -> None:
        frame = self.frames.pop()
        for name, call in frame.pending.items():
            self._pending_names[name] -= 1
            if name not in frame.consumed:
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
        frame = self.frames[-1]
        if frame.role == "other" or frame.role == "class":
            return
        if self._coroutine_callee(call) is not None:
            self._report_unawaited(call, frame, how)

    def _report_unawaited(self, call: ast.Call, frame: Frame, how: str) -> None:
        callee = self._describe(call)
        if frame.role == "async":
            self.report(ATS101, call, call=callee, how=how)
        elif frame.role in ("sync test", "sync fixture"):
            function = getattr(frame.node, "name", "?")
            self.report(ATS102, call, role=frame.role.split()[1], function=function, call=callee, how=_past(how))

    def _check_dropped_task(self, call: ast.Call) -> None:
        if not self.frames[-1].in_test_or_fixture:
            return
        func = call.func
        qualified = self.imports.qualified_name(func)
        if qualified in TASK_FACTORIES:
            self.report(ATS103, call, call=qualified)
        elif isinstance(func, ast.Attribute) and func.attr == "create_task":
            receiver = func.value
            if self._type_of(receiver) == EVENT_LOOP:
                self.report(ATS103, call, call=self._describe(call))

    # -- where a coroutine bound to a name goes ---------------------------------------------

    def enter_Assign(self, node: ast.Assign) -> None:
        value = node.value
        self._consume(value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._bind(target.id, value)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._consume(node.value)
        if isinstance(node.target, ast.Name):
            if node.value is not None:
                self._bind(node.target.id, node.value)
            type_name = self._annotation_type(node.annotation)
            if type_name is not None:
                self.frames[-1].types[node.target.id] = type_name

    def _bind(self, name: str, value: ast.expr) -> None:
        frame = self.frames[-1]
        frame.shadowed.add(name)
        frame.async_defs.discard(name)
        frame.types.pop(name, None)
        if isinstance(value, ast.Call):
            type_name = self._call_result_type(value)
            if type_name is not None:
                frame.types[name] = type_name
            if frame.role != "class" and name not in frame.pending and self._coroutine_callee(value) is not None:
                frame.pending[name] = value
                self._pending_names[name] = self._pending_names.get(name, 0) + 1
        elif isinstance(value, ast.Name):
            type_name = self._type_of(value)
            if type_name is not None:
                frame.types[name] = type_name

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        for item in node.items:
            self._consume(item.context_expr)
            if isinstance(item.optional_vars, ast.Name):
                name = item.optional_vars.id
                self.frames[-1].shadowed.add(name)
                type_name = self._async_with_type(item.context_expr)
                if type_name is not None:
                    self.frames[-1].types[name] = type_name
                else:
                    self.frames[-1].types.pop(name, None)

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
        builtin = func.id if isinstance(func, ast.Name) and not self._is_local(func.id) else None
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
        self.frames[-1].consumed.update(node.names)

    def enter_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.frames[-1].consumed.update(node.names)

    def enter_Name(self, node: ast.Name) -> None:
        """A name stored to is local from here on; a pending name read from a nested function
        or lambda escapes (silence)."""
        if isinstance(node.ctx, ast.Store):
            self.frames[-1].shadowed.add(node.id)
        elif self._pending_names.get(node.id):
            for frame in self.frames[:-1]:
                if node.id in frame.pending:
                    frame.consumed.add(node.id)

    def enter_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.frames[-1].shadowed.add(node.name)

    def enter_Import(self, node: ast.Import) -> None:
        self._shadow_imported(node)

    def enter_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._shadow_imported(node)

    def _shadow_imported(self, node: ast.Import | ast.ImportFrom) -> None:
        """An import inside a function binds local names the module's imports know nothing of."""
        if len(self.frames) > 1:
            for alias in node.names:
                self.frames[-1].shadowed.add(alias.asname or alias.name.partition(".")[0])

    def _consume(self, value: ast.expr | None) -> None:
        if isinstance(value, ast.Name) and self._pending_names.get(value.id):
            for frame in reversed(self.frames):
                if value.id in frame.pending:
                    frame.consumed.add(value.id)
                    return

    # -- resolution -------------------------------------------------------------------------

    def _coroutine_callee(self, call: ast.Call) -> str | None:
        """A description of the callee if the call surely returns a coroutine, else None."""
        func = call.func
        if isinstance(func, ast.Name):
            return func.id if self._name_is_coroutine_function(func.id) else None
        if not isinstance(func, ast.Attribute):
            return None
        receiver = func.value
        if isinstance(receiver, ast.Name):
            method = self._own_method(receiver.id, func.attr)
            if method is not None:
                return f"{receiver.id}.{func.attr}" if method else None
        qualified = self.imports.qualified_name(func)
        if qualified is not None and not self._is_local(_root_name(func)):
            return qualified if self.resolver.is_coroutine_function(qualified) else None
        receiver_type = self._type_of(receiver)
        if receiver_type is not None and self.resolver.method_is_coroutine(receiver_type, func.attr):
            return self._describe(call)
        return None

    def _name_is_coroutine_function(self, name: str) -> bool:
        innermost = self.frames[-1]
        for frame in reversed(self.frames[1:]):
            if frame.role == "class" and frame is not innermost:
                continue  # a class body's names are not visible inside its methods
            if name in frame.async_defs:
                return True
            if name in frame.types:
                return self.resolver.instance_call_is_coroutine(frame.types[name])
            if name in frame.shadowed:
                return False
        module_frame = self.frames[0]
        if name in module_frame.types:
            return self.resolver.instance_call_is_coroutine(module_frame.types[name])
        definition = self.resolver.module_function(name)
        if definition is not None:
            return definition.is_coroutine_function
        qualified = self.imports.aliases.get(name)
        return qualified is not None and self.resolver.is_coroutine_function(qualified)

    def _own_method(self, receiver: str, method: str) -> bool | None:
        """`self.method()` / `cls.method()` in a method, `Class.method()` for a class of the
        module: True or False when the receiver is such a class, None otherwise."""
        module = self.context.module
        cls: ClassFacts | None = None
        function_frame = next(
            (f for f in reversed(self.frames) if isinstance(f.node, (ast.FunctionDef, ast.AsyncFunctionDef))), None
        )
        if function_frame is not None and function_frame.owner is not None:
            arguments = _all_arguments(function_frame.node.args)  # type: ignore[attr-defined]
            if arguments and arguments[0].arg == receiver and receiver in ("self", "cls"):
                cls = function_frame.owner
        if cls is None and receiver in module.class_by_name and not self._is_local(receiver):
            cls = module.class_by_name[receiver]
        if cls is None:
            return None
        definition = class_method(module, cls, method)
        return definition is not None and definition.is_coroutine_function

    def _is_local(self, name: str | None) -> bool:
        return name is not None and any(name in frame.shadowed for frame in self.frames[1:])

    def _type_of(self, expr: ast.expr) -> str | None:
        if isinstance(expr, ast.Name):
            for frame in reversed(self.frames):
                if expr.id in frame.types:
                    return frame.types[expr.id]
                if expr.id in frame.shadowed:
                    return None
            return None
        if isinstance(expr, ast.Call):
            return self._call_result_type(expr)
        return None

    def _call_result_type(self, call: ast.Call) -> str | None:
        """The type of what a call returns, when it is a constructor or a known factory."""
        func = call.func
        qualified = self.imports.qualified_name(func)
        if qualified in LOOP_FACTORIES:
            return EVENT_LOOP
        if isinstance(func, ast.Name) and self._is_local(func.id):
            instance_type = self._type_of(func)
            return CALL_RESULTS.get(instance_type or "")
        if qualified is not None:
            return self.resolver.constructed_type(qualified)
        if isinstance(func, ast.Attribute) and func.attr == "AsyncMock" and _root_name(func) == "mocker":
            return ASYNC_MOCK
        if isinstance(func, ast.Name):
            return self.resolver.constructed_type(None, func.id)
        return None

    def _async_with_type(self, expr: ast.expr) -> str | None:
        """The type `async with EXPR as name` binds name to."""
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            receiver_type = self._type_of(expr.func.value)
            if receiver_type is not None and (receiver_type, expr.func.attr) in ASYNC_WITH_METHOD_RESULTS:
                return ASYNC_WITH_METHOD_RESULTS[(receiver_type, expr.func.attr)]
        type_name = self._type_of(expr)
        return type_name if type_name in SELF_ENTERING_TYPES else None

    def _annotation_type(self, annotation: ast.expr) -> str | None:
        local = annotation.id if isinstance(annotation, ast.Name) else None
        return self.resolver.type_of_name(self.imports.qualified_name(annotation), local)

    @staticmethod
    def _describe(call: ast.Call) -> str:
        try:
            return ast.unparse(call.func)
        except Exception:  # unparse of odd but valid trees: never worth a crash
            return "?"


def _all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    names = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    if arguments.vararg:
        names.append(arguments.vararg)
    if arguments.kwarg:
        names.append(arguments.kwarg)
    return names


def _root_name(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


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
