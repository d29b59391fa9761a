"""What an expression holds here: value inference over the open frames.

Answers `value_of(expr)` for names (their binding, or the module's facts), calls (a mock, a
coroutine, what a project function returns, a library method's result, a class's instance),
awaits, attribute reads off library objects, `with` targets and annotations; and the text a
string expression always has. Questions about mocks, coroutine calls and fixture results it asks
the model's parts for those (mocks.py, coroutine_calls.py, fixture_values.py), which are built on
it and connected to it once built.
"""

from __future__ import annotations

import ast
from typing import Protocol

from .context import FileContext
from .coroutines import LOCAL_CLASS_PREFIX, is_class_name
from .libraries import DECLARED_SESSION, canonical_class, library_class
from .mock_api import MOCK_MODULES, PATCH_APIS
from .library_class import LibraryClass
from .names import root_name
from .module_facts import Decorated
from .scopes import Scopes
from .values import CoroutineValue, Instance, MockValue, Value, instance_of, module_level_value

NOT_INSTANCE_ORIGINS = frozenset({"typing", "typing_extensions", "collections", "builtins", "types"})
"""Subscripted annotations from these modules are containers, unions or types, not instances."""
THIS_MODULE = "<this module>."
"""What `__name__` stands for in a patch target: the checked module, whatever its dotted name."""


class MockQuestions(Protocol):
    """What inference asks of the model's mocks (mocks.py, built on inference)."""

    def mock_of(self, expr: ast.expr | None) -> Value | None: ...

    def mock_api(self, func: ast.expr | None) -> str | None: ...

    def patched_mock(self, call: ast.Call) -> MockValue: ...


class CoroutineQuestions(Protocol):
    """What inference asks of the model's coroutine calls (coroutine_calls.py)."""

    def coroutine_callee(self, call: ast.Call) -> str | None: ...


class ResultQuestions(Protocol):
    """What inference asks of the model's fixture values (fixture_values.py)."""

    def returned_value(self, definition: Decorated, path: str) -> Value | None: ...


class Inference:
    """Value inference for one file, as the walk stands."""

    mocks: MockQuestions
    coroutine_calls: CoroutineQuestions
    results: ResultQuestions

    def __init__(self, scopes: Scopes, context: FileContext) -> None:
        self.scopes = scopes
        self.context = context
        self._module_values: dict[str, Value | None] = {}

    def connect(self, mocks: MockQuestions, coroutine_calls: CoroutineQuestions, results: ResultQuestions) -> None:
        """The parts built on inference, which it asks back (a cycle: `disconnect` breaks it)."""
        self.mocks, self.coroutine_calls, self.results = mocks, coroutine_calls, results

    def disconnect(self) -> None:
        """Let reference counting free the model: the parts refer to inference and back."""
        del self.mocks, self.coroutine_calls, self.results

    def value_of(self, expr: ast.expr | None) -> Value | None:
        """What an expression evaluates to, where the plugin knows."""
        if isinstance(expr, ast.Name):
            return self.value_of_name(expr.id)
        if isinstance(expr, ast.Call):
            return self.call_value(expr)
        if isinstance(expr, ast.Await):
            inner = self.value_of(expr.value)
            if isinstance(inner, CoroutineValue):
                if inner.function is None:  # a library's coroutine function: `await asyncpg.connect()`
                    return instance_of(self.scopes.qualified_name(inner.call.func), inner.call)
                result = self.results.returned_value(*inner.function)
                return copy_from(result, expr) if result is not None else None
            cls = library_class(inner.type_name) if isinstance(inner, Instance) else None
            return inner if cls is not None and cls.awaits_to_self else None
        if isinstance(expr, ast.NamedExpr):
            return self.value_of(expr.value)
        if isinstance(expr, ast.Attribute):
            mock = self.mocks.mock_of(expr)
            if mock is not None and mock.is_mock:
                return mock
            receiver = self._library_receiver(expr.value)
            attribute = receiver.attribute_type(expr.attr) if receiver is not None else None
            return Instance(attribute, expr) if attribute is not None else None
        return None

    def value_of_name(self, name: str) -> Value | None:
        """What a read of the name here holds: what this frame or one around it set on an
        outer object, the binding it sees, else the module's facts."""
        frames = self.scopes.frames
        for frame in reversed(frames):
            if name in frame.outer_values:
                return frame.outer_values[name]
            if name in frame.bindings and frame is not frames[0]:
                break
        binding = self.scopes.binding_of(name)
        if binding is not None:
            return binding.value
        if self.scopes.is_local(name):
            return None
        return self.module_value(name)

    def module_value(self, name: str) -> Value | None:
        """What a module-level name holds by the module's facts (bound further down the
        module, or imported), asked once per name."""
        if name not in self._module_values:
            self._module_values[name] = module_level_value(self.context.module, name, self.context.search_roots)
        return self._module_values[name]

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
        if root_name(func) in self.scopes.mock_roots:
            mock = self.mocks.mock_of(call)
            if mock is not None:
                return mock
        called = self.called_function(func)
        if self.coroutine_calls.coroutine_callee(call) is not None:
            return CoroutineValue(call, called)
        if called is not None:
            result = self.results.returned_value(*called)
            return copy_from(result, call) if result is not None else None
        if isinstance(func, ast.Attribute):
            receiver = self.value_of(func.value)
            cls = library_class(receiver.type_name) if receiver is not None else None
            method_result = dict(cls.method_results).get(func.attr) if cls is not None else None
            if method_result is not None:
                return Instance(method_result, call)
        if self._is_declared_session_factory(func):
            return Instance(DECLARED_SESSION, call)
        if isinstance(func, ast.Call) or (isinstance(func, ast.Name) and self.scopes.is_local(func.id)):
            factory = self.value_of(func)  # `factory()`, `async_sessionmaker(engine)()`
            cls = library_class(factory.type_name) if factory is not None else None
            return Instance(cls.call_result, call) if cls is not None and cls.call_result else None
        qualified = self.scopes.qualified_name(func)
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

    def called_function(self, func: ast.expr) -> tuple[Decorated, str] | None:
        """The def a call reaches: a function of the module, or of a project module it imports."""
        if isinstance(func, ast.Name) and not self.scopes.is_local(func.id):
            definition = self.context.module.top_level_functions.get(func.id)
            if definition is not None:
                return definition, self.context.filename
        qualified = self.scopes.qualified_name(func)
        if qualified is None or is_class_name(qualified.rpartition(".")[2]):
            return None  # a constructor's result is an instance of its class: no module read
        definition = self.context.coroutine_resolver.project_definition(qualified)
        return (definition, definition.path) if definition is not None and definition.path else None

    def _is_declared_session_factory(self, func: ast.expr) -> bool:
        factories = self.context.settings.session_factories
        if not factories:
            return False
        qualified = self.scopes.qualified_name(func)
        if qualified is not None and qualified in factories:
            return True
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        return last is not None and last in factories

    def entered_value(self, expr: ast.expr, how: str) -> Value | None:
        """What `with EXPR as name` (how = sync) or `async with` binds name to."""
        if isinstance(expr, ast.Call) and self.mocks.mock_api(expr.func) in PATCH_APIS:
            return self.mocks.patched_mock(expr)
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

    def names_mock(self, annotation: ast.expr) -> bool:
        """An annotation naming a mock class (`m: MagicMock`)."""
        return (self.scopes.qualified_name(annotation) or "").startswith(MOCK_MODULES)

    def annotated_value(self, annotation: ast.expr, source: ast.AST) -> Instance | None:
        """`client: AsyncClient`, `service: UserService` (a class of the module or the project),
        `repo: Repository[User]` (a generic class)."""
        class_by_name = self.context.module.class_by_name
        if isinstance(annotation, ast.Subscript):
            origin = self.scopes.qualified_name(annotation.value)
            if origin is not None and origin.partition(".")[0] in NOT_INSTANCE_ORIGINS:
                return None  # Optional[X], type[X], list[X]...: not an X
            if origin is None and not (isinstance(annotation.value, ast.Name) and annotation.value.id in class_by_name):
                return None  # `list[X]`, `type[X]`: builtins
            annotation = annotation.value
        if isinstance(annotation, ast.Name) and annotation.id in class_by_name:
            if not self.scopes.is_local(annotation.id):
                return Instance(LOCAL_CLASS_PREFIX + annotation.id, source)
        qualified = self.scopes.qualified_name(annotation)
        if qualified is None or qualified.startswith(MOCK_MODULES):
            return None
        return Instance(canonical_class(qualified) or qualified, source)

    def constant_string(self, node: ast.AST | None) -> str | None:
        """The text a string expression always has: a literal, a module-level string constant,
        `+` and f-strings of those, `__name__` (as THIS_MODULE); None for anything computed."""
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Name):
            if self.scopes.is_local(node.id):
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


def copy_from(value: Value, source: ast.AST) -> Value:
    """A value a call gives, made anew at that call."""
    copied = value.copy()
    copied.source = source
    return copied


def describe(node: ast.expr) -> str:
    """Source text for a message: a call's callee, or the expression itself."""
    return source_text(node.func if isinstance(node, ast.Call) else node)


def source_text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # unparse of odd but valid trees: never worth a crash
        return "?"
