"""The expectation checker of the example files can fail: every way a finding or an
expectation can be wrong is reported, with the line and what differs."""

from __future__ import annotations

import re

import pytest
from annotations import (
    CODES,
    ExpectationError,
    MessageError,
    expectations,
    known_wrong,
    mismatches,
    placeholders,
    read_message,
)

from flake8_async_testing.rules import ALL_CODES

ATS101 = CODES["ATS101"]
DISCARDED = ATS101.format(call="self.fetch", basis="b", how="its result is discarded")
FOUND = [(7, 8, DISCARDED)]  # line 7, 0-based column 8: flake8 prints column 9
ATS303_MODULE = CODES["ATS303"].format(name="f", kind="session", scope="module")


def problems(comment: str, found=FOUND, mode: str = "strict") -> list[tuple[int, str]]:
    source = "\n" * 6 + f"x = 1  {comment}\n"
    return mismatches(expectations(source, mode), found)


def test_an_agreeing_expectation_gives_no_problem():
    assert problems('# error: ATS101:9 call=self.fetch basis=b how="its result is discarded"') == []
    assert problems('# error: ATS101:9 how="its result is discarded" call=self.fetch basis=b') == []


def test_a_prefix_stands_for_every_value_it_starts():
    assert problems('# error: ATS101:9 call=self.fetch basis=b how="its result is dis..."') == []
    assert problems('# error: ATS101:9 call=self.fetch basis=b how="its result is kept..."') == [
        (7, "ATS101: how='its result is discarded', expected it to start with 'its result is kept'"
         " (reported: ATS101:9 call=self.fetch basis=b how=\"its result is discarded\";"
         " expected: ATS101:9 call=self.fetch basis=b how=\"its result is kept...\")")
    ]


@pytest.mark.parametrize(
    ("comment", "found", "says"),
    [
        pytest.param(
            '# error: ATS101:8 call=self.fetch basis=b how="its result is discarded"',
            FOUND,
            "ATS101: column 9, expected column 8",
            id="wrong column",
        ),
        pytest.param(
            '# error: ATS101:9 call=self.fetch basis=b how="its result is dropped"',
            FOUND,
            "ATS101: how='its result is discarded', expected 'its result is dropped'",
            id="wrong argument",
        ),
        pytest.param(
            '# error: ATS101:9 call=fetch basis=b how="its result is discarded"',
            FOUND,
            "ATS101: call='self.fetch', expected 'fetch'",
            id="wrong callee",
        ),
        pytest.param(
            "# error: ATS101:9 call=self.fetch",
            FOUND,
            "expectation ATS101:9 call=self.fetch leaves out basis, how (the template has call, basis, how)",
            id="missing argument",
        ),
        pytest.param(
            '# error: ATS101:9 call=self.fetch basis=b how="its result is discarded" name=x',
            FOUND,
            "the template has no name (only: call, basis, how)",
            id="unknown argument",
        ),
        pytest.param(
            '# error: ATS101:9 call=self.fetch basis=b how="its result is discarded"',
            [(7, 8, DISCARDED.replace("is never awaited", "is never avaited"))],
            "ATS101: the message matches no template of ATS101",
            id="swapped word in the message",
        ),
        pytest.param(
            '# error: ATS101:9 call=self.fetch basis=b how="its result is discarded"',
            [(7, 8, ATS101.format(call="self.fetch", basis="b", how=" "))],
            "ATS101: argument how is blank",
            id="blank argument",
        ),
        pytest.param(
            '# error: ATS101:9 call=self.fetch basis=b how="its result is discarded"',
            [],
            'expected ATS101:9 call=self.fetch basis=b how="its result is discarded", not reported',
            id="not reported",
        ),
        pytest.param(
            "",
            FOUND,
            'unexpected ATS101:9 call=self.fetch basis=b how="its result is discarded"',
            id="unexpected",
        ),
        pytest.param(
            '# error: ATS101:9 call=self.fetch basis=b how="its result is discarded"',
            [*FOUND, (7, 20, DISCARDED)],
            'unexpected ATS101:21 call=self.fetch basis=b how="its result is discarded"',
            id="one more of the same code",
        ),
        pytest.param(
            "# error: ATS303:1 name=f kind=session scope=module",
            [(7, 0, ATS303_MODULE.replace("may stay module", "may stay session"))],
            "ATS303: the message matches no template of ATS303",
            id="a repeated placeholder differs",
        ),
        pytest.param(
            "# error: ATS999:1",
            [],
            "expectation ATS999:1: no such code",
            id="unknown code",
        ),
        pytest.param(
            "# error(auto): ATS101:9 call=self.fetch basis=b how=\"its result is discarded\"",
            FOUND,
            "unexpected ATS101:9",
            id="expectation for another mode",
        ),
    ],
)
def test_a_mismatch_is_reported(comment, found, says):
    source = "# modes: strict auto\n" + "\n" * 5 + f"x = 1  {comment}\n"
    reported = mismatches(expectations(source, "strict"), found)
    assert reported, "the checker saw no mismatch"
    assert all(line == 7 for line, _ in reported), reported
    assert any(says in text for _, text in reported), reported


@pytest.mark.parametrize(
    ("comment", "says"),
    [
        pytest.param("# error: ATS101 call=x how=y", "expected CODE:COLUMN", id="no column"),
        pytest.param("# error: ATS101:0 call=x how=y", "expected CODE:COLUMN", id="column 0"),
        pytest.param("# error: ATS101:9 call=x how=its result", "expected name=value", id="unquoted space"),
        pytest.param("# error: ATS101:9 call=x how='its result'", "expected name=value", id="single quotes"),
        pytest.param('# error: ATS101:9 call=x how=""', "how is empty", id="empty value"),
        pytest.param('# error: ATS101:9 call=x how="its..."', "shorter than 12", id="short prefix"),
        pytest.param("# error: ATS101:9 call=x call=y how=z", "call is given twice", id="duplicate"),
        pytest.param("# error: ATS101:9 call=x how=y ;", "a finding must follow", id="dangling separator"),
        pytest.param("# error: ATS101:9 call=x how=y ATS102:1", "expected name=value", id="no separator"),
        pytest.param("# error(auto): ATS101:9 call=x how=y", "the file runs in ['strict']", id="mode not run"),
    ],
)
def test_a_malformed_expectation_is_refused(comment, says):
    with pytest.raises(ExpectationError, match=re.escape(says)) as refused:
        expectations(f"x = 1  {comment}\n", "strict")
    assert str(refused.value).startswith("line 1: ")


def test_the_syntax_reads_quotes_separators_modes_and_remarks():
    source = (
        "# modes: strict auto\n"
        'x = 1  # error: ATS101:1 call=a how="say \\"hi\\", \\\\ ok" ; ATS103:3 call=b  # error(auto): ATS408:2'
        "  # known wrong: the plugin says something else\n"
    )
    strict = expectations(source, "strict")
    assert [(e.code, e.column, e.arguments) for e in strict] == [
        ("ATS101", 1, (("call", "a"), ("how", 'say "hi", \\ ok'))),
        ("ATS103", 3, (("call", "b"),)),
    ]
    assert [e.code for e in expectations(source, "auto")] == ["ATS101", "ATS408", "ATS103"]  # by column
    assert known_wrong(source) == {2: "the plugin says something else"}


def test_every_template_reads_back_its_own_arguments():
    for code in ALL_CODES:
        arguments = {name: f"<{name} value, with 'quotes' where allowed>" for name in placeholders(code.code)}
        for name in arguments:
            if f"'{{{name}}}'" in code.message:
                arguments[name] = f"{name}.value"
        assert read_message(code.format(**arguments)) == (code.code, arguments)


def test_a_message_of_an_unknown_code_does_not_read():
    with pytest.raises(MessageError, match="ATS999: no such code"):
        read_message("ATS999 something")
