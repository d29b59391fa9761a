import asyncio
import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import User
from app.services import UserExists, create_user, deactivate_user, get_user, get_user_by_name


@pytest_asyncio.fixture
async def bob(session):
    return await create_user(session, "bob", "bob@example.com")


@pytest.mark.asyncio  # ATS204
@pytest_asyncio.fixture
async def alice(session):
    return await create_user(session, "alice", "alice@example.com")


@pytest.mark.asyncio
async def test_create_user_persists(session: AsyncSession):
    user = await create_user(session, "carol", "carol@example.com")

    assert user.id is not None
    assert await get_user(session, user.id) == user


@pytest.mark.asyncio
async def test_names_are_normalized(session):
    user = await create_user(session, "  Dave ")
    assert user.name == "dave"
    assert await get_user_by_name(session, "DAVE") == user


@pytest.mark.asyncio
async def test_get_user_by_name(session, bob):
    found = await get_user_by_name(session, "bob")
    assert found is not None
    assert found.email == "bob@example.com"


@pytest.mark.asyncio
async def test_bob_exists(session, bob):
    assert get_user_by_name(session, "bob")  # ATS101


@pytest.mark.asyncio
async def test_duplicate_name_is_rejected(session, bob):
    with pytest.raises(UserExists):
        await create_user(session, "Bob")


@pytest.mark.asyncio
async def test_get_unknown_user_returns_none(session):
    assert await get_user(session, 424242) is None


def test_get_user_rejects_invalid_ids(session):
    with pytest.raises(ValueError):
        get_user(session, 0)  # ATS102


async def test_email_is_optional(session):  # ATS201
    user = await create_user(session, "erin")
    assert user.email is None


@pytest.mark.asyncio
async def test_deactivate_user(session, alice):
    deactivate_user(session, alice.id)  # ATS101
    await session.refresh(alice)
    assert alice.is_active is False


@pytest.mark.asyncio
async def test_deactivate_unknown_user(session):
    with pytest.raises(LookupError):
        await deactivate_user(session, 424242)


@pytest.mark.asyncio
async def test_temporary_user(session):  # ATS206
    user = await create_user(session, "temp")
    yield user
    await session.delete(user)


@pytest.mark.asyncio
async def test_rename_user(legacy_session):
    user = await create_user(legacy_session, "frank")
    user.name = "franklin"
    await legacy_session.commit()
    assert (await get_user(legacy_session, user.id)).name == "franklin"


@pytest.mark.asyncio
async def test_seeded_users_are_listed(seeded_session):
    names = await seeded_session.scalars(select(User.name).where(User.name.startswith("seed-")).order_by(User.name))
    assert list(names) == ["seed-ann", "seed-ben"]


@pytest.mark.asyncio(loop_scope="module")
async def test_catalog_counts_users(catalog_session):
    count = await catalog_session.scalar(select(func.count()).select_from(User))
    assert count >= 0


@pytest.mark.asyncio
async def test_catalog_finds_active_users(catalog_session):
    active = await catalog_session.scalars(select(User).where(User.is_active))
    assert all(user.is_active for user in active)


@pytest.mark.asyncio
async def test_welcome_mail_is_sent(outbox):  # ATS404
    queue, sent = outbox
    queue.put_nowait("welcome")
    await asyncio.sleep(0.1)
    assert sent == ["welcome"]
