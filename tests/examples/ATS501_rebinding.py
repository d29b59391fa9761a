"""Every way Python rebinds a name ends what the mock rules knew of it (the binding model)."""

import contextlib
from unittest.mock import AsyncMock, MagicMock, patch

import pytest


class Client:
    async def fetch(self):
        return "x"


class Pool:
    async def __aenter__(self):
        return Client()

    async def __aexit__(self, *exc):
        return False


async def make():
    return Client(), Client()


@pytest.mark.asyncio
async def test_sync_mock_awaited():
    client = MagicMock()
    assert await client.fetch() == "x"  # error: ATS501:12 call=client.fetch kind=MagicMock


@pytest.mark.asyncio
async def test_rebound_by_for():
    client = MagicMock()
    for client in [Client(), Client()]:
        assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_unpacking():
    client = MagicMock()
    client, other = await make()
    assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_starred():
    client = MagicMock()
    *client, other = await make()
    assert await other.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_async_with():
    client = MagicMock()
    async with Pool() as client:
        assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_walrus():
    client = MagicMock()
    if (client := Client()) is not None:
        assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_annotated_assignment():
    client = MagicMock()
    client: Client = Client()
    assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_augmented_assignment():
    client = MagicMock()
    client += 1
    assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_except():
    client = MagicMock()
    try:
        pass
    except Exception as client:
        assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_import():
    client = MagicMock()
    import client
    assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_def():
    client = MagicMock()
    def client():
        pass
    assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_class():
    client = MagicMock()
    class client:
        pass
    assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_match(command):
    client = MagicMock()
    match command:
        case [client]:
            assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_del():
    client = MagicMock()
    del client
    assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_rebound_by_with():
    client = MagicMock()
    with contextlib.nullcontext(Client()) as client:
        assert await client.fetch() == "x"


@pytest.mark.asyncio
async def test_comprehension_has_its_own_scope():
    client = MagicMock()
    results = [await client.fetch() for client in [Client()]]
    await client.fetch()  # error: ATS501:5 call=client.fetch kind=MagicMock


@pytest.mark.asyncio
async def test_walrus_positive():
    if (client := MagicMock()) is not None:
        await client.fetch()  # error: ATS501:9 call=client.fetch kind=MagicMock


@pytest.mark.asyncio
async def test_with_positive():
    with patch("os.getcwd", new=MagicMock()) as getcwd:
        await getcwd()  # error: ATS501:9 call=getcwd kind=MagicMock


@pytest.mark.asyncio
async def test_rebound_by_parameter_of_a_nested_function():
    client = MagicMock()

    async def use(client):
        return await client.fetch()

    await use(Client())


@pytest.mark.asyncio
async def test_global_names_are_not_followed():
    global client
    client = MagicMock()
    await client.fetch()


@pytest.mark.asyncio
async def test_alias_shares_the_object():
    client = MagicMock()
    same = client
    same.fetch = AsyncMock()
    await client.fetch()
