import asyncio
import sys

import httpx
import pytest
import pytest_asyncio
from httpx import ASGITransport, AsyncClient

from app import services
from app.main import app

pytestmark = pytest.mark.asyncio

if sys.platform == "win32":
    asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())  # ATS407


def _payments_provider(request: httpx.Request) -> httpx.Response:
    if request.method == "POST" and request.url.path == "/charges":
        return httpx.Response(201, json={"id": "ch_1", "status": "succeeded"})
    return httpx.Response(404)


@pytest_asyncio.fixture(scope="module")
async def payments():  # ATS403
    transport = httpx.MockTransport(_payments_provider)
    async with AsyncClient(transport=transport, base_url="https://payments.test") as payments:
        yield payments


async def test_health(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_health_under_load(client):
    responses = await asyncio.gather(*(client.get("/health") for _ in range(10)))
    assert {response.status_code for response in responses} == {200}


async def test_health_is_fast(client):
    loop = asyncio.get_event_loop()  # ATS405
    started = loop.time()
    await client.get("/health")
    assert loop.time() - started < 0.5


async def test_create_user(client):
    response = await client.post("/users", json={"name": "Grace", "email": "grace@example.com"})
    assert response.status_code == 201
    assert response.json()["name"] == "grace"
    services.send_welcome_email.assert_awaited_once()


async def test_create_user_twice_conflicts(client):
    payload = {"name": "heidi"}
    assert (await client.post("/users", json=payload)).status_code == 201
    assert (await client.post("/users", json=payload)).status_code == 409


async def test_read_user(client):
    created = (await client.post("/users", json={"name": "ivan"})).json()
    response = await client.get(f"/users/{created['id']}")
    assert response.json() == created


async def test_read_missing_user(client):
    response = await client.get("/users/424242")
    assert response.status_code == 404


async def test_login(client):
    response = await client.post("/token", data={"username": "admin", "password": "admin"})
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"


async def test_login_with_wrong_password(client):
    response = await client.post("/token", data={"username": "admin", "password": "hunter2"})
    assert response.status_code == 401


async def test_token_expiry(client, event_loop):  # ATS402
    response = await client.post("/token", data={"username": "admin", "password": "admin"})
    expires_at = event_loop.time() + response.json()["expires_in"]
    assert expires_at > event_loop.time()


@pytest.mark.asyncio(scope="module")  # ATS408
async def test_openapi_lists_user_routes():
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as ac:
        schema = (await ac.get("/openapi.json")).json()
    assert "/users" in schema["paths"]


async def test_signup_fee_is_charged(payments):
    assert await services.charge(payments, user_id=1, amount_cents=499) == "succeeded"
