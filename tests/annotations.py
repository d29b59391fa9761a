r"""Read the expectations written into the example files, and compare them with the findings.

Syntax. A line that should give findings carries a comment like

    await client.get("/")  # error: ATS501:5 call=client.get kind=MagicMock

`error` holds in every asyncio mode the file runs in, `error(strict)` (or `error(auto)`) in that
mode only; the file's `# modes: strict auto` line names its modes (default: strict). A finding is
written as its code, a colon and its column as flake8 prints it (1-based: the node's col_offset
+ 1), then `name=value` for EVERY argument of the code's message template (the `{name}`
placeholders of its `Code.message`), in any order. A value holding a space, comma, semicolon,
`#`, backslash or quote (' or ") is written in double quotes: `how="its result is discarded"`
(inside the quotes, `\"` stands for `"` and `\\` for `\`). A value that ends in `...` stands for
every value starting with what comes before it, for long sentences:
`why="outside a coroutine relies on an implicit loop..."`; what comes before must have at least
12 characters. A template without placeholders takes the code and column alone (`ATS408:2`).
Several findings on one line are separated by ` ; ` (a semicolon between spaces):

    # error: ATS301:1 name=never_rolled_back kind=session ; ATS303:1 name=never_rolled_back kind=session scope=module

An unquoted `#` ends the expectation, and a remark may follow. One remark is read: on a line
whose expectation says what the plugin SHOULD report while the plugin is known to report
something else, `# known wrong: <what the plugin says instead>` makes that file's test an
expected failure (still strict about every other line; it fails once the plugin is right, so
that the remark goes). A message the plugin gets wrong is never copied into an expectation.

Comparison. Each reported message is read back through its code's template: the template
becomes an anchored regex, one named group per placeholder (a placeholder used twice must stand
for the same text twice; one the template puts in single quotes, like '{call}', holds no single
quote). A message that matches no template, that can be read two ways, or whose argument is
blank is a mismatch by itself; so is an expectation that leaves out an argument or names one the
template does not have. Then, line by line, every expectation must meet a finding of its code at
its column with its arguments, and every finding an expectation. The mismatches name the line
and what differs, and show the finding in the syntax above.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tokenize
from collections.abc import Iterable
from pathlib import Path

from flake8_async_testing.rules import ALL_CODES

CODES = {code.code: code for code in ALL_CODES}
MODES = re.compile(r"^#\s*modes:\s*(?P<modes>[\w ]+)$", re.MULTILINE)
HEADER = re.compile(r"#\s*error\b(?:\((?P<mode>[^)]*)\))?\s*:")
KNOWN_WRONG = re.compile(r"#\s*known wrong:\s*(?P<remark>\S.*)")
FINDING = re.compile(r"(?P<code>ATS\d{3}):(?P<column>[1-9]\d*)(?=[\s;#]|\Z)")
ARGUMENT = re.compile(
    r"""(?P<name>[A-Za-z_]\w*)=(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"',;#\\]+))(?=[\s;#]|\Z)"""
)
NEEDS_QUOTES = re.compile(r"[\s\"',;#\\]")
PREFIX = "..."
SHORTEST_PREFIX = 12


class ExpectationError(ValueError):
    """An expectation comment that does not follow the syntax above."""


class MessageError(ValueError):
    """A reported message that does not read back through its code's template."""


@dataclasses.dataclass(frozen=True)
class Expected:
    line: int
    code: str
    column: int
    """1-based, as flake8 prints it."""
    arguments: tuple[tuple[str, str], ...]
    """(name, value) as written; a value ending in "..." is a prefix."""

    def __str__(self) -> str:
        return render(self.code, self.column, self.arguments)


@dataclasses.dataclass(frozen=True)
class Reported:
    line: int
    code: str
    column: int
    """1-based, as flake8 prints it."""
    arguments: dict[str, str] | None
    """None when the message did not read back through the template."""
    message: str

    def __str__(self) -> str:
        if self.arguments is None:
            return f"{self.code}:{self.column} {self.message!r}"
        return render(self.code, self.column, self.arguments.items())


# -- reading the example files -------------------------------------------------------------


def modes_of(source: str) -> list[str]:
    found = MODES.search(source)
    return found.group("modes").split() if found else ["strict"]


def example_files() -> list[Path]:
    return sorted((Path(__file__).parent / "examples").glob("ATS*.py"))


def _comments(source: str) -> Iterable[tuple[int, str]]:
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def expectations(source: str, mode: str) -> list[Expected]:
    """Every finding the file's comments expect in `mode`; ExpectationError on a bad comment."""
    file_modes = modes_of(source)
    expected = []
    for line, comment in _comments(source):
        for clause_mode, findings in _parse_comment(comment, line):
            if clause_mode is not None and clause_mode not in file_modes:
                raise ExpectationError(f"line {line}: error({clause_mode}), but the file runs in {file_modes}")
            if clause_mode in (None, mode):
                expected += findings
    return sorted(expected, key=lambda e: (e.line, e.column, e.code))


def expected_findings(source: str, mode: str) -> list[tuple[int, str]]:
    """(line, code) of every expected finding: for the checks that look at codes only."""
    return sorted((e.line, e.code) for e in expectations(source, mode))


def known_wrong(source: str) -> dict[int, str]:
    """Lines with a `# known wrong: ...` remark, and the remark."""
    remarks = {}
    for line, comment in _comments(source):
        found = KNOWN_WRONG.search(comment)
        if found:
            remarks[line] = found.group("remark").strip()
    return remarks


def _parse_comment(comment: str, line: int) -> list[tuple[str | None, list[Expected]]]:
    clauses = []
    position = 0
    while header := HEADER.search(comment, position):
        findings, position = _parse_clause(comment, header.end(), line)
        clauses.append((header.group("mode"), findings))
    return clauses


def _parse_clause(text: str, position: int, line: int) -> tuple[list[Expected], int]:
    """The findings from `position` to the end of the comment or an unquoted `#`."""
    findings: list[tuple[str, int, list[tuple[str, str]]]] = []
    want_finding = True
    while True:
        position = len(text) - len(text[position:].lstrip())
        if position == len(text) or text[position] == "#":
            break
        rest = text[position:]
        if want_finding:
            found = FINDING.match(text, position)
            if not found:
                raise ExpectationError(f"line {line}: expected CODE:COLUMN (like ATS201:1), found {rest!r}")
            findings.append((found.group("code"), int(found.group("column")), []))
            want_finding = False
        elif rest.startswith(";"):
            want_finding = True
            position += 1
            continue
        else:
            found = ARGUMENT.match(text, position)
            if not found:
                raise ExpectationError(
                    f"line {line}: expected name=value, name=\"quoted value\" or ' ; ', found {rest!r}"
                )
            code, _, arguments = findings[-1]
            name = found.group("name")
            value = found.group("bare")
            if value is None:
                value = re.sub(r"\\(.)", r"\1", found.group("quoted"))
            if not value:
                raise ExpectationError(f"line {line}: {code}: {name} is empty")
            if value.endswith(PREFIX) and len(value) - len(PREFIX) < SHORTEST_PREFIX:
                raise ExpectationError(
                    f"line {line}: {code}: the prefix {name}={value!r} is shorter than {SHORTEST_PREFIX} characters"
                )
            if any(given == name for given, _ in arguments):
                raise ExpectationError(f"line {line}: {code}: {name} is given twice")
            arguments.append((name, value))
        position = found.end()
    if want_finding:
        raise ExpectationError(f"line {line}: a finding must follow {text[:position].rstrip()[-8:]!r}")
    return [Expected(line, code, column, tuple(arguments)) for code, column, arguments in findings], position


def render(code: str, column: int, arguments: Iterable[tuple[str, str]]) -> str:
    """A finding in the expectation syntax."""
    parts = [f"{code}:{column}"]
    for name, value in arguments:
        if not value or NEEDS_QUOTES.search(value):
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(f"{name}={value}")
    return " ".join(parts)


# -- reading messages back through their templates -----------------------------------------


def placeholders(code: str) -> tuple[str, ...]:
    """The argument names of a code's template, in order of first use."""
    return CODES[code].placeholders


PATTERNS = {code: (c.pattern(greedy=False), c.pattern(greedy=True)) for code, c in CODES.items()}


def read_message(message: str) -> tuple[str, dict[str, str]]:
    """The code and arguments of a reported message; MessageError when it does not read back."""
    code, _, text = message.partition(" ")
    if code not in PATTERNS:
        raise MessageError(f"{code}: no such code, in {message!r}")
    lazy, greedy = (pattern.fullmatch(text) for pattern in PATTERNS[code])
    if lazy is None or greedy is None:
        raise MessageError(f"{code}: the message matches no template of {code}: {message!r}")
    arguments = lazy.groupdict()
    if greedy.groupdict() != arguments:
        readings = f"{arguments} or {greedy.groupdict()}"
        raise MessageError(f"{code}: the message reads two ways through the template ({readings}): {message!r}")
    blank = [name for name, value in arguments.items() if not value.strip()]
    if blank:
        raise MessageError(f"{code}: argument {', '.join(blank)} is blank in {message!r}")
    return code, arguments


# -- comparing -----------------------------------------------------------------------------


def _value_matches(expected: str, actual: str) -> bool:
    if expected.endswith(PREFIX):
        return actual.startswith(expected[: -len(PREFIX)])
    return actual == expected


def _given(expected: Expected) -> list[tuple[str, str]]:
    """The arguments written that the template has (the others are reported on their own)."""
    names = placeholders(expected.code)
    return [(name, value) for name, value in expected.arguments if name in names]


def _agrees(expected: Expected, reported: Reported) -> bool:
    return (
        reported.arguments is not None
        and expected.code == reported.code
        and expected.column == reported.column
        and all(_value_matches(value, reported.arguments[name]) for name, value in _given(expected))
    )


def _differences(expected: Expected, reported: Reported) -> list[str]:
    differences = []
    if expected.column != reported.column:
        differences.append(f"column {reported.column}, expected column {expected.column}")
    if reported.arguments is not None:
        for name, value in _given(expected):
            if not _value_matches(value, reported.arguments[name]):
                how = "expected it to start with" if value.endswith(PREFIX) else "expected"
                differences.append(f"{name}={reported.arguments[name]!r}, {how} {value.removesuffix(PREFIX)!r}")
    return [f"{reported.code}: {difference} (reported: {reported}; expected: {expected})" for difference in differences]


def _problems_of_expectation(expectation: Expected) -> list[str]:
    if expectation.code not in CODES:
        return [f"expectation {expectation}: no such code"]
    names = placeholders(expectation.code)
    given = [name for name, _ in expectation.arguments]
    missing = [name for name in names if name not in given]
    unknown = [name for name in given if name not in names]
    problems = []
    if missing:
        problems.append(f"expectation {expectation} leaves out {', '.join(missing)} (the template has {_list(names)})")
    if unknown:
        problems.append(f"expectation {expectation}: the template has no {', '.join(unknown)} (only: {_list(names)})")
    return problems


def _list(names: Iterable[str]) -> str:
    return ", ".join(names) or "none"


def _compare_line(waiting: list[Expected], found: list[Reported]) -> list[str]:
    """Pair the line's findings with its expectations: exact agreements first, then each left
    finding with the expectation of its code nearest in column, reporting how they differ."""
    waiting = list(waiting)
    unmatched = []
    for finding in found:
        match = next((e for e in waiting if _agrees(e, finding)), None)
        if match is None:
            unmatched.append(finding)
        else:
            waiting.remove(match)
    problems = []
    for finding in unmatched:
        same_code = [e for e in waiting if e.code == finding.code]
        if not same_code:
            problems.append(f"unexpected {finding} (message: {finding.message!r})")
            continue
        closest = min(same_code, key=lambda e: abs(e.column - finding.column))
        waiting.remove(closest)
        problems += _differences(closest, finding)
    problems += [f"expected {e}, not reported" for e in waiting]
    return problems


def mismatches(expected: Iterable[Expected], found: Iterable[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """(line, what differs) for every way the findings (line, 0-based column, message) and the
    expectations disagree; empty when they agree."""
    problems: list[tuple[int, str]] = []
    usable = []
    for expectation in expected:
        problems += [(expectation.line, problem) for problem in _problems_of_expectation(expectation)]
        if expectation.code in CODES:
            usable.append(expectation)
    reported = []
    for line, column, message in found:
        try:
            code, arguments = read_message(message)
        except MessageError as error:
            problems.append((line, str(error)))
            code, arguments = message.partition(" ")[0], None
        reported.append(Reported(line, code, column + 1, arguments, message))
    for line in sorted({e.line for e in usable} | {r.line for r in reported}):
        on_line = [r for r in reported if r.line == line]
        problems += [(line, p) for p in _compare_line([e for e in usable if e.line == line], on_line)]
    return sorted(problems, key=lambda problem: problem[0])
