"""Where the walk is, and what the names there stand for.

One tracker per file, driven by the walk before (on enter) and after (on leave) the rule
families that need it: the stack of functions, classes and lambdas, which names each binds
(parameters, assignments, imports, loop targets), the types it can see (annotations,
constructors, `async with ... as name`), and which calls surely return a coroutine. The
missing-await and mock families share it rather than each tracking scopes of its own.
"""

from __future__ import annotations

import ast
import weakref
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from .coroutines import (
    ASYNC_MOCK,
    ASYNC_WITH_METHOD_RESULTS,
    CALL_RESULTS,
    SELF_ENTERING_TYPES,
    CoroutineResolver,
    class_method,
)
from .names import root_name
from .pytest_model import ClassFacts, decorated, own_nodes
from .walk import Scope

if TYPE_CHECKING:
    from .context import FileContext
    from .walk import Walk

T = TypeVar("T")
PATCHING_CALLS = frozenset({"patch", "object", "setattr"})
"""`patch("pkg.mod.name")`, `patch.object(owner, "name")`, `monkeypatch.setattr(owner, "name", ...)`."""
EVENT_LOOP = "asyncio.AbstractEventLoop"
LOOP_FACTORIES = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop"})


class Frame:
    """One function (or the module, a class, a lambda) the walk is inside."""

    __slots__ = ("node", "role", "in_test_or_fixture", "owner", "types", "async_defs", "shadowed", "patched", "slots")

    def __init__(self, node: ast.AST, role: str, in_test_or_fixture: bool, owner: ClassFacts | None) -> None:
        self.node = node
        self.role = role
        """`async`, `sync test`, `sync fixture`, `class`, or `other` (module, lambda, helper)."""
        self.in_test_or_fixture = in_test_or_fixture
        self.owner = owner
        """The class a method belongs to, for `self.method()`."""
        self.types: dict[str, str] = {}
        self.async_defs: set[str] = set()
        self.shadowed: set[str] = set()
        """Names bound here: they hide the module's functions and imports of the same name."""
        self.slots: dict[str, Any] = {}
        """What a rule family keeps about this scope (its own key), created on first use."""
        self.patched: set[str] = set()
        """Last parts of what `patch(...)` / `patch.object` / `setattr` replace here: a call of
        that name may reach the replacement, not the coroutine function."""

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<lambda>")

    def slot(self, key: str, factory: Callable[[], T]) -> T:
        found = self.slots.get(key)
        if found is None:
            found = self.slots[key] = factory()
        return found  # type: ignore[no-any-return]

    @property
    def may_await(self) -> bool:
        """Can code run from here await a coroutine? Yes in an async function, at module or
        class level, in a fixture or a setUp method (what they patch reaches the async tests);
        in a sync test only if it runs an event loop itself (`loop.run_until_complete`...)."""
        if self.role in ("async", "sync fixture") or isinstance(self.node, (ast.Module, ast.ClassDef)):
            return True
        if getattr(self.node, "name", "") in SETUP_METHODS and self.owner is not None:
            # what it patches stays patched for the tests that follow: async ones may await it
            if any(isinstance(method, ast.AsyncFunctionDef) for method in self.owner.methods):
                return True
        return _runs_event_loop(self.node)


class ScopeTracker:
    """Not a rule: the shared record of scopes and bindings, first in the walk."""

    walk: Walk

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.resolver: CoroutineResolver = context.coroutine_resolver
        self.imports = context.module.imports
        self.frames: list[Frame] = []
        self.scope_listeners: list[Callable[[Frame], None]] = []
        """Each family's `on_scope_exit(frame)`: called as a function, lambda or class is left, while
        its frame is still the current one."""
        self._patched_by_setup: dict[ast.ClassDef, set[str]] = {}

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    # -- frames -----------------------------------------------------------------------------

    def enter_Module(self, node: ast.Module) -> None:
        self.frames.append(Frame(node, "other", False, None))

    def enter_ClassDef(self, node: ast.ClassDef) -> None:
        self.frame.shadowed.add(node.name)
        self.frames.append(Frame(node, "class", self.frame.in_test_or_fixture, None))

    def leave_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        self._leave()

    def enter_Lambda(self, node: ast.Lambda) -> None:
        frame = Frame(node, "other", self.frame.in_test_or_fixture, None)
        frame.shadowed.update(arg.arg for arg in all_arguments(node.args))
        self.frames.append(frame)

    def leave_Lambda(self, node: ast.Lambda, scope: Scope) -> None:
        self._leave()

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_function(node)

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_function(node)

    def leave_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        self._leave()

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, scope: Scope) -> None:
        self._leave()
        definition = self.context.module.functions.get(node)
        if definition is not None:  # the walk has seen its body: no second look for `yield`
            definition.__dict__.setdefault("is_generator", scope.has_yield)
        elif self.frame.role != "class" and not isinstance(self.frame.node, ast.Module):
            nested = decorated(node, self.imports)
            nested.__dict__["is_generator"] = scope.has_yield
            if nested.is_coroutine_function:
                self.frame.async_defs.add(node.name)
                self.frame.shadowed.discard(node.name)

    def _leave(self) -> None:
        for listener in self.scope_listeners:
            listener(self.frame)
        self.frames.pop()

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        parent = self.frame
        if parent.role != "class" and not isinstance(parent.node, ast.Module):
            parent.shadowed.add(node.name)  # a nested coroutine function is known once its def is left
        role, test_or_fixture, owner = "other", False, None
        collected = self.context.collected_def(node, self.walk.scopes)
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
        for argument in all_arguments(node.args):
            frame.shadowed.add(argument.arg)
            if argument.annotation is not None:
                type_name = self.annotation_type(argument.annotation)
                if type_name is not None:
                    frame.types[argument.arg] = type_name
        self.frames.append(frame)

    # -- bindings ---------------------------------------------------------------------------

    def enter_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._bind(target.id, node.value)
            else:
                self._shadow(target)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not isinstance(node.target, ast.Name):
            return
        self.frame.shadowed.add(node.target.id)
        if node.value is not None:
            self._bind(node.target.id, node.value)
        type_name = self.annotation_type(node.annotation)
        if type_name is not None:
            self.frame.types[node.target.id] = type_name

    def _bind(self, name: str, value: ast.expr) -> None:
        frame = self.frame
        frame.shadowed.add(name)
        frame.async_defs.discard(name)
        type_name = self.type_of(value) if isinstance(value, (ast.Call, ast.Name)) else None
        if type_name is not None:
            frame.types[name] = type_name
        else:
            frame.types.pop(name, None)

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        for item in node.items:
            self._shadow(item.optional_vars)
            if isinstance(item.optional_vars, ast.Name):
                name = item.optional_vars.id
                self.frame.shadowed.add(name)
                type_name = self.async_with_type(item.context_expr)
                if type_name is not None:
                    self.frame.types[name] = type_name
                else:
                    self.frame.types.pop(name, None)

    def _shadow(self, target: ast.expr | None) -> None:
        """Every name a binding target (`a`, `a, (b, *c)`) stores to is local from here on, its
        type unknown."""
        stack = [target]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                self.frame.shadowed.add(node.id)
                self.frame.types.pop(node.id, None)  # rebound to something of unknown type
            elif isinstance(node, (ast.Tuple, ast.List)):
                stack.extend(node.elts)
            elif isinstance(node, ast.Starred):
                stack.append(node.value)

    def enter_AugAssign(self, node: ast.AugAssign) -> None:
        self._shadow(node.target)

    def enter_For(self, node: ast.For) -> None:
        self._shadow(node.target)

    def enter_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._shadow(node.target)

    def enter_With(self, node: ast.With) -> None:
        for item in node.items:
            self._shadow(item.optional_vars)

    def enter_comprehension(self, node: ast.comprehension) -> None:
        self._shadow(node.target)

    def enter_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._shadow(node.target)

    def enter_MatchAs(self, node: ast.AST) -> None:
        if getattr(node, "name", None):
            self.frame.shadowed.add(node.name)  # type: ignore[attr-defined]

    def enter_MatchStar(self, node: ast.AST) -> None:
        self.enter_MatchAs(node)

    def enter_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.frame.shadowed.add(node.name)

    def enter_Import(self, node: ast.Import) -> None:
        self._shadow_imported(node)

    def enter_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._shadow_imported(node)

    def _shadow_imported(self, node: ast.Import | ast.ImportFrom) -> None:
        """An import inside a function binds local names the module's imports know nothing of."""
        if len(self.frames) > 1:
            for alias in node.names:
                self.frame.shadowed.add(alias.asname or alias.name.partition(".")[0])

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name not in PATCHING_CALLS or not node.args:
            return
        first = node.args[0]
        dotted_first = name == "patch" or (isinstance(first, ast.Constant) and isinstance(first.value, str))
        target = first if dotted_first or len(node.args) < 2 else node.args[1]
        if isinstance(target, ast.JoinedStr) and target.values:  # f"{__name__}.fetch"
            target = target.values[-1]
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            patched = target.value.rpartition(".")[2]
            self.frame.patched.add(patched)
            if self.frame.name in SETUP_METHODS and self.frame.owner is not None:
                self._patched_by_setup.setdefault(self.frame.owner.node, set()).add(patched)

    def is_patched(self, name: str) -> bool:
        """Replaced by a patch of this function, an enclosing one, or its class's setUp."""
        for frame in self.frames:
            if name in frame.patched:
                return True
            if frame.owner is not None and name in self._patched_by_setup.get(frame.owner.node, ()):
                return True
        return False

    # -- resolution -------------------------------------------------------------------------

    def coroutine_callee(self, call: ast.Call) -> str | None:
        """A description of the callee if the call surely returns a coroutine, else None."""
        func = call.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if called is not None and self.is_patched(called):
            return None
        if isinstance(func, ast.Name):
            return func.id if self.name_is_coroutine_function(func.id) else None
        if not isinstance(func, ast.Attribute):
            return None
        receiver = func.value
        if isinstance(receiver, ast.Name):
            method = self.own_method(receiver.id, func.attr)
            if method is not None:
                return f"{receiver.id}.{func.attr}" if method else None
        qualified = self.imports.qualified_name(func)
        if qualified is not None and not self.is_local(root_name(func)):
            return qualified if self.resolver.is_coroutine_function(qualified) else None
        receiver_type = self.type_of(receiver)
        if receiver_type is not None and self.resolver.method_is_coroutine(receiver_type, func.attr):
            return self.describe(call)
        return None

    def name_is_coroutine_function(self, name: str) -> bool:
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

    def own_method(self, receiver: str, method: str) -> bool | None:
        """`self.method()` / `cls.method()` in a method, `Class.method()` for a class of the
        module: True or False when the receiver is such a class, None otherwise."""
        module = self.context.module
        cls: ClassFacts | None = None
        function_frame = next(
            (f for f in reversed(self.frames) if isinstance(f.node, (ast.FunctionDef, ast.AsyncFunctionDef))), None
        )
        if function_frame is not None and function_frame.owner is not None:
            arguments = all_arguments(function_frame.node.args)  # type: ignore[attr-defined]
            if arguments and arguments[0].arg == receiver and receiver in ("self", "cls"):
                cls = function_frame.owner
        if cls is None and receiver in module.class_by_name and not self.is_local(receiver):
            cls = module.class_by_name[receiver]
        if cls is None:
            return None
        definition = class_method(module, cls, method)
        return definition is not None and definition.is_coroutine_function

    def is_local(self, name: str | None) -> bool:
        return name is not None and any(name in frame.shadowed for frame in self.frames[1:])

    def type_of(self, expr: ast.expr) -> str | None:
        if isinstance(expr, ast.Name):
            for frame in reversed(self.frames):
                if expr.id in frame.types:
                    return frame.types[expr.id]
                if expr.id in frame.shadowed:
                    return None
            return None
        if isinstance(expr, ast.Call):
            return self.call_result_type(expr)
        return None

    def call_result_type(self, call: ast.Call) -> str | None:
        """The type of what a call returns, when it is a constructor or a known factory."""
        func = call.func
        qualified = self.imports.qualified_name(func)
        if qualified in LOOP_FACTORIES:
            return EVENT_LOOP
        if isinstance(func, ast.Name) and self.is_local(func.id):
            instance_type = self.type_of(func)
            return CALL_RESULTS.get(instance_type or "")
        if qualified is not None:
            return self.resolver.constructed_type(qualified)
        if isinstance(func, ast.Attribute) and func.attr == "AsyncMock" and root_name(func) == "mocker":
            return ASYNC_MOCK
        if isinstance(func, ast.Name):
            return self.resolver.constructed_type(None, func.id)
        return None

    def async_with_type(self, expr: ast.expr) -> str | None:
        """The type `async with EXPR as name` binds name to."""
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            receiver_type = self.type_of(expr.func.value)
            if receiver_type is not None and (receiver_type, expr.func.attr) in ASYNC_WITH_METHOD_RESULTS:
                return ASYNC_WITH_METHOD_RESULTS[(receiver_type, expr.func.attr)]
        type_name = self.type_of(expr)
        return type_name if type_name in SELF_ENTERING_TYPES else None

    def annotation_type(self, annotation: ast.expr) -> str | None:
        local = annotation.id if isinstance(annotation, ast.Name) else None
        return self.resolver.type_of_name(self.imports.qualified_name(annotation), local)

    @staticmethod
    def describe(node: ast.expr) -> str:
        """Source text for a message: a call's callee, or the expression itself."""
        try:
            return ast.unparse(node.func if isinstance(node, ast.Call) else node)
        except Exception:  # unparse of odd but valid trees: never worth a crash
            return "?"


SETUP_METHODS = frozenset({"setUp", "asyncSetUp", "setUpClass", "setup_method", "setup_class", "setup"})
LOOP_RUNNERS = frozenset({"run_until_complete", "run_forever"})
LOOP_MODULES = frozenset({"asyncio", "anyio", "trio"})
"""`loop.run_until_complete(...)`, `loop.run_forever()`, `asyncio.run(...)`, `anyio.run`, `trio.run`."""


def _runs_event_loop(function: ast.AST) -> bool:
    cached = _LOOP_RUNNING.get(function)
    if cached is None:
        cached = _LOOP_RUNNING[function] = any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (
                node.func.attr in LOOP_RUNNERS
                or (
                    node.func.attr == "run"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in LOOP_MODULES
                )
            )
            for node in _nodes_of(function)
        )
    return cached


def _nodes_of(function: ast.AST) -> Iterator[ast.AST]:
    if isinstance(function, ast.Lambda):
        return ast.walk(function.body)
    return own_nodes(function)  # type: ignore[arg-type]


_LOOP_RUNNING: weakref.WeakKeyDictionary[ast.AST, bool] = weakref.WeakKeyDictionary()


def all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    names = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    if arguments.vararg:
        names.append(arguments.vararg)
    if arguments.kwarg:
        names.append(arguments.kwarg)
    return names
