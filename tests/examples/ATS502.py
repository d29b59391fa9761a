from unittest import mock
from unittest.mock import AsyncMock, MagicMock, Mock, patch

import pytest


async def fetch(url):
    return url


def parse(text):
    return text


class Service:
    async def load(self):
        return 1

    def name(self):
        return "service"


@patch(f"{__name__}.fetch", new=Mock())
def test_decorator_replacement():
    pass


@pytest.mark.asyncio
async def test_patch_forms(mocker, monkeypatch):
    with patch("ATS502.fetch", new=MagicMock()):  # error: ATS502:10 target=ATS502.fetch kind=MagicMock
        pass
    with patch("ATS502.fetch", MagicMock()):  # error: ATS502:10 target=ATS502.fetch kind=MagicMock
        pass
    with patch("ATS502.fetch", new_callable=MagicMock):  # error: ATS502:10 target=ATS502.fetch kind=MagicMock
        pass
    with mock.patch.object(Service, "load", new=Mock()):  # error: ATS502:10 target=Service.load kind=Mock
        pass
    mocker.patch("ATS502.fetch", new=Mock())  # error: ATS502:5 target=ATS502.fetch kind=Mock
    mocker.patch.object(Service, "load", new_callable=Mock)  # error: ATS502:5 target=Service.load kind=Mock
    monkeypatch.setattr(Service, "load", Mock())  # error: ATS502:5 target=Service.load kind=Mock
    monkeypatch.setattr("ATS502.fetch", MagicMock())  # error: ATS502:5 target=ATS502.fetch kind=MagicMock
    Service.load = MagicMock()  # error: ATS502:5 target=Service.load kind=MagicMock


THIS = "ATS502"


@pytest.mark.asyncio
async def test_computed_targets(mocker):
    with patch(__name__ + ".fetch", new=Mock()):  # error: ATS502:10 target=ATS502.fetch kind=Mock
        pass
    with patch(f"{__name__}.Service.load", new=MagicMock()):  # error: ATS502:10 target=ATS502.Service.load kind=MagicMock
        pass
    mocker.patch(f"{THIS}.fetch", new=Mock())  # error: ATS502:5 target=ATS502.fetch kind=Mock
    mocker.patch(THIS + ".Service.load", new_callable=MagicMock)  # error: ATS502:5 target=ATS502.Service.load kind=MagicMock
    prefix = "ATS502"
    mocker.patch(prefix + ".fetch", new=Mock())  # a local: not followed
    mocker.patch(f"{__name__}.parse", new=Mock())  # a sync function
    mocker.patch(f"{__name__!r}.fetch", new=Mock())  # a conversion changes the text


# -- silent ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_safe_replacements(mocker, monkeypatch):
    with patch("ATS502.fetch"):
        pass
    with patch("ATS502.fetch", new=AsyncMock(return_value=1)):
        pass
    with patch("ATS502.fetch", new_callable=AsyncMock):
        pass
    with patch("ATS502.fetch", new=MagicMock(spec=fetch)):
        pass
    with patch("ATS502.fetch", autospec=True):
        pass
    with patch("ATS502.parse", new=Mock()):
        pass
    mocker.patch.object(Service, "name", new=Mock())
    mocker.patch("some.library.function", new=Mock())
    monkeypatch.setattr(Service, "load", AsyncMock())
    monkeypatch.setattr(Service, "name", Mock())
    Service.name = MagicMock()


def test_sync_test_that_never_awaits():
    """Nothing can await the patched coroutine function here: a MagicMock is right."""
    with patch("ATS502.fetch", new_callable=MagicMock) as patched:
        fetch("/")
    assert patched.called


def test_sync_test_running_a_loop(loop):
    with patch("ATS502.fetch", new=MagicMock()):  # error: ATS502:10 target=ATS502.fetch kind=MagicMock
        loop.run_until_complete(fetch("/"))


@pytest.fixture
def patched_fetch():
    with patch("ATS502.fetch", new=MagicMock()):  # error: ATS502:10 target=ATS502.fetch kind=MagicMock
        yield


class TestUnittestStyle:
    def setup_method(self):
        self.patcher = patch("ATS502.fetch", new_callable=Mock)  # error: ATS502:24 target=ATS502.fetch kind=Mock
        self.patcher.start()

    @pytest.mark.asyncio
    async def test_uses_the_patch(self):
        await fetch("/")


class TestSyncOnly:
    def setup_method(self):
        self.patcher = patch("ATS502.fetch", new_callable=Mock)
        self.patcher.start()

    def test_sync(self):
        assert fetch("/") is not None


@pytest.mark.asyncio
async def test_second_attribute_of_a_real_object():
    service = Service()
    service.name = Mock()
    service.load = Mock()  # error: ATS502:5 target=service.load kind=Mock


@pytest.mark.asyncio
async def test_library_methods_as_targets():
    with patch("aiohttp.ClientSession.close", new=MagicMock()):  # error: ATS502:10 target=aiohttp.ClientSession.close kind=MagicMock
        pass
    with patch("asyncio.locks.Event.wait", new_callable=MagicMock):  # error: ATS502:10 target=asyncio.locks.Event.wait kind=MagicMock
        pass


async def fake_fetch(url):
    return url


@pytest.mark.asyncio
async def test_side_effect_set_after_creation():
    replacement = Mock()
    replacement.side_effect = fake_fetch
    with patch("ATS502.fetch", new=replacement):
        pass


@pytest.mark.asyncio
async def test_return_value_configured_on_the_replacement_after_it(loop):
    # found on aiohttp's suite: the Mock returns an awaitable Future, set on the next line
    service = Service()
    service.load = Mock()
    service.load.return_value = loop.create_future()
    service.load.return_value.set_result(None)
    await service.run()


@pytest.mark.asyncio
async def test_return_value_configured_to_a_literal_after_it():
    service = Service()
    service.load = Mock()  # error: ATS502:5 target=service.load kind=Mock
    service.load.return_value = 1
    await service.run()


@pytest.mark.asyncio
async def test_aiohttp_request_methods_are_not_coroutine_functions():
    with patch("aiohttp.ClientSession.get", new_callable=MagicMock):
        pass


def test_sync_test_calling_subprocess_run():
    import subprocess

    with patch("ATS502.fetch", new=MagicMock()):
        subprocess.run(["true"], check=False)
