"""Which calls here give a coroutine, and what that knowledge rests on.

A callee is a coroutine function when the plugin can see it is one: a def of the module or the
project (through the coroutine resolver, coroutines.py), a method of the class around, a library
method of a value whose type is known (the library table), an AsyncMock; and, where no type
answers, a call on a fixture's value that the suite's own code awaits (an await habit,
habits.py). A name a patch replaces here is no longer known.
"""

from __future__ import annotations

import ast
from .context import FileContext
from .habits import Habit
from .inference import Inference, describe
from .libraries import library_class
from .names import RETURN, path_of
from .module_facts import ClassFacts, class_method
from .scopes import Scopes, all_arguments
from .values import CoroutineFunction, ImportedName, Instance, Value

KNOWN_COROUTINE_FUNCTION = "a coroutine function"
"""What a finding on a call rests on when no await habit was needed."""


class CoroutineCalls:
    """Coroutine questions for one file, as the walk stands."""

    def __init__(self, scopes: Scopes, context: FileContext, inference: Inference) -> None:
        self.scopes = scopes
        self.context = context
        self.inference = inference
        self.resolver = context.coroutine_resolver
        self._habits: dict[ast.AST, Habit] = {}
        """The await habit that made a callee a coroutine function, by the callee's node."""

    def coroutine_callee(self, call: ast.Call) -> str | None:
        """A description of the callee if the call surely returns a coroutine, else None."""
        return self.coroutine_function(call.func)

    def coroutine_function(self, func: ast.expr) -> str | None:
        """A description of `func` if calling it surely returns a coroutine, else None."""
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if called is not None and self.scopes.is_patched(called):
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
        qualified = self.scopes.qualified_name(func)
        if qualified is not None:
            return qualified if self.resolver.is_coroutine_function(qualified) else None
        receiver_type = self.inference.type_of(receiver)
        kind = self.resolver.method_kind(receiver_type, func.attr) if receiver_type is not None else None
        if kind is not None:
            return describe(func) if kind else None
        return describe(func) if self.coroutine_habit(func) is not None else None

    def coroutine_habit(self, func: ast.Attribute) -> Habit | None:
        """The suite's habit that makes calling `<fixture parameter>.<path>` give a coroutine,
        where nothing the plugin knows of the value's type answers (a known type always wins)."""
        if func in self._habits:
            return self._habits[func]
        if not self.scopes.requested or not self.context.settings.await_habits:
            return None
        name, path = path_of(func)
        fixture = self.scopes.requested_fixture(name) if name is not None and RETURN not in path else None
        if name is None or fixture is None:
            return None
        root = self.inference.value_of_name(name)
        if root is not None and (root.is_mock or type(root) is not Instance or library_class(root.type_name)):
            return None  # a mock, a coroutine, a library class: the plugin knows it, no habit needed
        habit = self.context.habits.coroutine_habit(self.context.fixture_scope(fixture), path, func)
        if habit is not None:
            self._habits[func] = habit
        return habit

    def awaits_checked_habit(self, name: str, path: tuple[str, ...]) -> str | None:
        """Where the test code that can request the fixture `name` holds checks the awaits of
        the mock at `path` (an AsyncMock then), where nothing else says what it is."""
        settings = self.context.settings
        fixture = self.scopes.requested_fixture(name) if settings.await_habits else None
        value = self.inference.value_of_name(name) if fixture is not None else None
        if fixture is None or (value is not None and not value.is_mock and type(value) is not Value):
            return None  # an object of a known type: no mock
        habits = self.context.habits
        found = habits.awaits_checked(self.context.fixture_scope(fixture), path)
        return f"its awaits are checked at {habits.shown(found[0])}:{found[1]}" if found else None

    def coroutine_basis(self, func: ast.expr) -> str:
        """What the plugin's knowledge that calling `func` gives a coroutine rests on."""
        habit = self._habits.get(func)
        return habit.describe() if habit is not None else KNOWN_COROUTINE_FUNCTION

    def name_is_coroutine_function(self, name: str) -> bool:
        binding = self.scopes.binding_of(name)
        if binding is not None:
            value = binding.value
            if isinstance(value, ImportedName):  # `from app.db import get_session` in the function
                return self.resolver.is_coroutine_function(value.dotted)
            return isinstance(value, CoroutineFunction) or _calling_gives_coroutine(value)
        definition = self.context.module.top_level_functions.get(name)
        if definition is not None:
            return definition.is_coroutine_function
        qualified = self.scopes.imports.aliases.get(name)
        return qualified is not None and self.resolver.is_coroutine_function(qualified)

    def own_method(self, receiver: str, method: str) -> bool | None:
        """`self.method()` / `cls.method()` in a method, `Class.method()` for a class of the
        module: True or False when the receiver is such a class, None otherwise."""
        module = self.context.module
        cls: ClassFacts | None = None
        function_frame = next(self.scopes.function_frames(), None) if receiver in ("self", "cls") else None
        if function_frame is not None and function_frame.owner is not None:
            arguments = all_arguments(function_frame.node.args)  # type: ignore[attr-defined]
            if arguments and arguments[0].arg == receiver:
                cls = function_frame.owner
        if cls is None and receiver in module.class_by_name and not self.scopes.is_local(receiver):
            cls = module.class_by_name[receiver]
        if cls is None:
            return None
        definition = class_method(module, cls, method)
        return definition is not None and definition.is_coroutine_function


def _calling_gives_coroutine(value: Value | None) -> bool:
    """`mock()` for an AsyncMock."""
    return value is not None and value.type_name == "unittest.mock.AsyncMock"
