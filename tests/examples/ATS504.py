import asyncio
from unittest.mock import AsyncMock, MagicMock, Mock, patch

import pytest


async def fetch(url):
    return url


def make_future():
    future = asyncio.new_event_loop().create_future()
    future.set_result(1)
    return future


@pytest.mark.asyncio
async def test_coroutine_objects_as_return_values(mocker):
    client = Mock(return_value=fetch("/"))  # error: ATS504:32 call=fetch
    other = MagicMock()
    other.get.return_value = fetch("/")  # error: ATS504:30 call=fetch
    third = AsyncMock(return_value=asyncio.sleep(0))  # error: ATS504:36 call=asyncio.sleep
    with patch("os.getcwd", return_value=fetch("/")):  # error: ATS504:42 call=fetch
        pass
    mocker.patch("os.getcwd", return_value=fetch("/"))  # error: ATS504:44 call=fetch
    assert client and other and third


# -- silent ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_values_and_futures():
    client = AsyncMock(return_value=await fetch("/"))
    other = MagicMock(return_value=make_future())
    third = Mock(return_value=fetch)
    assert client and other and third


@pytest.mark.asyncio
async def test_function_patched_by_its_dotted_name(monkeypatch):
    monkeypatch.setattr("ATS504.fetch", Mock(return_value=10))  # error: ATS502:5 target=ATS504.fetch kind=Mock
    client = Mock(return_value=fetch("apple"))
    assert client
