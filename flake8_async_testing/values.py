"""What a name or an expression is known to hold: the value descriptions of the semantic model.

A value is made where the plugin can see what an object is: a library or project class's
instance, a mock and its kind, a coroutine, a coroutine function defined in a function, an
event loop. Anything else is "unknown" (no value, or a plain `Value` that only records what
was set on it). Values are shared by every name bound to the same object (`b = a`), so what a
rule learns about one (a mock attribute set, a return value configured) holds for all.
"""

from __future__ import annotations

import ast
import enum

from .libraries import FACTORY_RESULTS, SHARED_LOOP_GETTERS, canonical_class, library_class
from .names import RETURN
from .project import PROJECT
from .module_facts import Decorated, ModuleFacts


class MockCalls(enum.Enum):
    """What calling a mock gives: a plain value (a Mock / MagicMock without spec), a coroutine
    (an AsyncMock), or what the plugin does not follow (a spec, a configured return value)."""

    SYNC = "sync"
    ASYNC = "async"
    UNKNOWN = "unknown"


SYNC, ASYNC, UNKNOWN = MockCalls.SYNC, MockCalls.ASYNC, MockCalls.UNKNOWN
MockKind = tuple[MockCalls, str]
"""(what calling it gives, class name): what calling / awaiting a mock reached by some path does."""


class Value:
    """An object: what is known of it is only what was set on it since (mock attributes,
    configured return values). Subclasses know more."""

    __slots__ = ("source", "attributes", "configured")
    type_name: str | None = None
    is_mock = False

    def __init__(self, source: ast.AST | None = None) -> None:
        self.source = source
        """The node that made it: a call, or the `ast.arg` of a parameter it was handed in by."""
        self.attributes: dict[tuple[str, ...], MockKind] | None = None
        """Attribute paths set to another object (a mock, or something unknown)."""
        self.configured: set[tuple[str, ...]] | None = None
        """Paths whose return_value / side_effect was set to something that may be awaitable."""

    @property
    def made_here(self) -> bool:
        """Made by the function that holds it, not handed in as a parameter."""
        return not isinstance(self.source, ast.arg)

    def own_kind(self) -> MockKind:
        return UNKNOWN, ""

    def kind_at(self, path: tuple[str, ...]) -> MockKind | None:
        """The kind of the mock reached by an attribute / call path from this object; None for
        an object that is no mock and has no mock set on it."""
        if not self.is_mock and not self.attributes:
            return None
        if any(_is_mock_internal(part) for part in path):
            return UNKNOWN, ""
        configured = self.configured or ()
        if path in configured:
            return UNKNOWN, ""  # calling it returns whatever was configured
        for length in range(len(path)):
            if path[length] == RETURN and path[:length] in configured:
                return UNKNOWN, ""  # its return value was replaced by something else
        attributes = self.attributes or {}
        for length in range(len(path), 0, -1):
            if path[:length] in attributes:
                return attributes[path[:length]]
        return self.own_kind()

    def set_attribute(self, path: tuple[str, ...], kind: MockKind) -> None:
        if self.attributes is None:
            self.attributes = {}
        self.attributes[path] = kind

    def configure(self, path: tuple[str, ...]) -> None:
        if self.configured is None:
            self.configured = set()
        self.configured.add(path)

    def forget(self) -> None:
        """Configured in a way the plugin cannot follow: nothing below it is sure."""
        if self.attributes:
            self.attributes.clear()

    def copy(self) -> Value:
        copied = self._fresh()
        copied.attributes = dict(self.attributes) if self.attributes else None
        copied.configured = set(self.configured) if self.configured else None
        return copied

    def _fresh(self) -> Value:
        return Value(self.source)


class Instance(Value):
    """An instance of a class the plugin knows by name: a library class (canonical name), a
    class of the checked module (`<module>.Client`) or a project class (dotted name)."""

    __slots__ = ("type_name", "borrowed")

    def __init__(self, type_name: str, source: ast.AST | None = None, borrowed: bool = False) -> None:
        super().__init__(source)
        self.type_name = type_name
        self.borrowed = borrowed
        """An event loop someone else made and will close (get_event_loop / get_running_loop)."""

    def _fresh(self) -> Value:
        return Instance(self.type_name or "", self.source, self.borrowed)


class MockValue(Value):
    __slots__ = ("kind", "class_name", "mock_class")
    is_mock = True

    def __init__(self, kind: MockCalls, class_name: str, mock_class: str | None = None, source: ast.AST | None = None):
        super().__init__(source)
        self.kind = kind
        """SYNC, ASYNC or UNKNOWN: what its children and calls are, for the mock rules."""
        self.class_name = class_name
        self.mock_class = mock_class
        """The class it was made from when that is known (`AsyncMock(spec=f)` is still an AsyncMock
        when called, though its children follow the spec)."""

    @property
    def type_name(self) -> str | None:  # type: ignore[override]
        return "unittest.mock.AsyncMock" if self.mock_class == "AsyncMock" else None

    def own_kind(self) -> MockKind:
        return self.kind, self.class_name

    def forget(self) -> None:
        super().forget()
        self.kind = UNKNOWN

    def _fresh(self) -> Value:
        return MockValue(self.kind, self.class_name, self.mock_class, self.source)


class CoroutineValue(Value):
    """A coroutine object from a call the plugin knows returns one (what becomes of it is the
    rules' business)."""

    __slots__ = ("call", "function")

    def __init__(self, call: ast.Call, function: tuple[Decorated, str] | None = None) -> None:
        super().__init__(call)
        self.call = call
        self.function = function
        """The coroutine function's definition and file, where the plugin knows them."""


class CoroutineFunction(Value):
    """Something whose call returns a coroutine: an `async def` defined inside a function, or a
    plugin's awaitable factory fixture (`aiohttp_client`)."""

    __slots__ = ("definition",)

    def __init__(self, definition: Decorated | None, source: ast.AST | None = None) -> None:
        super().__init__(definition.node if definition is not None else source)
        self.definition = definition

    def _fresh(self) -> Value:
        return CoroutineFunction(self.definition, self.source)


class ImportedName(Value):
    """What an import inside a function binds: a module or a name of one, by its dotted name."""

    __slots__ = ("dotted",)

    def __init__(self, dotted: str, source: ast.AST | None = None) -> None:
        super().__init__(source)
        self.dotted = dotted

    def _fresh(self) -> Value:
        return ImportedName(self.dotted, self.source)


class Binding:
    """One way a name got its value, in one frame: assignment, parameter, import, loop target..."""

    __slots__ = ("name", "node", "value", "previous")

    def __init__(self, name: str, node: ast.AST, value: Value | None, previous: Binding | None) -> None:
        self.name = name
        self.node = node
        """The statement or node that binds it (an Assign, an `ast.arg`, a For, an alias...)."""
        self.value = value
        """What it holds, None when unknown."""
        self.previous = previous
        """The binding of the same name in the same frame that this one replaced."""

    def chain(self) -> list[Binding]:
        """This binding and the ones it replaced in its frame, newest first."""
        found: list[Binding] = []
        binding: Binding | None = self
        while binding is not None:
            found.append(binding)
            binding = binding.previous
        return found


def _is_mock_internal(attribute: str) -> bool:
    """The mock's own API or a magic method, not a child mock standing in for a method."""
    return (
        attribute.startswith(("assert_", "_mock_"))
        or (attribute.startswith("__") and attribute.endswith("__"))
        or attribute in ("configure_mock", "reset_mock", "attach_mock", "mock_add_spec")
    )


def instance_of(qualified: str | None, source: ast.AST | None) -> Instance | None:
    """`X(...)` for a known library class or factory, by its canonical dotted name."""
    if qualified is None:
        return None
    result = FACTORY_RESULTS.get(qualified)
    if result is not None:
        return Instance(result, source, borrowed=qualified in SHARED_LOOP_GETTERS)
    canonical = canonical_class(qualified)
    if library_class(canonical) is not None:
        return Instance(canonical or qualified, source)
    return None


def module_level_value(module: ModuleFacts, name: str, roots: tuple[str, ...], depth: int = 0) -> Instance | None:
    """What a module-level name holds when a library class or factory made it
    (`SessionLocal = async_sessionmaker(engine)`), here or in a project module it comes from."""
    if depth > 5:
        return None
    call = module.assigned_calls.get(name)
    if call is None:
        qualified = module.imports.aliases.get(name)
        if qualified is None or library_class(canonical_class(qualified)) is not None:
            return None
        found = PROJECT.assignment(qualified, module.path, roots)
        if found is None:
            return None
        module, call = found
    return called_value(module, call, roots, depth + 1)


def called_value(module: ModuleFacts, call: ast.Call, roots: tuple[str, ...], depth: int = 0) -> Instance | None:
    """What a call made at module level gives: a library class, a factory's result, or what
    an instance of a known class gives when called (a sessionmaker's session)."""
    func = call.func
    made = instance_of(module.imports.qualified_name(func), call)
    if made is not None:
        return made
    if isinstance(func, ast.Name):
        factory = module_level_value(module, func.id, roots, depth + 1)
        cls = library_class(factory.type_name) if factory is not None else None
        if cls is not None and cls.call_result is not None:
            return Instance(cls.call_result, call)
    return None
