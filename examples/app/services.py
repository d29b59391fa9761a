"""Business logic shared by the API and the background workers."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import User

MAIL_API = "https://mail.internal.example/v1/send"


class UserExists(Exception):
    """A user with this name is already registered."""


def normalize_name(name: str) -> str:
    return name.strip().lower()


def welcome_message(name: str) -> str:
    return f"Welcome to the shop, {name}!"


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    if user_id < 1:
        raise ValueError(f"invalid user id: {user_id}")
    return await session.get(User, user_id)


async def get_user_by_name(session: AsyncSession, name: str) -> User | None:
    result = await session.execute(select(User).where(User.name == normalize_name(name)))
    return result.scalar_one_or_none()


async def create_user(session: AsyncSession, name: str, email: str | None = None) -> User:
    if await get_user_by_name(session, name) is not None:
        raise UserExists(name)
    user = User(name=normalize_name(name), email=email)
    session.add(user)
    await session.commit()
    await session.refresh(user)
    return user


async def deactivate_user(session: AsyncSession, user_id: int) -> None:
    user = await get_user(session, user_id)
    if user is None:
        raise LookupError(user_id)
    user.is_active = False
    await session.commit()


async def send_welcome_email(user: User, http: httpx.AsyncClient | None = None) -> bool:
    """Send the welcome e-mail; True when the mail API accepted it."""
    if not user.email:
        return False
    payload = {"to": user.email, "subject": "Welcome!", "text": welcome_message(user.name)}
    if http is None:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(MAIL_API, json=payload)
    else:
        response = await http.post(MAIL_API, json=payload)
    return response.status_code == 202


async def register_user(session: AsyncSession, name: str, email: str | None = None) -> User:
    user = await create_user(session, name, email)
    if email:
        try:
            await send_welcome_email(user)
        except httpx.HTTPError:
            pass  # the mail worker retries failed e-mails
    return user


async def charge(http: httpx.AsyncClient, user_id: int, amount_cents: int) -> str:
    """Charge a user's card through the payments provider; returns the charge status."""
    response = await http.post("/charges", json={"user_id": user_id, "amount": amount_cents, "currency": "eur"})
    response.raise_for_status()
    return response.json()["status"]


async def mail_worker(queue: asyncio.Queue[User]) -> None:
    while True:
        user = await queue.get()
        try:
            await send_welcome_email(user)
        finally:
            queue.task_done()
