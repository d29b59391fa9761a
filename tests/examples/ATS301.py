import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from sqlalchemy import create_engine, delete, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from helpers import reset_database
from models import Base, User

DATABASE_URL = "postgresql+asyncpg://test@localhost/test"
shared_engine = create_async_engine(DATABASE_URL)
SessionLocal = async_sessionmaker(shared_engine, expire_on_commit=False)
SyncSessionLocal = sessionmaker(create_engine("postgresql://test@localhost/test"))


@pytest.fixture(scope="session")
def engine():
    return create_async_engine(DATABASE_URL)  # session-scoped: one engine, found at exit (no ATS106)


@pytest_asyncio.fixture
async def session():  # error: ATS301:1 name=session kind=session
    async with SessionLocal() as session:
        yield session


@pytest_asyncio.fixture
async def closed_session():  # error: ATS301:1 name=closed_session kind=session
    session = SessionLocal()
    yield session
    await session.close()  # closing rolls back only what was not committed


@pytest_asyncio.fixture
async def session_from_engine(engine):  # error: ATS301:1 name=session_from_engine kind=session
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session


@pytest_asyncio.fixture
async def connection(engine):  # error: ATS301:1 name=connection kind=connection
    async with engine.connect() as conn:
        yield conn


@pytest_asyncio.fixture
async def local_factory(engine: AsyncEngine):  # error: ATS301:1 name=local_factory kind=session
    factory = async_sessionmaker(engine)
    async with factory() as session:
        yield session


@pytest.fixture
def sync_session() -> Iterator[Session]:  # error: ATS301:1 name=sync_session kind=session
    with SyncSessionLocal() as session:
        yield session


class TestUsers:
    @pytest_asyncio.fixture
    async def session(self):  # error: ATS301:5 name=session kind=session
        async with SessionLocal() as session:
            yield session


# Near misses: something undoes the test's commits, or the fixture did not make the session.


@pytest_asyncio.fixture
async def rolled_back():
    async with SessionLocal() as session:
        yield session
        await session.rollback()


@pytest_asyncio.fixture
async def outer_transaction(engine):
    async with engine.connect() as conn:
        transaction = await conn.begin()
        session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint")
        yield session
        await session.close()
        await transaction.rollback()


@pytest_asyncio.fixture
async def savepoint(engine):
    async with engine.connect() as conn:
        await conn.begin()
        await conn.begin_nested()
        async with AsyncSession(bind=conn) as session:
            yield session


@pytest_asyncio.fixture
async def recreated_schema(engine):
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    async with AsyncSession(engine) as session:
        yield session
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)


@pytest_asyncio.fixture
async def truncated(engine):
    async with AsyncSession(engine) as session:
        yield session
        await session.execute(text("TRUNCATE users CASCADE"))
        await session.commit()


@pytest_asyncio.fixture
async def deleted_rows():
    async with SessionLocal() as session:
        yield session
        await session.execute(delete(User))
        await session.commit()


@pytest_asyncio.fixture
async def in_memory_database():
    engine = create_async_engine("sqlite+aiosqlite:///:memory:")
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    async with AsyncSession(engine) as session:
        yield session


@pytest_asyncio.fixture
async def per_test_database(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/test.db")
    async with AsyncSession(engine) as session:
        yield session


@pytest_asyncio.fixture
async def fresh_engine():
    engine = create_async_engine("sqlite+aiosqlite://")
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def on_fresh_engine(fresh_engine):
    async with AsyncSession(fresh_engine) as session:  # the engine fixture makes a database per test
        yield session


@pytest_asyncio.fixture
async def cleaning():
    yield
    async with SessionLocal() as session:
        await session.execute(text("DELETE FROM users"))
        await session.commit()


@pytest_asyncio.fixture
async def cleaned(cleaning):
    async with SessionLocal() as session:  # the cleaning fixture undoes it
        yield session


@pytest_asyncio.fixture
async def passed_on(session_from_engine):
    yield session_from_engine


@pytest_asyncio.fixture
async def annotated_parameter(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    yield session


@pytest_asyncio.fixture
async def returned():
    return SessionLocal()  # not a yield fixture: ATS301 is about teardown


@pytest_asyncio.fixture
async def engine_only():
    engine = create_async_engine(DATABASE_URL)
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def helper_factory(engine):  # error: ATS301:1 name=helper_factory kind=session
    async with make_session(engine) as session:  # the helper returns an AsyncSession
        yield session


def make_session(engine):
    return AsyncSession(engine)


@pytest_asyncio.fixture
async def unknown_factory(engine):
    async with reset_database.session(engine) as session:  # cannot see what it gives
        yield session


async def session_helper():  # not a fixture
    async with SessionLocal() as session:
        yield session


# Found on advanced-alchemy's suite: the engine fixture drops the schema at teardown through a
# helper defined inside it (run by asyncio.run); the session fixture on top of it is safe.


@pytest.fixture
def schema_engine():
    engine = create_async_engine(DATABASE_URL)

    async def _drop() -> None:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.drop_all)

    yield engine  # error: ATS106:11 name=schema_engine how=yields what=AsyncEngine call=create_async_engine symptom="its pooled connections are deleted unclosed, a ResourceWarning"
    asyncio.run(_drop())


@pytest_asyncio.fixture
async def on_schema_engine(schema_engine: AsyncEngine):
    factory = async_sessionmaker(schema_engine, expire_on_commit=False)
    async with factory() as session:
        yield session
    reset_context()


@pytest_asyncio.fixture
async def helper_drops_tables(engine):
    async with AsyncSession(engine) as session:
        yield session
    await drop_tables(engine)


@pytest_asyncio.fixture
async def unseen_helper(engine):
    async with AsyncSession(engine) as session:
        yield session
    await reset_database(engine)  # imported from elsewhere: it may clean up


@pytest_asyncio.fixture
async def helper_that_only_logs(engine):  # error: ATS301:1 name=helper_that_only_logs kind=session
    async with AsyncSession(engine) as session:
        yield session
    log_done()


async def drop_tables(engine):
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)


def log_done():
    print("done")


def reset_context():
    pass
