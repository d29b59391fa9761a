import asyncio
import os
from unittest.mock import AsyncMock

import pytest
import pytest_asyncio
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from app import services
from app.db import Base, User, get_session
from app.main import app

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+asyncpg://shop:shop@localhost:5432/shop_test")


async def _create_schema(engine):
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)


async def _drop_schema(engine):
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
    await engine.dispose()


@pytest.fixture(scope="session")
def engine():
    # NullPool: no connection outlives the event loop of the test that opened it.
    engine = create_async_engine(TEST_DATABASE_URL, poolclass=NullPool)
    asyncio.run(_create_schema(engine))
    yield engine
    asyncio.run(_drop_schema(engine))


@pytest_asyncio.fixture
async def session(engine):
    """A session whose commits are undone after the test (SQLAlchemy's "join an external transaction" recipe)."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        yield session
        await session.close()
        await transaction.rollback()


@pytest_asyncio.fixture
async def client(session):
    async def _test_session():
        yield session

    app.dependency_overrides[get_session] = _test_session
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        yield client
    app.dependency_overrides.clear()


@pytest.fixture(autouse=True)
def no_real_emails(monkeypatch):
    monkeypatch.setattr(services, "send_welcome_email", AsyncMock(return_value=True))


@pytest.fixture
async def admin_token():  # ATS202
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as ac:
        response = await ac.post("/token", data={"username": "admin", "password": "admin"})
    return response.json()["access_token"]


@pytest_asyncio.fixture
async def legacy_session(engine):  # ATS301
    session_factory = async_sessionmaker(engine, expire_on_commit=False)
    async with session_factory() as session:
        yield session


@pytest_asyncio.fixture
async def seeded_session(engine):
    async with AsyncSession(engine, expire_on_commit=False) as session:
        async with session.begin():  # ATS302
            session.add_all([User(name="seed-ann"), User(name="seed-ben", email="ben@example.com")])
            yield session


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def catalog_session(engine):  # ATS303
    async with engine.connect() as conn:
        transaction = await conn.begin()
        session = AsyncSession(bind=conn, join_transaction_mode="create_savepoint")
        yield session
        await session.close()
        await transaction.rollback()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def outbox():
    queue = asyncio.Queue()
    sent = []

    async def deliver():
        while True:
            sent.append(await queue.get())

    worker = asyncio.create_task(deliver())  # runs in the session loop only
    yield queue, sent
    worker.cancel()


@pytest.fixture(scope="session")
def event_loop():  # ATS401
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
