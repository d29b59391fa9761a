"""A local binding of a name hides the module's coroutine function of that name, in every form
Python binds names; a comprehension's variable stays inside the comprehension."""

import contextlib

import pytest


async def fetch():
    return 1


async def make():
    return 1, 2


@pytest.mark.asyncio
async def test_module_coroutine_function():
    fetch()  # error: ATS101:5 basis="a coroutine function" call=fetch how="its result is discarded"


@pytest.mark.asyncio
async def test_comprehension_variable_does_not_leak(items):
    names = [fetch for fetch in items]
    fetch()  # error: ATS101:5 basis="a coroutine function" call=fetch how="its result is discarded"
    return names


@pytest.mark.asyncio
async def test_generator_and_dict_comprehensions_too(items):
    names = {fetch: 1 for fetch in items}, list(fetch for fetch in items)
    fetch()  # error: ATS101:5 basis="a coroutine function" call=fetch how="its result is discarded"
    return names


@pytest.mark.asyncio
async def test_global_declaration_is_the_module_function():
    global fetch
    fetch()  # error: ATS101:5 basis="a coroutine function" call=fetch how="its result is discarded"


def test_sync_test_calls_it():
    fetch()  # error: ATS102:5 basis="a coroutine function" role=test function=test_sync_test_calls_it call=fetch how="discards the coroutine"


@pytest.mark.asyncio
async def test_bound_and_rebound_before_any_await():
    coroutine = fetch()  # error: ATS101:17 basis="a coroutine function" call=fetch how="bound to 'coroutine' and never awaited or passed on"
    coroutine = None
    assert coroutine is None


@pytest.mark.asyncio
async def test_each_binding_is_its_own_coroutine():
    coroutine = fetch()
    await coroutine
    coroutine = fetch()  # error: ATS101:17 basis="a coroutine function" call=fetch how="bound to 'coroutine' and never awaited or passed on"


# -- silent: the name is rebound locally ----------------------------------------------------


@pytest.mark.asyncio
async def test_rebound_by_assignment(factory):
    fetch = factory
    fetch()


@pytest.mark.asyncio
async def test_rebound_by_annotated_assignment(factory):
    fetch: object = factory
    fetch()


@pytest.mark.asyncio
async def test_rebound_by_augmented_assignment(fetch):
    fetch += 1
    fetch()


@pytest.mark.asyncio
async def test_rebound_by_unpacking(pair):
    fetch, other = pair
    fetch()


@pytest.mark.asyncio
async def test_rebound_by_starred(pair):
    *fetch, other = pair
    fetch()


@pytest.mark.asyncio
async def test_rebound_by_for(factories):
    for fetch in factories:
        fetch()


@pytest.mark.asyncio
async def test_rebound_by_async_for(factories):
    async for fetch in factories:
        fetch()


@pytest.mark.asyncio
async def test_rebound_by_with(factory):
    with contextlib.nullcontext(factory) as fetch:
        fetch()


@pytest.mark.asyncio
async def test_rebound_by_async_with(pool):
    async with pool as fetch:
        fetch()


@pytest.mark.asyncio
async def test_rebound_by_walrus(factory):
    if (fetch := factory) is not None:
        fetch()


@pytest.mark.asyncio
async def test_rebound_by_except():
    try:
        pass
    except Exception as fetch:
        fetch()


@pytest.mark.asyncio
async def test_rebound_by_import():
    from os import getcwd as fetch

    fetch()


@pytest.mark.asyncio
async def test_rebound_by_def():
    def fetch():
        pass

    fetch()


@pytest.mark.asyncio
async def test_rebound_by_class():
    class fetch:
        pass

    fetch()


@pytest.mark.asyncio
async def test_rebound_by_match(command):
    match command:
        case [fetch]:
            fetch()
        case {"x": 1, **fetch}:
            fetch()


@pytest.mark.asyncio
async def test_rebound_by_parameter(fetch):
    fetch()


@pytest.mark.asyncio
async def test_rebound_by_deletion(factory):
    fetch = factory
    del fetch
    fetch()


def test_sync_rebound(factory):
    fetch = factory
    fetch()


@pytest.mark.asyncio
async def test_bound_coroutine_passed_on_later():
    coroutine = fetch()
    coroutine = [coroutine]
    await coroutine[0]
