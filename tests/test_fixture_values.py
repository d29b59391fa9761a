"""Fixture values across files: what a conftest fixture hands over reaches the tests."""

from __future__ import annotations

import pytest
from test_runtime_premises import run_pytest

CONFTEST = """\
from collections.abc import AsyncIterator
from unittest.mock import AsyncMock, patch

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.main import app
from app.services import make_engine


@pytest.fixture
async def client() -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        yield client


@pytest.fixture
def mailer():
    return AsyncMock()


@pytest.fixture
async def session():
    factory = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))
    async with factory() as session:
        yield session
        await session.rollback()


@pytest.fixture
def patched_delivery():
    with patch("app.services.deliver") as deliver:
        yield deliver


@pytest.fixture
def engine():
    return make_engine()


@pytest.fixture
async def connection(engine):
    async with engine.begin() as conn:
        yield conn
"""

APP = {
    "app/__init__.py": "",
    "app/main.py": "async def app(scope, receive, send):\n    pass\n",
    "app/services.py": """\
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


async def deliver(address):
    return address


async def welcome(address, client):
    await client.send(address)


def make_engine() -> AsyncEngine:
    return create_async_engine("sqlite+aiosqlite://")
""",
}

TESTS = """\
from app.services import welcome


async def test_list_users(client):
    response = client.get("/api/users")
    assert response.json()


async def test_welcome(mailer):
    await welcome("ada@example.com", client=mailer)
    mailer.send.assert_called_once_with("ada@example.com")


async def test_commit(session):
    session.commit()


async def test_patched(patched_delivery):
    patched_delivery.assert_called_once()


async def test_awaited(client, session, mailer):
    assert (await client.get("/")).status_code == 200
    await session.commit()
    mailer.send.assert_awaited_once()
"""


def write_project(project, ini="[pytest]\nasyncio_mode = auto\n"):
    project.write("pytest.ini", ini)
    for path, text in APP.items():
        project.write(path, text)
    project.write("tests/conftest.py", CONFTEST)


def test_conftest_fixture_values_reach_the_tests(project):
    write_project(project)
    project.write("tests/test_users.py", TESTS)
    assert project.codes("tests/test_users.py") == ["ATS101", "ATS503", "ATS101", "ATS503"]


def test_an_engine_from_a_helper_annotated_async_engine_is_seen_by_ats302(project):
    write_project(project)
    assert "ATS302" in project.codes("tests/conftest.py")


def test_a_test_module_fixture_overrides_the_conftest_one(project):
    write_project(project)
    project.write(
        "tests/test_users.py",
        "import pytest\n\n\n@pytest.fixture\ndef client():\n    return object()\n\n\n"
        "async def test_list_users(client):\n    client.get('/')\n",
    )
    assert project.codes("tests/test_users.py") == []


def test_a_nearer_conftest_overrides_a_parent_one(project):
    write_project(project)
    project.write("tests/api/conftest.py", "import pytest\n\n\n@pytest.fixture\ndef mailer():\n    return None\n")
    project.write("tests/api/test_mail.py", TESTS.split("async def test_commit")[0])
    assert project.codes("tests/api/test_mail.py") == ["ATS101"]


def test_a_fixture_that_requests_itself_gets_the_overridden_value(project):
    write_project(project)
    project.write(
        "tests/api/conftest.py",
        "import pytest\n\n\n@pytest.fixture\ndef client(client):\n    client.headers['x'] = '1'\n    return client\n",
    )
    project.write("tests/api/test_client.py", "async def test_get(client):\n    client.get('/')\n")
    assert project.codes("tests/api/test_client.py") == ["ATS101"]


MISSING_AWAIT_SUITE = """\
import pytest
from httpx import ASGITransport, AsyncClient


async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"[1]"})


@pytest.fixture
async def client():
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        yield client


async def test_flagged(client):
    response = client.get("/api/users")
    assert response.json()


async def test_fixed(client):
    response = await client.get("/api/users")
    assert response.json() == [1]
"""


def test_a_fixture_provided_missing_await_fails_at_run_time(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_users.py", MISSING_AWAIT_SUITE)
    assert project.codes("test_users.py") == ["ATS101"]
    result = run_pytest(project, "-W", "ignore::RuntimeWarning")
    assert "AttributeError: 'coroutine' object has no attribute 'json'" in result.stdout, result.stdout
    assert "1 failed, 1 passed" in result.stdout


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        ("def test_x(customer):\n    assert customer\n", ["ATS102"]),
        ("async def test_x(customer):\n    assert await customer\n", []),
        ("import asyncio\n\ndef test_x(customer):\n    assert asyncio.run(customer)\n", []),
        ("import asyncio\n\nasync def test_x(customer):\n    await asyncio.gather(customer)\n", []),
    ],
)
def test_a_conftest_fixture_returning_a_coroutine_unless_a_test_below_awaits_it(project, test, expected):
    project.write("pytest.ini", "[pytest]\n")
    project.write(
        "tests/conftest.py",
        "import pytest\n\nasync def make():\n    return 1\n\n@pytest.fixture\ndef customer():\n    return make()\n",
    )
    project.write("tests/test_x.py", test)
    assert project.codes("tests/conftest.py") == expected
