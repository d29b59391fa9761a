import asyncio
from unittest import mock
from unittest.mock import AsyncMock, MagicMock, Mock, NonCallableMagicMock, create_autospec, patch

import pytest


async def fetch(url):
    return url


@pytest.fixture
def fake_client():
    return MagicMock()


@pytest.mark.asyncio
async def test_await_magic_mock():
    client = MagicMock()
    await client()  # error: ATS501:5 call=client kind=MagicMock
    await client.get("/")  # error: ATS501:5 call=client.get kind=MagicMock
    await client.session.get("/")  # error: ATS501:5 call=client.session.get kind=MagicMock
    await client().json()  # error: ATS501:5 call=client().json kind=MagicMock


@pytest.mark.asyncio
async def test_await_mock_spellings(mocker):
    plain = Mock()
    await plain.fetch()  # error: ATS501:5 call=plain.fetch kind=Mock
    other = mock.MagicMock()
    await other.fetch()  # error: ATS501:5 call=other.fetch kind=MagicMock
    from_mocker = mocker.MagicMock()
    await from_mocker.fetch()  # error: ATS501:5 call=from_mocker.fetch kind=MagicMock
    noncallable = NonCallableMagicMock()
    await noncallable.fetch()  # error: ATS501:5 call=noncallable.fetch kind=MagicMock
    literal = Mock(return_value={"id": 1})
    await literal()  # error: ATS501:5 call=literal kind=Mock


@pytest.mark.asyncio
async def test_patched_with_sync_mocks():
    with patch("os.getcwd", new=MagicMock()) as getcwd:
        await getcwd()  # error: ATS501:9 call=getcwd kind=MagicMock
    with patch("os.getcwd", new_callable=MagicMock) as getcwd:
        await getcwd()  # error: ATS501:9 call=getcwd kind=MagicMock


@pytest.mark.asyncio
async def test_mock_from_a_fixture(fake_client):
    await fake_client.fetch()  # error: ATS501:5 call=fake_client.fetch kind=MagicMock


@pytest.mark.asyncio
async def test_attribute_of_the_return_value_configured():
    client = MagicMock()
    client.get.return_value.status_code = 200
    await client.get("/")  # error: ATS501:5 call=client.get kind=MagicMock


# -- silent ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_async_mocks(mocker):
    client = AsyncMock()
    await client.get("/")
    from_mocker = mocker.AsyncMock()
    await from_mocker()
    parent = MagicMock()
    parent.fetch = AsyncMock(return_value=1)
    await parent.fetch()


@pytest.mark.asyncio
async def test_specs_make_it_safe():
    specced = MagicMock(spec=fetch)
    await specced("/")
    autospecced = create_autospec(fetch)
    await autospecced("/")
    positional = Mock(fetch)
    await positional("/")


@pytest.mark.asyncio
async def test_awaitable_return_values():
    future = asyncio.get_running_loop().create_future()
    future.set_result(1)
    client = MagicMock(return_value=future)
    await client()
    other = MagicMock()
    other.get.return_value = future
    await other.get()
    effect = Mock(side_effect=fetch)
    await effect("/")
    configured = MagicMock()
    configured.configure_mock(**{"get.return_value": future})
    await configured.get()


@pytest.mark.asyncio
async def test_patch_autodetects_async_targets():
    with patch(f"{__name__}.fetch") as patched:
        await patched("/")


@pytest.mark.asyncio
async def test_magic_mock_as_async_context_manager():
    resource = MagicMock()
    async with resource as entered:
        assert entered is not None
    await resource.__aenter__()


def test_sync_use_of_mocks():
    client = MagicMock()
    client.get("/")


@pytest.fixture
def repository():
    repo = MagicMock()
    repo.get = AsyncMock(return_value=1)
    return repo


@pytest.fixture
def configured_repository():
    repo = MagicMock()
    repo.configure_mock(get=AsyncMock())
    return repo


@pytest.mark.asyncio
async def test_children_given_async_mocks(repository, configured_repository):
    await repository.get()
    await configured_repository.get()
    by_keyword = Mock(get=AsyncMock(return_value=1))
    await by_keyword.get()
    by_setattr = MagicMock()
    setattr(by_setattr, "get", AsyncMock())
    await by_setattr.get()
    attached = MagicMock()
    attached.attach_mock(AsyncMock(), "get")
    await attached.get()


@pytest.mark.asyncio
async def test_mock_returning_a_mock_is_not_awaitable():
    client = MagicMock()
    client.get = MagicMock(return_value=Mock(status=200))
    await client.get()  # error: ATS501:5 call=client.get kind=MagicMock


@pytest.mark.asyncio
async def test_side_effects_may_return_awaitables():
    future = asyncio.get_running_loop().create_future()
    future.set_result(1)
    by_mock = MagicMock(side_effect=AsyncMock(return_value=5))
    await by_mock()
    by_list = Mock(side_effect=[future])
    await by_list()
    later = MagicMock()
    later.get.side_effect = AsyncMock(return_value=5)
    await later.get()


class TestSetUpMocksDoNotLeak:
    def setup_method(self):
        self.client = AsyncMock()

    @pytest.mark.asyncio
    async def test_a(self):
        self.client = MagicMock()
        assert self.client is not None

    @pytest.mark.asyncio
    async def test_b(self):
        await self.client.get("/")


class TestSetUpCallsAHelper:
    def setup_method(self):
        self.client = MagicMock()
        self._use_async_get()

    def _use_async_get(self):
        self.client.get = AsyncMock(return_value=200)

    @pytest.mark.asyncio
    async def test_get(self):
        assert await self.client.get("/") == 200


@pytest.mark.asyncio
async def test_mockers_of_every_scope(module_mocker, session_mocker):
    stub = module_mocker.MagicMock()
    await stub.fetch()  # error: ATS501:5 call=stub.fetch kind=MagicMock
    fetch = session_mocker.Mock()
    await fetch()  # error: ATS501:5 call=fetch kind=Mock
