"""A parameter filled from a fixture holds what that fixture hands over."""
# modes: auto

from collections.abc import AsyncIterator, Iterator
from unittest.mock import AsyncMock, MagicMock, patch

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


class UserService:
    async def create(self, name):
        return name

    def describe(self):
        return "users"


def make_engine() -> AsyncEngine:
    return create_async_engine("sqlite+aiosqlite://")


def make_client():
    return httpx.AsyncClient(base_url="http://test")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url="http://test") as client:
        yield client


@pytest.fixture
async def unannotated_client():
    async with httpx.AsyncClient(base_url="http://test") as client:
        yield client


@pytest.fixture
def string_annotated() -> "Iterator[httpx.AsyncClient]":
    yield make_client()  # error: ATS106:11 name=string_annotated how=yields what="httpx AsyncClient" call=make_client symptom="once it has made a request, its kept-alive connections are deleted unclosed: 'unclosed transport', a ResourceWarning"


@pytest.fixture
def helper_client():
    return make_client()  # error: ATS106:12 name=helper_client how=returns what="httpx AsyncClient" call=make_client symptom="once it has made a request, its kept-alive connections are deleted unclosed: 'unclosed transport', a ResourceWarning"


@pytest.fixture
def auth_client(client):
    client.headers["Authorization"] = "Bearer x"
    return client


@pytest.fixture
def service():
    return UserService()


@pytest.fixture
async def session():
    factory = async_sessionmaker(make_engine())
    async with factory() as session:
        yield session
        await session.rollback()


@pytest.fixture
def parametrized_client(request):
    return httpx.AsyncClient(base_url=request.param)  # error: ATS106:12 name=parametrized_client how=returns what="httpx AsyncClient" call=httpx.AsyncClient symptom="once it has made a request, its kept-alive connections are deleted unclosed: 'unclosed transport', a ResourceWarning"


@pytest.fixture(params=["a", "b"])
def client_per_param(request):
    return httpx.AsyncClient(base_url=request.param)  # error: ATS106:12 name=client_per_param how=returns what="httpx AsyncClient" call=httpx.AsyncClient symptom="once it has made a request, its kept-alive connections are deleted unclosed: 'unclosed transport', a ResourceWarning"


@pytest.fixture
def unknown(request):
    return request.getfixturevalue("client")


async def test_client_get_not_awaited(client):
    response = client.get("/api/users")  # error: ATS101:16 basis="a coroutine function" call=client.get how="bound to 'response' and never awaited or passed on"
    assert response.json()


async def test_unannotated_fixture(unannotated_client):
    unannotated_client.post("/")  # error: ATS101:5 basis="a coroutine function" call=unannotated_client.post how="its result is discarded"


async def test_string_annotation(string_annotated):
    string_annotated.get("/")  # error: ATS101:5 basis="a coroutine function" call=string_annotated.get how="its result is discarded"


async def test_helper_return_value(helper_client):
    helper_client.get("/")  # error: ATS101:5 basis="a coroutine function" call=helper_client.get how="its result is discarded"


async def test_value_handed_on(auth_client):
    auth_client.get("/")  # error: ATS101:5 basis="a coroutine function" call=auth_client.get how="its result is discarded"


async def test_project_service(service):
    service.create("ada")  # error: ATS101:5 basis="a coroutine function" call=service.create how="its result is discarded"
    assert service.describe() == "users"


async def test_session_commit(session):
    session.add(object())
    session.commit()  # error: ATS101:5 basis="a coroutine function" call=session.commit how="its result is discarded"


def test_sync_test_gets_a_client(client):
    client.get("/")  # error: ATS102:5 basis="a coroutine function" role=test function=test_sync_test_gets_a_client call=client.get how="discards the coroutine"


# -- silent ------------------------------------------------------------------------------------


async def test_awaited(client, session):
    await client.get("/")
    await session.commit()


async def test_parametrized_fixture(client_per_param):
    client_per_param.get("/")


@pytest.mark.parametrize("client", [MagicMock()])
async def test_parametrize_replaces_the_fixture(client):
    client.get("/")


async def test_unknown_value(unknown):
    unknown.get("/")


async def test_annotation_wins(client: MagicMock):
    client.get("/")


class TestOverride:
    @pytest.fixture
    def client(self):
        return MagicMock()

    async def test_class_fixture_overrides_the_module_one(self, client):
        client.get("/")
