"""A portal helper over the TestClient: read the CSRF token, log in, post forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.models import User

PASSWORD = "correct-horse-battery"  # the factory's default password
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Portal:
    client: TestClient
    session: Session

    def csrf(self, path: str = "/login") -> str:
        """The session's CSRF token, read from a rendered form."""
        match = _CSRF.search(self.client.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def username(self, actor: Actor) -> str:
        """The login name of the user behind `actor`."""
        user = self.session.get(User, actor.user_id)
        assert user is not None
        return user.username

    def login(self, actor: Actor, password: str = PASSWORD, next: str = "/me") -> httpx.Response:
        """Log in through the form as the user behind `actor`."""
        return self.client.post("/login", data={"csrf_token": self.csrf(), "username": self.username(actor),
                                                "password": password, "next": next}, follow_redirects=False)

    def post(self, path: str, data: dict[str, Any], *, token: str | None = None) -> httpx.Response:
        """POST a form with the session's CSRF token (or `token`), without following redirects."""
        body = {"csrf_token": self.csrf() if token is None else token, **data}
        return self.client.post(path, data=body, follow_redirects=False)


@pytest.fixture
def portal(client: TestClient, session: Session) -> Portal:
    return Portal(client=client, session=session)
