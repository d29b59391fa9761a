"""Await habits: which calls on a fixture's value the suite itself awaits.

Where no type says what a fixture hands over (a redis client, a motor collection, an SDK
client, a project class whose methods a decorator makes async), the test code that can request
the fixture shows it: a call `value.a.b(...)` that this code awaits (or hands straight to
`gather`, `create_task`...) in at least two places, and never uses where a coroutine would be
a mistake (a statement, an `assert` / `if` / `while` test, a comparison, an attribute read or
subscript off the call, `with` / `async with` / `async for`), is a coroutine call there. Uses
that say nothing either way (returned, yielded, bound to a name, passed to another function)
are not counted. The same code shows which mocks are AsyncMocks: a mock fixture whose
`assert_awaited*`, `await_count` or `await_args` is checked.

That test code: the module that defines the fixture, or every test module and conftest below
the conftest that defines it, less the files where a nearer definition of the name takes over.
Only parameters of tests and fixtures are followed (names bound from them are not). Files other
than the one being checked are first searched as text for the exact call; only those where it
appears in a way that may matter are parsed, each once per process.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
from pathlib import Path
from typing import Iterator

from .libraries import COROUTINE_CONSUMERS, TASK_STARTERS
from .names import RETURN, path_of
from .project import PROJECT
from .pytest_config import matches_prefix_or_glob, matches_python_files
from .module_facts import ModuleFacts

MIN_AWAITED = 2
"""How many awaited uses make a habit."""
CONSUMERS = frozenset({*COROUTINE_CONSUMERS, *TASK_STARTERS, "shield"})
"""Calls that await, run or schedule the coroutine they are handed first."""
MOCK_AWAIT_RECORDS = frozenset({"await_count", "await_args", "await_args_list"})
_SKIPPED_FOLDERS = ("node_modules", "site-packages", "__pycache__")

AWAITED, CONTRADICTED = "awaited", "contradicted"
"""How a call on a fixture's value is used: awaited (or handed to a consumer), or where a
coroutine would be a mistake. Other uses are not recorded."""

Site = tuple[str, int, int]
"""(file, line, column) of a call."""
CallKey = tuple[str, tuple[str, ...]]
"""(parameter, attribute path): `redis.set(...)` in a test requesting `redis` is ("redis", ("set",))."""


@dataclasses.dataclass
class ModuleUses:
    """What one module's tests and fixtures do with what their parameters hold."""

    fixtures: frozenset[str]
    """Fixture names the module defines (at module level or in a class)."""
    calls: dict[CallKey, list[tuple[str, int, int]]]
    """(how, line, column) of each recorded use."""
    mock_checks: dict[CallKey, int]
    """Mock paths whose awaits are checked (`redis.set.assert_awaited_once()`), and a line of one."""


@dataclasses.dataclass(frozen=True)
class Habit:
    """The suite's evidence that a call is a coroutine call."""

    awaited: tuple[Site, ...]
    """Every awaited use in the test code that can request the fixture, this file's included."""
    root: str
    """Where the test code lives: paths are shown relative to it."""

    def describe(self) -> str:
        path, line, _ = self.awaited[0]
        count = len(self.awaited)
        places = "place" if count == 1 else "places"
        return f"awaited in {count} other {places} of the suite, e.g. {shown(path, self.root)}:{line}"


def shown(path: str, root: str) -> str:
    """A file as a finding names it: relative to the pytest root folder."""
    return os.path.relpath(path, root) if root else os.path.basename(path)


@dataclasses.dataclass(frozen=True)
class FixtureScope:
    """The fixture definition a question is about, and the test code that can request it."""

    name: str
    path: str
    """The file that defines it."""
    in_conftest: bool
    python_files: tuple[str, ...]
    python_functions: tuple[str, ...]

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


class HabitQuestions:
    """One file's questions about habits: its own uses come from its tree, the rest of the
    suite from the project index (read once per process)."""

    def __init__(self, module: ModuleFacts, filename: str, root: str | None, python_functions: tuple[str, ...]):
        self.filename = os.path.abspath(filename)
        self.root = root or ""
        self._module = module
        self._python_functions = python_functions
        self._own: ModuleUses | None = None
        self._text_answers: dict[tuple[FixtureScope, tuple[str, ...]], bool] = {}

    def shown(self, path: str) -> str:
        return shown(path, self.root)

    @property
    def own_uses(self) -> ModuleUses:
        if self._own is None:
            self._own = module_uses(self._module, self._python_functions)
        return self._own

    def coroutine_habit(self, scope: FixtureScope, path: tuple[str, ...], call: ast.AST) -> Habit | None:
        """The habit that makes `<fixture>.<path>(...)` a coroutine call, if the suite has one.
        The call itself (at `call`) does not count against it."""
        if not self._awaited_twice_as_text(scope, path):
            return None
        here = (getattr(call, "lineno", 0), getattr(call, "col_offset", 0))
        if scope.name in self.own_uses.fixtures and os.path.abspath(scope.path) != self.filename:
            return None  # a class here has a definition of its own: this module's uses are mixed
        awaited: list[Site] = []
        for how, line, column in self.own_uses.calls.get((scope.name, path), ()):
            if how == AWAITED:
                awaited.append((self.filename, line, column))
            elif (line, column) != here:
                return None  # this module uses it where a coroutine would be a mistake
        if scope.in_conftest:
            hits = [hit for hit in _text_hits(scope, path) if hit[0] != self.filename]
            if len(awaited) + sum(hit[1] for hit in hits) < MIN_AWAITED:
                return None  # too few awaits even as text: nothing to parse
            # the files where the call appears other than awaited first: one use there may end it
            for file, _, may_contradict in sorted(hits, key=lambda hit: not hit[2]):
                uses = _uses_of_file(file, scope.python_functions)
                for how, line, column in uses.calls.get((scope.name, path), ()) if uses is not None else ():
                    if how != AWAITED:
                        return None
                    awaited.append((file, line, column))
        elif os.path.abspath(scope.path) != self.filename:
            return None  # a fixture of another test module: its requesters are out of sight
        if len(awaited) < MIN_AWAITED:
            return None
        awaited.sort(key=lambda site: (site[0] != self.filename, site))
        return Habit(tuple(awaited), self.root)

    def _awaited_twice_as_text(self, scope: FixtureScope, path: tuple[str, ...]) -> bool:
        """Is the call awaited in two places even as text, this file (as on disk) included? Most
        questions end here, before any tree is read. A file that cannot be read (stdin) is
        read from its tree."""
        if not scope.in_conftest and os.path.abspath(scope.path) != self.filename:
            return False
        key = (scope, path)
        if key not in self._text_answers:
            self._text_answers[key] = self._count_awaited_as_text(scope, path) >= MIN_AWAITED
        return self._text_answers[key]

    def _count_awaited_as_text(self, scope: FixtureScope, path: tuple[str, ...]) -> int:
        if not _text_of(self.filename):
            return MIN_AWAITED  # no file to read (stdin): its tree decides
        count = _calls_as_text(self.filename, scope.name).get(path, (0, 0))[0]
        if scope.in_conftest:
            count += sum(hit[1] for hit in _text_hits(scope, path) if hit[0] != self.filename)
        return count

    def awaits_checked(self, scope: FixtureScope, path: tuple[str, ...]) -> tuple[str, int] | None:
        """A place where the test code checks the awaits of the mock at `<fixture>.<path>`."""
        line = self.own_uses.mock_checks.get((scope.name, path))
        if line is not None:
            return self.filename, line
        if not scope.in_conftest:
            return None
        for file in _requesting_files(scope):
            text = _text_of(file)
            if file == self.filename or (b"assert_awaited" not in text and b"await_" not in text):
                continue  # no check of awaits in the file: not parsed
            uses = _uses_of_file(file, scope.python_functions)
            if uses is not None and (scope.name, path) in uses.mock_checks:
                return file, uses.mock_checks[(scope.name, path)]
        return None


def _text_hits(scope: FixtureScope, path: tuple[str, ...]) -> list[tuple[str, int, bool]]:
    """(file, uses that read as awaited, whether others appear) for each file below the
    fixture's conftest that can request it and names the call, read as text."""

    def compute() -> list[tuple[str, int, bool]]:
        hits: list[tuple[str, int, bool]] = []
        for file in _requesting_files(scope):
            awaited, total = _calls_as_text(file, scope.name).get(path, (0, 0))
            if total:
                hits.append((file, awaited, awaited < total))
        return hits

    return PROJECT.per_key("habit text hits", (scope, path), compute)


def _calls_as_text(file: str, name: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """Every call `name.a.b(...)` in a file's text, by attribute path: how many read as maybe
    awaited (see _awaited_as_text), and how many there are. One search per file and name."""

    def compute() -> dict[tuple[str, ...], tuple[int, int]]:
        pattern = PROJECT.per_key(
            "habit call pattern",
            name,
            lambda: re.compile(re.escape(name.encode()) + rb"((?:\s*\.\s*[A-Za-z_]\w*)+)\s*\("),
        )
        text = _text_of(file)
        found: dict[tuple[str, ...], tuple[int, int]] = {}
        for match in pattern.finditer(text):  # the name first: a literal, which the search skips to
            start = match.start()
            if start and text[start - 1] in _NAME_CHARACTERS:
                continue  # `x.name.a(`, `other_name.a(`
            path = tuple(part.strip().decode() for part in match.group(1).split(b".")[1:])
            awaited, total = found.get(path, (0, 0))
            found[path] = (awaited + _awaited_as_text(text, start), total + 1)
        return found

    return PROJECT.per_key("habit calls as text", (file, name), compute)


_NAME_CHARACTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")


_SURELY_NOT_AWAITED = re.compile(
    rb"(?:(?:^|[^=!<>])=|==|!=|[<>]|\b(?:assert|if|elif|while|return|yield|not|and|or|in|is|else))\s*$"
)
"""What may stand before a call on its line where nothing awaits or consumes it: an assignment,
a comparison, a test, `return` / `yield`."""


_BLANKS = frozenset(b" \t\r\n")
_CONTINUING = frozenset(b"(,[{\\")


def _awaited_as_text(text: bytes, start: int) -> bool:
    """May the call at `start` be awaited or handed to a consumer? An upper bound, read as text:
    only a call that starts a statement, or follows `=`, a comparison or a keyword that tests
    or returns it, surely is not."""
    line_start = text.rfind(b"\n", 0, start) + 1
    before = text[line_start:start]
    if before.strip():
        return _SURELY_NOT_AWAITED.search(before) is None
    index = line_start - 1
    while index >= 0 and text[index] in _BLANKS:
        index -= 1
    return index >= 0 and text[index] in _CONTINUING  # an argument or item on a line of its own


def _requesting_files(scope: FixtureScope) -> list[str]:
    """The test modules and conftests below the fixture's conftest that name it as `name.`,
    less those where a nearer definition of the name takes over."""
    return PROJECT.per_key("habit files", scope, lambda: _find_requesting_files(scope))


def _find_requesting_files(scope: FixtureScope) -> list[str]:
    name = scope.name.encode()
    mention = re.compile(re.escape(name) + rb"\s*\.")
    definition = re.compile(rb"\bdef\s+" + re.escape(name) + rb"\s*\(|name\s*=\s*['\"]" + re.escape(name))
    own = os.path.abspath(scope.path)
    found: list[str] = []
    overridden: list[str] = []
    for file in _test_files_below(scope.folder, scope.python_files):
        text = _text_of(file)
        if name not in text:
            continue  # most files: one substring search
        if file != own and definition.search(text):
            uses = _uses_of_file(file, scope.python_functions)
            if uses is None or scope.name in uses.fixtures:
                if os.path.basename(file) == "conftest.py":
                    overridden.append(os.path.dirname(file) + os.sep)
                continue
        starts = (match.start() for match in mention.finditer(text))
        if any(not start or text[start - 1] not in _NAME_CHARACTERS for start in starts):
            found.append(file)
    return [file for file in found if not any(file.startswith(folder) for folder in overridden)]


def _test_files_below(folder: str, python_files: tuple[str, ...]) -> list[str]:
    return PROJECT.per_key(
        "test files below", (folder, python_files), lambda: list(_walk_test_files(folder, python_files))
    )


def _walk_test_files(folder: str, python_files: tuple[str, ...]) -> Iterator[str]:
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d not in _SKIPPED_FOLDERS)
        for name in sorted(files):
            if name == "conftest.py" or (name.endswith(".py") and matches_python_files(Path(name), python_files)):
                yield os.path.join(directory, name)


def _text_of(file: str) -> bytes:
    def read() -> bytes:
        try:
            with open(file, "rb") as handle:
                return handle.read()
        except OSError:
            return b""

    return PROJECT.per_key("file text", file, read)


def _uses_of_file(file: str, python_functions: tuple[str, ...]) -> ModuleUses | None:
    facts = PROJECT.facts_of_file(file)
    if facts is None:
        return None
    return PROJECT.per_key("module uses", (file, python_functions), lambda: module_uses(facts, python_functions))


# -- reading one module -----------------------------------------------------------------------


def module_uses(facts: ModuleFacts, python_functions: tuple[str, ...]) -> ModuleUses:
    """The uses in the module's tests and fixtures (its and its classes' defs, as pytest
    collects them) of what the fixtures they request hold: the parameters pytest fills, less
    those a `parametrize` mark fills."""
    uses = ModuleUses(frozenset(), {}, {})
    fixtures = set(facts.fixtures)
    definitions = [(definition, False) for definition in facts.functions.values()]
    for cls in facts.classes.values():
        fixtures.update(cls.fixtures)
        definitions += [(definition, True) for definition in cls.methods.values()]
    for definition, is_method in definitions:
        if not definition.is_fixture and not matches_prefix_or_glob(definition.node.name, python_functions):
            continue
        parameters = set(definition.requested_fixtures(is_method))
        parametrized = (mark for mark in definition.marks if mark.name == "parametrize")
        parameters -= {name for mark in parametrized for name in mark.requested_fixtures}
        if parameters:
            found = _Uses(parameters)
            found.visit_body(definition.node.body)
            for (name, path), sites in found.calls.items():
                if name not in found.rebound:  # a parameter bound anew holds something else
                    uses.calls.setdefault((name, path), []).extend(sites)
            for key, line in found.mock_checks.items():
                if key[0] not in found.rebound:
                    uses.mock_checks.setdefault(key, line)
    uses.fixtures = frozenset(fixtures)
    return uses


class _Uses:
    """Records, for the parameters of one test or fixture, how each call on them is used."""

    def __init__(self, parameters: set[str]) -> None:
        self.parameters = parameters
        self.calls: dict[CallKey, list[tuple[str, int, int]]] = {}
        self.mock_checks: dict[CallKey, int] = {}
        self.rebound: set[str] = set()
        """Parameters the function binds anew (assigned, a loop or `with` target, deleted)."""

    def visit_body(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Expr):
            self.expression(node.value, CONTRADICTED)
        elif isinstance(node, ast.Assert):
            self.test(node.test)
            self.expression(node.msg, None)
        elif isinstance(node, (ast.If, ast.While)):
            self.test(node.test)
            self.visit_body(node.body)
            self.visit_body(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expression(item.context_expr, CONTRADICTED)
            self.visit_body(node.body)
        elif isinstance(node, ast.AsyncFor):
            self.expression(node.iter, CONTRADICTED)
            self.visit_body(node.body)
            self.visit_body(node.orelse)
        else:
            self.other(node)

    def other(self, node: ast.AST) -> None:
        """Any other statement, and handlers, match cases, comprehension clauses...: their
        statements and expressions, whose values say nothing of themselves."""
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self.statement(child)
            elif isinstance(child, ast.expr):
                self.expression(child, None)
            else:
                self.other(child)

    def test(self, node: ast.expr) -> None:
        """An `assert` / `if` / `while` test: a coroutine there is always true."""
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.test(value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.test(node.operand)
        else:
            self.expression(node, CONTRADICTED)

    def expression(self, node: ast.expr | None, how: str | None) -> None:
        """`how`: what using this expression's value here says about a call (None: nothing)."""
        if node is None:
            return
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load) and node.id in self.parameters:
                self.rebound.add(node.id)
            return
        if isinstance(node, ast.Await):
            self.expression(node.value, AWAITED)
            return
        if isinstance(node, ast.Call):
            self.call(node, how)
            return
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            if isinstance(node, ast.Attribute) and node.attr in MOCK_AWAIT_RECORDS:
                self.mock_check(node.value, node)
            self.expression(node.value, CONTRADICTED)  # `client.get(url).json()`: read off the call
            if isinstance(node, ast.Subscript):
                self.expression(node.slice, None)
            return
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                self.expression(operand, CONTRADICTED)
            return
        if isinstance(node, ast.IfExp):
            self.test(node.test)
            self.expression(node.body, None)
            self.expression(node.orelse, None)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expression(child, None)
            elif isinstance(child, ast.stmt):
                self.statement(child)
            else:
                self.other(child)

    def call(self, node: ast.Call, how: str | None) -> None:
        func = node.func
        name, path = path_of(func) if isinstance(func, ast.Attribute) else (None, ())
        if name in self.parameters and RETURN not in path:
            if path[-1].startswith("assert_awaited"):
                self.mock_check(func.value, node)  # type: ignore[attr-defined]
            elif how is not None:
                self.calls.setdefault((name, path), []).append((how, node.lineno, node.col_offset))
        else:
            self.expression(func, None)
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        handed = AWAITED if last in CONSUMERS else None
        for argument in node.args:
            self.expression(argument, handed if not isinstance(argument, ast.Starred) else None)
        for keyword in node.keywords:
            self.expression(keyword.value, None)

    def mock_check(self, owner: ast.expr, node: ast.AST) -> None:
        """`mock.assert_awaited_once()`, `mock.method.await_count`: `owner` is an AsyncMock."""
        name, path = path_of(owner)
        key: CallKey | None = (name, path) if name in self.parameters and RETURN not in path else None
        if key is not None:
            self.mock_checks.setdefault(key, getattr(node, "lineno", 0))
