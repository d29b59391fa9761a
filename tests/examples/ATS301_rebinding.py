"""The database rules follow the name a fixture yields to what it holds at that point."""

import contextlib

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

DATABASE_URL = "postgresql+asyncpg://test@localhost/test"
engine = create_async_engine(DATABASE_URL)


@pytest_asyncio.fixture
async def session_never_rolled_back():  # error: ATS301:1 name=session_never_rolled_back kind=session
    session = AsyncSession(engine)
    yield session
    await session.close()


@pytest_asyncio.fixture
async def session_bound_by_walrus():  # error: ATS301:1 name=session_bound_by_walrus kind=session
    if (session := AsyncSession(engine)) is not None:
        yield session


@pytest_asyncio.fixture
async def session_alias():  # error: ATS301:1 name=session_alias kind=session
    made = AsyncSession(engine)
    session = made
    yield session


# -- silent: what is yielded is no session any more -------------------------------------------


@pytest_asyncio.fixture
async def rebound_by_assignment(make_client):
    session = AsyncSession(engine)
    session = make_client()
    yield session


@pytest_asyncio.fixture
async def rebound_by_for(clients):
    session = AsyncSession(engine)
    for session in clients:
        pass
    yield session


@pytest_asyncio.fixture
async def rebound_by_with(factory):
    session = AsyncSession(engine)
    with contextlib.nullcontext(factory()) as session:
        yield session


@pytest_asyncio.fixture
async def rebound_by_unpacking(pair):
    session = AsyncSession(engine)
    session, other = pair
    yield session


@pytest_asyncio.fixture
async def rebound_by_import():
    session = AsyncSession(engine)
    from app import session
    yield session


@pytest_asyncio.fixture
async def comprehension_variable_stays_inside(other_sessions):
    names = [session for session in other_sessions]
    yield names
