"""The semantic model of one file: what every rule asks about names, values, coroutines and
mocks, answered the same way for all of them, whatever codes are selected.

Rules read it through the methods below and never write into it. It is built from parts with
one job each, which the walk drives in this order before any rule sees a node:

- scopes.py: the frames the walk is inside and the names each binds (`binding_of`, `is_local`,
  `qualified_name`, `frame`, `statement_frame`);
- binder.py: the visitor that opens frames and binds names (the only part the walk drives,
  with mock_setup.py);
- inference.py: what an expression holds (`value_of`, `type_of`, `constant_string`);
- fixture_values.py: what parameters hold on entry, what fixtures and project functions give;
- coroutine_calls.py: which calls give a coroutine and what that rests on (types, the project,
  the suite's await habits);
- mocks.py: which mock an expression is, what a patch replaces;
- mock_setup.py: what code sets on mocks and objects as the walk goes.
"""

from __future__ import annotations

import ast
from typing import Callable, Iterator

from .binder import Binder
from .context import FileContext
from .coroutine_calls import CoroutineCalls
from .fixture_values import FixtureValues
from .inference import Inference, describe
from .mock_setup import MockSetup
from .mocks import Mocks
from .module_facts import ClassFacts, Decorated, Fixture
from .scopes import Frame, Scopes
from .values import Binding, MockKind, Value


class SemanticModel:
    """What one file's names, values, coroutine calls and mocks are, as the walk stands."""

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.scopes = scopes = Scopes(context.module.imports)
        self.open_coroutines = scopes.open_coroutines
        """`.count`: coroutine values bound in the frames open now (rules look closer only while
        some are; read as an attribute, it costs no call on every node)."""
        self.mock_roots: frozenset[str] | set[str] = scopes.mock_roots
        """Names a mock API call can start with (mock imports, in functions too, and pytest-mock's
        fixtures): a cheap test before `mock_api`. Read only."""
        self.inference = inference = Inference(scopes, context)
        self.mocks = mocks = Mocks(scopes, context, inference)
        self.coroutine_calls = coroutine_calls = CoroutineCalls(scopes, context, inference)
        self.fixture_values = fixture_values = FixtureValues(scopes, context, inference, mocks, SemanticModel)
        inference.connect(mocks, coroutine_calls, fixture_values)
        self.binder = binder = Binder(scopes, context, inference, fixture_values)
        self.mock_setup = MockSetup(scopes, context, inference, mocks, fixture_values, binder)

    @property
    def visitors(self) -> tuple[object, ...]:
        """The parts the walk drives, in order, before the rules."""
        return (self.binder, self.mock_setup)

    # -- where the walk is --------------------------------------------------------------------

    @property
    def frame(self) -> Frame:
        """The innermost frame: a comprehension, lambda, def, class or the module."""
        return self.scopes.frames[-1]

    @property
    def statement_frame(self) -> Frame:
        """The innermost frame that is not a comprehension: where statements run."""
        return self.scopes.statement_frame

    def frames_outward(self) -> Iterator[Frame]:
        """The open frames, innermost first."""
        return self.scopes.outward()

    def collected_def(self, node: ast.AST) -> tuple[Decorated, list[ClassFacts]] | None:
        """See FileContext.collected_def; known from the moment the walk enters the def."""
        return self.binder.collected_def(node)

    def on_frame_exit(self, listener: Callable[[Frame], None]) -> None:
        """Call `listener(frame)` as each frame but the module is left, while it is current."""
        self.scopes.frame_listeners.append(listener)

    def close(self) -> None:
        """After the walk: break the model's reference cycles (inference and the parts built
        on it, the rules listening to frames) so that reference counting frees it."""
        self.scopes.frame_listeners.clear()
        self.inference.disconnect()

    # -- names --------------------------------------------------------------------------------

    def binding_of(self, name: str) -> Binding | None:
        """The binding a read of the name here sees (see Scopes.binding_of)."""
        return self.scopes.binding_of(name)

    def is_local(self, name: str | None) -> bool:
        """Bound in a function, lambda, comprehension or class around here (not the module)."""
        return self.scopes.is_local(name)

    def qualified_name(self, expr: ast.AST) -> str | None:
        """The dotted name an expression stands for here (`pt.mark` -> `pytest.mark`), or None."""
        return self.scopes.qualified_name(expr)

    # -- values -------------------------------------------------------------------------------

    def value_of(self, expr: ast.expr | None) -> Value | None:
        """What an expression evaluates to, where the plugin knows."""
        return self.inference.value_of(expr)

    def value_of_name(self, name: str) -> Value | None:
        """What a read of the name here holds, where the plugin knows."""
        return self.inference.value_of_name(name)

    def type_of(self, expr: ast.expr) -> str | None:
        """The class of what an expression evaluates to, by its dotted name, where known."""
        return self.inference.type_of(expr)

    def constant_string(self, node: ast.AST | None) -> str | None:
        """The text a string expression always has, or None."""
        return self.inference.constant_string(node)

    def fixture_value(self, fixture: Fixture) -> Value | None:
        """What a fixture hands to each requester (share it only as a copy), where known."""
        return self.fixture_values.fixture_value(fixture)

    @staticmethod
    def describe(node: ast.expr) -> str:
        """Source text for a message: a call's callee, or the expression itself."""
        return describe(node)

    # -- coroutines ---------------------------------------------------------------------------

    def coroutine_callee(self, call: ast.Call) -> str | None:
        """A description of the callee if the call surely returns a coroutine, else None."""
        return self.coroutine_calls.coroutine_function(call.func)

    def coroutine_function(self, func: ast.expr) -> str | None:
        """A description of `func` if calling it surely returns a coroutine, else None."""
        return self.coroutine_calls.coroutine_function(func)

    def coroutine_basis(self, func: ast.expr) -> str:
        """What the knowledge that calling `func` gives a coroutine rests on, for a message."""
        return self.coroutine_calls.coroutine_basis(func)

    # -- mocks --------------------------------------------------------------------------------

    def mock_api(self, func: ast.expr | None) -> str | None:
        """`Mock`, `AsyncMock`, `patch`, `patch.object`, ... for a mock API callee, else None."""
        return self.mocks.mock_api(func)

    def mock_kind(self, expr: ast.expr | None) -> MockKind | None:
        """(kind, class name) of the mock an expression is, or None."""
        return self.mocks.mock_kind(expr)

    def configured_kind(self, call: ast.Call, class_name: str, spec_may_be_positional: bool = True) -> MockKind:
        """The kind of mock a sync mock class called with these arguments makes."""
        return self.mocks.configured_kind(call, class_name, spec_may_be_positional)

    def surely_not_awaitable(self, value: ast.expr) -> bool:
        """A configured return value awaiting cannot use (a literal, a mock object)."""
        return self.mocks.surely_not_awaitable(value)

    def assigned_mock(self, target: ast.Attribute) -> tuple[MockKind | None, bool] | None:
        """For an attribute assignment entered: the assigned mock's kind, and whether the
        object assigned to is a mock (see MockSetup.assigned_mock)."""
        return self.mock_setup.assigned_mock(target)

    def async_patch_target(self, call: ast.Call, api: str) -> str | None:
        """The target of a patch call, if it is a known coroutine function or method."""
        return self.mocks.async_patch_target(call, api)

    def async_dotted_target(self, target: str) -> str | None:
        """A dotted patch target, if it names a known coroutine function or method."""
        return self.mocks.async_dotted_target(target)

    def async_attribute(self, owner: ast.expr, attribute: str) -> str | None:
        """`owner.attribute`, if it is a known coroutine function or method."""
        return self.mocks.async_attribute(owner, attribute)

    def awaits_checked_habit(self, name: str, path: tuple[str, ...]) -> str | None:
        """Where the suite checks the awaits of the mock a fixture parameter holds at `path`."""
        return self.coroutine_calls.awaits_checked_habit(name, path)
