import asyncio
import sys

import pytest
import uvloop

if sys.platform == "win32":
    asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())  # error: ATS407:5 what="'asyncio.set_event_loop_policy'"


@pytest.fixture(scope="session")
def event_loop_policy():  # error: ATS407:1 what="overriding the 'event_loop_policy' fixture"
    return uvloop.EventLoopPolicy()


def test_policy_is_default():
    policy = asyncio.get_event_loop_policy()  # error: ATS407:14 what="'asyncio.get_event_loop_policy'"
    assert policy is not None


def test_policy_class():
    assert asyncio.DefaultEventLoopPolicy() is not None  # error: ATS407:12 what="'asyncio.DefaultEventLoopPolicy'"


class TestUvloop:
    @pytest.fixture
    def policy(self):
        return uvloop.EventLoopPolicy()  # error: ATS407:16 what="'uvloop.EventLoopPolicy'"


class QuietPolicy(asyncio.DefaultEventLoopPolicy):  # error: ATS407:19 what="subclassing 'asyncio.DefaultEventLoopPolicy'"
    pass


class Policy(TestUvloop, uvloop.EventLoopPolicy):  # error: ATS407:26 what="subclassing 'uvloop.EventLoopPolicy'"
    pass


# Near misses: loop factories, other names.


def test_loop_factory():
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(asyncio.sleep(0, result=1)) == 1


class EventLoopPolicy:
    pass


def test_own_class_of_that_name():
    assert EventLoopPolicy() is not None


class OwnSubclass(EventLoopPolicy):
    pass


class QuietLoop(asyncio.SelectorEventLoop):
    pass


@pytest.fixture
def loop_policy_name():
    return "uvloop"
