"""The codes are one set everywhere: the code, the docs, the changelog, the README, the tests."""

from __future__ import annotations

import re
from pathlib import Path

from annotations import example_files, expected_findings, modes_of

from flake8_async_testing.rules import ALL_CODES, FAMILIES

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"\bATS\d{3}\b")
REGISTERED = {code.code for code in ALL_CODES}


def test_codes_are_unique_and_well_formed():
    assert len(REGISTERED) == len(ALL_CODES)
    assert all(re.fullmatch(r"ATS[1-5]\d\d", code) for code in REGISTERED)


def test_each_family_owns_one_row_of_the_catalog():
    for family in FAMILIES:
        assert len({code.code[:4] for code in family.codes}) == 1, family.__name__


def test_every_code_has_a_docs_page_and_no_page_is_orphaned():
    pages = {path.stem for path in (ROOT / "docs" / "rules").glob("ATS*.md")}
    assert pages == REGISTERED


def test_docs_pages_show_the_message_bad_and_good_code():
    for code in ALL_CODES:
        text = (ROOT / "docs" / "rules" / f"{code.code}.md").read_text(encoding="utf-8")
        assert text.startswith(f"# {code.code}"), code.code
        for heading in ("## Bad", "## Good", "## How to silence"):
            assert heading in text, (code.code, heading)


def test_changelog_and_readme_name_every_code():
    for name in ("CHANGELOG.md", "README.md"):
        mentioned = set(CODE.findall((ROOT / name).read_text(encoding="utf-8")))
        assert REGISTERED <= mentioned, (name, REGISTERED - mentioned)


def test_every_code_is_expected_somewhere_in_the_examples():
    expected = set()
    for path in example_files():
        source = path.read_text(encoding="utf-8")
        for mode in modes_of(source):
            expected |= {code for _, code in expected_findings(source, mode)}
    assert expected == REGISTERED


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert readme[0] == "```sh"
    assert readme[3] == "```"
    install_and_run_examples, install_and_test = readme[1], readme[2]
    assert "examples/" in install_and_run_examples
    assert "flake8" in install_and_run_examples
    assert "[test]" in install_and_test
    assert "pytest" in install_and_test
    ci_commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert install_and_test in ci_commands
