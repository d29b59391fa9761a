import asyncio
import unittest
from unittest.mock import AsyncMock, MagicMock, Mock, patch

import httpx
import pytest
import pytest_asyncio

from app import services
from app.db import User
from app.services import normalize_name, register_user, send_welcome_email, welcome_message


async def _accepted(*args, **kwargs):
    return httpx.Response(202)


@pytest_asyncio.fixture
async def mail_queue():
    queue: asyncio.Queue[User] = asyncio.Queue()
    worker = asyncio.create_task(services.mail_worker(queue))
    yield queue
    worker.cancel()
    asyncio.get_running_loop().close()  # ATS409


@pytest.mark.parametrize(("raw", "expected"), [("alice", "alice"), ("  Bob ", "bob"), ("CAROL", "carol")])
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.asyncio  # ATS203
def test_welcome_message_mentions_name():
    assert "Alice" in welcome_message("Alice")


def test_admin_token_is_a_jwt(admin_token):  # ATS207
    assert admin_token.count(".") == 2


@pytest.mark.asyncio
async def test_register_user_sends_welcome_email(session):
    with patch("app.services.send_welcome_email") as send:
        user = await register_user(session, "kim", "kim@example.com")
    send.assert_awaited_once_with(user)


@pytest.mark.asyncio
async def test_register_user_without_email_sends_nothing(session):
    with patch.object(services, "send_welcome_email", new=Mock()) as send:  # ATS502
        await register_user(session, "lena")
    send.assert_not_called()


@pytest.mark.asyncio
async def test_register_user_survives_mail_outage(session, monkeypatch):
    send = AsyncMock(side_effect=httpx.ConnectError("mail API down"))
    monkeypatch.setattr(services, "send_welcome_email", send)

    user = await register_user(session, "mike", "mike@example.com")

    assert user.id is not None
    send.assert_called_once_with(user)  # ATS503


@pytest.mark.asyncio
async def test_registration_in_background(session):
    with patch("app.services.send_welcome_email") as send:
        asyncio.create_task(register_user(session, "nina", "nina@example.com"))  # ATS103
        await asyncio.sleep(0.1)
    send.assert_awaited_once()


@pytest.mark.asyncio
async def test_register_user_rejects_duplicates(session):
    await register_user(session, "oscar")
    with pytest.raises(services.UserExists):
        asyncio.run(register_user(session, " Oscar "))  # ATS406


@pytest.mark.asyncio
async def test_send_welcome_email_posts_to_mail_api():
    http = AsyncMock(spec=httpx.AsyncClient)
    http.post.return_value = httpx.Response(202)
    user = User(id=1, name="pat", email="pat@example.com")

    assert await send_welcome_email(user, http=http) is True
    http.post.assert_awaited_once_with(services.MAIL_API, json={
        "to": "pat@example.com", "subject": "Welcome!", "text": welcome_message("pat"),
    })


@pytest.mark.asyncio
async def test_send_welcome_email_reports_rejection():
    http = AsyncMock(spec=httpx.AsyncClient)
    http.post.return_value = httpx.Response(500)
    user = User(id=2, name="quinn", email="quinn@example.com")
    assert await send_welcome_email(user, http=http) is False


@pytest.mark.asyncio
async def test_send_welcome_email_accepted():
    http = Mock(post=Mock(return_value=_accepted()))  # ATS504
    user = User(id=3, name="rita", email="rita@example.com")
    assert await send_welcome_email(user, http=http)


@pytest.mark.asyncio
async def test_fake_mail_api_echoes_status():
    http = MagicMock()
    http.post.return_value.status_code = 202
    response = await http.post(services.MAIL_API, json={"to": "sam@example.com"})  # ATS501
    assert response.status_code == 202


@pytest.mark.asyncio
async def test_mail_worker_sends_queued_emails(mail_queue):
    user = User(id=4, name="tom", email="tom@example.com")
    with patch("app.services.send_welcome_email") as send:
        await mail_queue.put(user)
        await asyncio.wait_for(mail_queue.join(), timeout=1)
    send.assert_awaited_once_with(user)


@pytest.mark.asyncio
async def test_charge_returns_provider_status():
    transport = httpx.MockTransport(lambda request: httpx.Response(201, json={"status": "pending"}))
    async with httpx.AsyncClient(transport=transport, base_url="https://payments.test") as http:
        assert await services.charge(http, user_id=5, amount_cents=1299) == "pending"


class TestWelcomeMessage(unittest.TestCase):
    def test_greets_by_name(self):
        self.assertEqual(welcome_message("Uma"), "Welcome to the shop, Uma!")

    async def test_no_email_without_address(self):  # ATS205
        user = User(id=6, name="uma", email=None)
        self.assertFalse(await send_welcome_email(user))


class TestSendWelcomeEmail(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.http = AsyncMock(spec=httpx.AsyncClient)
        self.http.post.return_value = httpx.Response(202)

    async def test_sends_to_user_address(self):
        user = User(id=7, name="vera", email="vera@example.com")
        self.assertTrue(await send_welcome_email(user, http=self.http))
        self.assertEqual(self.http.post.await_args.kwargs["json"]["to"], "vera@example.com")

    async def test_skips_users_without_address(self):
        user = User(id=8, name="walt", email=None)
        self.assertFalse(await send_welcome_email(user, http=self.http))
        self.http.post.assert_not_awaited()
