"""ATS106 in real pytest sessions: an aiohttp ClientSession a fixture returns, and an AsyncEngine
it yields and never disposes, leave ResourceWarnings behind ("Unclosed client session", an
aiosqlite connection "deleted before being closed"); the `async with` / `dispose()` versions
leave none. (An httpx.AsyncClient that never opened a connection warns about nothing: it is
not in the rule.)"""

from __future__ import annotations

import pytest
from test_runtime_premises import run_pytest

pytest.importorskip("aiohttp")

CONFIG = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"

FLAGGED = """\
import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


@pytest_asyncio.fixture
async def session():
    return aiohttp.ClientSession()


@pytest_asyncio.fixture
async def engine(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    async with engine.connect() as connection:
        await connection.execute(text("select 1"))
    yield engine


@pytest.mark.asyncio
async def test_session(session):
    assert not session.closed


@pytest.mark.asyncio
async def test_engine(engine):
    assert engine.url
"""

FIXED = """\
import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


@pytest_asyncio.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest_asyncio.fixture
async def engine(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    async with engine.connect() as connection:
        await connection.execute(text("select 1"))
    yield engine
    await engine.dispose()


@pytest.mark.asyncio
async def test_session(session):
    assert not session.closed


@pytest.mark.asyncio
async def test_engine(engine):
    assert engine.url
"""


def test_unclosed_resources_warn_and_closed_ones_do_not(project):
    project.write("pytest.ini", CONFIG)
    project.write("test_flagged.py", FLAGGED)
    project.write("test_fixed.py", FIXED)
    assert project.codes("test_flagged.py") == ["ATS106", "ATS106"]
    assert project.codes("test_fixed.py") == []
    flagged = run_pytest(project, "-W", "error::ResourceWarning", "test_flagged.py")  # made visible
    output = flagged.stdout + flagged.stderr
    assert "2 passed" in flagged.stdout  # green, with the leaks in its warnings only
    assert "ResourceWarning: Unclosed client session" in output
    assert "was deleted before being closed" in output
    fixed = run_pytest(project, "-W", "error::ResourceWarning", "test_fixed.py")
    assert "2 passed" in fixed.stdout
    assert "ResourceWarning" not in fixed.stdout + fixed.stderr
