"""ATS103, ATS105: tasks and groups of awaitables whose outcome a test never looks at.

A task whose handle is dropped, or kept in a name the test or fixture never awaits, cancels,
gathers, returns, yields or hands on: its exception is never seen ("Task exception was never
retrieved" in the log, the test green), and the loop cancels it at the test's end. The results
of `asyncio.gather(..., return_exceptions=True)` thrown away, or the done set of
`asyncio.wait(...)` never read: every failure of the awaitables is swallowed. Wherever the
outcome may be read (any use of the name but a few that surely read nothing), the rules stay
silent.
"""

from __future__ import annotations

import ast
import dataclasses

from ..libraries import EVENT_LOOP, TASK_FACTORIES
from ..module_facts import own_nodes
from ..names import keyword
from ..scopes import Frame, PytestRole
from .base import Code, RuleFamily

ATS103 = Code(
    "ATS103",
    "task created by '{call}' {how}: an exception in it is never seen ('Task exception was never retrieved'); "
    "keep the task and await it (or cancel it), or use a TaskGroup",
    "a task in a test or fixture whose handle is dropped, or kept and never awaited, cancelled or handed on",
)
ATS105 = Code(
    "ATS105",
    "{what} of '{call}' {fate}: {consequence}; {fix}",
    "a test or fixture throws away the outcome of gather(..., return_exceptions=True) or of asyncio.wait",
)

DROPPED = "is dropped, and it may be garbage-collected mid-run"
TASK_METHODS_READING_NOTHING = frozenset({"done", "cancelled", "get_name", "set_name", "get_coro", "get_context"})
"""Task methods after which its exception is still never retrieved (`result`, `exception`,
`cancel`, `add_done_callback` and the rest may look at the outcome: silence)."""


def kept(name: str) -> str:
    return f"is kept in '{name}' but never awaited, cancelled or handed on, and the loop cancels it when it closes"


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What ATS105 says of one API: what is thrown away, what that costs, the fix."""

    what: str
    verb: str
    """`are` or `is`, as `what` takes."""
    consequence: str
    fix: str


GATHERED = Outcome(
    "the results",
    "are",
    "every exception comes back as a value and is dropped, so the test passes although the awaitables failed",
    "check the results (raise what is an exception), or leave out return_exceptions=True",
)
WAITED = Outcome(
    "the done set",
    "is",
    "the tasks' exceptions are never retrieved ('Task exception was never retrieved'), so the test passes "
    "although they failed",
    "call result() on each done task, or await asyncio.gather(...)",
)


class TaskOutcomes(RuleFamily):
    codes = (ATS103, ATS105)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._kept: dict[Frame, list[tuple[str, ast.Call, str]]] = {}
        """Tasks bound to a name in a test or fixture, by its frame: (name, call, callee)."""

    # -- ATS103 -------------------------------------------------------------------------------

    def enter_Expr(self, node: ast.Expr) -> None:
        value = node.value
        if isinstance(value, ast.Call) and self.model.frame.in_test_or_fixture:
            callee = self._task_factory(value)
            if callee is not None:
                self.report(ATS103, value, call=callee, how=DROPPED)
        elif isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
            self._check_outcome(value.value, None)

    def enter_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1:
            return
        target, value = node.targets[0], node.value
        if isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
            self._check_outcome(value.value, target)
        elif isinstance(target, ast.Name) and isinstance(value, ast.Call):
            frame = self.model.statement_frame
            if frame.pytest_role is PytestRole.NONE or target.id in frame.declared:
                return
            callee = self._task_factory(value)
            if callee is not None:
                self._kept.setdefault(frame, []).append((target.id, value, callee))

    def on_frame_exit(self, frame: Frame) -> None:
        kept_tasks = self._kept.pop(frame, None)
        if not kept_tasks:
            return
        for name, call, callee in kept_tasks:
            if not _outcome_may_be_read(frame.node, name):
                self.report(ATS103, call, call=callee, how=kept(name))

    def _task_factory(self, call: ast.Call) -> str | None:
        """`asyncio.create_task` / `asyncio.ensure_future` / `loop.create_task` (not a TaskGroup's)."""
        func = call.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if called not in ("create_task", "ensure_future"):
            return None
        qualified = self.model.qualified_name(func)
        if qualified in TASK_FACTORIES:
            return qualified
        if isinstance(func, ast.Attribute) and called == "create_task" and self.model.type_of(func.value) == EVENT_LOOP:
            return self.model.describe(call)
        return None

    # -- ATS105 -------------------------------------------------------------------------------

    def _check_outcome(self, call: ast.Call, target: ast.expr | None) -> None:
        """`await asyncio.gather(..., return_exceptions=True)` / `await asyncio.wait(...)`, as a
        statement (target None) or assigned to `target`, in a test or fixture."""
        frame = self.model.statement_frame
        if frame.pytest_role is PytestRole.NONE:
            return
        qualified = self.model.qualified_name(call.func)
        if qualified == "asyncio.gather":
            returns_exceptions = keyword(call, "return_exceptions")
            if not (isinstance(returns_exceptions, ast.Constant) and returns_exceptions.value is True):
                return
            values = [argument.value if isinstance(argument, ast.Starred) else argument for argument in call.args]
            tasks = {value.id for value in values if isinstance(value, ast.Name)}  # `gather(*tasks)`, not callees
            if not _awaitables_started_here(call, frame.node) or _tasks_read_elsewhere(frame.node, call, tasks):
                return  # waiting for tasks of its own (often cancelled) to settle: a deliberate idiom
            outcome, kept_in = GATHERED, target
        elif qualified == "asyncio.wait":
            outcome = WAITED
            kept_in = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
            tasks = {node.id for argument in call.args[:1] for node in ast.walk(argument) if isinstance(node, ast.Name)}
            if _tasks_read_elsewhere(frame.node, call, tasks):
                return
        else:
            return
        if kept_in is None:
            fate = f"{outcome.verb} discarded"
        elif isinstance(kept_in, ast.Name) and not _is_read(frame.node, kept_in.id):
            fate = f"{outcome.verb} bound to '{kept_in.id}' and never read"
        else:
            return
        details = {"what": outcome.what, "fate": fate, "consequence": outcome.consequence, "fix": outcome.fix}
        self.report(ATS105, call, call=self.model.describe(call), **details)


def _loads(function: ast.AST, name: str) -> list[tuple[ast.Name, ast.AST | None]]:
    """Each read of `name` in the function (nested functions and lambdas included), with the
    node around it."""
    found: list[tuple[ast.Name, ast.AST | None]] = []
    for parent in ast.walk(function):
        for child in ast.iter_child_nodes(parent):
            if isinstance(child, ast.Name) and child.id == name and isinstance(child.ctx, ast.Load):
                found.append((child, parent))
    return found


def _is_read(function: ast.AST, name: str) -> bool:
    return bool(_loads(function, name))


def _outcome_may_be_read(function: ast.AST, name: str) -> bool:
    """Is the task kept in `name` awaited, cancelled, gathered, returned, yielded, stored or
    handed on anywhere in the function? Only reads that surely leave its exception unseen
    (`task.done()`, `task.cancelled()`, a comparison, a truth test) do not count."""
    for load, parent in _loads(function, name):
        if isinstance(parent, ast.Attribute) and parent.attr in TASK_METHODS_READING_NOTHING:
            continue
        if isinstance(parent, ast.Compare) or (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            continue
        return True
    return False


def _awaitables_started_here(call: ast.Call, function: ast.AST) -> bool:
    """Does `gather(...)` await only what the test starts for it: calls written in it
    (`gather(job(1), job(2))`, `gather(*(job(n) for n in ...))`), or a name the function binds
    once to such a display (`jobs = [job(n) for n in ...]`)? Gathering tasks or futures made
    elsewhere (`*writer._background_tasks`, a task just cancelled) waits for them to settle."""
    if not call.args:
        return False
    for argument in call.args:
        if isinstance(argument, ast.Starred):
            value: ast.AST | None = argument.value
            if isinstance(value, ast.Name):
                value = _only_assignment(function, value.id)
            if not _calls_display(value):
                return False
        elif not isinstance(argument, ast.Call):
            return False
    return True


def _calls_display(node: ast.AST | None) -> bool:
    """`[job(n) for n in ...]`, `(job(n) for ...)`, `[job(1), job(2)]`: awaitables made right there."""
    if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
        return isinstance(node.elt, ast.Call)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return bool(node.elts) and all(isinstance(element, ast.Call) for element in node.elts)
    return False


def _only_assignment(function: ast.AST, name: str) -> ast.expr | None:
    """The value of the one plain assignment to `name` in the function's own body, if it has one."""
    values = [
        node.value
        for node in own_nodes(function)  # type: ignore[arg-type]
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
    ]
    return values[0] if len(values) == 1 else None


def _tasks_read_elsewhere(function: ast.AST, call: ast.Call, names: set[str]) -> bool:
    """Are the tasks the names hand to `asyncio.wait(tasks)` / `gather(*tasks)` read again in
    the function (their results may be looked at), or any result() / exception() called at all?"""
    for node in own_nodes(function):  # type: ignore[arg-type]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("result", "exception"):
                return True
    own = {id(node) for node in ast.walk(call)}
    return any(id(load) not in own for name in names for load, _ in _loads(function, name))
