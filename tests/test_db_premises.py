"""ATS3xx's premise, against the real library: SQLAlchemy with aiosqlite (one in-memory database
shared by the whole pytest session, no mocks). Two tests run in a subprocess; the first commits a
row (or only flushes it), the second counts rows. The fixture shapes ATS301 / ATS302 flag leak
the row into the second test; the recommended fixture (docs/rules/ATS301.md) does not."""

from __future__ import annotations

import pytest
from test_runtime_premises import run_pytest

pytest.importorskip("sqlalchemy.ext.asyncio")
pytest.importorskip("aiosqlite")

PYTEST_INI = """\
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
asyncio_default_test_loop_scope = session
"""

SUITE = """\
import pytest_asyncio
from sqlalchemy import String, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@pytest_asyncio.fixture(scope="session")
async def engine():
    engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool)  # one database for the session

    @event.listens_for(engine.sync_engine, "connect")
    def _no_driver_transactions(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None  # SQLAlchemy's SQLite recipe, so that SAVEPOINT works

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")

    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()


{session_fixture}


async def test_first_writes_a_row(session):
    session.add(Item(name="written by the first test"))
    await session.{write}()
    assert await session.scalar(select(func.count()).select_from(Item)) == 1


async def test_second_starts_empty(session):
    assert await session.scalar(select(func.count()).select_from(Item)) == 0
"""

CLOSED_ONLY = """\
@pytest_asyncio.fixture
async def session(engine):
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session"""

YIELD_IN_BEGIN = """\
@pytest_asyncio.fixture
async def session(engine):
    async with AsyncSession(engine, expire_on_commit=False) as session:
        async with session.begin():
            yield session"""

RECOMMENDED = """\
@pytest_asyncio.fixture
async def session(engine):
    async with engine.connect() as conn:
        transaction = await conn.begin()
        session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        yield session
        await session.close()
        await transaction.rollback()"""

ROLLBACK_ONLY = """\
@pytest_asyncio.fixture
async def session(engine):
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
        await session.rollback()"""


@pytest.mark.parametrize(
    ("fixture", "write", "codes", "leaks"),
    [
        pytest.param(CLOSED_ONLY, "commit", ["ATS301"], True, id="ATS301-closed-only"),
        pytest.param(YIELD_IN_BEGIN, "flush", ["ATS302"], True, id="ATS302-yield-in-begin"),
        pytest.param(RECOMMENDED, "commit", [], False, id="recommended-outer-transaction"),
        pytest.param(ROLLBACK_ONLY, "flush", [], False, id="rollback-of-flushed-work"),
    ],
)
def test_flagged_fixtures_leak_rows_into_the_next_test_and_the_recommended_one_does_not(
    project, fixture, write, codes, leaks
):
    project.write("pytest.ini", PYTEST_INI)
    project.write("test_db.py", SUITE.format(session_fixture=fixture, write=write))
    assert project.codes("test_db.py") == codes
    result = run_pytest(project, "test_db.py")
    if leaks:
        assert "1 failed, 1 passed" in result.stdout, result.stdout
        assert "test_second_starts_empty - assert 1 == 0" in result.stdout
    else:
        assert "2 passed" in result.stdout, result.stdout
