# modes: strict auto
import unittest
from unittest import IsolatedAsyncioTestCase, TestCase


class SyncCase(unittest.TestCase):
    async def test_never_awaited(self):  # error: ATS205:5 name=test_never_awaited cls=SyncCase
        pass

    async def helper(self):
        pass

    def test_sync(self):
        pass


class ImportedName(TestCase):
    async def test_never_awaited(self):  # error: ATS205:5 name=test_never_awaited cls=ImportedName
        pass


class Base(unittest.TestCase):
    pass


class Derived(Base):
    async def test_never_awaited(self):  # error: ATS205:5 name=test_never_awaited cls=Derived
        pass


# -- silent --------------------------------------------------------------------------------


class AsyncCase(unittest.IsolatedAsyncioTestCase):
    async def test_run_by_unittest(self):
        pass


class ImportedAsyncCase(IsolatedAsyncioTestCase):
    async def test_run_by_unittest(self):
        pass


class AsyncBase(unittest.IsolatedAsyncioTestCase):
    pass


class DerivedAsync(AsyncBase):
    async def test_run_by_unittest(self):
        pass


class NotCollected(unittest.TestCase):
    __test__ = False

    async def test_not_collected_by_pytest(self):
        pass


class UnknownBase(SomeFrameworkTestCase):  # noqa: F821 (the base is out of sight)
    async def test_may_be_run(self):
        pass


class Mixed(unittest.TestCase, SomeAsyncMixin):  # noqa: F821
    async def test_may_be_run(self):
        pass
