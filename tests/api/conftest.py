"""API test helpers: a real token for a named person, and a client that sends it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from sigill.api import services
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.archive.conftest import make_library
from tests.moderation.conftest import facebook_platform  # noqa: F401  (a fixture for the decision tests)
from tests.registry.fixtures import account_data, activate


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


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    """Archived files go to a temporary folder, never into the repository or var/."""
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def library(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara bibliotek on Facebook, active, Erik its editor, in Bob's administration."""
    return make_library(alice, erik, bob, units)


@pytest.fixture
def streets(alice: User, gustav: User, units: dict[str, Unit]) -> Account:
    """Gata och park on Facebook, outside Bob's and Erik's reach."""
    account = registry_services.create_account(
        data=account_data(
            units["gata-park"],
            url="facebook.com/varagataochpark",
            platform="facebook",
            display_name="Gata och park",
            responsible=gustav,
            deputy=alice,
        ),
        by=alice,
    )
    return activate(account, alice)
