"""The `flake8-async-testing` command. `fix PATHS` edits what flake8 reports.

flake8 decides what is reported: it runs in this process with your configuration and
`--select ATS` (as the pre-commit hook does), so `# noqa`, `per-file-ignores`, `extend-ignore`,
excludes and the plugin's options act as in your lint step. Each reported finding with a fix
gets a minimal text edit (see fixers.py). As one fix can make another one possible (a Mock made
an AsyncMock can then get ATS503's fix), the files that changed are checked again, until
nothing changes.

Exit status: 0 when every finding with an applicable fix is fixed (or would be, with `--diff`,
when there is nothing to change); 1 when `--diff` shows changes, or when a finding or file was
left untouched with a message on stderr; 2 when flake8 could not run.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import io
import os
import sys
import tokenize
from typing import Any, Sequence, TextIO

from . import __version__
from .apply_fixes import FileFix, fix_source
from .project import PROJECT
from .settings import Settings
from .source_file import Report

MAX_ROUNDS = 5
PROG = "flake8-async-testing"


class Flake8Failed(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    flake8_arguments: list[str] = []
    if "--" in arguments:
        split = arguments.index("--")
        arguments, flake8_arguments = arguments[:split], arguments[split + 1 :]
    parser = argparse.ArgumentParser(prog=PROG, description="Fix what the flake8-async-testing plugin reports.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fix = commands.add_parser(
        "fix",
        help="fix the findings flake8 reports in PATHS",
        description="Fix the ATS findings flake8 reports in PATHS (files or folders; default: .), with your flake8 "
        "configuration and --select ATS. Arguments after '--' go to flake8 as they are (e.g. -- --config "
        "ci/flake8.cfg), paths included.",
        epilog="Exit status: 0 when every finding with an applicable fix is fixed; 1 when --diff shows changes, or "
        "a finding or file was left untouched (a message on stderr says why); 2 when flake8 could not run.",
    )
    fix.add_argument("paths", nargs="*", metavar="PATHS")
    fix.add_argument("--diff", action="store_true", help="show the changes as a unified diff; write nothing")
    fix.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply fixes that change what a test does (ATS101, ATS402, ATS502, ATS503)",
    )
    options = parser.parse_args(arguments)
    missing = [path for path in options.paths if not os.path.exists(path)]
    if missing:
        print(f"{PROG}: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        return run_fix(options.paths, diff=options.diff, unsafe=options.unsafe_fixes, flake8_arguments=flake8_arguments)
    except Flake8Failed as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2


def run_fix(
    paths: Sequence[str],
    diff: bool = False,
    unsafe: bool = False,
    flake8_arguments: Sequence[str] = (),
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    originals: dict[str, tuple[str, str]] = {}
    """Each file's text (and encoding) before the first fix."""
    changed_text: dict[str, str] = {}
    latest: dict[str, FileFix] = {}
    """Each file's outcome the last time flake8 checked it."""
    fixed = 0
    targets = list(paths)
    for _ in range(1 if diff else MAX_ROUNDS):
        reports, settings = flake8_reports(targets, flake8_arguments)
        changed: list[str] = []
        for path in targets if len(latest) else []:
            latest.pop(path, None)  # checked again: what is left is what this round says
        for path, found in sorted(reports.items()):
            text, encoding = read_source(path)
            originals.setdefault(path, (text, encoding))
            result = fix_source(text, path, found, unsafe, settings)
            latest[path] = result
            fixed += len(result.fixed)
            if result.source != text:
                changed_text[path] = result.source
                changed.append(path)
                if not diff:
                    write_source(path, result.source, encoding)
        if not changed:
            break
        targets = changed
    if diff:
        for path in sorted(changed_text):
            out.write(unified_diff(path, originals[path][0], changed_text[path]))
    return _summary(latest, fixed, len(changed_text), diff, err)


def _summary(latest: dict[str, FileFix], fixed: int, files: int, diff: bool, err: TextIO) -> int:
    left_untouched = False
    no_fix = unsafe_only = not_here = 0
    for path, result in sorted(latest.items()):
        no_fix += len(result.no_fix)
        unsafe_only += len(result.unsafe_only)
        not_here += len(result.skipped)
        if result.error:
            print(f"{path}: left untouched: {result.error}", file=err)
        else:
            for report, reason in result.skipped:
                print(f"{path}:{report.line}:{report.col + 1}: {report.code} not fixed: {reason}", file=err)
        left_untouched = left_untouched or bool(result.skipped)
    verb = "would fix" if diff else "fixed"
    line = f"{PROG}: {verb} {fixed} finding{'s' if fixed != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    left = [
        f"{count} {what}"
        for count, what in (
            (not_here, "could not be fixed here (see above)"),
            (unsafe_only, "have an unsafe fix (--unsafe-fixes)"),
            (no_fix, "have no automatic fix"),
        )
        if count
    ]
    if left:
        line += "; of the findings left, " + ", ".join(left)
    print(line, file=err)
    return 1 if left_untouched or (diff and files) else 0


# -- flake8 -------------------------------------------------------------------------------------


def flake8_reports(paths: Sequence[str], flake8_arguments: Sequence[str]) -> tuple[dict[str, list[Report]], Settings]:
    """The ATS findings flake8 reports for the paths, by file as flake8 names it, and the
    plugin's settings from the same options."""
    from .plugin import Plugin

    PROJECT.reset()  # files may have changed since the last round
    argv = ["--select=ATS", *flake8_arguments, *paths]
    app = _flake8("main.application").Application()
    app.initialize(argv)
    collector = _collector(app.options)
    app.formatter = collector
    app.make_guide()
    _run_only_this_plugin(app, Plugin)
    app.make_file_checker_manager(argv)
    app.run_checks()
    app.report_errors()
    if app.catastrophic_failure:
        raise Flake8Failed("flake8 failed (see above)")
    reports: dict[str, list[Report]] = {}
    for violation in collector.violations:
        if violation.code.startswith("ATS"):
            report = Report(violation.line_number, max(violation.column_number - 1, 0), violation.code, violation.text)
            reports.setdefault(violation.filename, []).append(report)
    return reports, Plugin.settings


def _flake8(module: str) -> Any:
    """A flake8 module, typed Any: flake8 ships no type information."""
    return importlib.import_module(f"flake8.{module}")


def _collector(options: Any) -> Any:
    """A flake8 formatter that keeps what the style guide lets through."""
    base_formatter: Any = _flake8("formatting.base").BaseFormatter

    class Collector(base_formatter):
        def after_init(self) -> None:
            self.violations: list[Any] = []

        def handle(self, error: Any) -> None:
            self.violations.append(error)

        def format(self, error: Any) -> str | None:
            return None

    return Collector(options)


def _run_only_this_plugin(app: Any, plugin: type) -> None:
    """Only ATS findings are used: other checkers (pycodestyle, pyflakes...) need not run.
    flake8's plugin lists are internal: if they change, everything runs, as before."""
    try:
        Checkers = _flake8("plugins.finder").Checkers
        checkers = app.plugins.checkers
        own = [loaded for loaded in checkers.tree if loaded.obj is plugin]
        if own:
            app.plugins = app.plugins._replace(checkers=Checkers(tree=own, logical_line=[], physical_line=[]))
    except Exception:  # pragma: no cover - another flake8's internals
        pass


# -- files --------------------------------------------------------------------------------------


def read_source(path: str) -> tuple[str, str]:
    """A file's text as Python reads it (its coding cookie or BOM), line breaks kept."""
    with open(path, "rb") as handle:
        data = handle.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def write_source(path: str, text: str, encoding: str) -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def unified_diff(path: str, before: str, after: str) -> str:
    lines = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=path, tofile=path
    ):
        lines.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(lines)
