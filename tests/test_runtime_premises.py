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
