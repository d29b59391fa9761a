"""The fix command's edits: for each finding flake8 reported, a minimal text edit at its node.

A fixer gets one finding (line, column and message as flake8 reported them) and the file's
tree, and answers with edits (spans of the original text and their replacement), `None` where
the code has no fix in this form, or a `Skip` with the reason a fix is not safe here. The
edits of a file are applied together; the file is written only if the result compiles. Text
outside the edited spans (comments, layout, quotes) is never touched.

Safe fixes keep what the test means (it now runs, or runs without a deprecation); unsafe fixes
change what it does (it now awaits, asserts awaits, or gets an AsyncMock) and are applied only
with `--unsafe-fixes`.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
from functools import cached_property
from typing import Callable, Iterator, Sequence, TypeVar, Union

from .collection import CollectedAs
from .context import FileContext
from .libraries import GET_EVENT_LOOP
from .mock_api import PATCH_APIS, SYNC_MOCK_CLASSES, mock_api_of, patch_replacement
from .names import bound_name, keyword, root_name
from .pytest_model import UNITTEST_TESTCASE, Decorated, as_mark, module_facts
from .rules.event_loop import ATS405, IN_A_COROUTINE
from .rules.mock_misuse import AWAITED_EQUIVALENTS, CALL_RECORDS
from .settings import Settings

SAFE = "safe"
UNSAFE = "unsafe"
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclasses.dataclass(frozen=True, order=True)
class Report:
    """A finding as flake8 reported it: `col` 0-based, as in the tree (flake8 shows col + 1)."""

    line: int
    col: int
    code: str
    text: str
    """The message without its code."""


@dataclasses.dataclass(frozen=True, order=True)
class Edit:
    start: int
    end: int
    text: str
    first: bool = dataclasses.field(default=False, compare=False)
    """Goes before other insertions at the same place (a new import line before a decorator)."""


@dataclasses.dataclass(frozen=True)
class Skip:
    """A fix exists for the code, but not safely here: the finding stays, with this reason."""

    reason: str


FixResult = Union[list[Edit], Skip, None]
Positioned = Union[ast.expr, ast.stmt, ast.arg, ast.keyword, ast.alias]
"""Nodes with a position in the text."""
Fixer = Callable[["SourceFile", Report], FixResult]
T = TypeVar("T")


@dataclasses.dataclass
class FileFix:
    """What fixing one file gives."""

    source: str
    """The new text; the old one when nothing changed or the file is left untouched."""
    fixed: list[Report] = dataclasses.field(default_factory=list)
    skipped: list[tuple[Report, str]] = dataclasses.field(default_factory=list)
    """Findings a fix exists for, left with the reason (all of them when `error` is set)."""
    unsafe_only: list[Report] = dataclasses.field(default_factory=list)
    """Findings with an unsafe fix, not applied without --unsafe-fixes."""
    no_fix: list[Report] = dataclasses.field(default_factory=list)
    error: str | None = None
    """Why the whole file is left untouched."""


class SourceFile:
    """One file's text and tree, with the look-ups fixers share: node spans as text offsets,
    parents, the module's pytest facts, and the spelling of a name (an import added if needed)."""

    def __init__(self, text: str, tree: ast.Module, path: str, settings: Settings) -> None:
        self.text = text
        self.tree = tree
        self.path = path
        self.settings = settings
        self.module = module_facts(tree, path)
        self.imports = self.module.imports
        self.line_starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
        first_newline = _NEWLINE.search(text)
        self.newline = first_newline.group() if first_newline else "\n"
        self.parents: dict[ast.AST, ast.AST] = {}
        self._at: dict[tuple[int, int], list[Positioned]] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
            if isinstance(node, (ast.expr, ast.stmt, ast.arg, ast.keyword)):
                self._at.setdefault((node.lineno, node.col_offset), []).append(node)
        self._imports: dict[tuple[str, str], tuple[str, list[Edit]]] = {}
        """Imports added for fixes so far: (module, name) -> (spelling, edits)."""
        self._new_imports: list[tuple[str, str]] = []
        """Those added for the finding being fixed (dropped if its fix is not taken)."""
        self.freed: set[str] = set()
        """Module-level names whose use a taken fix removed: their import may now be unused."""
        self._freed_now: set[str] = set()

    # -- text positions ----------------------------------------------------------------------

    def line_text(self, number: int) -> str:
        """A line without its line break."""
        start = self.line_starts[number - 1]
        end = self.line_starts[number] if number < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, col: int) -> int:
        """A tree position (line 1-based, column in UTF-8 bytes) as an offset in the text."""
        prefix = self.line_text(line).encode("utf-8")[:col].decode("utf-8", errors="replace")
        return self.line_starts[line - 1] + len(prefix)

    def start(self, node: Positioned) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: Positioned) -> int:
        return self.offset(_last_line(node), node.end_col_offset or 0)

    def source_of(self, node: Positioned) -> str:
        return self.text[self.start(node) : self.end(node)]

    def line_end(self, number: int) -> int:
        """The offset of a line's break (the end of the text for the last line)."""
        return self.line_starts[number - 1] + len(self.line_text(number))

    def next_line_start(self, number: int) -> int:
        return self.line_starts[number] if number < len(self.line_starts) else len(self.text)

    def starts_its_line(self, node: Positioned) -> bool:
        return not self.indent_of(node).strip()

    def indent_of(self, node: Positioned) -> str:
        """The text before a node on its first line (its indentation, for a statement)."""
        return self.text[self.line_starts[node.lineno - 1] : self.start(node)]

    @cached_property
    def tokens(self) -> list[tokenize.TokenInfo]:
        return list(tokenize.generate_tokens(io.StringIO(self.text, newline="").readline))

    def token_offset(self, position: tuple[int, int]) -> int:
        """A token position (its column counts characters) as an offset."""
        return self.line_starts[position[0] - 1] + position[1]

    # -- nodes --------------------------------------------------------------------------------

    def nodes_at(self, report: Report, kind: type | tuple[type, ...]) -> list[Positioned]:
        return [node for node in self._at.get((report.line, report.col), []) if isinstance(node, kind)]

    def definition_at(self, report: Report) -> Decorated | None:
        for node in self.nodes_at(report, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node in self.module.functions:
                return self.module.functions[node]
        return None

    def scope_of(self, node: ast.AST) -> ast.AST:
        """The innermost function, lambda, class, generator expression or module around a node
        (list, set and dict comprehensions are not counted: `await` works in them)."""
        scope = self.parents.get(node)
        while scope is not None and not isinstance(
            scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.GeneratorExp, ast.Module)
        ):
            scope = self.parents.get(scope)
        return scope or self.tree

    def local_names(self, node: ast.AST) -> set[str]:
        """Names bound in the functions and lambdas around a node (parameters, assignments...)."""
        names: set[str] = set()
        scope = self.scope_of(node)
        while not isinstance(scope, ast.Module):
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                names |= _bound_names(scope)
            scope = self.scope_of(scope)
        return names

    def is_local_at(self, node: ast.AST) -> Callable[[str | None], bool]:
        """Whether a name is bound in a function around the node."""
        hidden = self.local_names(node)
        return lambda name: name in hidden

    def qualified_name_at(self, node: ast.AST) -> Callable[[ast.AST], str | None]:
        """The module's imports as the code at the node sees them: a local name hides one (for mock_api_of)."""
        is_local = self.is_local_at(node)
        return lambda expr: (
            None if isinstance(expr, ast.expr) and is_local(root_name(expr)) else self.imports.qualified_name(expr)
        )

    @cached_property
    def _module_bound_names(self) -> set[str]:
        return _bound_names(self.tree)

    @cached_property
    def _type_checking_names(self) -> set[str]:
        """Names imported under `if TYPE_CHECKING:`: not there at run time."""
        names: set[str] = set()
        for statement in self.tree.body:
            test = statement.test if isinstance(statement, ast.If) else None
            if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
            ):
                for node in ast.walk(statement):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        names.update(bound_name(alias) for alias in node.names)
        return names

    @cached_property
    def context(self) -> FileContext:
        return FileContext(self.tree, self.path, self.settings, self.module)

    # -- names and imports --------------------------------------------------------------------

    def spelling(self, dotted: str, near: ast.AST) -> str | None:
        """How this module spells a dotted name, from its imports: `pt.mark.asyncio` after
        `import pytest as pt`, `mark.asyncio` after `from pytest import mark` (the most specific
        import wins); None when nothing imports it or a local name hides the import."""
        hidden = self.local_names(near)
        candidates: list[tuple[int, str]] = []
        for name, value in self.imports.aliases.items():
            if name in hidden or name in self.module.assigned_calls or name in self._type_checking_names:
                continue  # `m = pytest.mark.asyncio(loop_scope=...)` is no spelling of the mark
            if dotted == value:
                candidates.append((len(value), name))
            elif dotted.startswith(value + "."):
                candidates.append((len(value), name + dotted[len(value) :]))
        for (module, name), (spelled, _) in self._imports.items():
            full = f"{module}.{name}" if name else module
            if spelled.partition(".")[0] not in hidden:
                if dotted == full:
                    candidates.append((len(full), spelled))
                elif dotted.startswith(full + "."):
                    candidates.append((len(full), spelled + dotted[len(full) :]))
        return max(candidates)[1] if candidates else None

    def require(self, module: str, attribute: str, near: ast.AST, style: str = "import") -> str | Skip:
        """The spelling of `module.attribute` at `near`, adding an import when the module has none:
        `import module` (style "import"), or `attribute` added to the module's `from module
        import ...` line or on a new one (style "from")."""
        dotted = f"{module}.{attribute}"
        spelled = self.spelling(dotted, near)
        if spelled is not None:
            return spelled
        name = module.partition(".")[0] if style == "import" else attribute
        if name in self._module_bound_names or name in self.local_names(near) or name in self._type_checking_names:
            return Skip(f"'{name}' means something else in this module: import {dotted} by hand")
        key = (module, "" if style == "import" else attribute)
        if style == "import":
            spelled, edits = f"{module}.{attribute}", [self._import_line(f"import {module}", module, ast.Import)]
        else:
            spelled, edits = attribute, [self._from_import(module, attribute)]
        self._imports[key] = (spelled if style == "from" else module, edits)
        self._new_imports.append(key)
        return spelled

    def begin(self) -> None:
        self._new_imports = []
        self._freed_now = set()

    def rollback(self) -> None:
        for key in self._new_imports:
            self._imports.pop(key, None)
        self._new_imports = []
        self._freed_now = set()

    def commit(self) -> None:
        self.freed |= self._freed_now

    def replaces_use_of(self, expr: ast.expr) -> None:
        """The fix replaces `expr` (a name, or a chain from one): its import may become unused."""
        root = root_name(expr)
        if root is not None:
            self._freed_now.add(root)

    def new_import_edits(self) -> list[Edit]:
        return [edit for key in self._new_imports for edit in self._imports[key][1]]

    def _top_imports(self) -> list[ast.Import | ast.ImportFrom]:
        return [statement for statement in self.tree.body if isinstance(statement, (ast.Import, ast.ImportFrom))]

    def _from_import(self, module: str, name: str) -> Edit:
        for statement in self._top_imports():
            if (
                isinstance(statement, ast.ImportFrom)
                and statement.level == 0
                and statement.module == module
                and all(alias.name != "*" for alias in statement.names)
            ):
                aliases = statement.names
                after = []
                for key in (str, str.lower):  # isort's order (classes before functions), or by letters only
                    names = [key(alias.name) for alias in aliases]
                    if names == sorted(names):
                        after = [alias for alias in aliases if key(alias.name) > key(name)]
                        break
                one_a_line = len({alias.lineno for alias in aliases}) == len(aliases) > 1 or (
                    aliases[0].lineno > statement.lineno
                )
                if after:
                    start = self.start(after[0])
                    if one_a_line and self.starts_its_line(after[0]):
                        line_start = self.line_starts[after[0].lineno - 1]
                        return Edit(line_start, line_start, f"{self.indent_of(after[0])}{name},{self.newline}")
                    return Edit(start, start, f"{name}, ")
                last = aliases[-1]
                trailing = re.match(r"\s*,", self.text[self.end(last) : self.line_end(_last_line(last))])
                if one_a_line and trailing and self.starts_its_line(last):
                    end = self.line_end(_last_line(last))
                    return Edit(end, end, f"{self.newline}{self.indent_of(last)}{name},")
                return Edit(self.end(last), self.end(last), f", {name}")
        return self._import_line(f"from {module} import {name}", module, ast.ImportFrom)

    def _import_line(self, line: str, module: str, kind: type) -> Edit:
        """A new import line, next to the imports of the same kind in name order (as isort
        would put it within a block), else after the module's imports, else at the top."""
        statements = self._top_imports()
        same_kind = [
            (statement, _imported_module(statement))
            for statement in statements
            if type(statement) is kind and _imported_module(statement) != "__future__"
        ]
        before = [statement for statement, name in same_kind if name < module]
        after = [statement for statement, name in same_kind if name > module]
        if before:
            return self._line_after(before[-1], line)
        if after:
            start = self.line_starts[after[0].lineno - 1]
            return Edit(start, start, line + self.newline)
        if statements:
            return self._line_after(statements[-1], line)
        body = self.tree.body
        if body and _is_docstring(body[0]):
            return self._line_after(body[0], line)
        first_line = min([body[0].lineno, *(d.lineno for d in getattr(body[0], "decorator_list", []))]) if body else 0
        start = self.line_starts[first_line - 1] if body else len(self.text)
        return Edit(start, start, line + self.newline, first=True)

    def _line_after(self, statement: ast.stmt, line: str) -> Edit:
        end = self.line_end(_last_line(statement))
        return Edit(end, end, self.newline + line)


def _last_line(node: Positioned) -> int:
    return node.end_lineno or node.lineno


def _imported_module(statement: ast.Import | ast.ImportFrom) -> str:
    if isinstance(statement, ast.Import):
        return statement.names[0].name
    return "." * statement.level + (statement.module or "")


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _bound_names(scope: ast.AST) -> set[str]:
    """Every name a scope and the scopes in it bind: parameters, assignment targets, imports,
    defs and classes (a generous set: a name found here is not used for an import)."""
    names: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not scope:
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and scope is not None and not isinstance(scope, ast.Module):
            names.update(bound_name(alias) for alias in node.names)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


def _rename_last(file: SourceFile, node: ast.expr, old: str, new: str) -> list[Edit] | Skip:
    """Replace the name an attribute chain or name ends with (`x.y.old` -> `x.y.new`)."""
    end = file.end(node)
    if file.text[end - len(old) : end] != old:
        return Skip(f"'{old}' is not spelled out here")
    return [Edit(end - len(old), end, new)]


def _single(found: Sequence[T], what: str) -> T | Skip:
    if len(found) == 1:
        return found[0]
    return Skip(f"{'no' if not found else 'more than one'} {what} at the reported position")


# -- safe fixes -------------------------------------------------------------------------------


def fix_ats408(file: SourceFile, report: Report) -> FixResult:
    """`pytest.mark.asyncio(scope=...)` -> `loop_scope=`."""
    found = _single(
        [
            node
            for node in file.nodes_at(report, ast.Call)
            if isinstance(node, ast.Call) and _asyncio_mark(node, file) and keyword(node, "scope") is not None
        ],
        "asyncio mark with scope=",
    )
    if isinstance(found, Skip):
        return found
    assert isinstance(found, ast.Call)
    if keyword(found, "loop_scope") is not None:
        return Skip("the mark has both scope= and loop_scope=: remove scope= by hand")
    argument = next(kw for kw in found.keywords if kw.arg == "scope")
    start = file.start(argument)
    if file.text[start : start + len("scope")] != "scope":
        return Skip("scope= is not spelled out here")
    return [Edit(start, start + len("scope"), "loop_scope")]


def _asyncio_mark(node: ast.expr, file: SourceFile) -> bool:
    mark = as_mark(node, file.imports)
    return mark is not None and mark.name == "asyncio"


def fix_ats405(file: SourceFile, report: Report) -> FixResult:
    """`asyncio.get_event_loop()` inside a coroutine -> `asyncio.get_running_loop()`."""
    if (ATS405.parse(report.text) or {}).get("why") != IN_A_COROUTINE:
        return None  # sync code: it has to become async first
    found = _single(
        [
            node
            for node in file.nodes_at(report, ast.Call)
            if isinstance(node, ast.Call) and file.imports.qualified_name(node.func) in GET_EVENT_LOOP
        ],
        "get_event_loop() call",
    )
    if isinstance(found, Skip):
        return found
    assert isinstance(found, ast.Call)
    if not isinstance(file.scope_of(found), ast.AsyncFunctionDef):
        return None  # a lambda or nested sync function: it may run outside the loop
    if found.args or found.keywords:
        return Skip("get_event_loop() has arguments here")
    if isinstance(found.func, ast.Attribute):
        return _rename_last(file, found.func, "get_event_loop", "get_running_loop")
    spelled = file.require("asyncio", "get_running_loop", found, style="from")
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(found.func)
    return [Edit(file.start(found.func), file.end(found.func), spelled)]


def fix_ats203(file: SourceFile, report: Report) -> FixResult:
    """Remove `@pytest.mark.asyncio` from a sync test (a comment on its line stays)."""
    marks = [
        mark
        for definition in file.module.functions.values()
        if not definition.is_async
        for mark in definition.marks
        if mark.name == "asyncio" and (mark.node.lineno, mark.node.col_offset) == (report.line, report.col)
    ]
    found = _single(marks, "asyncio mark on a sync def")
    if isinstance(found, Skip):
        return found
    node = found.node
    first, last = node.lineno, node.end_lineno or node.lineno
    before = file.line_text(first)[: file.start(node) - file.line_starts[first - 1]]
    after = file.text[file.end(node) : file.line_end(last)]
    if not re.fullmatch(r"\s*@\s*", before) or not re.fullmatch(r"\s*(#.*)?", after):
        return Skip("the mark does not stand on lines of its own")
    comment = after.strip()
    start, end = file.line_starts[first - 1], file.next_line_start(last)
    file.replaces_use_of(node)
    if comment:
        indent = before[: len(before) - len(before.lstrip())]
        return [Edit(start, file.line_end(last), indent + comment)]
    return [Edit(start, end, "")]


def fix_ats202(file: SourceFile, report: Report) -> FixResult:
    """`@pytest.fixture` on an async fixture -> `@pytest_asyncio.fixture`, arguments kept."""
    definition = file.definition_at(report)
    if definition is None or not definition.is_plain_async_fixture or definition.fixture_decorator is None:
        return Skip("no async fixture under @pytest.fixture at the reported position")
    decorator = definition.fixture_decorator
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    spelled = file.require("pytest_asyncio", "fixture", definition.node)
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(target)
    return [Edit(file.start(target), file.end(target), spelled)]


def fix_ats201(file: SourceFile, report: Report) -> FixResult:
    """Add the asyncio mark (in the module's spelling of pytest): to the module's `pytestmark`
    where it has one and no sync test (pytest-asyncio warns about a sync test the module's mark
    reaches), else as a decorator above the test."""
    definition = file.definition_at(report)
    if definition is None or not definition.is_async:
        return Skip("no async test at the reported position")
    if file.context.anyio_or_trio_may_run_fixtures:
        return Skip(
            "anyio or trio is at work here (or pytest-asyncio is switched off): add the mark of the framework "
            "that should run the test by hand"
        )
    node = definition.node
    spelled = file.require("pytest", "mark.asyncio", node)
    if isinstance(spelled, Skip):
        return spelled
    pytestmark = _module_pytestmark(file)
    if pytestmark is not None and not _has_sync_tests(file):
        value = pytestmark.value
        if isinstance(value, ast.List) and value.elts:
            return [Edit(file.end(value.elts[-1]), file.end(value.elts[-1]), f", {spelled}")]
        if isinstance(value, ast.List):
            return [Edit(file.start(value) + 1, file.start(value) + 1, spelled)]
        start, end = file.start(value), file.end(value)
        return [Edit(start, start, "["), Edit(end, end, f", {spelled}]")]
    if not file.starts_its_line(node):
        return Skip("the def does not start its line")
    start = file.line_starts[node.lineno - 1]
    return [Edit(start, start, f"{file.indent_of(node)}@{spelled}{file.newline}")]


def _module_pytestmark(file: SourceFile) -> ast.Assign | None:
    """The module's `pytestmark = <mark>` or `= [<marks>]`, if it is a statement of the module
    itself (not under an `if`) and its last assignment."""
    assignments = [
        statement
        for statement in file.tree.body
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        and any(isinstance(target, ast.Name) and target.id == "pytestmark" for target in _targets(statement))
    ]
    if not assignments or not isinstance(assignments[-1], ast.Assign) or len(assignments[-1].targets) != 1:
        return None
    last = assignments[-1]
    marks = file.module.pytestmark
    if not marks.understood or isinstance(last.value, ast.Tuple):
        return None
    return last


def _targets(statement: ast.Assign | ast.AnnAssign | ast.AugAssign) -> list[ast.expr]:
    return list(statement.targets) if isinstance(statement, ast.Assign) else [statement.target]


def _has_sync_tests(file: SourceFile) -> bool:
    context = file.context
    return any(
        not definition.is_async and context.collection.test_kind(definition.node, classes) is CollectedAs.PYTEST
        for definition, classes in context.collection.collected_tests()
    )


def fix_ats205(file: SourceFile, report: Report) -> FixResult:
    """Base class `unittest.TestCase` -> `unittest.IsolatedAsyncioTestCase`."""
    definition = file.definition_at(report)
    owner = file.parents.get(definition.node) if definition is not None else None
    facts = file.module.classes.get(owner) if isinstance(owner, ast.ClassDef) else None
    if facts is None:
        return Skip("no test method of a class at the reported position")
    if UNITTEST_TESTCASE not in facts.base_names:
        return Skip(f"'{facts.node.name}' is a TestCase through another class: change that class's base by hand")
    base = facts.node.bases[facts.base_names.index(UNITTEST_TESTCASE)]
    if isinstance(base, ast.Attribute):
        return _rename_last(file, base, "TestCase", "IsolatedAsyncioTestCase")
    spelled = file.require("unittest", "IsolatedAsyncioTestCase", base, style="from")
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(base)
    return [Edit(file.start(base), file.end(base), spelled)]


# -- unsafe fixes -----------------------------------------------------------------------------

_PRIMARY_PARENTS = (ast.Attribute, ast.Subscript, ast.Call)


def fix_ats101(file: SourceFile, report: Report) -> FixResult:
    """`await` before the call (in parentheses where the call is part of a longer primary)."""
    calls = [call for call in file.nodes_at(report, ast.Call) if isinstance(call, ast.Call)]
    outermost = [call for call in calls if not _is_primary_part(call, file.parents.get(call))]
    found = _single(outermost or calls, "call")
    if isinstance(found, Skip):
        return found
    if not isinstance(file.scope_of(found), ast.AsyncFunctionDef):
        return Skip("the call is in a lambda, generator expression or nested def, where 'await' cannot go")
    start, end = file.start(found), file.end(found)
    if _is_primary_part(found, file.parents.get(found)):
        return [Edit(start, start, "(await "), Edit(end, end, ")")]
    return [Edit(start, start, "await ")]


def _is_primary_part(node: ast.AST, parent: ast.AST | None) -> bool:
    """`f().x`, `f()[0]`, `f()()`: `await f().x` would await `f().x`."""
    if isinstance(parent, (ast.Attribute, ast.Subscript)):
        return parent.value is node
    return isinstance(parent, ast.Call) and parent.func is node


def fix_ats503(file: SourceFile, report: Report) -> FixResult:
    """`m.assert_called_once_with(...)` -> `m.assert_awaited_once_with(...)`, `m.called` ->
    `m.await_count`, `m.call_args` -> `m.await_args`, and the like."""
    found = _single(
        [
            node.func if isinstance(node, ast.Call) else node
            for node in file.nodes_at(report, (ast.Call, ast.Attribute))
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in AWAITED_EQUIVALENTS
            )
            or (isinstance(node, ast.Attribute) and node.attr in CALL_RECORDS)
        ],
        "call assertion or call record",
    )
    if isinstance(found, Skip):
        return found
    assert isinstance(found, ast.Attribute)
    return _rename_last(file, found, found.attr, {**AWAITED_EQUIVALENTS, **CALL_RECORDS}[found.attr])


def fix_ats502(file: SourceFile, report: Report) -> FixResult:
    """The sync mock that replaces an async target -> `AsyncMock` (from the same module)."""
    candidates = [
        node
        for node in file.nodes_at(report, (ast.Assign, ast.AnnAssign, ast.Call))
        if not isinstance(node, ast.Call)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "setattr")
        or mock_api_of(node.func, file.qualified_name_at(node)) in PATCH_APIS
    ]
    found = _single(candidates, "patch or assignment")  # `patch(...).start()`: the patch call
    if isinstance(found, Skip):
        return found
    is_local = file.is_local_at(found)

    mock: ast.expr | None = None
    if isinstance(found, (ast.Assign, ast.AnnAssign)):
        mock = found.value
    elif isinstance(found, ast.Call) and isinstance(found.func, ast.Attribute) and found.func.attr == "setattr":
        mock = found.args[-1] if len(found.args) in (2, 3) else None
    elif isinstance(found, ast.Call):
        api = mock_api_of(found.func, file.qualified_name_at(found))
        if api not in PATCH_APIS:
            return Skip("no patch call at the reported position")
        mock = patch_replacement(found, is_object=api == "patch.object")
        if mock is None:
            new_callable = keyword(found, "new_callable")
            if new_callable is None:
                return Skip("no new= or new_callable= in the patch call")
            return _async_mock_class(file, new_callable, is_local)
    if isinstance(mock, ast.Call):
        return _async_mock_class(file, mock.func, is_local)
    shown = file.source_of(mock) if mock is not None else "?"
    return Skip(f"the sync mock '{shown}' is made elsewhere: make it an AsyncMock where it is created")


def _async_mock_class(file: SourceFile, reference: ast.expr, is_local: Callable[[str | None], bool]) -> FixResult:
    """`Mock` -> `AsyncMock`, `mock.MagicMock` -> `mock.AsyncMock`, `mocker.Mock` -> `mocker.AsyncMock`."""
    api = mock_api_of(reference, file.qualified_name_at(reference))
    if api not in SYNC_MOCK_CLASSES:
        return Skip(f"'{file.source_of(reference)}' is not a Mock class the fix knows")
    if isinstance(reference, ast.Attribute):
        return _rename_last(file, reference, reference.attr, "AsyncMock")
    qualified = file.imports.qualified_name(reference) or ""
    module = qualified.rpartition(".")[0]
    spelled = file.require(module, "AsyncMock", reference, style="from")
    if isinstance(spelled, Skip):
        return spelled
    file.replaces_use_of(reference)
    return [Edit(file.start(reference), file.end(reference), spelled)]


def fix_ats402(file: SourceFile, report: Report) -> FixResult:
    """Drop the `event_loop` parameter of an async test or fixture; where the body uses the
    name, bind it first: `event_loop = asyncio.get_running_loop()`."""
    found = _single(
        [node for node in file.nodes_at(report, ast.arg) if isinstance(node, ast.arg) and node.arg == "event_loop"],
        "event_loop parameter",
    )
    if isinstance(found, Skip):
        return found
    function = file.parents.get(file.parents.get(found, found))
    if not isinstance(function, ast.AsyncFunctionDef):
        return None  # a sync requester has no running loop to ask for
    arguments = function.args
    if found not in arguments.args and found not in arguments.kwonlyargs:
        return Skip("event_loop is a positional-only parameter")
    if arguments.kwonlyargs == [found] and arguments.vararg is None:
        return Skip("event_loop is the only keyword-only parameter: remove it and the '*' by hand")
    positional = [*arguments.posonlyargs, *arguments.args]
    defaulted = positional[len(positional) - len(arguments.defaults) :]
    kw_defaulted = [arg for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is not None]
    if found in defaulted or found in kw_defaulted:
        return Skip("event_loop has a default value: remove it by hand")
    if any(isinstance(node, (ast.Global, ast.Nonlocal)) and "event_loop" in node.names for node in ast.walk(function)):
        return Skip("event_loop is declared global or nonlocal")
    body = function.body
    only_a_docstring = len(body) == 1 and _is_docstring(body[0])
    first = body[1] if _is_docstring(body[0]) and not only_a_docstring else body[0]
    if first.lineno == function.lineno or not file.starts_its_line(first):
        return Skip("the body does not start on a line of its own")
    edits = _remove_list_item(file, found)
    if isinstance(edits, Skip):
        return edits
    used = any(
        isinstance(node, ast.Name) and node.id == "event_loop" for statement in body for node in ast.walk(statement)
    )
    if used:
        spelled = file.require("asyncio", "get_running_loop", first)
        if isinstance(spelled, Skip):
            return spelled
        statement = f"event_loop = {spelled}()"
        if only_a_docstring:
            end = file.line_end(_last_line(first))
            edits.append(Edit(end, end, f"{file.newline}{file.indent_of(first)}{statement}"))
        else:
            start = file.line_starts[first.lineno - 1]
            edits.append(Edit(start, start, f"{file.indent_of(first)}{statement}{file.newline}"))
    return edits


def _remove_list_item(file: SourceFile, parameter: ast.arg | ast.alias) -> list[Edit] | Skip:
    """Remove a parameter or an imported name and one comma next to it (the one after it,
    else the one before); a line left empty goes too. Comments around it stay."""
    start, end = file.start(parameter), file.end(parameter)
    try:
        tokens = file.tokens
    except (tokenize.TokenError, SyntaxError):
        return Skip("the file cannot be tokenized")
    spans = [
        (file.token_offset(token.start), file.token_offset(token.end), token.string)
        for token in tokens
        if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE)
    ]
    following = next((span for span in spans if span[0] >= end), None)
    preceding = next((span for span in reversed(spans) if span[1] <= start), None)
    if following is not None and following[2] == ",":
        if _only_spaces(file.text[end : following[0]]):
            return [_delete(file, start, following[1], eat_spaces=True)]
        return [_delete(file, start, end), _delete(file, following[0], following[1])]
    if preceding is not None and preceding[2] == ",":
        if _only_spaces(file.text[preceding[1] : start]):
            return [_delete(file, preceding[0], end)]
        return [_delete(file, preceding[0], preceding[1]), _delete(file, start, end)]
    return [_delete(file, start, end)]


def _only_spaces(text: str) -> bool:
    return not text.strip(" \t")


def _delete(file: SourceFile, start: int, end: int, eat_spaces: bool = False) -> Edit:
    """Delete a span (and, with `eat_spaces`, the spaces after it up to the next text on the
    line); the whole line when nothing else is left on it."""
    text = file.text
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    match = _NEWLINE.search(text, end)
    line_end = match.start() if match else len(text)
    if not text[line_start:start].strip() and not text[end:line_end].strip():
        return Edit(line_start, match.end() if match else line_end, "")
    rest = text[end:line_end]
    spaces = len(rest) - len(rest.lstrip(" \t")) if eat_spaces else 0
    if rest[spaces : spaces + 1] in (")", ""):
        spaces = 0  # `(a, b)`: keep what separates the last one from the parenthesis
    return Edit(start, end + spaces, "")


FIXES: dict[str, tuple[str, Fixer]] = {
    "ATS201": (SAFE, fix_ats201),
    "ATS202": (SAFE, fix_ats202),
    "ATS203": (SAFE, fix_ats203),
    "ATS205": (SAFE, fix_ats205),
    "ATS405": (SAFE, fix_ats405),
    "ATS408": (SAFE, fix_ats408),
    "ATS101": (UNSAFE, fix_ats101),
    "ATS402": (UNSAFE, fix_ats402),
    "ATS502": (UNSAFE, fix_ats502),
    "ATS503": (UNSAFE, fix_ats503),
}
"""The codes that have a fix, and how safe it is."""


def fix_source(text: str, path: str, reports: list[Report], unsafe: bool, settings: Settings = Settings()) -> FileFix:
    """Fix what flake8 reported in one file's text."""
    result = FileFix(text)
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError) as error:
        return _untouched(result, reports, unsafe, f"it does not parse ({error})")
    file = SourceFile(text, tree, path, settings)
    accepted: list[Edit] = []
    for report in sorted(set(reports)):
        entry = FIXES.get(report.code)
        if entry is None:
            result.no_fix.append(report)
            continue
        safety, fixer = entry
        if safety == UNSAFE and not unsafe:
            result.unsafe_only.append(report)
            continue
        file.begin()
        try:
            outcome = fixer(file, report)
        except Exception as error:  # a form no fixer foresaw: leave the spot, never crash the run
            outcome = Skip(f"the fixer failed ({type(error).__name__}: {error}); please report this")
        if isinstance(outcome, list):
            edits = outcome + file.new_import_edits()
            if _overlaps(edits, accepted):
                outcome = Skip("another fix changes the same text: run the command again")
        if outcome is None:
            file.rollback()
            result.no_fix.append(report)
        elif isinstance(outcome, Skip):
            file.rollback()
            result.skipped.append((report, outcome.reason))
        else:
            accepted += [edit for edit in edits if edit not in accepted]
            file.commit()
            result.fixed.append(report)
    if not accepted:
        return result
    fixed = apply_edits(text, accepted)
    try:
        compile(fixed, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return _untouched(
            FileFix(text), reports, unsafe, f"the fixed code would not compile ({error}); please report this"
        )
    result.source = _without_unused_imports(fixed, path, file.freed)
    return result


def _without_unused_imports(text: str, path: str, names: set[str]) -> str:
    """Drop the module-level imports of `names` that nothing in the text mentions any more
    (not even a string or comment); a statement with a comment or `noqa` is kept as it is."""
    if not names:
        return text
    tree = ast.parse(text, filename=path)
    file = SourceFile(text, tree, path, Settings())
    outside_imports = list(text)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            outside_imports[file.start(node) : file.end(node)] = " " * (file.end(node) - file.start(node))
    rest = "".join(outside_imports)
    edits: list[Edit] = []
    for statement in tree.body:
        if not isinstance(statement, (ast.Import, ast.ImportFrom)) or statement.names[0].name == "*":
            continue
        first, last = file.line_starts[statement.lineno - 1], file.line_end(_last_line(statement))
        if "#" in text[first:last] or not file.starts_its_line(statement):
            continue
        unused = [alias for alias in statement.names if _unused(bound_name(alias), names, rest)]
        if len(unused) == len(statement.names):
            if not text[file.end(statement) : last].strip():
                edits.append(Edit(first, file.next_line_start(_last_line(statement)), ""))
        else:
            for alias in unused:
                removal = _remove_list_item(file, alias)
                if isinstance(removal, list):
                    edits += removal
    if not edits:
        return text
    cleaned = apply_edits(text, edits)
    try:
        compile(cleaned, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):  # pragma: no cover - the imports stay, pyflakes will say so
        return text
    return cleaned


def _unused(name: str, names: set[str], rest: str) -> bool:
    """A freed name that the text outside import statements never mentions."""
    return name in names and not re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", rest)


def _untouched(result: FileFix, reports: list[Report], unsafe: bool, why: str) -> FileFix:
    result.error = why
    for report in sorted(set(reports)):
        entry = FIXES.get(report.code)
        if entry is None:
            result.no_fix.append(report)
        elif entry[0] == UNSAFE and not unsafe:
            result.unsafe_only.append(report)
        else:
            result.skipped.append((report, f"file left untouched: {why}"))
    return result


def _overlaps(edits: list[Edit], accepted: list[Edit]) -> bool:
    """Two edits of different findings touch the same text: an insertion at the edge of a
    replaced span counts (`await ` before a name another fix renames). Two insertions at one
    place do not: both go in, in the order of the findings."""
    for edit in edits:
        for other in accepted:
            if edit == other or edit.start == edit.end == other.start == other.end:
                continue
            if edit.start == edit.end or other.start == other.end:
                point, span = (edit, other) if edit.start == edit.end else (other, edit)
                if span.start <= point.start <= span.end:
                    return True
            elif edit.start < other.end and other.start < edit.end:
                return True
    return False


def apply_edits(text: str, edits: list[Edit]) -> str:
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end, not edit.first)):
        parts.append(text[position : edit.start])
        parts.append(edit.text)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def fixable_codes(unsafe: bool) -> Iterator[str]:
    return (code for code, (safety, _) in FIXES.items() if unsafe or safety == SAFE)
