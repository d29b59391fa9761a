"""The file a fix edits: where a node is in the text, what is at a reported position, how
the module spells a name (an import added where it has none), and removing one item of a list.

A finding comes as flake8 reported it (`Report`); a fixer answers with `Edit`s, spans of the
original text and their replacement, or a `Skip` with the reason a fix is not safe here.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
from functools import cached_property
from typing import Callable, Union

from .context import FileContext
from .names import NamesBoundIn, bound_name, bound_names, qualified_name, root_name
from .module_facts import Decorated, module_facts
from .settings import Settings

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


Positioned = Union[ast.expr, ast.stmt, ast.arg, ast.keyword, ast.alias]
"""Nodes with a position in the text."""


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
        return self.offset(last_line(node), node.end_col_offset or 0)

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

    def local_names(self, node: ast.AST) -> NamesBoundIn:
        """The names bound in the functions and lambdas around a node (parameters, assignments,
        imports...), read from the tree."""
        scopes: list[ast.AST] = []
        scope = self.scope_of(node)
        while not isinstance(scope, ast.Module):
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                scopes.append(scope)
            scope = self.scope_of(scope)
        return NamesBoundIn(scopes)

    def is_local_at(self, node: ast.AST) -> Callable[[str | None], bool]:
        """Whether a name is bound in a function around the node."""
        return self.local_names(node).is_local

    def qualified_name_at(self, node: ast.AST) -> Callable[[ast.AST], str | None]:
        """Dotted names as the code at the node sees them (for mock_api_of): the checker's
        resolver (names.qualified_name), over the names the functions around bind."""
        local = self.local_names(node)
        return lambda expr: qualified_name(expr, self.imports, local)

    @cached_property
    def _module_bound_names(self) -> set[str]:
        return bound_names(self.tree)

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
        hidden = self.local_names(near).bound
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
        taken = name in self._module_bound_names or name in self._type_checking_names
        if taken or self.local_names(near).is_local(name):
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
                trailing = re.match(r"\s*,", self.text[self.end(last) : self.line_end(last_line(last))])
                if one_a_line and trailing and self.starts_its_line(last):
                    end = self.line_end(last_line(last))
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
        if body and is_docstring(body[0]):
            return self._line_after(body[0], line)
        first_line = min([body[0].lineno, *(d.lineno for d in getattr(body[0], "decorator_list", []))]) if body else 0
        start = self.line_starts[first_line - 1] if body else len(self.text)
        return Edit(start, start, line + self.newline, first=True)

    def _line_after(self, statement: ast.stmt, line: str) -> Edit:
        end = self.line_end(last_line(statement))
        return Edit(end, end, self.newline + line)


def last_line(node: Positioned) -> int:
    return node.end_lineno or node.lineno


def _imported_module(statement: ast.Import | ast.ImportFrom) -> str:
    if isinstance(statement, ast.Import):
        return statement.names[0].name
    return "." * statement.level + (statement.module or "")


def is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def remove_list_item(file: SourceFile, parameter: ast.arg | ast.alias) -> list[Edit] | Skip:
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
