# Names imported inside a fixture resolve as the module's do: `delete` imported at teardown
# clears the table, `select` only reads.
import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from models import User

SessionLocal = async_sessionmaker(create_async_engine("postgresql+asyncpg://test@localhost/test"))


@pytest_asyncio.fixture
async def session_cleared_by_a_local_import():
    async with SessionLocal() as session:
        yield session
        from sqlalchemy import delete

        await session.execute(delete(User))
        await session.commit()


@pytest_asyncio.fixture
async def session_cleared_by_a_local_module_import():
    async with SessionLocal() as session:
        yield session
        import sqlalchemy as sa

        await session.execute(sa.delete(User))
        await session.commit()


@pytest_asyncio.fixture
async def session_only_read_at_teardown():  # error: ATS301:1 name=session_only_read_at_teardown kind=session
    async with SessionLocal() as session:
        yield session
        from sqlalchemy import select

        await session.execute(select(User))


@pytest_asyncio.fixture
async def session_of_the_tests():
    async with SessionLocal() as session:
        yield session


@pytest_asyncio.fixture
async def users_cleared(session_of_the_tests):
    yield
    from sqlalchemy import delete

    await session_of_the_tests.execute(delete(User))
    await session_of_the_tests.commit()


@pytest.mark.asyncio
async def test_cleared_by_a_sibling_with_a_local_import(session_of_the_tests, users_cleared):
    await session_of_the_tests.commit()
