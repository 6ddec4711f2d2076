"""From log-in to capture: comms logs in with Threads or TikTok through the fake authorisation
server, and the account's API connection that the log-in made syncs against the platform's API
(the connector tests' payloads, on pytest-httpx2's router) with the token the log-in sealed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from sigill.connectors.models import Connection
from sigill.oauth.models import Grant
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors import test_threads_sync as threads_walk
from tests.connectors import test_tiktok_sync as tiktok_walk
from tests.connectors.conftest import archived
from tests.connectors.walks import succeeded
from tests.oauth.conftest import live_account, log_in, vault_token
from tests.oauth.fake_platforms import THREADS_USER_ID, TIKTOK_OPEN_ID, FakePlatforms

pytestmark = pytest.mark.httpx2(assert_all_called=False)


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    """Attachments the sync fetches go to a temporary folder."""
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def platform_api(httpx2_mock: Any) -> Any:
    """The platforms' APIs on the router; the fake authorisation server (local) is reached for real."""
    httpx2_mock.route(host="127.0.0.1").pass_through()
    return httpx2_mock


def logged_in(
    platform: str, url: str, *, alice: User, erik: User, bob: User, units: dict[str, Unit], browser: Client
) -> Account:
    account = live_account(platform, url, alice=alice, erik=erik, bob=bob, units=units, name="Vara kommun")
    response = log_in(browser, account)
    assert response.status_code == 302, response.content.decode()[:500]
    return account


def test_a_threads_account_logged_in_with_threads_is_synced_with_the_token_the_log_in_gave(
    fake: FakePlatforms,
    platform_api: Any,
    alice: User,
    erik: User,
    bob: User,
    units: dict[str, Unit],
    alices_browser: Client,
) -> None:
    routes = threads_walk.mount_account(platform_api)
    kommun = logged_in(
        "threads",
        "threads.net/@varakommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        browser=alices_browser,
    )

    connection = Connection.objects.get(account=kommun)
    assert connection.remote_id == THREADS_USER_ID == Grant.objects.get(account=kommun).remote_id
    succeeded(kommun)

    items = archived(kommun)
    assert {threads_walk.SNOW, threads_walk.GRETA, threads_walk.HIDDEN} <= set(items)
    request = routes["threads_p1"].calls.last.request
    assert request.headers["Authorization"] == f"Bearer {vault_token(kommun)}"
    assert vault_token(kommun) in fake.minted("threads", "access")


def test_a_tiktok_business_account_logged_in_with_tiktok_is_synced_with_the_token_the_log_in_gave(
    fake: FakePlatforms,
    platform_api: Any,
    alice: User,
    erik: User,
    bob: User,
    units: dict[str, Unit],
    alices_browser: Client,
) -> None:
    routes = tiktok_walk.mount_account(platform_api)
    kommun = logged_in(
        "tiktok",
        "tiktok.com/@varakommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        browser=alices_browser,
    )

    # The business account id the Business API's log-in named is the one the connector asks for.
    connection = Connection.objects.get(account=kommun)
    assert connection.remote_id == TIKTOK_OPEN_ID == Grant.objects.get(account=kommun).remote_id
    succeeded(kommun)

    items = archived(kommun)
    assert {tiktok_walk.STORY, tiktok_walk.LINNEA, tiktok_walk.HIDDEN, tiktok_walk.SARA} <= set(items)
    request = routes["videos_p1"].calls.last.request
    assert request.headers["Access-Token"] == vault_token(kommun)
    assert request.url.params["business_id"] == TIKTOK_OPEN_ID
    assert vault_token(kommun) in fake.minted("tiktok", "access")
