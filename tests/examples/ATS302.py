import pytest
import pytest_asyncio
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

engine = create_async_engine("postgresql+asyncpg://test@localhost/test")
SessionLocal = async_sessionmaker(engine)
sync_engine = create_engine("postgresql://test@localhost/test")


@pytest_asyncio.fixture
async def session_in_begin():
    async with SessionLocal() as session:
        async with session.begin():  # error: ATS302:20 name=session_in_begin call="session.begin()"
            yield session


@pytest_asyncio.fixture
async def sessionmaker_begin():
    async with SessionLocal.begin() as session:  # error: ATS302:16 name=sessionmaker_begin call="SessionLocal.begin()"
        yield session


@pytest_asyncio.fixture
async def engine_begin():
    async with engine.begin() as conn:  # error: ATS302:16 name=engine_begin call="engine.begin()"
        yield conn


@pytest.fixture
def sync_session_begin():
    with Session(sync_engine) as session, session.begin():  # error: ATS302:43 name=sync_session_begin call="session.begin()"
        yield session


# Near misses: the yield is outside the block, or the fixture rolls back.


@pytest_asyncio.fixture
async def begin_for_setup_only():
    async with SessionLocal() as session:
        async with session.begin():
            session.add(object())
        yield session
        await session.rollback()


@pytest_asyncio.fixture
async def begin_then_rollback():
    async with engine.connect() as conn:
        async with conn.begin() as transaction:
            yield conn
            await transaction.rollback()


@pytest_asyncio.fixture
async def other_begin(client):
    async with client.begin():
        yield client
