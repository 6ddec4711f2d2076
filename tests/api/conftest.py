"""API test helpers: a real token for a named person, and a client that sends it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from sigill.api import services
from sigill.organisation.models import User


def token_for(user: User, *, scope: str = "write", days: int = 30) -> str:
    """A personal token for ``user``, made by the real service (the secret, shown once)."""
    return services.create_token(
        user=user, name=f"Test {scope}", scope=scope, expires_at=timezone.now() + dt.timedelta(days=days)
    ).secret


def bearer(secret: str, **headers: Any) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", **headers}


class ApiClient:
    """Django's test client with the token in every request and JSON bodies."""

    def __init__(self, secret: str, *, language: str = "") -> None:
        self.client = Client()
        self.headers = bearer(secret)
        if language:
            self.headers["HTTP_ACCEPT_LANGUAGE"] = language

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(url, params or {}, **self.headers)

    def post(self, url: str, body: Any) -> Any:
        return self.client.post(url, body, content_type="application/json", **self.headers)

    def put(self, url: str, body: Any) -> Any:
        return self.client.put(url, body, content_type="application/json", **self.headers)


def api_as(user: User, *, scope: str = "write", language: str = "") -> ApiClient:
    return ApiClient(token_for(user, scope=scope), language=language)
