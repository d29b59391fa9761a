"""The fixers' branches in process: the spots a fix is not safe at (left with a reason), the odd
spellings of names and imports, and the edges of the edit helpers. Each case hands `fix_source`
the findings as flake8 would report them, at positions taken from the text, and holds the whole
fixed text against the snapshot beside the input in tests/fix_cases (see fix_snapshots.py)."""

from __future__ import annotations

import tokenize

import pytest
from fix_snapshots import outcome

from flake8_async_testing import source_file
from flake8_async_testing.apply_fixes import fix_source, fixable_codes
from flake8_async_testing.fixers import FIXES, SAFE, UNSAFE
from flake8_async_testing.rules.event_loop import ATS405, IN_A_COROUTINE
from flake8_async_testing.source_file import Edit, Report

COROUTINE_TEXT = ATS405.format(why=IN_A_COROUTINE).partition(" ")[2]
"""ATS405's message in a coroutine, without its code, as the fix command reads it from flake8."""


def taken(name: str, dotted: str) -> str:
    """The reason a fix gives where the name it needs is bound to something else."""
    return f"'{name}' means something else in this module: import {dotted} by hand"


def codes(reports) -> list[str]:
    return [report.code for report in reports]


# -- nothing at the reported position -------------------------------------------------------


@pytest.mark.parametrize(
    "code, reason",
    [
        ("ATS408", "no asyncio mark with scope= at the reported position"),
        ("ATS405", "no get_event_loop() call at the reported position"),
        ("ATS203", "no asyncio mark on a sync def at the reported position"),
        ("ATS202", "no async fixture under @pytest.fixture at the reported position"),
        ("ATS201", "no async test at the reported position"),
        ("ATS205", "no test method of a class at the reported position"),
        ("ATS101", "no call at the reported position"),
        ("ATS503", "no call assertion or call record at the reported position"),
        ("ATS502", "no patch or assignment at the reported position"),
        ("ATS402", "no event_loop parameter at the reported position"),
    ],
)
def test_a_finding_at_a_position_with_nothing_to_fix_is_skipped(fix_cases, code, reason):
    result = fix_cases.reported("nothing_at_the_reported_position", (code, "1", 0, COROUTINE_TEXT), near_miss=True)
    assert outcome(result) == {"skipped": [(code, reason)]}


def test_a_nested_def_is_no_test_to_mark(fix_cases):
    result = fix_cases.reported("ats201_nested_def", ("ATS201", "async def inner"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS201", "no async test at the reported position")]}


# -- fix_source: codes without a fix, files that do not parse ---------------------------------


def test_a_code_without_a_fix_is_listed_as_such():
    text = "x = 1\n"
    result = fix_source(text, "test_x.py", [Report(1, 0, "ATS999", "...")], True)
    assert (result.source, outcome(result)) == (text, {"no_fix": ["ATS999"]})


def test_a_file_that_does_not_parse_is_left_untouched_with_each_finding_sorted_by_its_fix():
    text = "def (:\n"
    reports = [Report(1, 0, "ATS201", "a"), Report(1, 0, "ATS101", "b"), Report(1, 0, "ATS999", "c")]
    result = fix_source(text, "test_x.py", reports, False)
    assert result.source == text and result.error.startswith("it does not parse (")
    assert codes(result.no_fix) == ["ATS999"] and codes(result.unsafe_only) == ["ATS101"]
    assert [(report.code, reason) for report, reason in result.skipped] == [
        ("ATS201", f"file left untouched: {result.error}")
    ]
    result = fix_source(text, "test_x.py", reports, True)  # with --unsafe-fixes, ATS101 is skipped too
    assert codes(report for report, _ in result.skipped) == ["ATS101", "ATS201"] and not result.unsafe_only


def test_fixable_codes_are_the_safe_ones_or_all():
    assert set(fixable_codes(False)) == {code for code, (safety, _) in FIXES.items() if safety == SAFE}
    assert set(fixable_codes(True)) == set(FIXES)
    assert "ATS101" in set(fixable_codes(True)) - set(fixable_codes(False))


def test_two_fixes_replacing_overlapping_spans_take_the_first(monkeypatch):
    monkeypatch.setitem(FIXES, "ATS201", (SAFE, lambda file, report: [Edit(4, 6, "20")]))
    monkeypatch.setitem(FIXES, "ATS202", (SAFE, lambda file, report: [Edit(5, 8, "99")]))
    text = "x = 1000\n"
    result = fix_source(text, "x.py", [Report(1, 0, "ATS201", ""), Report(1, 0, "ATS202", "")], False)
    assert result.source == "x = 2000\n"
    assert outcome(result) == {
        "fixed": ["ATS201"],
        "skipped": [("ATS202", "another fix changes the same text: run the command again")],
    }


def test_a_skipped_fix_takes_back_the_import_it_added(fix_cases):
    # ATS101 puts `await ` where ATS405 would replace the name: ATS405 waits, and so does its import
    result = fix_cases.reported(
        "ats101_and_ats405_on_one_call",
        ("ATS101", "get_event_loop()"),
        ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT),
    )
    assert outcome(result) == {
        "fixed": ["ATS101"],
        "skipped": [("ATS405", "another fix changes the same text: run the command again")],
    }


# -- ATS408 -----------------------------------------------------------------------------------


def test_ats408_a_keyword_spelled_with_other_letters_is_skipped(fix_cases):
    # identifiers are NFKC-normalized: `ｓcope` is `scope` to the parser, not to the text
    result = fix_cases.reported("ats408_keyword_with_other_letters", ("ATS408", "pytest.mark"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS408", "scope= is not spelled out here")]}


# -- ATS405 -----------------------------------------------------------------------------------


def test_ats405_in_a_lambda_of_a_coroutine_has_no_fix(fix_cases):
    finding = ("ATS405", "asyncio.get_event_loop", 0, COROUTINE_TEXT)
    result = fix_cases.reported("ats405_in_a_lambda", finding, near_miss=True)
    assert outcome(result) == {"no_fix": ["ATS405"]}


def test_ats405_with_arguments_is_skipped(fix_cases):
    finding = ("ATS405", "asyncio.get_event_loop", 0, COROUTINE_TEXT)
    result = fix_cases.reported("ats405_with_arguments", finding, near_miss=True)
    assert outcome(result) == {"skipped": [("ATS405", "get_event_loop() has arguments here")]}


def test_ats405_where_get_running_loop_means_something_else_is_skipped(fix_cases):
    finding = ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT)
    result = fix_cases.reported("ats405_get_running_loop_taken", finding, near_miss=True)
    assert outcome(result) == {"skipped": [("ATS405", taken("get_running_loop", "asyncio.get_running_loop"))]}


def test_ats405_a_name_imported_one_a_line_with_a_trailing_comma_gets_a_line_after_it(fix_cases):
    finding = ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT)
    assert outcome(fix_cases.reported("ats405_from_import_one_name_a_line", finding)) == {"fixed": ["ATS405"]}


def test_ats405_a_from_import_not_at_the_top_gets_a_new_line_after_the_relative_imports(fix_cases):
    # the import under `try:` is no module-level import: it stays
    finding = ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT)
    assert outcome(fix_cases.reported("ats405_from_import_not_at_the_top", finding)) == {"fixed": ["ATS405"]}


# -- ATS203 -----------------------------------------------------------------------------------


def test_ats203_a_mark_in_parentheses_is_skipped(fix_cases):
    result = fix_cases.reported("ats203_mark_in_parentheses", ("ATS203", "pytest.mark"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS203", "the mark does not stand on lines of its own")]}


# -- ATS202 -----------------------------------------------------------------------------------


def test_ats202_uses_a_from_import_of_pytest_asyncio_fixture_and_drops_pytest(fix_cases):
    result = fix_cases.reported("ats202_from_pytest_asyncio_import_fixture", ("ATS202", "async def"))
    assert outcome(result) == {"fixed": ["ATS202"]}


def test_ats202_where_pytest_asyncio_means_something_else_is_skipped(fix_cases):
    result = fix_cases.reported("ats202_pytest_asyncio_taken", ("ATS202", "async def"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS202", taken("pytest_asyncio", "pytest_asyncio.fixture"))]}


def test_an_import_emptied_by_a_fix_stays_when_its_line_goes_on(fix_cases):
    result = fix_cases.reported("ats202_import_sharing_its_line", ("ATS202", "async def"))
    assert outcome(result) == {"fixed": ["ATS202"]}


def test_imports_added_by_earlier_fixes_are_reused(fix_cases):
    result = fix_cases.reported(
        "imports_added_once_reused",
        ("ATS202", "async def db"),
        ("ATS202", "async def cache"),
        ("ATS205", "async def test_a"),
        ("ATS205", "async def test_b"),
    )
    assert outcome(result) == {"fixed": ["ATS202", "ATS202", "ATS205", "ATS205"]}


def test_an_import_added_by_an_earlier_fix_is_not_used_where_a_local_import_hides_it(fix_cases):
    result = fix_cases.reported(
        "ats405_added_import_hidden_by_a_local_one",
        ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT),
        ("ATS405", "get_event_loop()", 1, COROUTINE_TEXT),
    )
    assert outcome(result) == {
        "fixed": ["ATS405"],
        "skipped": [("ATS405", taken("get_running_loop", "asyncio.get_running_loop"))],
    }


# -- ATS201 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", ["ats201_import_after_other_imports", "ats201_import_after_the_docstring", "ats201_import_at_the_top"]
)
def test_ats201_adds_import_pytest_after_other_imports_or_the_docstring_or_at_the_top(fix_cases, case):
    assert outcome(fix_cases.reported(case, ("ATS201", "async def"))) == {"fixed": ["ATS201"]}


def test_ats201_a_tuple_pytestmark_is_kept_and_the_test_gets_a_decorator(fix_cases):
    assert outcome(fix_cases.reported("ats201_tuple_pytestmark", ("ATS201", "async def"))) == {"fixed": ["ATS201"]}


def test_ats201_a_sync_test_method_keeps_the_pytestmark_as_it_is(fix_cases):
    result = fix_cases.reported("ats201_sync_test_method_keeps_the_pytestmark", ("ATS201", "async def"))
    assert outcome(result) == {"fixed": ["ATS201"]}


# -- ATS205 -----------------------------------------------------------------------------------


def test_ats205_a_base_spelled_with_other_letters_is_skipped(fix_cases):
    result = fix_cases.reported("ats205_base_with_other_letters", ("ATS205", "async def"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS205", "'TestCase' is not spelled out here")]}


def test_ats205_where_the_new_name_means_something_else_is_skipped(fix_cases):
    result = fix_cases.reported("ats205_new_name_taken", ("ATS205", "async def"), near_miss=True)
    reason = taken("IsolatedAsyncioTestCase", "unittest.IsolatedAsyncioTestCase")
    assert outcome(result) == {"skipped": [("ATS205", reason)]}


# -- ATS503 -----------------------------------------------------------------------------------


def test_ats503_an_assertion_spelled_with_other_letters_is_skipped(fix_cases):
    result = fix_cases.reported("ats503_assertion_with_other_letters", ("ATS503", "m."), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS503", "'assert_called_once' is not spelled out here")]}


# -- ATS502 -----------------------------------------------------------------------------------


def test_ats502_an_assignment_of_a_mock_gets_an_async_mock(fix_cases):
    assert outcome(fix_cases.reported("ats502_assignment", ("ATS502", "module.fetch"))) == {"fixed": ["ATS502"]}


@pytest.mark.parametrize(
    "case",
    [
        "ats502_from_import_in_no_order",  # `patch, Mock`: the new name goes last
        "ats502_from_import_by_letters",  # `call, Mock, patch`: in order by letters only
    ],
)
def test_ats502_the_new_name_joins_a_from_import_in_its_order(fix_cases, case):
    assert outcome(fix_cases.reported(case, ("ATS502", 'patch("'))) == {"fixed": ["ATS502"]}


@pytest.mark.parametrize(
    "case, needle, reason",
    [
        ("ats502_near_miss_no_new", 'patch("modul', "no new= or new_callable= in the patch call"),
        ("ats502_near_miss_unknown_factory", 'patch("modul', "'make' is not a Mock class the fix knows"),
        (
            "ats502_near_miss_setattr_without_a_value",
            "monkeypatch.",
            "the sync mock '?' is made elsewhere: make it an AsyncMock where it is created",
        ),
    ],
)
def test_ats502_near_misses(fix_cases, case, needle, reason):
    result = fix_cases.reported(case, ("ATS502", needle), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS502", reason)]}


def test_ats502_where_async_mock_means_something_else_is_skipped(fix_cases):
    result = fix_cases.reported("ats502_async_mock_taken", ("ATS502", 'patch("'), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS502", taken("AsyncMock", "unittest.mock.AsyncMock"))]}


# -- ATS402 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case, reason",
    [
        ("ats402_near_miss_positional_only", "event_loop is a positional-only parameter"),
        (
            "ats402_near_miss_only_keyword_only",
            "event_loop is the only keyword-only parameter: remove it and the '*' by hand",
        ),
        ("ats402_near_miss_global_event_loop", "event_loop is declared global or nonlocal"),
        ("ats402_near_miss_body_on_the_def_line", "the body does not start on a line of its own"),
        ("ats402_near_miss_local_import_of_asyncio", taken("asyncio", "asyncio.get_running_loop")),
        ("ats402_near_miss_global_asyncio", taken("asyncio", "asyncio.get_running_loop")),
    ],
)
def test_ats402_near_misses(fix_cases, case, reason):
    result = fix_cases.reported(case, ("ATS402", "event_loop"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS402", reason)]}


def test_ats402_a_keyword_only_parameter_among_others_goes(fix_cases):
    result = fix_cases.reported("ats402_keyword_only_among_others", ("ATS402", "event_loop"))
    assert outcome(result) == {"fixed": ["ATS402"]}


def test_ats402_a_comment_between_the_parameter_and_its_comma_stays(fix_cases):
    result = fix_cases.reported("ats402_comment_before_the_comma", ("ATS402", "event_loop"))
    assert outcome(result) == {"fixed": ["ATS402"]}


def cannot_tokenize(readline):
    raise tokenize.TokenError("EOF in multi-line statement", (1, 0))


def test_ats402_a_file_that_cannot_be_tokenized_is_skipped(fix_cases, monkeypatch):
    monkeypatch.setattr(source_file.tokenize, "generate_tokens", cannot_tokenize)
    result = fix_cases.reported("ats402_untokenizable", ("ATS402", "event_loop"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS402", "the file cannot be tokenized")]}


def test_an_unused_import_whose_line_cannot_be_tokenized_stays(fix_cases, monkeypatch):
    monkeypatch.setattr(source_file.tokenize, "generate_tokens", cannot_tokenize)
    result = fix_cases.reported("ats205_unused_import_untokenizable", ("ATS205", "async def"))
    assert outcome(result) == {"fixed": ["ATS205"]}


def test_safety_constants_are_the_two_kinds():
    assert {safety for safety, _ in FIXES.values()} == {SAFE, UNSAFE}


# -- bugs found (the fix modules are not changed here) --------------------------------------------


def test_ats201_on_a_file_with_no_imports_that_starts_with_the_test(fix_cases):
    """Found by these tests: the decorator and the new `import pytest` were both inserted at
    offset 0, the decorator first, and the result did not compile."""
    result = fix_cases.reported("ats201_no_imports_test_first", ("ATS201", "async def"))
    assert outcome(result) == {"fixed": ["ATS201"]}


@pytest.mark.parametrize(
    "case", ["ats402_default_after_another", "ats402_default_before_another", "ats402_keyword_only_default"]
)
def test_ats402_a_parameter_with_a_default_is_left_alone(fix_cases, case):
    """Found by these tests: the name went, its default stayed (`tmp_path, event_loop=None` became
    `tmp_path=None`). The checker never reports such a parameter; a report from elsewhere is skipped."""
    result = fix_cases.reported(case, ("ATS402", "event_loop"), near_miss=True)
    assert outcome(result) == {"skipped": [("ATS402", "event_loop has a default value: remove it by hand")]}


def test_a_new_import_line_goes_above_the_first_statements_decorators(fix_cases):
    result = fix_cases.reported("ats201_import_above_decorators", ("ATS201", "async def"), unsafe=False)
    assert outcome(result) == {"fixed": ["ATS201"]}
