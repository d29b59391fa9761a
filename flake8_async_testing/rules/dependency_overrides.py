"""ATS304: an application's `dependency_overrides` changed by a test or fixture and never put back.

`app.dependency_overrides[get_db] = fake` (or `.update(...)`), on an application the module
holds, in a test or fixture whose own code never clears, pops, deletes or restores the mapping,
in a module whose tests get no fixture that does: the override stays for every later test of
the session, and results depend on test order. `patch.dict(...)` and `monkeypatch.setitem(...)`
restore by themselves (they are no assignment to the mapping). Any restore anywhere in the
function, in a function of the module it calls, or in any fixture the module's tests may get,
keeps the rule silent.
"""

from __future__ import annotations

import ast

from ..inference import source_text
from ..names import attribute_owner, root_name
from ..project import PROJECT
from ..scopes import Frame, PytestRole
from .base import Code, RuleFamily

ATS304 = Code(
    "ATS304",
    "{role} '{name}' changes '{mapping}' and nothing puts it back: the override stays for every later test of "
    "the session, so results depend on test order; clear it after the fixture's yield (or in a finally), or use "
    "patch.dict / monkeypatch.setitem",
    "a test or fixture changes an application's dependency_overrides and nothing restores it",
)
OVERRIDES = "dependency_overrides"
RESTORING_METHODS = frozenset({"clear", "pop", "popitem"})


class DependencyOverrides(RuleFamily):
    codes = (ATS304,)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._changes: dict[Frame, list[ast.expr]] = {}
        """The overrides a test or fixture sets, by its frame: the subscript or the update call."""
        self._restored_by_a_fixture: bool | None = None

    def enter_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript) and _is_overrides(target.value):
                self._note(target, target.value)

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "update" and _is_overrides(func.value):
            self._note(node, func.value)

    def _note(self, change: ast.expr, mapping: ast.expr) -> None:
        """A change in a test or fixture to the overrides of an application that outlives it: one
        the module holds (`from app.main import app`, `app = FastAPI()` at module level). An
        application made in the function dies with it (FastAPI's own tests), and one a parameter
        holds may be made anew for each test: not followed."""
        frame = self.model.statement_frame
        root = root_name(mapping)
        if frame.pytest_role is PytestRole.NONE or root is None or self.model.is_local(root):
            return
        self._changes.setdefault(frame, []).append(change)

    def on_frame_exit(self, frame: Frame) -> None:
        changes = self._changes.pop(frame, None)
        if not changes or restores_overrides(frame.node) or self._a_fixture_restores():
            return
        if self._calls_a_restoring_helper(frame.node):
            return
        for change in changes:
            mapping = change.func.value if isinstance(change, ast.Call) else change  # type: ignore[attr-defined]
            role = frame.pytest_role.value
            self.report(ATS304, change, role=role, name=frame.name, mapping=source_text(mapping))

    def _calls_a_restoring_helper(self, function: ast.AST) -> bool:
        """Does the function call a function of the module that restores overrides
        (`finally: clear_overrides()`)? One level deep."""
        helpers = self.context.module.top_level_functions
        return any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in helpers
            and restores_overrides(helpers[node.func.id].node)
            for node in ast.walk(function)
        )

    def _a_fixture_restores(self) -> bool:
        """Does any fixture the module's tests may get (the module's, its classes', the conftest
        chain's, plugins') clear or restore overrides? Which tests get it is not worked out:
        silence over a guess."""
        if self._restored_by_a_fixture is None:
            fixtures = self.context.fixtures.every_fixture()
            self._restored_by_a_fixture = any(restores_overrides(fixture.node) for fixture in fixtures)
        return self._restored_by_a_fixture


def _is_overrides(expr: ast.expr) -> bool:
    return attribute_owner(expr, OVERRIDES) is not None


def restores_overrides(function: ast.AST) -> bool:
    """Does the function (nested functions included) clear, pop, delete from or reassign a
    `dependency_overrides` mapping? Each def is read once per process."""
    return PROJECT.per_definition("restores dependency overrides", function, lambda: _restores(function))


def _restores(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in RESTORING_METHODS and _is_overrides(node.func.value):
                return True
        elif isinstance(node, ast.Delete):
            if any(isinstance(target, ast.Subscript) and _is_overrides(target.value) for target in node.targets):
                return True
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_overrides(target) for target in targets):
                return True  # `app.dependency_overrides = saved`
    return False
