"""YouTube, X, TikTok and Threads, each logged in, refreshed and lost against the fake server in
its own platform's shapes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from sigill.connectors.base import has_connector
from sigill.connectors.models import Connection
from sigill.oauth import services
from sigill.oauth.models import Grant
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.oauth.conftest import (
    come_back,
    consent,
    due_now,
    live_account,
    log_in,
    query_of,
    start_log_in,
    vault_token,
)
from tests.oauth.fake_platforms import THREADS_USER_ID, TIKTOK_OPEN_ID, UPLOADS_ID, X_USER_ID, FakePlatforms


@dataclass(frozen=True)
class Case:
    url: str
    remote_id: str
    label: str
    pkce: bool


CASES = {
    "youtube": Case("youtube.com/@varakommun", UPLOADS_ID, "YouTube", pkce=True),
    "x": Case("x.com/varakommun", X_USER_ID, "X", pkce=True),
    "tiktok": Case("tiktok.com/@varakommun", TIKTOK_OPEN_ID, "TikTok", pkce=False),
    "threads": Case("threads.net/@varakommun", THREADS_USER_ID, "Threads", pkce=False),
}


@pytest.fixture(params=sorted(CASES))
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def kommun(platform: str, alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return live_account(
        platform, CASES[platform].url, alice=alice, erik=erik, bob=bob, units=units, name="Vara kommun"
    )


def test_alice_connects_the_account_by_logging_in_with_its_platform(
    fake: FakePlatforms, platform: str, kommun: Account, alices_browser: Client
) -> None:
    address = start_log_in(alices_browser, kommun)
    assert ("code_challenge" in query_of(address)) == CASES[platform].pkce

    response = come_back(alices_browser, consent(address))

    assert response.status_code == 302
    grant = Grant.objects.get(account=kommun)
    assert grant.state == Grant.State.ACTIVE and grant.remote_id == CASES[platform].remote_id
    assert grant.expires_at is not None and grant.next_check_at is not None
    assert grant.next_check_at < grant.expires_at
    assert vault_token(kommun) in fake.minted(platform, "access")
    # Connected to the API where Sigill has a connector for the platform; else the token waits.
    connection = Connection.objects.filter(account=kommun).first()
    assert (connection is not None and connection.remote_id == grant.remote_id) == has_connector(platform)


def test_the_scheduler_renews_the_tokens_before_they_expire_again_and_again(
    fake: FakePlatforms, platform: str, kommun: Account, alices_browser: Client
) -> None:
    """X and TikTok spend a refresh token when it is used: the new one must be the one kept."""
    log_in(alices_browser, kommun)
    seen = [vault_token(kommun)]
    for _ in range(2):
        due_now(kommun)
        assert services.refresh_due() == 1
        seen.append(vault_token(kommun))
    assert len(set(seen)) == 3
    assert all(token in fake.minted(platform, "access") for token in seen)
    assert Grant.objects.get(account=kommun).state == Grant.State.ACTIVE


def test_a_refresh_the_platform_refuses_loses_the_log_in_and_says_why_in_swedish(
    fake: FakePlatforms, platform: str, kommun: Account, alices_browser: Client
) -> None:
    log_in(alices_browser, kommun)
    fake.revoke_all(platform)
    due_now(kommun)

    services.refresh_due()

    grant = Grant.objects.get(account=kommun)
    assert grant.state == Grant.State.LOST and grant.next_check_at is None
    label = CASES[platform].label
    assert grant.lost_reason.startswith(f"{label} godtar inte längre Sigills inloggning för kontot")
    assert f"administrerar kontot på {label} måste logga in igen" in grant.lost_reason


def test_a_platform_user_other_than_the_account_cannot_connect_it(
    fake: FakePlatforms,
    platform: str,
    alice: User,
    erik: User,
    bob: User,
    units: dict[str, Unit],
    alices_browser: Client,
) -> None:
    someone_else = live_account(
        platform,
        CASES[platform].url.replace("varakommun", "varabibliotek"),
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara bibliotek",
    )
    response = log_in(alices_browser, someone_else)
    assert response.status_code == 400
    assert "administrerar inte Vara bibliotek" in response.content.decode()
    assert not Grant.objects.filter(account=someone_else).exists()


def test_tiktok_is_logged_in_with_api_for_business_whose_refusal_is_told_with_its_return_code(
    fake: FakePlatforms, alice: User, erik: User, bob: User, units: dict[str, Unit], alices_browser: Client
) -> None:
    kommun = live_account(
        "tiktok", CASES["tiktok"].url, alice=alice, erik=erik, bob=bob, units=units, name="Vara kommun"
    )
    callback = consent(start_log_in(alices_browser, kommun))
    fake.codes.clear()  # the code expired before Sigill could exchange it

    response = come_back(alices_browser, callback)

    assert response.status_code == 400
    assert "TikTok nekade inloggningen (40105" in response.content.decode()
    exchange = [params for method, path, params in fake.requests if path.endswith("/tt_user/oauth2/token/")]
    assert len(exchange) == 1 and exchange[0]["grant_type"] == "authorization_code"
    assert exchange[0]["auth_code"] and exchange[0]["client_id"] == "4711000000000042"
    assert not Grant.objects.filter(account=kommun).exists()
