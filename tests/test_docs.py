"""The docs pages say what the checker does: their examples are run through it.

Each `docs/rules/ATSnnn.md` has a `## Message` section (a fenced block of flake8 output lines),
a `## Bad` and a `## Good` section (fenced ```python blocks). Here:

- every message line has the page's code, and its text is what that code's template gives;
- every Bad block, written into a throwaway project, is reported with the page's code, and the
  message lines are among what the Bad blocks give (same file, line, column and text);
- every Good block gives no finding at all;
- every Bad and Good block is self-contained: it parses, and pyflakes finds no undefined name
  (a fragment that lacks its imports is silent for the wrong reason).

How a block is run, and the hints a page can give it:

- A block is written to the file named in the page's message lines (`tests/test_users.py`),
  next to an empty `pytest.ini` (pytest-asyncio's strict mode, the default loop scopes).
- A first line `# conftest.py` or `# tests/test_client.py` (a comment that is only a file name)
  says where the block goes instead: a bare `.py` name goes next to the message lines' file, a
  bare config name (`# pytest.ini`) into the project root, other names are from the root.
- An HTML comment just before the fence, `<!-- docs-test: HINT; HINT -->`, one of:
  - `with the Bad block`: on an ini/toml block of the Good section, a configuration that makes
    the Bad example correct. The Bad blocks are run with it, and the page's code must be silent.
    Other config blocks are not run (written to `pytest.ini` / `pyproject.toml` by default).
  - `name=value`: a pytest ini option for this block's `pytest.ini` (`asyncio_mode=auto`).
  - `skip: reason`: the block is not run. Rare, and always with a reason.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path, PurePosixPath

import pytest
from conftest import clear_caches
from pyflakes import checker as pyflakes_checker
from pyflakes import messages as pyflakes_messages

from flake8_async_testing.plugin import check
from flake8_async_testing.rules import ALL_CODES
from flake8_async_testing.rules.base import Code

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules"
TEMPLATES = {code.code: code.message for code in ALL_CODES}

FENCE = re.compile(r"(?P<indent> *)```(?P<lang>[\w-]*)\s*$")
HINT = re.compile(r"<!--\s*docs-test:(?P<hints>.*?)-->\s*$")
FILE_COMMENT = re.compile(r"#\s*(?P<name>[\w./-]+\.(?:py|ini|toml|cfg))\s*$")
MESSAGE_LINE = re.compile(r"(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>ATS\d{3}) (?P<text>.+)")
CONFIG_LANGS = {"ini": "pytest.ini", "toml": "pyproject.toml"}
RUN_SECTIONS = ("Bad", "Good")

XFAIL: dict[str, str] = {}
"""Test ids whose outcome contradicts a correct page: plugin bugs, for the package's maintainers.
A key is the test's short name and its parameter id: `bad-ATS101-bad-1`, `good-ATS101-good-1`,
`config-ATS201-good-2`, `where-ATS101`. Strict: the mark has to go when the bug is fixed."""


def marks_for(test: str, param_id: str) -> list:
    reason = XFAIL.get(f"{test}-{param_id}")
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@dataclasses.dataclass(frozen=True)
class Block:
    page: str
    section: str
    index: int
    """1-based among the blocks of its section."""
    lang: str
    text: str
    line: int
    """The line of the opening fence in the page."""
    hints: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.page}-{self.section.lower()}-{self.index}"

    @property
    def is_python(self) -> bool:
        return self.lang == "python"

    @property
    def skip_reason(self) -> str | None:
        reasons = [hint.partition(":")[2].strip() for hint in self.hints if hint.startswith("skip:")]
        return reasons[0] if reasons else None

    @property
    def with_bad(self) -> bool:
        return "with the Bad block" in self.hints

    @property
    def options(self) -> tuple[str, ...]:
        """pytest ini options from `name=value` hints, as ini lines."""
        return tuple(" = ".join(part.strip() for part in hint.split("=", 1)) for hint in self.hints if "=" in hint)

    def file_name(self, default: str) -> str:
        """Where the block goes in the throwaway project, relative to its root."""
        first_line = self.text.split("\n", 1)[0]
        named = FILE_COMMENT.fullmatch(first_line)
        if named:
            name = named["name"]
            if "/" in name:
                return name
            if name.endswith(".py"):
                return str(PurePosixPath(default).parent / name)
            return name
        return CONFIG_LANGS.get(self.lang, default)


@dataclasses.dataclass(frozen=True)
class Page:
    code: str
    messages: tuple[str, ...]
    blocks: tuple[Block, ...]

    @property
    def default_file(self) -> str:
        match = MESSAGE_LINE.fullmatch(self.messages[0]) if self.messages else None
        return match["path"] if match else "tests/test_example.py"

    def section(self, name: str) -> list[Block]:
        return [block for block in self.blocks if block.section == name]


def check_hint(hint: str) -> str:
    if hint == "with the Bad block" or re.fullmatch(r"skip:\s*\S.*", hint) or re.fullmatch(r"\w+\s*=\s*\S.*", hint):
        return hint
    raise ValueError(f"unknown docs-test hint {hint!r}")


def parse_page(code: str, text: str) -> Page:
    """The message lines and the fenced blocks of the Bad and Good sections."""
    lines = text.splitlines()
    section, messages, blocks, hints, counts = "", None, [], [], {}
    number = 0
    while number < len(lines):
        line = lines[number]
        if line.startswith("## "):
            section, hints = line[3:].strip(), []
        elif HINT.match(line.strip()):
            hints += [check_hint(hint.strip()) for hint in HINT.match(line.strip())["hints"].split(";") if hint.strip()]
        elif FENCE.fullmatch(line):
            fence = FENCE.fullmatch(line)
            end = next(
                (i for i in range(number + 1, len(lines)) if lines[i].rstrip() == fence["indent"] + "```"), len(lines)
            )
            body = [item[len(fence["indent"]) :] for item in lines[number + 1 : end]]
            if section == "Message" and messages is None:
                messages = tuple(item for item in body if item.strip())
            elif section in RUN_SECTIONS:
                counts[section] = counts.get(section, 0) + 1
                source = "\n".join(body) + "\n"
                blocks.append(Block(code, section, counts[section], fence["lang"], source, number + 1, tuple(hints)))
            hints = []
            number = end
        elif line.strip():
            hints = []
        number += 1
    return Page(code, messages or (), tuple(blocks))


PAGES = [parse_page(path.stem, path.read_text(encoding="utf-8")) for path in sorted(DOCS.glob("ATS*.md"))]
PAGE_BY_CODE = {page.code: page for page in PAGES}


def template_pattern(template: str) -> re.Pattern[str]:
    """The code's message template as a regex (`Code.pattern`): each `{name}` a non-empty group,
    the same text wherever the same name comes back."""
    return Code("ATS000", template, "").pattern()


PATTERNS = {code: template_pattern(template) for code, template in TEMPLATES.items()}


def run_blocks(folder: Path, page: Page, blocks: list[Block]) -> list[str]:
    """Write the blocks into a fresh project; the findings in the first python block's file, as
    flake8 prints them (`path:line:col: ATSnnn message`, 1-based column)."""
    clear_caches()
    files = {block.file_name(page.default_file): block for block in blocks}
    target = next(name for name, block in files.items() if block.is_python)
    if not any(block.lang in CONFIG_LANGS for block in blocks):
        options = [option for block in blocks for option in block.options]
        (folder / "pytest.ini").parent.mkdir(parents=True, exist_ok=True)
        (folder / "pytest.ini").write_text("\n".join(["[pytest]", *options]) + "\n", encoding="utf-8")
    for name, block in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.text, encoding="utf-8")
    source = files[target].text
    findings = check(ast.parse(source), str(folder / target))
    return [f"{target}:{line}:{col + 1}: {message}" for line, col, message in findings]


def codes_in(rendered: list[str]) -> list[str]:
    return [MESSAGE_LINE.fullmatch(line)["code"] for line in rendered]  # type: ignore[index]


def block_params(test: str, *, sections: tuple[str, ...], python: bool) -> list:
    params = []
    for page in PAGES:
        for block in page.blocks:
            if block.section not in sections or block.is_python != python:
                continue
            if not python and not block.with_bad:
                continue
            marks = [pytest.mark.skip(reason=block.skip_reason)] if block.skip_reason else marks_for(test, block.id)
            params.append(pytest.param(page, block, id=block.id, marks=marks))
    return params


def where(block: Block) -> str:
    return f"docs/rules/{block.page}.md:{block.line} ({block.section} block {block.index})"


def test_every_code_has_a_page_with_messages_and_runnable_bad_and_good_blocks():
    assert sorted(PAGE_BY_CODE) == sorted(TEMPLATES)
    for page in PAGES:
        assert page.messages, f"{page.code}: no fenced block of flake8 output under '## Message'"
        for section in RUN_SECTIONS:
            runnable = [block for block in page.section(section) if block.is_python and not block.skip_reason]
            assert runnable, f"{page.code}: no python block to run under '## {section}'"


@pytest.mark.parametrize("page", PAGES, ids=[page.code for page in PAGES])
def test_message_lines_are_what_the_code_template_gives(page):
    pattern = PATTERNS[page.code]
    for line in page.messages:
        match = MESSAGE_LINE.fullmatch(line)
        assert match, f"{page.code}: not a flake8 output line: {line!r}"
        assert match["code"] == page.code, f"{page.code}: a message of another code: {line!r}"
        assert pattern.fullmatch(match["text"]), (
            f"{page.code}: the message drifted from the code's template\n"
            f"  page:     {match['text']}\n  template: {TEMPLATES[page.code]}"
        )


@pytest.mark.parametrize(("page", "block"), block_params("contained", sections=RUN_SECTIONS, python=True))
def test_block_is_self_contained(page, block):
    tree = ast.parse(block.text, filename=where(block))
    undefined = [
        message.message % message.message_args
        for message in pyflakes_checker.Checker(tree, filename=where(block)).messages
        if isinstance(message, (pyflakes_messages.UndefinedName, pyflakes_messages.UndefinedLocal))
    ]
    assert not undefined, f"{where(block)}: add what the block needs: {undefined}"


@pytest.mark.parametrize(("page", "block"), block_params("bad", sections=("Bad",), python=True))
def test_bad_block_is_reported(tmp_path, page, block):
    found = run_blocks(tmp_path, page, [block])
    own = [line for line in found if codes_in([line]) == [page.code]]
    assert own, f"{where(block)}: {page.code} not reported; found {found}"
    for line in own:
        text = MESSAGE_LINE.fullmatch(line)["text"]  # type: ignore[index]
        assert PATTERNS[page.code].fullmatch(text), line


@pytest.mark.parametrize(
    "page", [pytest.param(page, id=page.code, marks=marks_for("where", page.code)) for page in PAGES]
)
def test_message_lines_are_where_the_bad_blocks_are_reported(tmp_path, page):
    found = []
    for block in page.section("Bad"):
        if block.is_python and not block.skip_reason:
            found += run_blocks(tmp_path / block.id, page, [block])
    missing = [line for line in page.messages if line not in found]
    assert not missing, (
        f"{page.code}: message lines the Bad blocks do not give (file, line, column and text must be equal)\n"
        + "\n".join(f"  page:  {line}" for line in missing)
        + "\n"
        + "\n".join(f"  found: {line}" for line in found)
    )


@pytest.mark.parametrize(("page", "block"), block_params("good", sections=("Good",), python=True))
def test_good_block_gives_no_finding(tmp_path, page, block):
    found = run_blocks(tmp_path, page, [block])
    assert not found, f"{where(block)}: a Good example should be clean: {found}"


@pytest.mark.parametrize(("page", "block"), block_params("config", sections=("Good",), python=False))
def test_good_config_silences_the_bad_block(tmp_path, page, block):
    bad_blocks = [bad for bad in page.section("Bad") if bad.is_python and not bad.skip_reason]
    for bad in bad_blocks:
        assert page.code in codes_in(run_blocks(tmp_path / "without" / bad.id, page, [bad]))
        found = run_blocks(tmp_path / "with" / bad.id, page, [bad, block])
        assert page.code not in codes_in(found), f"{where(block)}: {bad.id} still gives {found}"


def test_every_expected_failure_names_a_case():
    tests = ("contained", "bad", "good", "config")
    cases = {f"where-{page.code}" for page in PAGES}
    cases |= {f"{test}-{block.id}" for page in PAGES for block in page.blocks for test in tests}
    assert set(XFAIL) <= cases


SAMPLE_PAGE = """\
# ATS999: a sample

## Message

```
tests/test_x.py:2:1: ATS999 something
```

## Bad

```python
x = 1
```

<!-- docs-test: asyncio_mode=auto; skip: needs a database -->

```python
# conftest.py
y = 2
```

## Good

text

<!-- docs-test: with the Bad block -->
```ini
# pytest.ini
[pytest]
```

```toml
[tool.pytest.ini_options]
```

  ```python
  z = 3
  ```
"""


def test_hints_are_read_from_the_page():
    page = parse_page("ATS999", SAMPLE_PAGE)
    assert page.messages == ("tests/test_x.py:2:1: ATS999 something",)
    bad1, bad2, ini, toml, good = page.blocks
    assert (bad1.id, bad1.text, bad1.hints, bad1.file_name(page.default_file)) == (
        "ATS999-bad-1",
        "x = 1\n",
        (),
        "tests/test_x.py",
    )
    assert bad2.options == ("asyncio_mode = auto",)
    assert bad2.skip_reason == "needs a database"
    assert bad2.file_name(page.default_file) == "tests/conftest.py"
    assert (ini.with_bad, ini.file_name(page.default_file)) == (True, "pytest.ini")
    assert (toml.with_bad, toml.file_name(page.default_file)) == (False, "pyproject.toml")
    assert (good.id, good.text, good.line) == ("ATS999-good-3", "z = 3\n", 36)
    with pytest.raises(ValueError, match="unknown docs-test hint"):
        parse_page("ATS999", "<!-- docs-test: sikp -->\n")


def test_the_template_pattern_wants_each_field_filled_and_repeated_fields_equal():
    pattern = template_pattern("sync {role} '{name}' ... make the {role} async")
    assert pattern.fullmatch("sync test 'f' ... make the test async")
    assert not pattern.fullmatch("sync test 'f' ... make the fixture async")
    assert not pattern.fullmatch("sync test '' ... make the test async")
