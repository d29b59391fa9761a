"""The binder: the part of the semantic model the walk drives, first in every walk.

It opens and closes a frame for the module, each class, function, lambda and comprehension,
and records every way a name is bound, once, in the frame Python binds it in: assignment
(plain, annotated, augmented, unpacking, starred), `for` / `async for`, `with` / `async with
... as`, walrus (in the enclosing function), `except ... as`, imports, defs and classes,
parameters, `match` captures, `del`; names declared `global` / `nonlocal` hold nothing the
plugin follows. Each binding gets the value inference gives (inference.py); parameters get
what fixture_values.py says they hold on entry.
"""

from __future__ import annotations

import ast

from .context import FileContext
from .fixture_values import FixtureValues
from .inference import Inference
from .libraries import DECLARED_SESSION, library_class
from .mock_api import PATCHING_CALLS
from .names import imported_names
from .module_facts import ClassFacts, Decorated, decorated
from .scopes import Frame, PytestRole, Scopes, ScopeKind, all_arguments
from .values import CoroutineFunction, CoroutineValue, ImportedName, Instance, MockValue, Value


class Binder:
    """Not a rule: frames and bindings, as the walk enters and leaves nodes."""

    def __init__(
        self, scopes: Scopes, context: FileContext, inference: Inference, fixture_values: FixtureValues
    ) -> None:
        self.scopes = scopes
        self.context = context
        self.inference = inference
        self.fixture_values = fixture_values
        self._collected: dict[ast.AST, tuple[Decorated, list[ClassFacts]] | None] = {}

    def collected_def(self, node: ast.AST) -> tuple[Decorated, list[ClassFacts]] | None:
        """See FileContext.collected_def; known from the moment the walk enters the def."""
        return self._collected.get(node)

    # -- frames -------------------------------------------------------------------------------

    def enter_Module(self, node: ast.Module) -> None:
        self.scopes.push(Frame(node, ScopeKind.MODULE, False, None))

    def enter_ClassDef(self, node: ast.ClassDef) -> None:
        scopes = self.scopes
        scopes.bind(node.name, node, None)
        parent = scopes.frame
        frame = Frame(node, ScopeKind.CLASS, parent.in_test_or_fixture, None)
        frame.outside_functions = parent.outside_functions
        scopes.push(frame)

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self.scopes.pop()

    def enter_Lambda(self, node: ast.Lambda) -> None:
        self.scopes.push(Frame(node, ScopeKind.LAMBDA, self.scopes.frame.in_test_or_fixture, None))
        for argument in all_arguments(node.args):
            self.scopes.bind(argument.arg, argument, None)

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self.scopes.pop()

    def _enter_comprehension(self, node: ast.AST) -> None:
        parent = self.scopes.frame
        role, is_async = parent.pytest_role, parent.is_async  # the code around it
        frame = Frame(node, ScopeKind.COMPREHENSION, parent.in_test_or_fixture, parent.owner, role, is_async)
        self.scopes.push(frame)
        for generator in node.generators:  # type: ignore[attr-defined]
            self.scopes.bind_targets(generator.target, generator)  # bound before the element is read

    enter_ListComp = enter_SetComp = enter_DictComp = enter_GeneratorExp = _enter_comprehension

    def _leave_comprehension(self, node: ast.AST) -> None:
        self.scopes.pop()

    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave_comprehension

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scopes = self.scopes
        parent = scopes.frame
        scopes.bind(node.name, node, None)  # a nested coroutine function is known once its def is left
        frames = scopes.frames
        enclosing = [frame.node for frame in frames]
        collected = self.context.collection.collected_def(node, parent.outside_functions, enclosing)
        self._collected[node] = collected
        role, owner = PytestRole.NONE, None
        if collected is not None:
            definition, classes = collected
            owner = classes[-1] if classes else None
            if definition.is_fixture:
                role = PytestRole.FIXTURE
            elif self.context.collection.test_kind(node, classes) is not None:
                role = PytestRole.TEST
        test_or_fixture = role is not PytestRole.NONE
        is_async = isinstance(node, ast.AsyncFunctionDef)
        frame = Frame(node, ScopeKind.FUNCTION, test_or_fixture or parent.in_test_or_fixture, owner, role, is_async)
        scopes.push(frame)
        provided = self.fixture_values.parameter_values(node, collected, test_or_fixture)
        for argument in all_arguments(node.args):
            scopes.bind(argument.arg, argument, provided.get(argument.arg))

    enter_FunctionDef = enter_AsyncFunctionDef = _enter_function

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.scopes.pop()

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        scopes = self.scopes
        has_yield = scopes.frame.has_yield
        scopes.pop()
        definition = self.context.module.functions.get(node)
        if definition is not None:  # the walk has seen its body: no second look for `yield`
            definition.__dict__.setdefault("is_generator", has_yield)
        elif scopes.frame.kind not in (ScopeKind.CLASS, ScopeKind.MODULE):
            nested = decorated(node, scopes.imports)
            nested.__dict__["is_generator"] = has_yield
            if nested.is_coroutine_function:
                binding = scopes.frame.bindings.get(node.name)
                if binding is not None and binding.node is node:
                    binding.value = CoroutineFunction(nested)

    def enter_Yield(self, node: ast.Yield) -> None:
        self.scopes.frame.has_yield = True

    def enter_YieldFrom(self, node: ast.YieldFrom) -> None:
        self.scopes.frame.has_yield = True

    # -- bindings -----------------------------------------------------------------------------

    def enter_Assign(self, node: ast.Assign) -> None:
        value: Value | None = None
        evaluated = False
        for target in node.targets:
            if isinstance(target, ast.Name):
                if not evaluated:
                    value, evaluated = self.inference.value_of(node.value), True
                self.scopes.bind(target.id, node, value)
            else:
                self.scopes.bind_targets(target, node)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not isinstance(node.target, ast.Name):
            return
        inference = self.inference
        value = inference.value_of(node.value) if node.value is not None else None
        known = isinstance(value, (MockValue, CoroutineValue)) or library_class(getattr(value, "type_name", None))
        if not known:
            value = inference.annotated_value(node.annotation, node) or value  # the annotation knows better
        self.scopes.bind(node.target.id, node, value)

    def enter_AugAssign(self, node: ast.AugAssign) -> None:
        self.scopes.bind_targets(node.target, node)

    def enter_For(self, node: ast.For) -> None:
        self._bind_loop_target(node)

    def enter_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._bind_loop_target(node)

    def _bind_loop_target(self, node: ast.For | ast.AsyncFor) -> None:
        """The target holds an unknown item, except a session from a declared session factory
        that is a generator (`async for session in get_session():`)."""
        if isinstance(node.target, ast.Name) and isinstance(node.iter, ast.Call):
            value = self.inference.value_of(node.iter)
            if isinstance(value, Instance) and value.type_name == DECLARED_SESSION:
                self.scopes.bind(node.target.id, node, value)
                return
        self.scopes.bind_targets(node.target, node)

    def enter_With(self, node: ast.With) -> None:
        self._bind_with_items(node, "sync")

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._bind_with_items(node, "async")

    def _bind_with_items(self, node: ast.With | ast.AsyncWith, how: str) -> None:
        for item in node.items:
            if isinstance(item.optional_vars, ast.Name):
                value = self.inference.entered_value(item.context_expr, how)
                self.scopes.bind(item.optional_vars.id, node, value)
            else:
                self.scopes.bind_targets(item.optional_vars, node)

    def enter_NamedExpr(self, node: ast.NamedExpr) -> None:
        """`(x := value)` binds x in the function around any comprehension (PEP 572)."""
        if isinstance(node.target, ast.Name):
            value = self.inference.value_of(node.value)
            self.scopes.bind(node.target.id, node, value, self.scopes.statement_frame)

    def enter_MatchAs(self, node: ast.AST) -> None:
        if getattr(node, "name", None):
            self.scopes.bind(node.name, node, None)  # type: ignore[attr-defined]

    def enter_MatchStar(self, node: ast.AST) -> None:
        self.enter_MatchAs(node)

    def enter_MatchMapping(self, node: ast.AST) -> None:
        if getattr(node, "rest", None):
            self.scopes.bind(node.rest, node, None)  # type: ignore[attr-defined]

    def enter_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.scopes.bind(node.name, node, None)

    def enter_Import(self, node: ast.Import) -> None:
        self._bind_imported(node)

    def enter_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._bind_imported(node)

    def _bind_imported(self, node: ast.Import | ast.ImportFrom) -> None:
        """An import inside a function binds local names to what they import (`qualified_name`
        reads them as it reads the module's imports, which are the module's facts)."""
        scopes = self.scopes
        if len(scopes.frames) == 1:
            return
        for name, dotted, alias in imported_names(node):
            if dotted.startswith(("unittest", "mock")):
                scopes.mock_roots.add(name)
            scopes.bind(name, alias, ImportedName(dotted, alias))

    def enter_Global(self, node: ast.Global) -> None:
        self.scopes.frame.declared.update(node.names)

    def enter_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scopes.frame.declared.update(node.names)

    def enter_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.scopes.bind_targets(target, node)

    def enter_Call(self, node: ast.Call) -> None:
        """`patch("pkg.fetch")`, `patch.object(Client, "fetch")`, `monkeypatch.setattr(...)`:
        a call of that name here may reach the replacement, not the coroutine function."""
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name not in PATCHING_CALLS or not node.args:
            return
        constant_string = self.inference.constant_string
        first = node.args[0]
        dotted_first = name == "patch" or constant_string(first) is not None
        text = constant_string(first if dotted_first or len(node.args) < 2 else node.args[1])
        if text is not None:
            self.scopes.note_patched(text.rpartition(".")[2])
