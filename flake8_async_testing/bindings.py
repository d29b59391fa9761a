"""The binding model: where the walk is, which names each frame binds, and what they hold.

One tracker per file, first in the walk, so every rule family sees the same answer to "what
does this name hold?". Frames are the module, classes, functions, lambdas and comprehensions
(each its own scope, as in Python 3). Every way a name is bound is recorded once, in the frame
Python binds it in: assignment (plain, annotated, augmented, unpacking, starred), `for` /
`async for`, `with` / `async with ... as`, walrus (in the enclosing function), `except ... as`,
imports, defs and classes, parameters, `match` captures, `del`; names declared `global` /
`nonlocal` hold nothing the plugin follows. Each binding carries a value description
(values.py): a known class's instance, a mock, a coroutine, an event loop, or unknown.

Module-level names the walk has not bound with a known value are answered from the module's
facts (its defs, imports and assignments), as Python looks them up when a test runs.
"""

from __future__ import annotations

import ast
import enum
import os
from typing import Callable, Iterator

from .coroutines import LOCAL_CLASS_PREFIX, CoroutineResolver, is_class_name
from .libraries import (
    AWAITABLE_FACTORY,
    DECLARED_SESSION,
    LOOP_RUNNING_METHODS,
    MOCK_MODULES,
    MOCK_OBJECT_FACTORIES,
    MOCKER_FIXTURES,
    PATCH_APIS,
    PLUGIN_FIXTURES,
    RUN_FUNCTION_MODULES,
    SYNC_MOCK_CLASSES,
    YIELDING_ANNOTATIONS,
    canonical_class,
    library_class,
)
from .library_class import LibraryClass
from .names import bound_name, keyword, patch_replacement, path_of, root_name
from .project import PROJECT
from .pytest_model import (
    ClassFacts,
    Decorated,
    Fixture,
    FunctionNode,
    ModuleFacts,
    class_method,
    decorated,
    own_nodes,
)
from .habits import Habit
from .walk import Walk
from .values import (
    ASYNC,
    RETURN,
    SYNC,
    UNKNOWN,
    Binding,
    CoroutineFunction,
    CoroutineValue,
    ImportedName,
    Instance,
    MockKind,
    MockValue,
    Value,
    instance_of,
    module_level_value,
)

from .context import FileContext, context_of_file

PATCHING_CALLS = frozenset({"patch", "object", "setattr"})
"""`patch("pkg.mod.name")`, `patch.object(owner, "name")`, `monkeypatch.setattr(owner, "name", ...)`."""
SETUP_METHODS = frozenset({"setUp", "asyncSetUp", "setUpClass", "setup_method", "setup_class", "setup"})
SPEC_KEYWORDS = frozenset({"spec", "spec_set", "autospec", "wraps"})
PLAIN_MOCK_KEYWORDS = frozenset({"name", "unsafe", "target", "create", "new_callable"})
"""Keywords of a Mock constructor, or of a patch call passing them on, that configure nothing
the rules care about (`target` and `create` belong to patch itself)."""
CONFIGURING_KEYWORDS = frozenset({"return_value", "side_effect"})
NOT_INSTANCE_ORIGINS = frozenset({"typing", "typing_extensions", "collections", "builtins", "types"})
"""Subscripted annotations from these modules are containers, unions or types, not instances."""
KNOWN_COROUTINE_FUNCTION = "a coroutine function"
"""What a finding on a call rests on when no await habit was needed."""
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class ScopeKind(enum.Enum):
    """What a frame is: each its own scope, as in Python 3."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"


class PytestRole(enum.Enum):
    """What pytest makes of a function: a test, a fixture, or nothing (a helper, a lambda, the
    module); a comprehension has the role of the code around it."""

    TEST = "test"
    FIXTURE = "fixture"
    NONE = "none"


class Frame:
    """One module, class, function, lambda or comprehension the walk is inside."""

    __slots__ = (
        "node",
        "kind",
        "pytest_role",
        "is_async",
        "in_test_or_fixture",
        "owner",
        "bindings",
        "declared",
        "outer_values",
        "patched",
        "has_yield",
        "coroutines",
        "outside_functions",
    )

    def __init__(
        self,
        node: ast.AST,
        kind: ScopeKind,
        in_test_or_fixture: bool,
        owner: ClassFacts | None,
        pytest_role: PytestRole = PytestRole.NONE,
        is_async: bool = False,
    ) -> None:
        self.node = node
        self.kind = kind
        self.pytest_role = pytest_role
        """TEST or FIXTURE for a test's or fixture's own frame (and comprehensions in it)."""
        self.is_async = is_async
        """An `async def` (any, helpers too), or a comprehension in one: code that can await."""
        self.in_test_or_fixture = in_test_or_fixture
        self.owner = owner
        """The class a method belongs to, for `self.method()`."""
        self.bindings: dict[str, Binding] = {}
        """The newest binding of each name bound here."""
        self.declared: set[str] = set()
        """Names declared `global` or `nonlocal` here."""
        self.outer_values: dict[str, Value] = {}
        """Objects of names bound outside (a module-level name) that this frame set attributes on."""
        self.patched: set[str] = set()
        """Last parts of what `patch(...)` / `patch.object` / `setattr` replace here: a call of
        that name may reach the replacement, not the coroutine function."""
        self.has_yield = False
        self.coroutines = 0
        """How many coroutine values were bound here (BindingTracker.coroutines_bound counts them all)."""
        self.outside_functions = kind is ScopeKind.MODULE
        """The module, or a class with only classes around it: where pytest collects defs
        (FileContext.collected_def asks it of the innermost frame)."""

    @property
    def sync_test_code(self) -> PytestRole | None:
        """TEST or FIXTURE for a sync test or fixture (it can never await), else None."""
        return self.pytest_role if not self.is_async and self.pytest_role is not PytestRole.NONE else None

    @property
    def checks_awaits(self) -> bool:
        """Code where a dropped coroutine is a finding: any async def, a sync test or fixture."""
        return self.is_async or self.pytest_role is not PytestRole.NONE

    @property
    def name(self) -> str:
        return getattr(self.node, "name", "<lambda>")

    @property
    def is_comprehension(self) -> bool:
        return self.kind is ScopeKind.COMPREHENSION

    @property
    def may_await(self) -> bool:
        """Can code run from here await a coroutine? Yes in an async function, at module or
        class level, in a fixture or a setUp method (what they patch reaches the async tests);
        in a sync test only if it runs an event loop itself (`loop.run_until_complete`...)."""
        if self.is_async or self.pytest_role is PytestRole.FIXTURE or self.kind in (ScopeKind.MODULE, ScopeKind.CLASS):
            return True
        if getattr(self.node, "name", "") in SETUP_METHODS and self.owner is not None:
            # what it patches stays patched for the tests that follow: async ones may await it
            if any(isinstance(method, ast.AsyncFunctionDef) for method in self.owner.methods):
                return True
        return runs_event_loop(self.node)


class BindingTracker:
    """Not a rule: the shared record of frames, bindings and values, first in the walk."""

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.resolver: CoroutineResolver = context.coroutine_resolver
        self.imports = context.module.imports
        self.frames: list[Frame] = []
        self.frame_listeners: list[Callable[[Frame], None]] = []
        """Each family's `on_frame_exit(frame)`: called as a frame (not the module) is left, while
        it is still the current one."""
        self.coroutines_bound = 0
        """Coroutine values bound in the frames open now: families look closer only while some are."""
        self._patched_by_setup: dict[ast.ClassDef, set[str]] = {}
        self._patched_anywhere: set[str] = set()
        """Every name a frame or a setUp of this file has patched so far: most names never were."""
        self._instances: dict[ast.ClassDef, Value] = {}
        self._module_values: dict[str, Value | None] = {}
        self._collected: dict[ast.AST, tuple[Decorated, list[ClassFacts]] | None] = {}
        self._requested: dict[ast.arg, Fixture] = {}
        """The fixture definition each test or fixture parameter requests (its value may be unknown)."""
        self._habits: dict[ast.AST, Habit] = {}
        """The await habit that made a callee a coroutine function, by the callee's node."""
        self._qualified: dict[int, tuple[ast.AST, str | None]] = {}
        """qualified_name by node: every family asks it of the same callee, at the same place."""
        self.mock_roots = {
            name for name, target in self.imports.aliases.items() if target.startswith(("unittest", "mock"))
        }
        self.mock_roots.update(MOCKER_FIXTURES)

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    @property
    def statement_frame(self) -> Frame:
        """The innermost frame that is not a comprehension."""
        for frame in reversed(self.frames):
            if not frame.is_comprehension:
                return frame
        return self.frames[0]

    def collected_def(self, node: ast.AST) -> tuple[Decorated, list[ClassFacts]] | None:
        """See FileContext.collected_def; known from the moment the walk enters the def."""
        return self._collected.get(node)

    # -- frames -----------------------------------------------------------------------------

    def enter_Module(self, node: ast.Module) -> None:
        self.frames.append(Frame(node, ScopeKind.MODULE, False, None))

    def enter_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind(node.name, node, None)
        parent = self.frame
        frame = Frame(node, ScopeKind.CLASS, parent.in_test_or_fixture, None)
        frame.outside_functions = parent.outside_functions
        self.frames.append(frame)

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self._leave()

    def enter_Lambda(self, node: ast.Lambda) -> None:
        frame = Frame(node, ScopeKind.LAMBDA, self.frame.in_test_or_fixture, None)
        self.frames.append(frame)
        for argument in all_arguments(node.args):
            self._bind(argument.arg, argument, None)

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._leave()

    def _enter_comprehension(self, node: ast.AST) -> None:
        parent = self.frame
        role, is_async = parent.pytest_role, parent.is_async  # the code around it
        frame = Frame(node, ScopeKind.COMPREHENSION, parent.in_test_or_fixture, parent.owner, role, is_async)
        self.frames.append(frame)
        for generator in node.generators:  # type: ignore[attr-defined]
            self._bind_targets(generator.target, generator)  # bound before the element is read

    enter_ListComp = enter_SetComp = enter_DictComp = enter_GeneratorExp = _enter_comprehension

    def _leave_comprehension(self, node: ast.AST) -> None:
        self._leave()

    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave_comprehension

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave()

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        has_yield = self.frame.has_yield
        self._leave()
        definition = self.context.module.functions.get(node)
        if definition is not None:  # the walk has seen its body: no second look for `yield`
            definition.__dict__.setdefault("is_generator", has_yield)
        elif self.frame.kind not in (ScopeKind.CLASS, ScopeKind.MODULE):
            nested = decorated(node, self.imports)
            nested.__dict__["is_generator"] = has_yield
            if nested.is_coroutine_function:
                binding = self.frame.bindings.get(node.name)
                if binding is not None and binding.node is node:
                    binding.value = CoroutineFunction(nested)

    def _leave(self) -> None:
        frame = self.frame
        for listener in self.frame_listeners:
            listener(frame)
        self.coroutines_bound -= frame.coroutines
        self.frames.pop()

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        parent = self.frame
        self._bind(node.name, node, None)  # a nested coroutine function is known once its def is left
        frames = self.frames
        collected = self.context.collected_def(node, frames[-1].outside_functions, [frame.node for frame in frames])
        self._collected[node] = collected
        role, owner = PytestRole.NONE, None
        if collected is not None:
            definition, classes = collected
            owner = classes[-1] if classes else None
            if definition.is_fixture:
                role = PytestRole.FIXTURE
            elif self.context.test_kind(node, classes) is not None:
                role = PytestRole.TEST
        test_or_fixture = role is not PytestRole.NONE
        is_async = isinstance(node, ast.AsyncFunctionDef)
        frame = Frame(node, ScopeKind.FUNCTION, test_or_fixture or parent.in_test_or_fixture, owner, role, is_async)
        self.frames.append(frame)
        provided = self._parameter_values(node, collected, test_or_fixture)
        for argument in all_arguments(node.args):
            self._bind(argument.arg, argument, provided.get(argument.arg))

    enter_FunctionDef = enter_AsyncFunctionDef = _enter_function

    # -- bindings ---------------------------------------------------------------------------

    def _bind(self, name: str, node: ast.AST, value: Value | None, frame: Frame | None = None) -> Binding:
        if frame is None:
            frame = self.frames[-1]
        if value is not None:
            if name in frame.declared:
                value = None  # global / nonlocal: it escapes, the plugin does not follow it
            elif isinstance(value, CoroutineValue):
                frame.coroutines += 1
                self.coroutines_bound += 1
        bindings = frame.bindings
        binding = bindings[name] = Binding(name, node, value, bindings.get(name))
        return binding

    def _bind_targets(self, target: ast.expr | None, node: ast.AST) -> None:
        """Every name a binding target (`a`, `a, (b, *c)`) stores to, its value unknown."""
        stack = [target]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.Name):
                self._bind(item.id, node, None)
            elif isinstance(item, (ast.Tuple, ast.List)):
                stack.extend(item.elts)
            elif isinstance(item, ast.Starred):
                stack.append(item.value)

    def enter_Assign(self, node: ast.Assign) -> None:
        value: Value | None = None
        evaluated = False
        for target in node.targets:
            if isinstance(target, ast.Name):
                if not evaluated:
                    value, evaluated = self.value_of(node.value), True
                self._bind(target.id, node, value)
            else:
                self._bind_targets(target, node)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not isinstance(node.target, ast.Name):
            return
        value = self.value_of(node.value) if node.value is not None else None
        known = isinstance(value, (MockValue, CoroutineValue)) or library_class(getattr(value, "type_name", None))
        if not known:
            value = self.annotated_value(node.annotation, node) or value  # the annotation knows better
        self._bind(node.target.id, node, value)

    def enter_AugAssign(self, node: ast.AugAssign) -> None:
        self._bind_targets(node.target, node)

    def enter_For(self, node: ast.For) -> None:
        self._bind_loop_target(node)

    def enter_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._bind_loop_target(node)

    def _bind_loop_target(self, node: ast.For | ast.AsyncFor) -> None:
        """The target holds an unknown item, except a session from a declared session factory
        that is a generator (`async for session in get_session():`)."""
        if isinstance(node.target, ast.Name) and isinstance(node.iter, ast.Call):
            value = self.value_of(node.iter)
            if isinstance(value, Instance) and value.type_name == DECLARED_SESSION:
                self._bind(node.target.id, node, value)
                return
        self._bind_targets(node.target, node)

    def enter_With(self, node: ast.With) -> None:
        self._bind_with_items(node, "sync")

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._bind_with_items(node, "async")

    def _bind_with_items(self, node: ast.With | ast.AsyncWith, how: str) -> None:
        for item in node.items:
            if isinstance(item.optional_vars, ast.Name):
                self._bind(item.optional_vars.id, node, self.entered_value(item.context_expr, how))
            else:
                self._bind_targets(item.optional_vars, node)

    def enter_NamedExpr(self, node: ast.NamedExpr) -> None:
        """`(x := value)` binds x in the function around any comprehension (PEP 572)."""
        if isinstance(node.target, ast.Name):
            self._bind(node.target.id, node, self.value_of(node.value), self.statement_frame)

    def enter_MatchAs(self, node: ast.AST) -> None:
        if getattr(node, "name", None):
            self._bind(node.name, node, None)  # type: ignore[attr-defined]

    def enter_MatchStar(self, node: ast.AST) -> None:
        self.enter_MatchAs(node)

    def enter_MatchMapping(self, node: ast.AST) -> None:
        if getattr(node, "rest", None):
            self._bind(node.rest, node, None)  # type: ignore[attr-defined]

    def enter_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self._bind(node.name, node, None)

    def enter_Import(self, node: ast.Import) -> None:
        self._bind_imported(node)

    def enter_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._bind_imported(node)

    def _bind_imported(self, node: ast.Import | ast.ImportFrom) -> None:
        """An import inside a function binds local names to what they import (`qualified_name`
        reads them as it reads the module's imports, which are the module's facts)."""
        if len(self.frames) == 1:
            return
        for alias in node.names:
            name = bound_name(alias)
            if isinstance(node, ast.Import):
                dotted = alias.name if alias.asname else name
            elif alias.name == "*":
                continue
            else:
                module = "." * node.level + (node.module or "")
                dotted = (module if module.endswith(".") else module + ".") + alias.name
            if dotted.startswith(("unittest", "mock")):
                self.mock_roots.add(name)
            self._bind(name, alias, ImportedName(dotted, alias))

    def qualified_name(self, expr: ast.AST) -> str | None:
        """`pt.mark.asyncio` -> `pytest.mark.asyncio`, through the module's imports and imports
        inside the functions around here; None when the root is not imported (or is a local
        that is not an import)."""
        known = self._qualified.get(id(expr))
        if known is not None and known[0] is expr:
            return known[1]
        answer = self._qualified_name(expr)
        self._qualified[id(expr)] = (expr, answer)
        return answer

    def _qualified_name(self, expr: ast.AST) -> str | None:
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name) or not self.is_local(root.id):
            return self.imports.qualified_name(expr)
        binding = self.binding_of(root.id)
        value = binding.value if binding is not None else None
        if not isinstance(value, ImportedName):
            return None
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        return ".".join([value.dotted, *reversed(parts)])

    def enter_Global(self, node: ast.Global) -> None:
        self.frame.declared.update(node.names)

    def enter_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.frame.declared.update(node.names)

    def enter_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._bind_targets(target, node)

    def enter_Yield(self, node: ast.Yield) -> None:
        self.frame.has_yield = True

    def enter_YieldFrom(self, node: ast.YieldFrom) -> None:
        self.frame.has_yield = True

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name not in PATCHING_CALLS or not node.args:
            return
        first = node.args[0]
        dotted_first = name == "patch" or self.constant_string(first) is not None
        text = self.constant_string(first if dotted_first or len(node.args) < 2 else node.args[1])
        if text is not None:
            patched = text.rpartition(".")[2]
            frame = self.statement_frame
            frame.patched.add(patched)
            self._patched_anywhere.add(patched)
            if frame.name in SETUP_METHODS and frame.owner is not None:
                self._patched_by_setup.setdefault(frame.owner.node, set()).add(patched)

    # -- parameters -------------------------------------------------------------------------

    def _parameter_values(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        collected: tuple[Decorated, list[ClassFacts]] | None,
        test_or_fixture: bool,
    ) -> dict[str, Value]:
        """What parameters hold on entry: a mock injected by `@patch`, the class's shared instance
        for `self`, an annotated class, what a requested fixture of the module provides. The
        fixture a test's or fixture's parameter requests is noted for await habits."""
        values: dict[str, Value] = {}
        arguments = [*node.args.posonlyargs, *node.args.args]
        classes = collected[1] if collected is not None else []
        definition = collected[0] if collected is not None else self.context.module.functions.get(node)
        is_method = bool(classes) and definition is not None and not definition.is_staticmethod
        if is_method and arguments and arguments[0].arg == "self" and classes[-1].node is not None:
            values["self"] = self.class_instance(classes[-1].node)
        if definition is not None and definition.injected_mock_arguments:
            injected = arguments[1:] if is_method else arguments
            patches = [decorator for decorator in node.decorator_list if self._is_injecting_patch(decorator)]
            for parameter, decorator in zip(injected, reversed(patches)):
                values[parameter.arg] = self.patched_mock(decorator)  # type: ignore[arg-type]
        for argument in all_arguments(node.args):
            if argument.arg not in values and argument.annotation is not None:
                annotated = self.annotated_value(argument.annotation, argument)
                if annotated is not None:
                    values[argument.arg] = annotated
        if collected is None:
            return values
        definition, classes = collected
        requested = definition.requested_parameters(is_method=bool(classes))
        if not requested:
            return values
        own = self.context.fixture_defined_by(definition)
        marks = self.context.marks_for(definition, classes) if own is None else None
        parametrized = {name for mark in marks.marks for name in mark.requested_fixtures} if marks else set()
        for parameter in requested:
            if parameter.arg in parametrized:
                continue  # `@pytest.mark.parametrize("client", ...)` hands over its own values
            fixture = self.context.fixture_named(parameter.arg, classes, skip=own)
            if fixture is not None and fixture.parametrized:
                values.pop(parameter.arg, None)  # each param may give another type, whatever the annotation says
                continue
            if fixture is not None and test_or_fixture:
                self._requested[parameter] = fixture
            if parameter.arg in values:
                continue
            provided = self.fixture_value(fixture) if fixture is not None else _plugin_fixture(parameter.arg)
            mock_annotation = (
                provided is not None
                and provided.is_mock
                and parameter.annotation is not None
                and self._names_mock(parameter.annotation)
            )
            if parameter.annotation is not None and not mock_annotation:
                continue  # the test's own annotation wins, even one the plugin cannot read
            if provided is not None:
                values[parameter.arg] = provided.copy()
                values[parameter.arg].source = parameter
        return values

    def class_instance(self, node: ast.ClassDef) -> Value:
        """The object `self` stands for in every method of a class: what setUp puts on it is
        seen by the methods after it."""
        found = self._instances.get(node)
        if found is None:
            found = self._instances[node] = Value()
        return found

    # -- what fixtures and functions hand over --------------------------------------------------

    def fixture_value(self, fixture: Fixture) -> Value | None:
        """What a fixture hands to each requester (share it only as a copy): its return
        annotation, else what it yields or returns. Unknown for a parametrised fixture."""
        if fixture.parametrized or fixture.definition.unknown_decorators:
            return None
        return PROJECT.per_definition(
            ("fixture value", self.context.settings),
            fixture.node,
            lambda: self._result_of(fixture.definition, fixture.path),
        )

    def returned_value(self, definition: Decorated, path: str) -> Value | None:
        """What a call of a function of the project gives (awaited, for an async def)."""
        if definition.unknown_decorators or definition.is_fixture:
            return None
        purpose = ("returned value", self.context.settings)
        return PROJECT.per_definition(purpose, definition.node, lambda: self._result_of(definition, path))

    def _result_of(self, definition: Decorated, path: str) -> Value | None:
        node = definition.node
        evaluating = PROJECT.evaluating
        if node in evaluating or len(evaluating) > MAX_EVALUATION_DEPTH:
            return None  # a fixture or helper that (through others) needs its own value
        context = self.context if path == self.context.filename else context_of_file(path, self.context.settings)
        if context is None:
            return None
        tracker = BindingTracker(context)
        tracker.stand_outside(definition)
        annotated = tracker.annotated_result(node, definition.is_generator)
        if annotated is not None:
            return annotated
        evaluating.add(node)
        try:
            return tracker.walk_for_result(definition)
        finally:
            evaluating.discard(node)

    def annotated_result(self, node: FunctionNode, is_generator: bool) -> Value | None:
        """`-> AsyncClient`, `-> AsyncIterator[AsyncClient]` (a generator), `-> "AsyncClient"`."""
        returns = node.returns
        if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
            try:
                returns = ast.parse(returns.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(returns, ast.Subscript) and self.qualified_name(returns.value) in YIELDING_ANNOTATIONS:
            if not is_generator:
                return None
            inner = returns.slice
            returns = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
        return self.annotated_value(returns, node) if returns is not None else None

    def stand_outside(self, definition: Decorated) -> None:
        """Open the frames around a def (its module, its classes), to walk it on its own."""
        module = self.context.module
        self.frames = [Frame(module.tree or ast.Module(body=[], type_ignores=[]), ScopeKind.MODULE, False, None)]
        for cls in _enclosing_classes(module, definition.node):
            self.frames.append(Frame(cls.node, ScopeKind.CLASS, False, None))
            self.frames[-1].outside_functions = True

    def walk_for_result(self, definition: Decorated) -> Value | None:
        """Walk one def on its own (bindings only) and read what its yields or returns give."""
        results = _Results(self, definition)
        Walk([self, results]).run(definition.node)
        return results.value()

    # -- lookups ----------------------------------------------------------------------------

    def binding_of(self, name: str) -> Binding | None:
        """The binding a read of the name here sees: innermost frame first (a class body is not
        seen from its methods); at module level only a binding with a known value (the rest
        is the module's facts)."""
        frames = self.frames
        innermost = index = len(frames) - 1
        while index > 0:
            frame = frames[index]
            if index == innermost or frame.kind is not ScopeKind.CLASS:
                if name in frame.declared:
                    break  # global, or nonlocal: known to hold nothing we follow
                binding = frame.bindings.get(name)
                if binding is not None:
                    return binding
            index -= 1
        binding = frames[0].bindings.get(name)
        return binding if binding is not None and binding.value is not None else None

    def value_of_name(self, name: str) -> Value | None:
        for frame in reversed(self.frames):
            if name in frame.outer_values:
                return frame.outer_values[name]
            if name in frame.bindings and frame is not self.frames[0]:
                break
        binding = self.binding_of(name)
        if binding is not None:
            return binding.value
        if self.is_local(name):
            return None
        return self.module_value(name)

    def module_value(self, name: str) -> Value | None:
        """What a module-level name holds by the module's facts (bound further down the
        module, or imported), asked once per name."""
        if name not in self._module_values:
            self._module_values[name] = module_level_value(self.context.module, name, self.context.search_roots)
        return self._module_values[name]

    def value_for_update(self, name: str) -> Value:
        """The object a name holds, made a plain `Value` when unknown, so that what is set on
        it (`client.fetch = AsyncMock()`) can be followed."""
        found = self.value_of_name(name)
        if found is not None:
            return found
        binding = self.binding_of(name)  # with no value: so not the module's
        if binding is not None:
            binding.value = Value(binding.node)
            return binding.value
        value = self.statement_frame.outer_values[name] = Value()
        return value

    def is_local(self, name: str | None) -> bool:
        """Bound in a function, lambda, comprehension or class around here (not the module)."""
        if name is None:
            return False
        frames = self.frames
        innermost = index = len(frames) - 1
        while index > 0:
            frame = frames[index]
            if name in frame.bindings and (index == innermost or frame.kind is not ScopeKind.CLASS):
                return True
            index -= 1
        return False

    def is_patched(self, name: str) -> bool:
        """Replaced by a patch of this function, an enclosing one, or its class's setUp."""
        if name not in self._patched_anywhere:
            return False
        for frame in self.frames:
            if name in frame.patched:
                return True
            if frame.owner is not None and name in self._patched_by_setup.get(frame.owner.node, ()):
                return True
        return False

    def function_frames(self) -> Iterator[Frame]:
        """Innermost first."""
        return (frame for frame in reversed(self.frames) if isinstance(frame.node, _FUNCTIONS))

    # -- values -----------------------------------------------------------------------------

    def value_of(self, expr: ast.expr | None) -> Value | None:
        """What an expression evaluates to, where the plugin knows."""
        if isinstance(expr, ast.Name):
            return self.value_of_name(expr.id)
        if isinstance(expr, ast.Call):
            return self.call_value(expr)
        if isinstance(expr, ast.Await):
            inner = self.value_of(expr.value)
            if isinstance(inner, CoroutineValue) and inner.function is not None:
                result = self.returned_value(*inner.function)
                return _copy_from(result, expr) if result is not None else None
            cls = library_class(inner.type_name) if isinstance(inner, Instance) else None
            return inner if cls is not None and cls.awaits_to_self else None
        if isinstance(expr, ast.NamedExpr):
            return self.value_of(expr.value)
        if isinstance(expr, ast.Attribute):
            mock = self.mock_of(expr)
            if mock is not None and mock.is_mock:
                return mock
            receiver = self._library_receiver(expr.value)
            attribute = receiver.attribute_type(expr.attr) if receiver is not None else None
            return Instance(attribute, expr) if attribute is not None else None
        return None

    def _library_receiver(self, expr: ast.expr) -> LibraryClass | None:
        """The library class of what an attribute is read from: a name, an attribute chain or a
        library method's result (`client.with_options(...).chat`); no other call is evaluated."""
        if isinstance(expr, ast.Call):
            func = expr.func
            if not isinstance(func, ast.Attribute) or not isinstance(func.value, (ast.Name, ast.Attribute)):
                return None
            owner = self._library_receiver(func.value)
            result = dict(owner.method_results).get(func.attr) if owner is not None else None
            return library_class(result)
        if isinstance(expr, ast.Attribute):
            root = expr.value
            while isinstance(root, (ast.Attribute, ast.Call)):
                root = root.value if isinstance(root, ast.Attribute) else root.func
            if not isinstance(root, ast.Name):
                return None
            root_value = self.value_of_name(root.id)
            if root_value is None or not root_value.type_name:
                return None  # most chains: nothing the table could type below an unknown root
        value = self.value_of(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
        return library_class(value.type_name) if value is not None else None

    def type_of(self, expr: ast.expr) -> str | None:
        value = self.value_of(expr)
        return value.type_name if value is not None else None

    def call_value(self, call: ast.Call) -> Value | None:
        func = call.func
        if root_name(func) in self.mock_roots:
            mock = self.mock_of(call)
            if mock is not None:
                return mock
        called = self._called_function(func)
        if self.coroutine_callee(call) is not None:
            return CoroutineValue(call, called)
        if called is not None:
            result = self.returned_value(*called)
            return _copy_from(result, call) if result is not None else None
        if isinstance(func, ast.Attribute):
            receiver = self.value_of(func.value)
            cls = library_class(receiver.type_name) if receiver is not None else None
            method_result = dict(cls.method_results).get(func.attr) if cls is not None else None
            if method_result is not None:
                return Instance(method_result, call)
        if self._is_declared_session_factory(func):
            return Instance(DECLARED_SESSION, call)
        if isinstance(func, ast.Call) or (isinstance(func, ast.Name) and self.is_local(func.id)):
            factory = self.value_of(func)  # `factory()`, `async_sessionmaker(engine)()`
            cls = library_class(factory.type_name) if factory is not None else None
            return Instance(cls.call_result, call) if cls is not None and cls.call_result else None
        qualified = self.qualified_name(func)
        if qualified is not None:
            made = instance_of(qualified, call)
            if made is not None:
                return made
            if isinstance(func, ast.Name):
                factory = self.module_value(func.id)
                cls = library_class(factory.type_name) if factory is not None else None
                if cls is not None:
                    return Instance(cls.call_result, call) if cls.call_result else None
            return Instance(canonical_class(qualified) or qualified, call)
        if isinstance(func, ast.Name):
            if func.id in self.context.module.class_by_name:
                return Instance(LOCAL_CLASS_PREFIX + func.id, call)
            factory = self.value_of(func)
            cls = library_class(factory.type_name) if factory is not None else None
            if cls is not None and cls.call_result:
                return Instance(cls.call_result, call)
        return None

    def _called_function(self, func: ast.expr) -> tuple[Decorated, str] | None:
        """The def a call reaches: a function of the module, or of a project module it imports."""
        if isinstance(func, ast.Name) and not self.is_local(func.id):
            definition = self.context.module.top_level_functions.get(func.id)
            if definition is not None:
                return definition, self.context.filename
        qualified = self.qualified_name(func)
        if qualified is None or is_class_name(qualified.rpartition(".")[2]):
            return None  # a constructor's result is an instance of its class: no module read
        definition = self.resolver.project_definition(qualified)
        return (definition, definition.path) if definition is not None and definition.path else None

    def _is_declared_session_factory(self, func: ast.expr) -> bool:
        factories = self.context.settings.session_factories
        if not factories:
            return False
        qualified = self.qualified_name(func)
        if qualified is not None and qualified in factories:
            return True
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        return last is not None and last in factories

    def entered_value(self, expr: ast.expr, how: str) -> Value | None:
        """What `with EXPR as name` (how = sync) or `async with` binds name to."""
        if isinstance(expr, ast.Call) and self.mock_api(expr.func) in PATCH_APIS:
            return self.patched_mock(expr)
        value = self.value_of(expr)
        if isinstance(value, Instance):
            cls = library_class(value.type_name)
            if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
                receiver = self.value_of(expr.func.value)
                receiver_class = library_class(receiver.type_name) if receiver is not None else None
                if receiver_class is not None and expr.func.attr in dict(receiver_class.method_results):
                    return value  # `async with engine.connect() as conn`: the connection
            if cls is not None and cls.enters_as_self in (how, "both"):
                return value
        return None

    def _names_mock(self, annotation: ast.expr) -> bool:
        return (self.qualified_name(annotation) or "").startswith(MOCK_MODULES)

    def annotated_value(self, annotation: ast.expr, source: ast.AST) -> Instance | None:
        """`client: AsyncClient`, `service: UserService` (a class of the module or the project),
        `repo: Repository[User]` (a generic class)."""
        if isinstance(annotation, ast.Subscript):
            origin = self.qualified_name(annotation.value)
            if origin is not None and origin.partition(".")[0] in NOT_INSTANCE_ORIGINS:
                return None  # Optional[X], type[X], list[X]...: not an X
            if origin is None and not (
                isinstance(annotation.value, ast.Name) and annotation.value.id in self.context.module.class_by_name
            ):
                return None  # `list[X]`, `type[X]`: builtins
            annotation = annotation.value
        if isinstance(annotation, ast.Name) and annotation.id in self.context.module.class_by_name:
            if not self.is_local(annotation.id):
                return Instance(LOCAL_CLASS_PREFIX + annotation.id, source)
        qualified = self.qualified_name(annotation)
        if qualified is None or qualified.startswith(MOCK_MODULES):
            return None
        return Instance(canonical_class(qualified) or qualified, source)

    # -- coroutines -------------------------------------------------------------------------

    def coroutine_callee(self, call: ast.Call) -> str | None:
        """A description of the callee if the call surely returns a coroutine, else None."""
        return self.coroutine_function(call.func)

    def coroutine_function(self, func: ast.expr) -> str | None:
        """A description of `func` if calling it surely returns a coroutine, else None."""
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
        qualified = self.qualified_name(func)
        if qualified is not None:
            return qualified if self.resolver.is_coroutine_function(qualified) else None
        receiver_type = self.type_of(receiver)
        kind = self.resolver.method_kind(receiver_type, func.attr) if receiver_type is not None else None
        if kind is not None:
            return self.describe(func) if kind else None
        return self.describe(func) if self.coroutine_habit(func) is not None else None

    def requested_fixture(self, name: str) -> Fixture | None:
        """The fixture a name holds the value of here: a test or fixture parameter not rebound."""
        binding = self.binding_of(name)
        return self._requested.get(binding.node) if binding is not None else None  # type: ignore[call-overload]

    def coroutine_habit(self, func: ast.Attribute) -> Habit | None:
        """The suite's habit that makes calling `<fixture parameter>.<path>` give a coroutine,
        where nothing the plugin knows of the value's type answers (a known type always wins)."""
        if func in self._habits:
            return self._habits[func]
        if not self._requested or not self.context.settings.await_habits:
            return None
        name, path = path_of(func)
        fixture = self.requested_fixture(name) if name is not None and RETURN not in path else None
        if name is None or fixture is None:
            return None
        root = self.value_of_name(name)
        if root is not None and (root.is_mock or type(root) is not Instance or library_class(root.type_name)):
            return None  # a mock, a coroutine, a library class: the plugin knows it, no habit needed
        habit = self.context.habits.coroutine_habit(self.context.fixture_scope(fixture), path, func)
        if habit is not None:
            self._habits[func] = habit
        return habit

    def awaits_checked_habit(self, name: str, path: tuple[str, ...]) -> str | None:
        """Where the test code that can request the fixture `name` holds checks the awaits of
        the mock at `path` (an AsyncMock then), where nothing else says what it is."""
        fixture = self.requested_fixture(name) if self.context.settings.await_habits else None
        value = self.value_of_name(name) if fixture is not None else None
        if fixture is None or (value is not None and not value.is_mock and type(value) is not Value):
            return None  # an object of a known type: no mock
        found = self.context.habits.awaits_checked(self.context.fixture_scope(fixture), path)
        return f"its awaits are checked at {self.context.habits.shown(found[0])}:{found[1]}" if found else None

    def coroutine_basis(self, func: ast.expr) -> str:
        """What the plugin's knowledge that calling `func` gives a coroutine rests on."""
        habit = self._habits.get(func)
        return habit.describe() if habit is not None else KNOWN_COROUTINE_FUNCTION

    def name_is_coroutine_function(self, name: str) -> bool:
        binding = self.binding_of(name)
        if binding is not None:
            value = binding.value
            if isinstance(value, ImportedName):  # `from app.db import get_session` in the function
                return self.resolver.is_coroutine_function(value.dotted)
            return isinstance(value, CoroutineFunction) or _calling_gives_coroutine(value)
        definition = self.context.module.top_level_functions.get(name)
        if definition is not None:
            return definition.is_coroutine_function
        qualified = self.imports.aliases.get(name)
        return qualified is not None and self.resolver.is_coroutine_function(qualified)

    def own_method(self, receiver: str, method: str) -> bool | None:
        """`self.method()` / `cls.method()` in a method, `Class.method()` for a class of the
        module: True or False when the receiver is such a class, None otherwise."""
        module = self.context.module
        cls: ClassFacts | None = None
        function_frame = next(self.function_frames(), None) if receiver in ("self", "cls") else None
        if function_frame is not None and function_frame.owner is not None:
            arguments = all_arguments(function_frame.node.args)  # type: ignore[attr-defined]
            if arguments and arguments[0].arg == receiver:
                cls = function_frame.owner
        if cls is None and receiver in module.class_by_name and not self.is_local(receiver):
            cls = module.class_by_name[receiver]
        if cls is None:
            return None
        definition = class_method(module, cls, method)
        return definition is not None and definition.is_coroutine_function

    # -- mocks ------------------------------------------------------------------------------

    def mock_api(self, func: ast.expr | None) -> str | None:
        """`Mock`, `MagicMock`, `AsyncMock`, `create_autospec`, `patch`, `patch.object`, ...
        for the unittest.mock / mock / pytest-mock spelling of a callee, else None."""
        return mock_api_of(func, self.qualified_name)

    def mock_of(self, expr: ast.expr | None, lookup: Callable[[str], Value | None] | None = None) -> Value | None:
        """The mock an expression evaluates to (a call of a mock class or `mocker.patch`, or a
        path from a name: `m.child.return_value`), or None if it is not one the plugin knows.
        A path from an object that is no mock gives what was set on it (a plain `Value`)."""
        if isinstance(expr, ast.Call):
            if root_name(expr.func) not in self.mock_roots:
                return None
            api = self.mock_api(expr.func)
            if api in SYNC_MOCK_CLASSES:
                return self._made_mock(self.configured_kind(expr, SYNC_MOCK_CLASSES[api]), api, expr)
            if api == "AsyncMock":
                configured = expr.args or any(
                    keyword.arg not in PLAIN_MOCK_KEYWORDS | CONFIGURING_KEYWORDS for keyword in expr.keywords
                )
                # a spec's sync methods stay sync; `AsyncMock(release=Mock())` has a sync child
                return MockValue(UNKNOWN if configured else ASYNC, "" if configured else "AsyncMock", "AsyncMock", expr)
            if api in ("create_autospec", "stub", "async_stub"):
                return MockValue(UNKNOWN, "", None, expr)
            if api in PATCH_APIS and isinstance(expr.func, ast.Attribute) and root_name(expr.func) in MOCKER_FIXTURES:
                return self.patched_mock(expr)
            return None
        root, path = path_of(expr) if expr is not None else (None, ())
        if root is None:
            return None
        holder = (lookup or self.value_of_name)(root)
        kind = holder.kind_at(path) if holder is not None else None
        if kind is None:
            return None
        return holder if not path else MockValue(kind[0], kind[1])

    @staticmethod
    def _made_mock(kind: MockKind, api: str, source: ast.AST) -> MockValue:
        return MockValue(kind[0], kind[1], api, source)

    def mock_kind(self, expr: ast.expr | None) -> MockKind | None:
        """(kind, class name) of the mock an expression is, or None."""
        mock = self.mock_of(expr)
        return mock.kind_at(()) if mock is not None else None

    def configured_kind(self, call: ast.Call, class_name: str, spec_may_be_positional: bool = True) -> MockKind:
        """A sync mock class called with these arguments (a Mock constructor, or a patch call
        whose keywords go to new_callable): `unknown` when a spec or a possibly awaitable
        return value / side effect is given."""
        for argument in call.keywords:
            if argument.arg == RETURN:
                if not self.surely_not_awaitable(argument.value):
                    return UNKNOWN, ""
            elif argument.arg not in PLAIN_MOCK_KEYWORDS:
                return UNKNOWN, ""  # a side effect, a spec, or `Mock(get=AsyncMock())` configuring a child
        if spec_may_be_positional and call.args:  # Mock(spec)
            return UNKNOWN, ""
        return SYNC, class_name

    def surely_not_awaitable(self, value: ast.expr) -> bool:
        """A return value awaiting cannot use: a literal, or a mock object (no mock class
        supports `__await__`: even an AsyncMock is only awaitable once called)."""
        if isinstance(value, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.Set, ast.JoinedStr)):
            return True
        return isinstance(value, ast.Call) and self.mock_api(value.func) in MOCK_OBJECT_FACTORIES

    def _is_injecting_patch(self, decorator: ast.expr) -> bool:
        if not isinstance(decorator, ast.Call):
            return False
        api = self.mock_api(decorator.func)
        if api not in PATCH_APIS:
            return False
        return patch_replacement(decorator, is_object=api.endswith("object")) is None

    def patched_mock(self, call: ast.Call) -> MockValue:
        """The mock `patch(...)` puts in place (and hands to `as`, the test, or returns)."""
        api = self.mock_api(call.func) or "patch"
        replacement = patch_replacement(call, is_object=api.endswith("object"))
        if replacement is not None:
            made = self.mock_of(replacement)
            if isinstance(made, MockValue):
                return made
            kind = made.kind_at(()) if made is not None else None
            return MockValue(*(kind or (UNKNOWN, "")))
        new_callable = keyword(call, "new_callable")
        if new_callable is not None:
            created = self.mock_api(new_callable)
            if created in SYNC_MOCK_CLASSES:
                kind = self.configured_kind(call, SYNC_MOCK_CLASSES[created], spec_may_be_positional=False)
                return self._made_mock(kind, created, call)
            if created == "AsyncMock":
                return MockValue(ASYNC, "AsyncMock", "AsyncMock", call)
            return MockValue(UNKNOWN, "", None, call)
        if any(argument.arg in SPEC_KEYWORDS for argument in call.keywords):
            return MockValue(UNKNOWN, "", None, call)
        if self.async_patch_target(call, api, async_def=True):
            return MockValue(ASYNC, "AsyncMock", "AsyncMock", call)
        return MockValue(UNKNOWN, "", None, call)

    def async_patch_target(self, call: ast.Call, api: str, async_def: bool = False) -> str | None:
        """The patched target's name if it is a known coroutine function or method (with
        `async_def`: an `async def`, which `patch()` replaces with an AsyncMock)."""
        if api == "patch":
            target = self.constant_string(call.args[0] if call.args else keyword(call, "target"))
            return self.async_dotted_target(target, async_def) if target else None
        if len(call.args) < 2:
            return None
        attribute = self.constant_string(call.args[1])
        return self.async_attribute(call.args[0], attribute, async_def) if attribute else None

    def async_dotted_target(self, target: str, async_def: bool = False) -> str | None:
        """A patch target spelled as a dotted name, if it names a coroutine function or method;
        `__name__ + ".fetch"` names one of this module (THIS_MODULE marks it)."""
        if not target.startswith(THIS_MODULE):
            return target if self.resolver.is_coroutine_function(target, async_def) else None
        module = self.context.module
        parts = target[len(THIS_MODULE) :].split(".")
        definition: Decorated | None = None
        if len(parts) == 1:
            definition = module.top_level_functions.get(parts[0])
        elif len(parts) == 2 and parts[0] in module.class_by_name:
            definition = PROJECT.method(module, module.class_by_name[parts[0]], parts[1], self.context.search_roots)
        if definition is None or not definition.is_coroutine_function:
            return None
        return ".".join([os.path.splitext(os.path.basename(self.context.filename))[0], *parts])

    def constant_string(self, node: ast.AST | None) -> str | None:
        """The text a string expression always has: a literal, a module-level string constant,
        `+` and f-strings of those, `__name__` (as THIS_MODULE); None for anything computed."""
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Name):
            if self.is_local(node.id):
                return None
            if node.id == "__name__":
                return THIS_MODULE.rstrip(".")
            return self.context.module.assigned_strings.get(node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.constant_string(node.left), self.constant_string(node.right)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.JoinedStr):
            parts: list[str] = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    if value.conversion not in (-1, 115) or value.format_spec is not None:
                        return None
                    text = self.constant_string(value.value)
                else:
                    text = self.constant_string(value)
                if text is None:
                    return None
                parts.append(text)
            return "".join(parts)
        return None

    def async_attribute(self, owner: ast.expr, attribute: str, async_def: bool = False) -> str | None:
        """`owner.attribute` is a coroutine function or method (owner: a class or module); with
        `async_def`, an `async def`."""
        module = self.context.module
        if isinstance(owner, ast.Name) and owner.id in module.class_by_name and not self.is_local(owner.id):
            definition = PROJECT.method(module, module.class_by_name[owner.id], attribute, self.context.search_roots)
            return f"{owner.id}.{attribute}" if definition is not None and definition.is_coroutine_function else None
        qualified = self.qualified_name(owner)
        if qualified is not None:
            target = f"{qualified}.{attribute}"
            return target if self.resolver.is_coroutine_function(target, async_def) else None
        owner_type = self.type_of(owner)
        if owner_type is not None and self.resolver.method_is_coroutine(owner_type, attribute, async_def):
            return f"{self.describe(owner)}.{attribute}"
        return None

    @staticmethod
    def describe(node: ast.expr) -> str:
        """Source text for a message: a call's callee, or the expression itself."""
        return source_text(node.func if isinstance(node, ast.Call) else node)


def mock_api_of(func: ast.expr | None, qualified_name: Callable[[ast.AST], str | None]) -> str | None:
    """See BindingTracker.mock_api; `qualified_name` resolves names as the code around `func`
    sees them (None for a local that is not an import)."""
    if func is None:
        return None
    qualified = qualified_name(func)
    if qualified is not None:
        for module in MOCK_MODULES:
            if qualified.startswith(module):
                return qualified[len(module) :]
        return None
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name) and func.id in MOCKER_FIXTURES and parts:
        return ".".join(reversed(parts))
    return None


def source_text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # unparse of odd but valid trees: never worth a crash
        return "?"


def _calling_gives_coroutine(value: Value | None) -> bool:
    """`mock()` for an AsyncMock."""
    return value is not None and value.type_name == "unittest.mock.AsyncMock"


def _is_touched(function: ast.AST, name: str) -> bool:
    """Is the local name used as the root of an attribute assignment or a method call?"""
    for node in own_nodes(function):  # type: ignore[arg-type]
        if isinstance(node, (ast.Attribute, ast.Call)) and root_name(node) == name:
            return True
    return False


THIS_MODULE = "<this module>."
"""What `__name__` stands for in a patch target: the checked module, whatever its dotted name."""
MAX_EVALUATION_DEPTH = 8
"""Defs whose result is being computed, across trackers: a cycle gives unknown."""


class _Results:
    """What one def's own yields (a generator) or returns give; one value only when all agree."""

    def __init__(self, tracker: BindingTracker, definition: Decorated) -> None:
        self.tracker = tracker
        self.definition = definition
        self.found: list[tuple[ast.expr, Value | None]] = []

    def enter_Yield(self, node: ast.Yield) -> None:
        if self.definition.is_generator:
            self._collect(node.value)

    def enter_Return(self, node: ast.Return) -> None:
        if not self.definition.is_generator:
            self._collect(node.value)

    def _collect(self, expr: ast.expr | None) -> None:
        if expr is not None and self.tracker.statement_frame.node is self.definition.node:
            self.found.append((expr, self.tracker.value_of(expr)))

    def value(self) -> Value | None:
        values = [value for _, value in self.found]
        first = values[0] if values else None
        if first is None or any(_describe_value(value) != _describe_value(first) for value in values[1:]):
            return None
        expr = self.found[0][0]
        if first.is_mock and isinstance(expr, ast.Name) and _is_touched(self.definition.node, expr.id):
            return MockValue(UNKNOWN, "")  # configured after its creation: not followed
        return first


def _copy_from(value: Value, source: ast.AST) -> Value:
    """A value a call gives, made anew at that call."""
    copied = value.copy()
    copied.source = source
    return copied


def _describe_value(value: Value | None) -> tuple[object, ...]:
    return (type(value), getattr(value, "type_name", None), getattr(value, "kind", None))


def _enclosing_classes(module: ModuleFacts, node: ast.AST) -> list[ClassFacts]:
    """The classes around a method, outermost first."""
    chain: list[ClassFacts] = []
    target = node
    while True:
        owner = next((cls for cls in module.classes.values() if target in cls.node.body), None)
        if owner is None:
            return list(reversed(chain))
        chain.append(owner)
        target = owner.node


def _plugin_fixture(name: str) -> Value | None:
    type_name = PLUGIN_FIXTURES.get(name)
    if type_name is None:
        return None
    return CoroutineFunction(None) if type_name == AWAITABLE_FACTORY else Instance(type_name)


def runs_event_loop(function: ast.AST) -> bool:
    """Does a sync function run an event loop itself (`loop.run_until_complete`, `asyncio.run`)?"""
    return PROJECT.per_definition("runs event loop", function, lambda: _runs_event_loop(function))


def _runs_event_loop(function: ast.AST) -> bool:
    is_lambda = isinstance(function, ast.Lambda)
    nodes = ast.walk(function.body) if is_lambda else own_nodes(function)  # type: ignore[attr-defined,arg-type]
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and (
            node.func.attr in LOOP_RUNNING_METHODS
            or (
                node.func.attr == "run"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in RUN_FUNCTION_MODULES
            )
        )
        for node in nodes
    )


def all_arguments(arguments: ast.arguments) -> list[ast.arg]:
    names = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    if arguments.vararg:
        names.append(arguments.vararg)
    if arguments.kwarg:
        names.append(arguments.kwarg)
    return names
