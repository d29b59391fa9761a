from . import helpers
from .conftest import thing

try:
    from asyncio import get_event_loop
except ImportError:
    pass


async def f():
    get_event_loop()
