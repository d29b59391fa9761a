import asyncio

import pytest


async def create_user(name):
    return {"name": name}


def test_sync_calls_coroutine():
    create_user("alice")  # error: ATS102:5 basis="a coroutine function" role=test function=test_sync_calls_coroutine call=create_user how="discards the coroutine"


def test_sync_asserts_coroutine():
    assert create_user("bob")  # error: ATS102:12 basis="a coroutine function" role=test function=test_sync_asserts_coroutine call=create_user how="asserts on it (always true)"


def test_sync_binds_coroutine():
    user = create_user("carol")  # error: ATS102:12 basis="a coroutine function" role=test function=test_sync_binds_coroutine call=create_user how="binds it to 'user' and never hands it on"
    assert user is not None


@pytest.fixture
def sync_fixture():
    create_user("dave")  # error: ATS102:5 basis="a coroutine function" role=fixture function=sync_fixture call=create_user how="discards the coroutine"
    return 1


class TestSync:
    def test_method(self):
        asyncio.sleep(0)  # error: ATS102:9 basis="a coroutine function" role=test function=test_method call=asyncio.sleep how="discards the coroutine"


@pytest.fixture
def customer():
    return create_user("ada")  # error: ATS102:12 basis="a coroutine function" role=fixture function=customer call=create_user how="returns it to every requester (a coroutine object, not its result)"


@pytest.fixture
def pending_customer():
    pending = create_user("bob")  # error: ATS102:15 basis="a coroutine function" role=fixture function=pending_customer call=create_user how="yields it to every requester (a coroutine object, not its result)"
    yield pending


def test_gets_a_coroutine(customer, pending_customer):
    assert customer["name"] == "ada"


def test_isinstance_is_no_hand_over():
    user = create_user("cy")  # error: ATS102:12 basis="a coroutine function" role=test function=test_isinstance_is_no_hand_over call=create_user how="binds it to 'user' and never hands it on"
    assert isinstance(user, dict)


# -- silent ----------------------------------------------------------------------------------


@pytest.fixture
def awaited_customer():
    return create_user("dot")


@pytest.mark.asyncio
async def test_awaits_the_value(awaited_customer):
    assert (await awaited_customer)["name"] == "dot"


@pytest.fixture
def run_customer():
    return create_user("eve")


def test_runs_the_value(run_customer):
    assert asyncio.run(run_customer)["name"] == "eve"


def test_closed_coroutine():
    pending = create_user("fay")
    pending.close()


def test_handed_to_a_runner():
    assert asyncio.run(create_user("erin")) == {"name": "erin"}
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(create_user("frank"))
        pending = create_user("gina")
        loop.run_until_complete(pending)
    finally:
        loop.close()


def helper_not_a_test():
    create_user("hal")


def test_nested_helper_is_not_the_test():
    def inner():
        create_user("ivy")

    return inner
