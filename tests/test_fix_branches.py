"""The fixers' branches in process: the spots a fix is not safe at (left with a reason), the odd
spellings of names and imports, and the edges of the edit helpers. Each test hands
`fix_source` the findings as flake8 would report them, at positions taken from the text."""

from __future__ import annotations

import textwrap
import tokenize

import pytest

from flake8_async_testing import source_file
from flake8_async_testing.apply_fixes import fix_source, fixable_codes
from flake8_async_testing.fixers import FIXES, SAFE, UNSAFE
from flake8_async_testing.rules.event_loop import ATS405, IN_A_COROUTINE
from flake8_async_testing.source_file import Edit, Report

COROUTINE_TEXT = ATS405.format(why=IN_A_COROUTINE).partition(" ")[2]
"""ATS405's message in a coroutine, without its code, as the fix command reads it from flake8."""


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The line (1-based) and column of the nth occurrence of `needle` (ASCII lines)."""
    position = -1
    for _ in range(nth + 1):
        position = text.index(needle, position + 1)
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1)


@pytest.fixture
def run(project):
    """Fix a dedented source (written as tests/test_x.py of a project with an empty pytest.ini)
    for findings given as (code, needle) or (code, needle, nth) or (code, needle, nth, message)."""
    project.write("pytest.ini", "[pytest]\n")

    def run(source: str, *findings: tuple, unsafe: bool = True):
        text = textwrap.dedent(source)
        path = project.write("tests/test_x.py", text)
        reports = []
        for code, needle, *rest in findings:
            nth = rest[0] if rest else 0
            message = rest[1] if len(rest) > 1 else "..."
            reports.append(Report(*at(text, needle, nth), code, message))
        return text, fix_source(text, str(path), reports, unsafe)

    return run


def reasons(result) -> list[str]:
    return [reason for _, reason in result.skipped]


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
def test_a_finding_at_a_position_with_nothing_to_fix_is_skipped(run, code, reason):
    text, result = run("import pytest\n\nx = 1\n", (code, "1", 0, COROUTINE_TEXT))
    assert result.source == text
    assert reasons(result) == [reason]


def test_a_nested_def_is_no_test_to_mark(run):
    text, result = run("""\
        async def test_x():
            async def inner():
                pass
        """, ("ATS201", "async def inner"))
    assert result.source == text and reasons(result) == ["no async test at the reported position"]


# -- fix_source: codes without a fix, files that do not parse ---------------------------------


def test_a_code_without_a_fix_is_listed_as_such():
    text = "x = 1\n"
    result = fix_source(text, "test_x.py", [Report(1, 0, "ATS999", "...")], True)
    assert (result.source, codes(result.no_fix), result.skipped, result.error) == (text, ["ATS999"], [], None)


def test_a_file_that_does_not_parse_is_left_untouched_with_each_finding_sorted_by_its_fix():
    text = "def (:\n"
    reports = [Report(1, 0, "ATS201", "a"), Report(1, 0, "ATS101", "b"), Report(1, 0, "ATS999", "c")]
    result = fix_source(text, "test_x.py", reports, False)
    assert result.source == text and result.error.startswith("it does not parse (")
    assert codes(result.no_fix) == ["ATS999"] and codes(result.unsafe_only) == ["ATS101"]
    assert [(report.code, reason.split(" (")[0]) for report, reason in result.skipped] == [
        ("ATS201", "file left untouched: it does not parse")
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
    assert codes(result.fixed) == ["ATS201"]
    assert reasons(result) == ["another fix changes the same text: run the command again"]


def test_a_skipped_fix_takes_back_the_import_it_added(run):
    # ATS101 puts `await ` where ATS405 would replace the name: ATS405 waits, and so does its import
    text, result = run("""\
        from asyncio import get_event_loop


        async def f():
            get_event_loop()
        """, ("ATS101", "get_event_loop()"), ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT))
    assert codes(result.fixed) == ["ATS101"]
    assert reasons(result) == ["another fix changes the same text: run the command again"]
    assert result.source == text.replace("    get_event_loop()", "    await get_event_loop()")


# -- ATS408 -----------------------------------------------------------------------------------


def test_ats408_a_keyword_spelled_with_other_letters_is_skipped(run):
    # identifiers are NFKC-normalized: `ｓcope` is `scope` to the parser, not to the text
    text, result = run("""\
        import pytest


        @pytest.mark.asyncio(\uff53cope="module")
        async def test_x():
            pass
        """, ("ATS408", "pytest.mark"))
    assert result.source == text and reasons(result) == ["scope= is not spelled out here"]


# -- ATS405 -----------------------------------------------------------------------------------


def test_ats405_in_a_lambda_of_a_coroutine_has_no_fix(run):
    text, result = run("""\
        import asyncio


        async def f():
            return lambda: asyncio.get_event_loop()
        """, ("ATS405", "asyncio.get_event_loop", 0, COROUTINE_TEXT))
    assert result.source == text and codes(result.no_fix) == ["ATS405"] and not result.skipped


def test_ats405_with_arguments_is_skipped(run):
    text, result = run("""\
        import asyncio


        async def f():
            asyncio.get_event_loop(None)
        """, ("ATS405", "asyncio.get_event_loop", 0, COROUTINE_TEXT))
    assert result.source == text and reasons(result) == ["get_event_loop() has arguments here"]


def test_ats405_where_get_running_loop_means_something_else_is_skipped(run):
    text, result = run("""\
        from asyncio import get_event_loop

        get_running_loop = None


        async def f():
            get_event_loop()
        """, ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT))
    assert result.source == text
    assert reasons(result) == [
        "'get_running_loop' means something else in this module: import asyncio.get_running_loop by hand"
    ]


def test_ats405_a_name_imported_one_a_line_with_a_trailing_comma_gets_a_line_after_it(run):
    _, result = run("""\
        from asyncio import (
            get_event_loop,
        )


        async def f():
            get_event_loop()
        """, ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT))
    assert codes(result.fixed) == ["ATS405"]
    assert result.source.startswith("from asyncio import (\n    get_running_loop,\n)\n")
    assert "    get_running_loop()\n" in result.source


def test_ats405_a_from_import_not_at_the_top_gets_a_new_line_after_the_relative_imports(run):
    _, result = run("""\
        from . import helpers
        from .conftest import thing

        try:
            from asyncio import get_event_loop
        except ImportError:
            pass


        async def f():
            get_event_loop()
        """, ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT))
    assert codes(result.fixed) == ["ATS405"]
    assert result.source.startswith(
        "from . import helpers\nfrom .conftest import thing\nfrom asyncio import get_running_loop\n\ntry:\n"
    )
    assert "    get_running_loop()\n" in result.source
    assert "    from asyncio import get_event_loop\n" in result.source  # not a module-level import


# -- ATS203 -----------------------------------------------------------------------------------


def test_ats203_a_mark_in_parentheses_is_skipped(run):
    text, result = run("""\
        import pytest


        @(pytest.mark.asyncio)
        def test_x():
            pass
        """, ("ATS203", "pytest.mark"))
    assert result.source == text and reasons(result) == ["the mark does not stand on lines of its own"]


# -- ATS202 -----------------------------------------------------------------------------------


def test_ats202_uses_a_from_import_of_pytest_asyncio_fixture_and_drops_pytest(run):
    _, result = run("""\
        import pytest
        from pytest_asyncio import fixture


        @pytest.fixture
        async def db():
            return 1
        """, ("ATS202", "async def"))
    assert result.source == "from pytest_asyncio import fixture\n\n\n@fixture\nasync def db():\n    return 1\n"


def test_ats202_where_pytest_asyncio_means_something_else_is_skipped(run):
    text, result = run("""\
        import pytest

        pytest_asyncio = None


        @pytest.fixture
        async def db():
            return 1
        """, ("ATS202", "async def"))
    assert result.source == text
    assert reasons(result) == [
        "'pytest_asyncio' means something else in this module: import pytest_asyncio.fixture by hand"
    ]


def test_an_import_emptied_by_a_fix_stays_when_its_line_goes_on(run):
    _, result = run("""\
        import pytest; import sys


        @pytest.fixture
        async def db():
            return sys
        """, ("ATS202", "async def"))
    assert codes(result.fixed) == ["ATS202"]
    assert result.source.startswith("import pytest; import sys\nimport pytest_asyncio\n")
    assert "@pytest_asyncio.fixture\nasync def db():" in result.source


def test_imports_added_by_earlier_fixes_are_reused(run):
    _, result = run("""\
        import pytest
        from unittest import TestCase


        @pytest.fixture
        async def db():
            return 1


        @pytest.fixture
        async def cache():
            import pytest_asyncio  # inside the fixture: the decorator sees the module's names
            return pytest_asyncio


        class TestA(TestCase):
            async def test_a(self):
                pass


        class TestB(TestCase):
            async def test_b(self):
                pass
        """, ("ATS202", "async def db"), ("ATS202", "async def cache"),
        ("ATS205", "async def test_a"), ("ATS205", "async def test_b"))
    assert codes(result.fixed) == ["ATS202", "ATS202", "ATS205", "ATS205"] and not result.skipped
    source = result.source
    assert source.startswith("import pytest_asyncio\nfrom unittest import IsolatedAsyncioTestCase\n\n\n@")
    assert source.count("@pytest_asyncio.fixture\nasync def") == 2
    assert "class TestA(IsolatedAsyncioTestCase):" in source and "class TestB(IsolatedAsyncioTestCase):" in source


def test_an_import_added_by_an_earlier_fix_is_not_used_where_a_local_import_hides_it(run):
    _, result = run("""\
        from asyncio import get_event_loop


        async def f():
            get_event_loop()


        async def g():
            from asyncio import get_running_loop
            get_event_loop()
            return get_running_loop
        """, ("ATS405", "get_event_loop()", 0, COROUTINE_TEXT), ("ATS405", "get_event_loop()", 1, COROUTINE_TEXT))
    assert codes(result.fixed) == ["ATS405"]
    assert reasons(result) == [
        "'get_running_loop' means something else in this module: import asyncio.get_running_loop by hand"
    ]
    assert result.source.startswith("from asyncio import get_event_loop, get_running_loop\n")
    assert "async def f():\n    get_running_loop()\n" in result.source
    assert "    get_event_loop()\n    return get_running_loop\n" in result.source


# -- ATS201 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        ("from os import path\n\n\n", "from os import path\nimport pytest\n\n\n"),
        ('"""Docs."""\n\n\n', '"""Docs."""\nimport pytest\n\n\n'),
        ("X = 1\n\n\n", "import pytest\nX = 1\n\n\n"),
    ],
)
def test_ats201_adds_import_pytest_after_other_imports_or_the_docstring_or_at_the_top(run, before, after):
    test = "async def test_x():\n    pass\n"
    _, result = run(before + test, ("ATS201", "async def"))
    assert result.source == after + "@pytest.mark.asyncio\n" + test


def test_ats201_a_tuple_pytestmark_is_kept_and_the_test_gets_a_decorator(run):
    text, result = run("""\
        import pytest

        pytestmark = (pytest.mark.filterwarnings("ignore"),)


        async def test_x():
            pass
        """, ("ATS201", "async def"))
    assert result.source == text.replace("async def", "@pytest.mark.asyncio\nasync def")


def test_ats201_a_sync_test_method_keeps_the_pytestmark_as_it_is(run):
    text, result = run("""\
        import pytest

        pytestmark = [pytest.mark.filterwarnings("ignore")]


        class TestA:
            def test_sync(self):
                pass


        async def test_x():
            pass
        """, ("ATS201", "async def"))
    assert result.source == text.replace("async def", "@pytest.mark.asyncio\nasync def")


# -- ATS205 -----------------------------------------------------------------------------------


def test_ats205_a_base_spelled_with_other_letters_is_skipped(run):
    text, result = run("""\
        import unittest


        class TestA(unittest.\uff34estCase):
            async def test_a(self):
                pass
        """, ("ATS205", "async def"))
    assert result.source == text and reasons(result) == ["'TestCase' is not spelled out here"]


def test_ats205_where_the_new_name_means_something_else_is_skipped(run):
    text, result = run("""\
        from unittest import TestCase

        IsolatedAsyncioTestCase = None


        class TestA(TestCase):
            async def test_a(self):
                pass
        """, ("ATS205", "async def"))
    assert result.source == text
    assert reasons(result) == [
        "'IsolatedAsyncioTestCase' means something else in this module: "
        "import unittest.IsolatedAsyncioTestCase by hand"
    ]


# -- ATS503 -----------------------------------------------------------------------------------


def test_ats503_an_assertion_spelled_with_other_letters_is_skipped(run):
    text, result = run("""\
        async def f(m):
            m.assert_\uff43alled_once()
        """, ("ATS503", "m."))
    assert result.source == text and reasons(result) == ["'assert_called_once' is not spelled out here"]


# -- ATS502 -----------------------------------------------------------------------------------


def test_ats502_an_assignment_of_a_mock_gets_an_async_mock(run):
    _, result = run("""\
        from unittest.mock import Mock

        import module


        async def test_x():
            module.fetch = Mock(return_value=1)
        """, ("ATS502", "module.fetch"))
    assert codes(result.fixed) == ["ATS502"]
    assert result.source.startswith("from unittest.mock import AsyncMock\n\nimport module\n")
    assert "    module.fetch = AsyncMock(return_value=1)\n" in result.source


@pytest.mark.parametrize(
    "imports, expected",
    [
        ("patch, Mock", "patch, AsyncMock"),  # in no order: the new name goes last
        ("call, Mock, patch", "AsyncMock, call, patch"),  # by letters only
    ],
)
def test_ats502_the_new_name_joins_a_from_import_in_its_order(run, imports, expected):
    _, result = run(f"""\
        from unittest.mock import {imports}


        async def test_x():
            with patch("module.fetch", new=Mock()):
                call
        """, ("ATS502", 'patch("'))
    assert codes(result.fixed) == ["ATS502"]
    assert result.source.startswith(f"from unittest.mock import {expected}\n")
    assert 'patch("module.fetch", new=AsyncMock())' in result.source


@pytest.mark.parametrize(
    "statement, reason",
    [
        ('with patch("module.fetch"): pass', "no new= or new_callable= in the patch call"),
        ('with patch("module.fetch", new=make()): pass', "'make' is not a Mock class the fix knows"),
        ('monkeypatch.setattr("module.fetch")', "the sync mock '?' is made elsewhere: "
                                                "make it an AsyncMock where it is created"),
    ],
)
def test_ats502_near_misses(run, statement, reason):
    text, result = run(f"""\
        from unittest.mock import patch


        async def test_x(monkeypatch):
            {statement}
        """, ("ATS502", statement.replace("with ", "")[:12]))
    assert result.source == text and reasons(result) == [reason]


def test_ats502_where_async_mock_means_something_else_is_skipped(run):
    text, result = run("""\
        from unittest.mock import Mock, patch

        AsyncMock = None


        async def test_x():
            with patch("module.fetch", Mock()):
                pass
        """, ("ATS502", 'patch("'))
    assert result.source == text
    assert reasons(result) == [
        "'AsyncMock' means something else in this module: import unittest.mock.AsyncMock by hand"
    ]


# -- ATS402 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "definition, reason",
    [
        ("async def test_x(event_loop, /):\n    pass", "event_loop is a positional-only parameter"),
        ("async def test_x(*, event_loop):\n    pass",
         "event_loop is the only keyword-only parameter: remove it and the '*' by hand"),
        ("async def test_x(event_loop):\n    global event_loop", "event_loop is declared global or nonlocal"),
        ("async def test_x(event_loop): pass", "the body does not start on a line of its own"),
        ("async def test_x(event_loop):\n    import asyncio\n    return event_loop",
         "'asyncio' means something else in this module: import asyncio.get_running_loop by hand"),
        ("async def test_x(event_loop):\n    global asyncio\n    return event_loop",
         "'asyncio' means something else in this module: import asyncio.get_running_loop by hand"),
    ],
)
def test_ats402_near_misses(run, definition, reason):
    text, result = run(definition + "\n", ("ATS402", "event_loop"))
    assert result.source == text and reasons(result) == [reason]


def test_ats402_a_keyword_only_parameter_among_others_goes(run):
    _, result = run("async def test_x(*, tmp_path, event_loop):\n    pass\n", ("ATS402", "event_loop"))
    assert result.source == "async def test_x(*, tmp_path):\n    pass\n"


def test_ats402_a_comment_between_the_parameter_and_its_comma_stays(run):
    _, result = run("""\
        async def test_x(
            event_loop  # the loop
            , tmp_path,
        ):
            pass
        """, ("ATS402", "event_loop"))
    assert result.source == "async def test_x(\n      # the loop\n     tmp_path,\n):\n    pass\n"


def test_ats402_a_file_that_cannot_be_tokenized_is_skipped(run, monkeypatch):
    def fail(readline):
        raise tokenize.TokenError("EOF in multi-line statement", (1, 0))

    monkeypatch.setattr(source_file.tokenize, "generate_tokens", fail)
    text, result = run("async def test_x(event_loop, tmp_path):\n    pass\n", ("ATS402", "event_loop"))
    assert result.source == text and reasons(result) == ["the file cannot be tokenized"]


def test_an_unused_import_whose_line_cannot_be_tokenized_stays(run, monkeypatch):
    def fail(readline):
        raise tokenize.TokenError("EOF in multi-line statement", (1, 0))

    monkeypatch.setattr(source_file.tokenize, "generate_tokens", fail)
    _, result = run("""\
        from unittest import TestCase, main


        class TestA(TestCase):
            async def test_a(self):
                main
        """, ("ATS205", "async def"))
    assert codes(result.fixed) == ["ATS205"]
    assert result.source.startswith("from unittest import IsolatedAsyncioTestCase, TestCase, main\n")


def test_safety_constants_are_the_two_kinds():
    assert {safety for safety, _ in FIXES.values()} == {SAFE, UNSAFE}


# -- bugs found (the fix modules are not changed here) --------------------------------------------------


def test_ats201_on_a_file_with_no_imports_that_starts_with_the_test(run):
    """Found by these tests: the decorator and the new `import pytest` were both inserted at
    offset 0, the decorator first, and the result did not compile."""
    _, result = run("async def test_x():\n    pass\n", ("ATS201", "async def"))
    assert result.error is None and codes(result.fixed) == ["ATS201"]
    assert result.source.startswith("import pytest\n") and "@pytest.mark.asyncio\nasync def test_x():" in result.source


@pytest.mark.parametrize(
    "parameters", ["tmp_path, event_loop=None", "event_loop=None, tmp_path=1", "*, event_loop=1, other"]
)
def test_ats402_a_parameter_with_a_default_is_left_alone(run, parameters):
    """Found by these tests: the name went, its default stayed (`tmp_path, event_loop=None` became
    `tmp_path=None`). The checker never reports such a parameter; a report from elsewhere is skipped."""
    text, result = run(f"async def test_x({parameters}):\n    pass\n", ("ATS402", "event_loop"))
    assert result.source == text
    assert result.skipped[0][1] == "event_loop has a default value: remove it by hand"


def test_a_new_import_line_goes_above_the_first_statements_decorators():
    result = fix_source("@other\nasync def test_x():\n    pass\n", "test_x.py", [Report(2, 0, "ATS201", "...")], False)
    assert result.source == "import pytest\n@other\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n"
