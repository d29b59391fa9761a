"""The HTTP API."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app import services
from app.db import User, get_session

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "admin")
TOKEN_LIFETIME = timedelta(hours=1)

app = FastAPI(title="shop")


class UserIn(BaseModel):
    name: str
    email: str | None = None


class UserOut(BaseModel):
    id: int
    name: str
    email: str | None = None


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/token")
async def login(form: OAuth2PasswordRequestForm = Depends()) -> dict[str, object]:
    if form.username != "admin" or form.password != ADMIN_PASSWORD:
        raise HTTPException(status_code=401, detail="bad credentials")
    expires = datetime.now(timezone.utc) + TOKEN_LIFETIME
    token = jwt.encode({"sub": form.username, "exp": expires}, SECRET_KEY, algorithm="HS256")
    return {"access_token": token, "token_type": "bearer", "expires_in": int(TOKEN_LIFETIME.total_seconds())}


@app.post("/users", status_code=201, response_model=UserOut)
async def create_user(
    payload: UserIn, background: BackgroundTasks, session: AsyncSession = Depends(get_session)
) -> User:
    try:
        user = await services.create_user(session, payload.name, payload.email)
    except services.UserExists:
        raise HTTPException(status_code=409, detail="user already exists") from None
    if user.email:
        background.add_task(services.send_welcome_email, user)
    return user


@app.get("/users/{user_id}", response_model=UserOut)
async def read_user(user_id: int, session: AsyncSession = Depends(get_session)) -> User:
    user = await services.get_user(session, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="user not found")
    return user
