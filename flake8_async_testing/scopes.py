"""Where the walk is: the frames it is inside and the names each of them binds.

Frames are the module, classes, functions, lambdas and comprehensions, each its own scope as in
Python 3. `Scopes` keeps the stack of open frames and answers the name questions every part of
the semantic model asks: which binding a read of a name sees here, whether a name is local,
what dotted name an expression stands for, and whether a patch here replaces a name. It holds
no knowledge of values: binding them is the binder's job (binder.py), inferring them the
inference's (inference.py).
"""

from __future__ import annotations

import ast
import enum
from typing import Callable, Iterator

from .libraries import LOOP_RUNNING_METHODS, RUN_FUNCTION_MODULES
from .mock_api import MOCKER_FIXTURES
from .names import ImportMap, qualified_name
from .project import PROJECT
from .module_facts import ClassFacts, Fixture, own_nodes
from .values import Binding, CoroutineValue, ImportedName, Value

SETUP_METHODS = frozenset({"setUp", "asyncSetUp", "setUpClass", "setup_method", "setup_class", "setup"})
"""Methods that prepare a class's tests: what they put on `self` or patch, the tests see."""
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
        """How many coroutine values were bound here (Scopes.open_coroutines counts them all)."""
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
    def is_function(self) -> bool:
        """A def (sync or async), not a lambda."""
        return isinstance(self.node, _FUNCTIONS)

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


class Tally:
    """A count the walk keeps up to date, read where a call per node would cost too much."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


class Scopes:
    """The stack of open frames and the name questions asked of it."""

    def __init__(self, imports: ImportMap) -> None:
        self.imports = imports
        """The module's imports and aliases: names the module level binds to dotted names."""
        self.frames: list[Frame] = []
        self.frame_listeners: list[Callable[[Frame], None]] = []
        """Each family's `on_frame_exit(frame)`: called as a frame (not the module) is left, while
        it is still the current one."""
        self.open_coroutines = Tally()
        """Coroutine values bound in the frames open now: families look closer only while some are."""
        self.mock_roots = {name for name, target in imports.aliases.items() if target.startswith(("unittest", "mock"))}
        """Names a mock API call can start with: mock module imports (in functions too) and the
        mocker fixtures."""
        self.mock_roots.update(MOCKER_FIXTURES)
        self._patched_by_setup: dict[ast.ClassDef, set[str]] = {}
        self._patched_anywhere: set[str] = set()
        """Every name a frame or a setUp of this file has patched so far: most names never were."""
        self._qualified: dict[int, tuple[ast.AST, str | None]] = {}
        """qualified_name by node: every family asks it of the same callee, at the same place."""
        self.requested: dict[ast.arg, Fixture] = {}
        """The fixture definition each test or fixture parameter requests (its value may be unknown)."""

    # -- the stack ----------------------------------------------------------------------------

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

    def push(self, frame: Frame) -> None:
        self.frames.append(frame)

    def pop(self) -> None:
        """Leave the current frame: listeners see it one last time."""
        frame = self.frames[-1]
        for listener in self.frame_listeners:
            listener(frame)
        self.open_coroutines.count -= frame.coroutines
        self.frames.pop()

    def outward(self) -> Iterator[Frame]:
        """The open frames, innermost first."""
        return reversed(self.frames)

    def function_frames(self) -> Iterator[Frame]:
        """The open defs, innermost first."""
        return (frame for frame in reversed(self.frames) if frame.is_function)

    # -- binding ------------------------------------------------------------------------------

    def bind(self, name: str, node: ast.AST, value: Value | None, frame: Frame | None = None) -> Binding:
        """Record that `node` binds `name` in `frame` (the current one by default)."""
        if frame is None:
            frame = self.frames[-1]
        if value is not None:
            if name in frame.declared:
                value = None  # global / nonlocal: it escapes, the plugin does not follow it
            elif isinstance(value, CoroutineValue):
                frame.coroutines += 1
                self.open_coroutines.count += 1
        bindings = frame.bindings
        binding = bindings[name] = Binding(name, node, value, bindings.get(name))
        return binding

    def bind_targets(self, target: ast.expr | None, node: ast.AST) -> None:
        """Every name a binding target (`a`, `a, (b, *c)`) stores to, its value unknown."""
        stack = [target]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.Name):
                self.bind(item.id, node, None)
            elif isinstance(item, (ast.Tuple, ast.List)):
                stack.extend(item.elts)
            elif isinstance(item, ast.Starred):
                stack.append(item.value)

    def note_patched(self, name: str) -> None:
        """A patch in the current function replaces something whose name ends in `name`."""
        frame = self.statement_frame
        frame.patched.add(name)
        self._patched_anywhere.add(name)
        if frame.name in SETUP_METHODS and frame.owner is not None:
            self._patched_by_setup.setdefault(frame.owner.node, set()).add(name)

    # -- names --------------------------------------------------------------------------------

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

    def requested_fixture(self, name: str) -> Fixture | None:
        """The fixture a name holds the value of here: a test or fixture parameter not rebound."""
        binding = self.binding_of(name)
        return self.requested.get(binding.node) if binding is not None else None  # type: ignore[call-overload]

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

    def qualified_name(self, expr: ast.AST) -> str | None:
        """`pt.mark.asyncio` -> `pytest.mark.asyncio`, through the module's imports and imports
        inside the functions around here; None when the root is not imported (or is a local
        that is not an import)."""
        known = self._qualified.get(id(expr))
        if known is not None and known[0] is expr:
            return known[1]
        answer = qualified_name(expr, self.imports, self)
        self._qualified[id(expr)] = (expr, answer)
        return answer

    def local_import(self, name: str) -> str | None:
        """The dotted name an import in a function around here bound `name` to."""
        binding = self.binding_of(name)
        value = binding.value if binding is not None else None
        return value.dotted if isinstance(value, ImportedName) else None


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
