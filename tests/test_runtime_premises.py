"""The failures the rules predict, shown by running real pytest sessions in a subprocess."""

from __future__ import annotations

import subprocess
import sys

MOCK_SUITE = """\
from unittest.mock import AsyncMock, MagicMock

import pytest


async def fetch_name(client):
    response = await client.fetch()
    return response


@pytest.mark.asyncio
async def test_flagged():
    client = MagicMock()
    assert await client.fetch() is not None


@pytest.mark.asyncio
async def test_fixed():
    client = AsyncMock()
    assert await client.fetch() is not None
"""


def run_pytest(project, *args):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ats501_case_fails_with_the_type_error_and_its_asyncmock_fix_passes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_mocks.py", MOCK_SUITE)
    assert project.codes("test_mocks.py") == ["ATS501"]
    result = run_pytest(project, "test_mocks.py")
    assert "TypeError: object MagicMock can't be used in 'await' expression" in result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "test_flagged" in result.stdout.split("short test summary")[-1]


SCOPE_MISMATCH_SUITE = """\
import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def flagged():
    yield "value"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fixed():
    yield "value"


@pytest.mark.asyncio
async def test_flagged(flagged):
    assert flagged == "value"


@pytest.mark.asyncio(loop_scope="module")
async def test_fixed(fixed):
    assert fixed == "value"
"""


def test_ats403_case_fails_with_scope_mismatch_and_its_loop_scope_fix_passes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_scopes.py", SCOPE_MISMATCH_SUITE)
    assert project.codes("test_scopes.py") == ["ATS403"]
    result = run_pytest(project, "test_scopes.py")
    assert "ScopeMismatch" in result.stdout
    assert "1 passed, 1 error" in result.stdout
    assert "test_flagged" in result.stdout.split("short test summary")[-1]


DIFFERENT_LOOP_SUITE = """\
import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def queue():
    return asyncio.Queue()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def future():
    return asyncio.get_running_loop().create_future()


@pytest.mark.asyncio
async def test_flagged(future):
    assert await future is None


@pytest.mark.asyncio(loop_scope="session")
async def test_fixed(queue):
    queue.put_nowait(1)
    assert await queue.get() == 1
"""


def test_ats404_case_fails_attached_to_a_different_loop_and_the_same_loop_scope_passes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_loops.py", DIFFERENT_LOOP_SUITE)
    assert project.codes("test_loops.py") == ["ATS404"]
    result = run_pytest(project, "test_loops.py")
    assert "attached to a different loop" in result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "test_flagged" in result.stdout.split("short test summary")[-1]
