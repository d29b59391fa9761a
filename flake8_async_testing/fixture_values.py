"""What parameters hold on entry, and what fixtures and functions of the project hand over.

On entering a def: a mock a `@patch` decorator injects, the class's shared instance for
`self`, an annotated class, what a requested fixture provides (the fixture each test or fixture
parameter requests is kept, for await habits). A fixture's or a project function's result is
its return annotation, else what its own yields or returns give when all agree; it is computed
by walking that def alone with a fresh semantic model of its file, once per definition and
settings (the project index's cache), a cycle or a deep chain giving unknown.
"""

from __future__ import annotations

import ast
from typing import Callable, Protocol

from .context import FileContext, context_of_file
from .inference import Inference
from .libraries import AWAITABLE_FACTORY, PLUGIN_FIXTURES, YIELDING_ANNOTATIONS
from .mocks import Mocks
from .module_facts import ClassFacts, Decorated, Fixture, FunctionNode, ModuleFacts
from .project import PROJECT
from .scopes import Frame, Scopes, ScopeKind, all_arguments
from .values import CoroutineFunction, Instance, Value
from .walk import Walk

MAX_EVALUATION_DEPTH = 8
"""Defs whose result is being computed, across models: a cycle gives unknown."""


class OtherModel(Protocol):
    """A fresh semantic model of a file, to walk one def there on its own."""

    @property
    def scopes(self) -> Scopes: ...

    @property
    def inference(self) -> Inference: ...

    @property
    def fixture_values(self) -> FixtureValues: ...

    @property
    def binder(self) -> object: ...

    @property
    def mock_setup(self) -> object: ...

    def close(self) -> None: ...


class FixtureValues:
    """Parameter values and fixture / function results for one file."""

    def __init__(
        self,
        scopes: Scopes,
        context: FileContext,
        inference: Inference,
        mocks: Mocks,
        new_model: Callable[[FileContext], OtherModel],
    ) -> None:
        self.scopes = scopes
        self.context = context
        self.inference = inference
        self.mocks = mocks
        self.new_model = new_model
        self._instances: dict[ast.ClassDef, Value] = {}

    # -- parameters ---------------------------------------------------------------------------

    def parameter_values(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        collected: tuple[Decorated, list[ClassFacts]] | None,
        test_or_fixture: bool,
    ) -> dict[str, Value]:
        """What parameters hold on entry: a mock injected by `@patch`, the class's shared instance
        for `self`, an annotated class, what a requested fixture of the module provides. The
        fixture a test's or fixture's parameter requests is noted for await habits."""
        values: dict[str, Value] = {}
        inference, mocks = self.inference, self.mocks
        arguments = [*node.args.posonlyargs, *node.args.args]
        classes = collected[1] if collected is not None else []
        definition = collected[0] if collected is not None else self.context.module.functions.get(node)
        is_method = bool(classes) and definition is not None and not definition.is_staticmethod
        if is_method and arguments and arguments[0].arg == "self" and classes[-1].node is not None:
            values["self"] = self.class_instance(classes[-1].node)
        if definition is not None and definition.injected_mock_arguments:
            injected = arguments[1:] if is_method else arguments
            patches = [decorator for decorator in node.decorator_list if mocks.is_injecting_patch(decorator)]
            for parameter, decorator in zip(injected, reversed(patches)):
                values[parameter.arg] = mocks.patched_mock(decorator)  # type: ignore[arg-type]
        for argument in all_arguments(node.args):
            if argument.arg not in values and argument.annotation is not None:
                annotated = inference.annotated_value(argument.annotation, argument)
                if annotated is not None:
                    values[argument.arg] = annotated
        if collected is None:
            return values
        definition, classes = collected
        requested = definition.requested_parameters(is_method=bool(classes))
        if not requested:
            return values
        own = self.context.fixtures.fixture_defined_by(definition)
        marks = self.context.collection.marks_for(definition, classes) if own is None else None
        parametrized = {name for mark in marks.marks for name in mark.requested_fixtures} if marks else set()
        for parameter in requested:
            if parameter.arg in parametrized:
                continue  # `@pytest.mark.parametrize("client", ...)` hands over its own values
            fixture = self.context.fixtures.fixture_named(parameter.arg, classes, skip=own)
            if fixture is not None and fixture.parametrized:
                values.pop(parameter.arg, None)  # each param may give another type, whatever the annotation says
                continue
            if fixture is not None and test_or_fixture:
                self.scopes.requested[parameter] = fixture
            if parameter.arg in values:
                continue
            provided = self.fixture_value(fixture) if fixture is not None else _plugin_fixture(parameter.arg)
            mock_annotation = (
                provided is not None
                and provided.is_mock
                and parameter.annotation is not None
                and inference.names_mock(parameter.annotation)
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
        model = self.new_model(context)
        try:
            model.fixture_values.stand_outside(definition)
            annotated = model.fixture_values.annotated_result(node, definition.is_generator)
            if annotated is not None:
                return annotated
            evaluating.add(node)
            results = _Results(model, definition)  # the def walked on its own: bindings, what it sets on mocks
            Walk([model.binder, model.mock_setup, results]).run(node)
            return results.value()
        finally:
            evaluating.discard(node)
            model.close()

    def annotated_result(self, node: FunctionNode, is_generator: bool) -> Value | None:
        """`-> AsyncClient`, `-> AsyncIterator[AsyncClient]` (a generator), `-> "AsyncClient"`."""
        returns = node.returns
        if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
            try:
                returns = ast.parse(returns.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(returns, ast.Subscript) and self.scopes.qualified_name(returns.value) in YIELDING_ANNOTATIONS:
            if not is_generator:
                return None
            inner = returns.slice
            returns = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
        return self.inference.annotated_value(returns, node) if returns is not None else None

    def stand_outside(self, definition: Decorated) -> None:
        """Open the frames around a def (its module, its classes), to walk it on its own."""
        module = self.context.module
        scopes = self.scopes
        scopes.frames = [Frame(module.tree or ast.Module(body=[], type_ignores=[]), ScopeKind.MODULE, False, None)]
        for cls in _enclosing_classes(module, definition.node):
            scopes.frames.append(Frame(cls.node, ScopeKind.CLASS, False, None))
            scopes.frames[-1].outside_functions = True


class _Results:
    """What one def's own yields (a generator) or returns give; one value only when all agree."""

    def __init__(self, model: OtherModel, definition: Decorated) -> None:
        self.model = model
        self.definition = definition
        self.found: list[tuple[ast.expr, Value | None]] = []

    def enter_Yield(self, node: ast.Yield) -> None:
        if self.definition.is_generator:
            self._collect(node.value)

    def enter_Return(self, node: ast.Return) -> None:
        if not self.definition.is_generator:
            self._collect(node.value)

    def _collect(self, expr: ast.expr | None) -> None:
        if expr is not None and self.model.scopes.statement_frame.node is self.definition.node:
            self.found.append((expr, self.model.inference.value_of(expr)))

    def value(self) -> Value | None:
        values = [value for _, value in self.found]
        first = values[0] if values else None
        if first is None or any(_describe_value(value) != _describe_value(first) for value in values[1:]):
            return None
        return first


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
