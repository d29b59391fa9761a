# modes: strict auto
# A fixture of another loop scope breaks a test the same way when the test gets it from a
# usefixtures mark (reported at the name) or as an autouse fixture (reported at the test's def).
import asyncio

import pytest
import pytest_asyncio


async def serve():
    await asyncio.sleep(3600)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server():
    task = asyncio.create_task(serve())  # a task of the module loop
    yield
    task.cancel()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def settings():
    return {"debug": True}


@pytest.mark.asyncio
@pytest.mark.usefixtures("settings", "server")  # error: ATS404:38 name=test_through_usefixtures own=function fixture=server other=module what="starts tasks in it"
async def test_through_usefixtures():
    pass


class TestAutouse:
    @pytest_asyncio.fixture(scope="module", loop_scope="module", autouse=True)
    async def background(self):
        task = asyncio.create_task(serve())
        yield task
        task.cancel()

    @pytest.mark.asyncio
    async def test_function_loop(self):  # error: ATS404:5 name=test_function_loop own=function fixture=background other=module what="starts tasks in it"
        pass

    @pytest.mark.asyncio(loop_scope="module")
    async def test_same_loop(self):
        pass

    def test_sync(self):
        pass


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.usefixtures("server")
async def test_usefixtures_in_the_same_loop():
    pass
