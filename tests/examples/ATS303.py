from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker, create_async_engine

engine = create_async_engine("postgresql+asyncpg://test@localhost/test")
SessionLocal = async_sessionmaker(engine)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_session():  # error: ATS303:1 name=module_session kind=session scope=module
    async with engine.connect() as conn:
        transaction = await conn.begin()
        session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint")
        yield session
        await transaction.rollback()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def session_connection():  # error: ATS303:1 name=session_connection kind=connection scope=session
    async with engine.connect() as conn:
        yield conn
        await conn.rollback()


@pytest_asyncio.fixture(scope="class", loop_scope="class")
async def returned_session():  # error: ATS303:1 name=returned_session kind=session scope=class
    return SessionLocal()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def never_rolled_back():  # error: ATS301:1 name=never_rolled_back kind=session ; ATS303:1 name=never_rolled_back kind=session scope=module
    async with SessionLocal() as session:
        yield session


# Near misses: engines may be shared; function scope; computed scopes; other objects.


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def shared_engine():
    engine = create_async_engine("postgresql+asyncpg://test@localhost/test")
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def shared_factory():
    return async_sessionmaker(engine)


@pytest_asyncio.fixture
async def per_test_session():
    async with SessionLocal() as session:
        yield session
        await session.rollback()


def pick_scope(fixture_name, config):
    return "module"


@pytest_asyncio.fixture(scope=pick_scope)
async def computed_scope():
    async with SessionLocal() as session:
        yield session
        await session.rollback()


@pytest.fixture(scope="module")
def settings():
    return {"url": "postgresql://test@localhost/test"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def passed_on(module_session: AsyncSession) -> AsyncIterator[AsyncSession]:
    yield module_session


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def connection_parameter(conn: AsyncConnection):
    return conn
