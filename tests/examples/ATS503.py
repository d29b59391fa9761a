import asyncio
import unittest
from unittest.mock import AsyncMock, MagicMock, call, patch

import aiosqlite
import pytest
from motor.motor_asyncio import AsyncIOMotorCollection


async def fetch(url):
    return url


@pytest.mark.asyncio
async def test_called_assertions_on_async_mocks(mocker):
    client = AsyncMock()
    await client.get("/")
    client.get.assert_called_once_with("/")  # error: ATS503:5 basis="made as one" call=assert_called_once_with mock=client.get fix="the matching assert_awaited* (assert_awaited_once_with, ...)"
    client.assert_called()  # error: ATS503:5 basis="made as one" call=assert_called mock=client fix="the matching assert_awaited* (assert_awaited_once_with, ...)"
    notify = mocker.AsyncMock()
    notify.assert_called_once()  # error: ATS503:5 basis="made as one" call=assert_called_once mock=notify fix="the matching assert_awaited* (assert_awaited_once_with, ...)"
    notify.assert_has_calls([])  # error: ATS503:5 basis="made as one" call=assert_has_calls mock=notify fix="the matching assert_awaited* (assert_awaited_once_with, ...)"
    with patch("ATS503.fetch") as patched:
        await fetch("/")
    patched.assert_called_with("/")  # error: ATS503:5 basis="made as one" call=assert_called_with mock=patched fix="the matching assert_awaited* (assert_awaited_once_with, ...)"
    with patch("os.getcwd", new_callable=AsyncMock) as getcwd:
        pass
    getcwd.assert_any_call()  # error: ATS503:5 basis="made as one" call=assert_any_call mock=getcwd fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@pytest.mark.asyncio
async def test_computed_patch_target():
    with patch(__name__ + ".fetch") as patched:
        await fetch("/")
    patched.assert_called_once_with("/")  # error: ATS503:5 basis="made as one" call=assert_called_once_with mock=patched fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@patch("ATS503.fetch")
@pytest.mark.asyncio
async def test_decorator_injected_async_mock(patched):
    patched.assert_called_once()  # error: ATS503:5 basis="made as one" call=assert_called_once mock=patched fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@pytest.mark.asyncio
async def test_call_records_of_async_mocks():
    client = AsyncMock()
    client.fetch("/")
    assert client.fetch.called  # error: ATS503:12 basis="made as one" call=called mock=client.fetch fix=await_count
    assert client.fetch.call_count == 1  # error: ATS503:12 basis="made as one" call=call_count mock=client.fetch fix=await_count
    assert client.fetch.call_args == call("/")  # error: ATS503:12 basis="made as one" call=call_args mock=client.fetch fix=await_args
    assert call("/") in client.fetch.call_args_list  # error: ATS503:25 basis="made as one" call=call_args_list mock=client.fetch fix=await_args_list
    assert client.fetch.call_count >= 1 and client.called  # error: ATS503:12 basis="made as one" call=call_count mock=client.fetch fix=await_count ; ATS503:45 basis="made as one" call=called mock=client fix=await_count


class TestRecords(unittest.IsolatedAsyncioTestCase):
    async def test_unittest_spellings(self):
        sender = AsyncMock()
        sender.send(1)
        self.assertTrue(sender.send.called)  # error: ATS503:25 basis="made as one" call=called mock=sender.send fix=await_count
        self.assertEqual(sender.send.call_count, 1)  # error: ATS503:26 basis="made as one" call=call_count mock=sender.send fix=await_count
        self.assertIn(call(1), sender.send.call_args_list)  # error: ATS503:32 basis="made as one" call=call_args_list mock=sender.send fix=await_args_list


# -- silent ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_call_records_that_check_nothing_was_called():
    client = AsyncMock()
    await client.other()
    assert not client.fetch.called
    assert client.fetch.call_count == 0
    assert client.fetch.call_args is None
    assert client.fetch.call_args_list == []
    assert client.fetch.await_count == 0


@pytest.mark.asyncio
async def test_call_records_with_an_awaited_check_too():
    client = AsyncMock()
    await client.fetch("/")
    assert client.fetch.call_count == 1
    assert client.fetch.await_count == 1


def test_call_records_of_sync_mocks():
    client = MagicMock()
    client.fetch("/")
    assert client.fetch.called
    assert client.fetch.call_count == 1


@pytest.mark.asyncio
async def test_awaited_assertions():
    client = AsyncMock()
    await client.get("/")
    client.get.assert_awaited_once_with("/")
    client.assert_not_called()
    other = AsyncMock()
    other.assert_called_once_with(1)
    other.assert_awaited_once()
    counted = AsyncMock()
    counted.assert_called_once()
    assert counted.await_count == 1


def test_sync_mocks():
    client = MagicMock()
    client.assert_called_once()


@patch("os.getcwd")
def test_unknown_target(getcwd):
    getcwd.assert_called_once()


def test_sync_test_asserting_a_call():
    with patch("ATS503.fetch") as patched:
        fetch("/")
    patched.assert_called_once_with("/")


def test_lambda_scopes_do_not_crash():
    check = lambda mock: mock.assert_called_once()  # noqa: E731
    check(MagicMock())


class Renderer:
    def render(self):
        return ""

    async def save(self):
        return None


@pytest.mark.asyncio
async def test_async_mock_with_a_spec_keeps_sync_methods_sync():
    renderer = AsyncMock(spec=Renderer)
    renderer.render()
    renderer.render.assert_called_once_with()


class TestWithSetUp:
    def setup_method(self):
        self.client = AsyncMock()

    @pytest.mark.asyncio
    async def test_uses_the_client(self):
        await self.client.fetch()
        self.client.fetch.assert_called_once()  # error: ATS503:9 basis="made as one" call=assert_called_once mock=self.client.fetch fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@pytest.mark.asyncio
async def test_async_mock_on_a_real_object():
    renderer = Renderer()
    renderer.save = AsyncMock()
    await renderer.save()
    renderer.save.assert_called_once()  # error: ATS503:5 basis="made as one" call=assert_called_once mock=renderer.save fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@pytest.mark.asyncio
async def test_private_methods_replaced_by_async_mocks():
    renderer = Renderer()
    renderer._flush = AsyncMock()
    await renderer._flush()
    renderer._flush.assert_called_once_with()  # error: ATS503:5 basis="made as one" call=assert_called_once_with mock=renderer._flush fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@pytest.mark.asyncio
async def test_sync_children_given_to_async_mock():
    connection = AsyncMock(release=MagicMock())
    connection.release()
    connection.release.assert_called_once_with()


@pytest.mark.asyncio
async def test_aiohttp_get_is_patched_with_a_magic_mock():
    with patch("aiohttp.ClientSession.get") as get:
        pass
    get.assert_called_once_with("/")


@pytest.fixture(params=["sync", "async"])
def either_repository(request):
    return request.param


@pytest.mark.asyncio
async def test_parametrized_fixture_annotation_is_not_trusted(either_repository: Renderer, mocker):
    # found on advanced-alchemy: `params=[sync repo, async repo]`, the annotation a cast
    save = mocker.patch.object(either_repository, "save")
    await either_repository.render()
    save.assert_called_once()


@pytest.mark.asyncio
async def test_annotated_parameter_of_a_plain_fixture(renderer: Renderer, mocker):
    save = mocker.patch.object(renderer, "save")
    await renderer.render()
    save.assert_called_once()  # error: ATS503:5 basis="made as one" call=assert_called_once mock=save fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@pytest.fixture
def renderer():
    return Renderer()


# -- patch() makes an AsyncMock only of an `async def` ------------------------------------------


@pytest.mark.asyncio
async def test_a_plain_def_returning_an_awaitable_is_patched_with_a_magic_mock():
    with patch("redis.asyncio.Redis.get", side_effect=lambda key: None) as get:
        get.assert_called_once_with("k")  # redis commands are plain defs: patch() gives a MagicMock
    with patch.object(AsyncIOMotorCollection, "insert_one") as insert_one:
        insert_one.assert_called_once()


@pytest.mark.asyncio
async def test_an_async_def_of_a_library_is_patched_with_an_async_mock():
    with patch.object(aiosqlite.Connection, "commit") as commit:
        commit.assert_called_once()  # error: ATS503:9 call=assert_called_once mock=commit basis="made as one" fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


# -- pytest-mock's stubs: async_stub() is an AsyncMock, stub() a MagicMock ------------------------


@pytest.mark.asyncio
async def test_an_async_stub_is_an_async_mock(mocker):
    callee = mocker.async_stub("callee")
    asyncio.get_running_loop().call_soon_threadsafe(callee)  # error: ATS104:53 function=callee api=asyncio.get_running_loop().call_soon_threadsafe fix="hand over a sync function that schedules it..."
    await asyncio.sleep(0)
    assert callee.called == 1  # error: ATS503:12 call=called mock=callee basis="made as one" fix=await_count
    callee.assert_called_once()  # error: ATS503:5 call=assert_called_once mock=callee basis="made as one" fix="the matching assert_awaited* (assert_awaited_once_with, ...)"


@pytest.mark.asyncio
async def test_a_stub_is_a_magic_mock(mocker):
    callee = mocker.stub("callee")
    asyncio.get_running_loop().call_soon_threadsafe(callee)
    await asyncio.sleep(0)
    assert callee.called == 1
    callee.assert_called_once()


# -- a fixture's mock configured before it is handed over ---------------------------------------


@pytest.fixture
def mailer():
    client = AsyncMock()
    client.send.return_value = True  # a plain value: calling send still gives a coroutine
    return client


@pytest.fixture
def mailer_with_side_effect():
    client = AsyncMock()
    client.send.side_effect = [True]
    client.send = MagicMock()
    return client


@pytest.fixture
def reconfigured_mailer():
    client = AsyncMock()
    client.configure_mock(send=MagicMock())
    return client


@pytest.mark.asyncio
async def test_a_configured_fixture_mock(mailer, mailer_with_side_effect, reconfigured_mailer):
    mailer.send("hi")
    mailer.send.assert_called_once_with("hi")  # error: ATS503:5 call=assert_called_once_with mock=mailer.send basis="made as one" fix="the matching assert_awaited* (assert_awaited_once_with, ...)"
    mailer_with_side_effect.send.assert_called_once()  # replaced by a MagicMock in the fixture
    reconfigured_mailer.send.assert_called_once()  # configure_mock: not followed
