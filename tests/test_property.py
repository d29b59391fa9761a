"""The checker never raises, whatever valid Python it is given: programs generated from the
grammar by hypothesmith, bounded so the suite stays fast."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_testing.plugin import check

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")

from hypothesis import HealthCheck, given, settings  # noqa: E402

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same programs on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def _checks_cleanly(source: str, tmp_path) -> None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return  # flake8 would not hand this over either
    for name in ("test_generated.py", "conftest.py"):
        check(tree, str(tmp_path / name))
    # the same code as the body of an async test and of a fixture, where most rules look
    for header in ("import pytest\n\n\nasync def test_generated(session, event_loop):\n", FIXTURE_HEADER):
        try:
            nested = ast.parse(header + textwrap.indent(source, "    ") + "\n    pass\n")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        check(nested, str(tmp_path / "test_generated.py"))


FIXTURE_HEADER = """\
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession


@pytest_asyncio.fixture(scope="module")
async def session(engine):
    session = AsyncSession(engine)
"""


@BOUNDED
@given(source=hypothesmith.from_grammar())
def test_checker_never_raises_on_generated_modules(source, tmp_path_factory):
    _checks_cleanly(source, tmp_path_factory.getbasetemp())


@BOUNDED
@given(source=hypothesmith.from_node())
def test_checker_never_raises_on_generated_syntax_trees(source, tmp_path_factory):
    _checks_cleanly(source, tmp_path_factory.getbasetemp())
