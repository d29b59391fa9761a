"""How one file's findings are fixed together: each finding's fixer run in turn, edits that
touch the same text kept for the next round, the edits applied at once, the file kept only if
the result compiles, and the imports a fix left unused dropped.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from typing import Iterator

from .fixers import FIXES, SAFE, UNSAFE
from .names import bound_name
from .settings import Settings
from .source_file import Edit, Report, Skip, SourceFile, last_line, remove_list_item


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
        first, last = file.line_starts[statement.lineno - 1], file.line_end(last_line(statement))
        if "#" in text[first:last] or not file.starts_its_line(statement):
            continue
        unused = [alias for alias in statement.names if _unused(bound_name(alias), names, rest)]
        if len(unused) == len(statement.names):
            if not text[file.end(statement) : last].strip():
                edits.append(Edit(first, file.next_line_start(last_line(statement)), ""))
        else:
            for alias in unused:
                removal = remove_list_item(file, alias)
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
