"""LinkedIn organisation pages: the log-in, the refresh before the 60-day token expires, a lost
refresh token, and the one setting for the API version with its warning on comms' start page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from sigill.connectors.base import connector_for
from sigill.connectors.models import Connection
from sigill.core.models import AuditEntry
from sigill.core.todo import todos_for
from sigill.oauth import services
from sigill.oauth.models import Grant
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.oauth.conftest import (
    come_back,
    consent,
    live_account,
    log_in,
    query_of,
    start_log_in,
    vault_token,
)
from tests.oauth.fake_platforms import ORGANISATION_ID, FakePlatforms


@pytest.fixture
def kommun_linkedin(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return live_account(
        "linkedin",
        "linkedin.com/company/vara-kommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )


def test_alice_connects_the_organisation_page_by_logging_in_with_linkedin(
    fake: FakePlatforms, kommun_linkedin: Account, alices_browser: Client
) -> None:
    address = start_log_in(alices_browser, kommun_linkedin)
    asked = query_of(address)
    assert "code_challenge" not in asked  # LinkedIn takes PKCE from native apps only
    assert asked["scope"].split() == [
        "r_organization_social",
        "w_organization_social",
        "rw_organization_admin",
    ]

    come_back(alices_browser, consent(address))

    assert Connection.objects.get(account=kommun_linkedin).remote_id == ORGANISATION_ID
    assert vault_token(kommun_linkedin) in fake.minted("linkedin", "access")
    grant = Grant.objects.get(account=kommun_linkedin)
    assert grant.remote_name == "Vara kommun"
    assert grant.expires_at is not None and grant.refresh_expires_at is not None
    assert dt.timedelta(days=59) < grant.expires_at - timezone.now() <= dt.timedelta(days=60)
    assert grant.next_check_at is not None and grant.next_check_at < grant.expires_at - dt.timedelta(days=6)
    assert fake.versions == ["202508"]


def test_the_api_version_is_one_setting_for_the_log_in_and_the_connector(
    fake: FakePlatforms, kommun_linkedin: Account, alices_browser: Client
) -> None:
    with override_settings(LINKEDIN_API_VERSION="202511"):
        log_in(alices_browser, kommun_linkedin)
        headers = connector_for("linkedin").headers("token")  # type: ignore[union-attr]
    assert fake.versions == ["202511"]
    assert headers["LinkedIn-Version"] == "202511"


def test_the_scheduler_refreshes_the_access_token_before_it_expires(
    fake: FakePlatforms, kommun_linkedin: Account, alices_browser: Client
) -> None:
    log_in(alices_browser, kommun_linkedin)
    first = vault_token(kommun_linkedin)
    Grant.objects.filter(account=kommun_linkedin).update(next_check_at=timezone.now())

    assert services.refresh_due() == 1

    renewed = vault_token(kommun_linkedin)
    assert renewed != first and renewed in fake.minted("linkedin", "access")
    assert ("POST", "/oauth/v2/accessToken") in [(m, p) for m, p, _ in fake.requests]
    assert fake.requests[-1][2]["grant_type"] == "refresh_token"
    assert Grant.objects.get(account=kommun_linkedin).last_refreshed_at is not None
    assert AuditEntry.objects.filter(act="oauth.grant.refreshed", target_id=str(kommun_linkedin.pk)).exists()


def test_a_refresh_token_linkedin_refuses_loses_the_log_in(
    fake: FakePlatforms, kommun_linkedin: Account, alices_browser: Client, alice: User
) -> None:
    log_in(alices_browser, kommun_linkedin)
    fake.revoke_all("linkedin")
    Grant.objects.filter(account=kommun_linkedin).update(next_check_at=timezone.now())

    services.refresh_due()

    grant = Grant.objects.get(account=kommun_linkedin)
    assert grant.state == Grant.State.LOST
    assert grant.lost_reason.startswith(
        "LinkedIn godtar inte längre Sigills inloggning för kontot (invalid_grant)"
    )
    assert Connection.objects.get(account=kommun_linkedin).status == Connection.Status.NEEDS_RECONNECT
    assert any(t.title == "Logga in Vara kommun med LinkedIn igen" for t in todos_for(alice))


def linkedin_todos(alice: User) -> list[str]:
    return [t.title for t in todos_for(alice) if "API-version" in t.title]


def test_comms_is_warned_on_the_start_page_two_months_before_linkedin_retires_the_version(
    kommun_linkedin: Account, alice: User
) -> None:
    in_seven_weeks = (timezone.localdate() + dt.timedelta(weeks=7)).isoformat()
    in_ten_weeks = (timezone.localdate() + dt.timedelta(weeks=10)).isoformat()
    with override_settings(LINKEDIN_API_VERSION_RETIRES=in_ten_weeks):
        assert linkedin_todos(alice) == []
    with override_settings(LINKEDIN_API_VERSION_RETIRES=in_seven_weeks):
        [title] = linkedin_todos(alice)
    assert title.startswith("LinkedIn pensionerar API-version 202508 den ")


def test_a_retired_version_is_an_urgent_warning(kommun_linkedin: Account, alice: User) -> None:
    with override_settings(LINKEDIN_API_VERSION="202508", LINKEDIN_API_VERSION_RETIRES=""):
        todo = next(t for t in todos_for(alice) if "API-version" in t.title)
    # Without a date set, a version is taken to retire on the first of its month a year on.
    assert (
        todo.title
        == "LinkedIn har pensionerat API-version 202508 (1 augusti 2026): LinkedIn-konton kanske inte fångas"
    )
    assert todo.urgent


def test_nobody_else_is_warned(kommun_linkedin: Account, erik: User) -> None:
    assert linkedin_todos(erik) == []
