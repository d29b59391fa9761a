"""ATS3xx across files: sessionmakers imported from the project, factories declared by option,
and cleanup done by fixtures in a parent conftest."""

from __future__ import annotations

from conftest import clear_caches

from flake8_async_testing.settings import Settings

APP_DB = """\
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

engine = create_async_engine("postgresql+asyncpg://app@localhost/app")
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


async def get_session():
    async with SessionLocal() as session:
        yield session
"""

CONFTEST = """\
import pytest_asyncio

from app.db import SessionLocal, get_session


@pytest_asyncio.fixture
async def session():
    async with SessionLocal() as session:
        yield session


@pytest_asyncio.fixture
async def dependency_session():
    async for session in get_session():
        yield session
"""


def test_sessionmaker_imported_from_the_project(project):
    project.write("pyproject.toml", "[tool.pytest.ini_options]\n")
    project.write("app/__init__.py", "")
    project.write("app/db.py", APP_DB)
    project.write("tests/conftest.py", CONFTEST)
    assert project.codes("tests/conftest.py") == ["ATS301"]  # get_session is a generator: not followed


def test_factories_declared_by_option(project):
    project.write("pyproject.toml", "[tool.pytest.ini_options]\n")
    project.write("tests/conftest.py", CONFTEST)  # app/ is not there: nothing to read
    assert project.codes("tests/conftest.py") == []
    clear_caches()
    declared = Settings(session_factories=frozenset({"SessionLocal", "app.db.get_session"}))
    assert project.codes("tests/conftest.py", declared) == ["ATS301", "ATS301"]


def test_cleanup_by_an_autouse_fixture_of_a_parent_conftest(project):
    project.write("pyproject.toml", "[tool.pytest.ini_options]\n")
    project.write("app/__init__.py", "")
    project.write("app/db.py", APP_DB)
    project.write(
        "tests/conftest.py",
        """\
        import pytest_asyncio
        from sqlalchemy import text

        from app.db import engine


        @pytest_asyncio.fixture(autouse=True)
        async def clean_tables():
            yield
            async with engine.begin() as conn:
                await conn.execute(text("TRUNCATE users CASCADE"))
        """,
    )
    project.write(
        "tests/api/test_users.py",
        """\
        import pytest_asyncio

        from app.db import SessionLocal


        @pytest_asyncio.fixture
        async def session():
            async with SessionLocal() as session:
                yield session
        """,
    )
    assert project.codes("tests/api/test_users.py") == []
    clear_caches()
    project.write("tests/conftest.py", "")
    assert project.codes("tests/api/test_users.py") == ["ATS301"]


def test_flake8_option_parses_the_factory_list():
    from types import SimpleNamespace

    settings = Settings.from_options(SimpleNamespace(session_factories="SessionLocal, get_db"))
    assert settings.session_factories == frozenset({"SessionLocal", "get_db"})
