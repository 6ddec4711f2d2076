"""Mastodon (Sigill registers itself on the account's own server, then the log-in) and Bluesky
(an app password, turned into a session Sigill renews), against the fake server."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sigill.connectors.models import Connection
from sigill.core.models import AuditEntry
from sigill.oauth import services
from sigill.oauth.models import Grant, InstanceApp
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.oauth.conftest import due_now, live_account, log_in, query_of, start_log_in, vault_token
from tests.oauth.fake_platforms import (
    APP_PASSWORD,
    APP_SECRET,
    BLUESKY_DID,
    MASTODON_ACCOUNT_ID,
    FakePlatforms,
)


@pytest.fixture
def kommun_mastodon(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return live_account(
        "mastodon",
        "social.vara.example/@varakommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )


@pytest.fixture
def kommun_bluesky(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return live_account(
        "bluesky",
        "bsky.app/profile/varakommun.bsky.social",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )


def test_sigill_registers_itself_on_the_accounts_server_once_and_logs_in_there(
    fake: FakePlatforms, kommun_mastodon: Account, alices_browser: Client
) -> None:
    address = start_log_in(alices_browser, kommun_mastodon)
    assert address.startswith(f"{fake.base}/mastodon/oauth/authorize?")
    assert query_of(address)["code_challenge_method"] == "S256"
    log_in(alices_browser, kommun_mastodon)

    assert fake.registrations == 1
    app = InstanceApp.objects.get(instance="https://social.vara.example")
    assert APP_SECRET not in app.client_secret_sealed
    connection = Connection.objects.get(account=kommun_mastodon)
    assert (
        connection.remote_id == MASTODON_ACCOUNT_ID and connection.api_base == "https://social.vara.example"
    )
    assert vault_token(kommun_mastodon) in fake.minted("mastodon", "access")
    assert Grant.objects.get(account=kommun_mastodon).expires_at is None


def test_a_revoked_mastodon_token_is_found_by_the_daily_check(
    fake: FakePlatforms, kommun_mastodon: Account, alices_browser: Client
) -> None:
    log_in(alices_browser, kommun_mastodon)
    due_now(kommun_mastodon)
    services.refresh_due()
    assert Grant.objects.get(account=kommun_mastodon).state == Grant.State.ACTIVE

    fake.revoke_all("mastodon")
    due_now(kommun_mastodon)
    services.refresh_due()

    grant = Grant.objects.get(account=kommun_mastodon)
    assert grant.state == Grant.State.LOST
    assert grant.lost_reason.startswith(
        "Mastodon godtar inte längre Sigills inloggning för kontot (The access token is invalid)"
    )


def test_alice_connects_bluesky_with_an_app_password_that_is_never_kept(
    fake: FakePlatforms, kommun_bluesky: Account, alices_browser: Client
) -> None:
    response = alices_browser.post(
        reverse("oauth:app_password", kwargs={"slug": kommun_bluesky.slug}), {"app_password": APP_PASSWORD}
    )

    assert response.status_code == 302
    connection = Connection.objects.get(account=kommun_bluesky)
    assert connection.remote_id == BLUESKY_DID
    assert connection.api_base == "https://morel.us-east.host.bsky.network"
    assert vault_token(kommun_bluesky) in fake.minted("bluesky", "access")
    grant = Grant.objects.get(account=kommun_bluesky)
    assert grant.expires_at is not None and grant.next_check_at is not None
    assert APP_PASSWORD not in " ".join(str(e.details) for e in AuditEntry.objects.all())


def test_a_wrong_app_password_is_refused_in_swedish(
    fake: FakePlatforms, kommun_bluesky: Account, alices_browser: Client
) -> None:
    response = alices_browser.post(
        reverse("oauth:app_password", kwargs={"slug": kommun_bluesky.slug}),
        {"app_password": "fel-fel-fel-fel"},
    )
    assert response.status_code == 422
    assert "Bluesky nekade inloggningen (AuthenticationRequired)" in response.content.decode()
    assert not Grant.objects.filter(account=kommun_bluesky).exists()


def test_the_bluesky_session_is_renewed_and_a_revoked_one_loses_the_log_in(
    fake: FakePlatforms, kommun_bluesky: Account, alices_browser: Client
) -> None:
    alices_browser.post(
        reverse("oauth:app_password", kwargs={"slug": kommun_bluesky.slug}), {"app_password": APP_PASSWORD}
    )
    first = vault_token(kommun_bluesky)
    due_now(kommun_bluesky)
    services.refresh_due()
    assert vault_token(kommun_bluesky) != first
    assert ("POST", "/bluesky/xrpc/com.atproto.server.refreshSession") in [
        (m, p) for m, p, _ in fake.requests
    ]

    fake.revoke_all("bluesky")
    due_now(kommun_bluesky)
    services.refresh_due()

    assert Grant.objects.get(account=kommun_bluesky).state == Grant.State.LOST
