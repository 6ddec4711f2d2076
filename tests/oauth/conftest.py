"""Platform log-in fixtures: the fake authorisation server, the apps set up against it, accounts
to log in, and the walk through a log-in as a browser makes it (Sigill → platform → Sigill)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx2
import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sigill.oauth.models import Grant
from sigill.oauth.providers import PROVIDERS
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from sigill.vault import services as vault
from tests.conftest import signed_in_client
from tests.oauth.fake_platforms import APP_ID, APP_SECRET, FakePlatforms, serve, vara_pages
from tests.registry.fixtures import account_data, activate

BASE_URL = "http://testserver"


@pytest.fixture
def oauth_base_url() -> str:
    """Sigill's address, as SIGILL_BASE_URL names it and the platform apps have it registered."""
    return BASE_URL


@pytest.fixture
def fake(oauth_base_url: str) -> Iterator[FakePlatforms]:
    """The platforms' log-in, on a local port; every platform's app set up against it."""
    platforms = FakePlatforms(pages=vara_pages())
    platforms.registered_redirects = {f"{oauth_base_url}/oauth/callback/{slug}/" for slug in PROVIDERS}
    for running in serve(platforms):
        apps = {
            "META_APP_ID": APP_ID,
            "META_APP_SECRET": APP_SECRET,
            "THREADS_APP_ID": APP_ID,
            "THREADS_APP_SECRET": APP_SECRET,
            "LINKEDIN_CLIENT_ID": APP_ID,
            "LINKEDIN_CLIENT_SECRET": APP_SECRET,
            "GOOGLE_CLIENT_ID": APP_ID,
            "GOOGLE_CLIENT_SECRET": APP_SECRET,
            "X_CLIENT_ID": APP_ID,
            "X_CLIENT_SECRET": APP_SECRET,
            "TIKTOK_CLIENT_KEY": APP_ID,
            "TIKTOK_CLIENT_SECRET": APP_SECRET,
        }
        with override_settings(
            SIGILL_BASE_URL=oauth_base_url,
            OAUTH_ENDPOINTS={
                **dict.fromkeys(PROVIDERS, running.base),
                "mastodon": f"{running.base}/mastodon",
                "bluesky": f"{running.base}/bluesky",
            },
            **apps,
        ):
            yield running


def live_account(
    platform: str, url: str, *, alice: User, erik: User, bob: User, units: dict[str, Unit], name: str
) -> Account:
    account = registry_services.create_account(
        data=account_data(
            units["kommunikation"],
            url=url,
            platform=platform,
            display_name=name,
            responsible=erik,
            deputy=bob,
        ),
        by=alice,
    )
    return activate(account, alice)


@pytest.fixture
def kommun_facebook(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara kommun's Facebook Page, in the registry but not yet connected to the API."""
    return live_account(
        "facebook",
        "facebook.com/varakommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )


@pytest.fixture
def kommun_instagram(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return live_account(
        "instagram",
        "instagram.com/varakommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )


@pytest.fixture
def alices_browser(alice: User) -> Client:
    return signed_in_client(alice)


def start_log_in(browser: Client, account: Account) -> str:
    """Comms presses "Log in with ..."; returns the platform's log-in address Sigill sent them to."""
    response = browser.post(reverse("oauth:start", kwargs={"slug": account.slug}))
    assert response.status_code == 302, response.content.decode()[:500]
    return str(response["Location"])


def consent(address: str) -> str:
    """The person logs in on the platform and allows access; returns where the platform sends the
    browser back to (Sigill's callback, with the code and state)."""
    with httpx2.Client(follow_redirects=False) as http:
        answer = http.get(address)
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def come_back(browser: Client, callback: str) -> Any:
    parts = urlsplit(callback)
    return browser.get(parts.path, dict(parse_qsl(parts.query)))


def log_in(browser: Client, account: Account) -> Any:
    """The whole walk; returns Sigill's answer to the platform's redirect back."""
    return come_back(browser, consent(start_log_in(browser, account)))


def vault_token(account: Account) -> str:
    """The API token the vault now holds for ``account``, as a sync opens it."""
    return vault.open_api_token(account=account, purpose="test", sync_run_id="test")


def due_now(account: Account) -> None:
    """The account's log-in is due for its refresh (or check)."""
    Grant.objects.filter(account=account).update(next_check_at=timezone.now())


def query_of(address: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(address).query))
