"""What code sets on mocks and objects: the part of the semantic model that follows changes.

`client.fetch = AsyncMock()` on any object, `m.child = Mock()` or `m.get.return_value = ...`
on a mock, `m.configure_mock(...)` or `setattr(m, ...)` (after which nothing below `m` is
sure). A test method that changes what setUp put on `self` gets its own copy, so the next test
still sees setUp's; a helper method's changes reach setUp's for every test. The walk drives it
right after the binder, before any rule.
"""

from __future__ import annotations

import ast

from .binder import Binder
from .context import FileContext
from .fixture_values import FixtureValues
from .inference import Inference
from .mock_api import CONFIGURING_KEYWORDS, RECONFIGURING_METHODS
from .names import RETURN, path_of
from .mocks import Mocks
from .scopes import SETUP_METHODS, Scopes
from .values import UNKNOWN, MockKind, Value


class MockSetup:
    """Not a rule: follows what assignments and configuring calls set on objects."""

    def __init__(
        self,
        scopes: Scopes,
        context: FileContext,
        inference: Inference,
        mocks: Mocks,
        fixture_values: FixtureValues,
        binder: Binder,
    ) -> None:
        self.scopes = scopes
        self.context = context
        self.inference = inference
        self.mocks = mocks
        self.fixture_values = fixture_values
        self.binder = binder
        self._assigned: dict[ast.Attribute, tuple[MockKind | None, bool]] = {}

    def assigned_mock(self, target: ast.Attribute) -> tuple[MockKind | None, bool] | None:
        """For an attribute assignment the walk has entered: the kind of the mock assigned (None
        when it is no mock) and whether the object assigned to is itself a mock."""
        return self._assigned.get(target)

    def enter_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Attribute):
                self._follow(target, node.value)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, ast.Attribute):
            self._follow(node.target, node.value)

    def _follow(self, target: ast.Attribute, value: ast.expr) -> None:
        root, path = path_of(target)
        if root is None:
            return
        replacement = self.mocks.mock_kind(value)
        known = self.inference.value_of_name(root)
        holder = self._value_to_update(root)
        if known is not None and (known.is_mock or known.attributes):
            if self._is_shared_instance(holder) and not self._in_setup():
                holder.set_attribute(path, (UNKNOWN, ""))  # a helper setUp may call: setUp's mock is no longer sure
            elif path[-1] in CONFIGURING_KEYWORDS:
                if path[-1] != RETURN or not self.mocks.surely_not_awaitable(value):
                    holder.configure(path[:-1])
            else:
                holder.set_attribute(path, replacement or (UNKNOWN, ""))
        elif replacement is not None and RETURN not in path:
            # `client.fetch = AsyncMock()` on an object that is not a mock: follow that attribute
            holder.set_attribute(path, replacement)
        self._assigned[target] = (replacement, holder.is_mock)

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in RECONFIGURING_METHODS:
                self._stop_following(func.value)
        elif isinstance(func, ast.Name) and func.id == "setattr" and node.args and not self.scopes.is_local("setattr"):
            self._stop_following(node.args[0])

    def _stop_following(self, expr: ast.expr) -> None:
        """The mock at `expr` may have been configured in any way: nothing below it is sure."""
        root, path = path_of(expr)
        value = self.inference.value_of_name(root) if root is not None else None
        if value is not None:
            if path:
                value.set_attribute(path, (UNKNOWN, ""))
            else:
                value.forget()

    # -- which object an assignment changes ---------------------------------------------------

    def _value_to_update(self, name: str) -> Value:
        """The object an assignment changes: a test method changing what setUp put on `self`
        gets its own copy, so the next test still sees setUp's."""
        value = self._value_for_update(name)
        binding = self.scopes.binding_of(name)
        if name != "self" or binding is None or self._in_setup() or not self._is_shared_instance(value):
            return value
        if not self._in_test() and value.attributes:
            return value  # a helper method: the caller taints setUp's mocks for every test
        binding.value = value.copy()  # a test's own changes, or a helper's own mocks
        return binding.value

    def _value_for_update(self, name: str) -> Value:
        """The object a name holds, made a plain `Value` when unknown, so that what is set on
        it (`client.fetch = AsyncMock()`) can be followed."""
        found = self.inference.value_of_name(name)
        if found is not None:
            return found
        binding = self.scopes.binding_of(name)  # with no value: so not the module's
        if binding is not None:
            binding.value = Value(binding.node)
            return binding.value
        value = self.scopes.statement_frame.outer_values[name] = Value()
        return value

    def _is_shared_instance(self, value: Value) -> bool:
        frame = next(self.scopes.function_frames(), None)
        owner = frame.owner.node if frame is not None and frame.owner is not None else None
        return owner is not None and value is self.fixture_values.class_instance(owner)

    def _in_test(self) -> bool:
        """Is the innermost function a test (pytest or unittest) of its class?"""
        frame = next(self.scopes.function_frames(), None)
        if frame is None:
            return False
        collected = self.binder.collected_def(frame.node)
        node = frame.node
        collection = self.context.collection
        return collected is not None and collection.test_kind(node, collected[1]) is not None  # type: ignore

    def _in_setup(self) -> bool:
        return getattr(self.scopes.statement_frame.node, "name", "") in SETUP_METHODS
