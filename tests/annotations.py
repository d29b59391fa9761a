"""Read the expectations written into the example files.

A finding is expected on a line that carries `# error: ATS201` (every mode the file runs in)
or `# error(strict): ATS201` (that mode only); several codes are separated by commas. The
file's `# modes: strict auto` line says which asyncio modes it runs in (default: strict).
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

EXPECTATION = re.compile(r"#\s*error(?:\((?P<mode>\w+)\))?:\s*(?P<codes>ATS\d{3}(?:\s*,\s*ATS\d{3})*)")
MODES = re.compile(r"^#\s*modes:\s*(?P<modes>[\w ]+)$", re.MULTILINE)


def modes_of(source: str) -> list[str]:
    found = MODES.search(source)
    return found.group("modes").split() if found else ["strict"]


def expected_findings(source: str, mode: str) -> list[tuple[int, str]]:
    expected = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        for match in EXPECTATION.finditer(token.string):
            if match.group("mode") in (None, mode):
                for code in match.group("codes").split(","):
                    expected.append((token.start[0], code.strip()))
    return sorted(expected)


def example_files() -> list[Path]:
    return sorted((Path(__file__).parent / "examples").glob("ATS*.py"))
