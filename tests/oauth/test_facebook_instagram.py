"""Facebook Pages and Instagram, connected with Facebook Login for Business against the fake.

Alice (comms) logs Vara kommun's Page in: the code becomes a long-lived user token, the Page's own
token (which does not expire) is sealed in the vault, and the Page is connected to the API. The
scheduler checks the Page token daily; once Facebook says it no longer holds, the log-in is lost
and comms is told what to do, in Swedish.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sigill.connectors.models import Connection
from sigill.core.models import AuditEntry
from sigill.core.todo import todos_for
from sigill.oauth import services
from sigill.oauth.models import Grant
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.oauth.conftest import come_back, consent, log_in, query_of, start_log_in, vault_token
from tests.oauth.fake_platforms import IG_USER_ID, PAGE_ID, FakePlatforms


def test_alice_connects_the_page_by_logging_in_with_facebook(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    address = start_log_in(alices_browser, kommun_facebook)
    asked = query_of(address)
    assert address.startswith(f"{fake.base}/v21.0/dialog/oauth?")
    assert asked["redirect_uri"] == "http://testserver/oauth/callback/facebook/"
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert "pages_manage_engagement" in asked["scope"].split(",")

    response = come_back(alices_browser, consent(address))

    assert response.status_code == 302
    assert response["Location"] == reverse("oauth:account", kwargs={"slug": kommun_facebook.slug})
    connection = Connection.objects.get(account=kommun_facebook)
    assert connection.remote_id == PAGE_ID and connection.next_sync_at is not None
    page_tokens = fake.minted("meta", "page")
    assert vault_token(kommun_facebook) in page_tokens
    grant = Grant.objects.get(account=kommun_facebook)
    assert grant.state == Grant.State.ACTIVE and grant.remote_name == "Vara kommun"
    assert grant.expires_at is None  # a Page token from a long-lived user token does not expire
    assert AuditEntry.objects.filter(act="oauth.grant.connected", target_id=str(kommun_facebook.pk)).exists()


def test_no_token_is_written_anywhere_but_the_vault(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    log_in(alices_browser, kommun_facebook)
    written = " ".join(str(entry.details) for entry in AuditEntry.objects.all())
    session = str(dict(alices_browser.session))
    for token in fake.tokens:
        assert token not in written and token not in session


def test_the_answer_from_facebook_is_accepted_once_only(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    callback = consent(start_log_in(alices_browser, kommun_facebook))
    assert come_back(alices_browser, callback).status_code == 302

    replayed = come_back(alices_browser, callback)

    assert replayed.status_code == 400
    assert "hör inte till en inloggning" in replayed.content.decode()
    assert AuditEntry.objects.filter(act="oauth.login.refused", details__why="unknown").exists()


def test_an_answer_brought_back_in_another_session_is_refused(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    callback = consent(start_log_in(alices_browser, kommun_facebook))
    another_comms = signed_in_client(User.objects.get(username="alice"))  # a second browser of hers

    response = come_back(another_comms, callback)

    assert response.status_code == 400
    assert not Grant.objects.filter(account=kommun_facebook).exists()


def test_a_code_is_exchanged_only_with_the_verifier_of_its_own_log_in(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    """PKCE: the code of one log-in, brought back with the state of another, is refused by Facebook
    (the verifier Sigill sends is the other log-in's)."""
    first = consent(start_log_in(alices_browser, kommun_facebook))
    second = consent(start_log_in(alices_browser, kommun_facebook))
    swapped = first.split("&state=")[0] + "&state=" + query_of(second)["state"]

    response = come_back(alices_browser, swapped)

    assert response.status_code == 400
    assert "Facebook nekade inloggningen (OAuthException 100)" in response.content.decode()
    assert not Grant.objects.filter(account=kommun_facebook).exists()


def test_a_person_who_does_not_allow_access_is_told_so_in_swedish(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    fake.deny = True
    response = log_in(alices_browser, kommun_facebook)
    assert response.status_code == 400
    assert "Facebook gav inte Sigill åtkomst (access_denied)" in response.content.decode()


def test_a_facebook_user_who_does_not_administer_the_page_cannot_connect_it(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    fake.pages = [p for p in fake.pages if p["username"] != "varakommun"]
    response = log_in(alices_browser, kommun_facebook)
    page = response.content.decode()
    assert response.status_code == 400
    assert "administrerar inte Vara kommun" in page and "Vara bibliotek" in page
    assert not Connection.objects.filter(account=kommun_facebook).exists()


def test_an_editor_may_not_log_an_account_in(
    fake: FakePlatforms, kommun_facebook: Account, erik: User
) -> None:
    response = signed_in_client(erik).post(reverse("oauth:start", kwargs={"slug": kommun_facebook.slug}))
    assert response.status_code == 403


def test_instagram_is_connected_through_the_page_it_is_linked_to(
    fake: FakePlatforms, kommun_instagram: Account, alices_browser: Client
) -> None:
    address = start_log_in(alices_browser, kommun_instagram)
    assert "instagram_manage_comments" in query_of(address)["scope"].split(",")

    come_back(alices_browser, consent(address))

    assert Connection.objects.get(account=kommun_instagram).remote_id == IG_USER_ID
    assert vault_token(kommun_instagram) in fake.minted("meta", "page")
    assert Grant.objects.get(account=kommun_instagram).remote_name == "varakommun"


def test_the_scheduler_checks_a_page_token_daily_and_keeps_it_while_facebook_honours_it(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    log_in(alices_browser, kommun_facebook)
    token = vault_token(kommun_facebook)
    Grant.objects.filter(account=kommun_facebook).update(
        next_check_at=timezone.now() - dt.timedelta(minutes=1)
    )

    assert services.refresh_due() == 1

    grant = Grant.objects.get(account=kommun_facebook)
    assert grant.state == Grant.State.ACTIVE and grant.last_refreshed_at is not None
    assert grant.next_check_at is not None and grant.next_check_at > timezone.now() + dt.timedelta(hours=23)
    assert vault_token(kommun_facebook) == token
    assert "/v21.0/debug_token" in fake.paths()


def test_a_page_token_facebook_no_longer_honours_loses_the_log_in_and_tells_comms_in_swedish(
    fake: FakePlatforms,
    kommun_facebook: Account,
    alices_browser: Client,
    alice: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    alice.email = "kommunikation@vara.example"
    alice.save()
    log_in(alices_browser, kommun_facebook)
    fake.revoke_all("meta")
    Grant.objects.filter(account=kommun_facebook).update(next_check_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_due()

    grant = Grant.objects.get(account=kommun_facebook)
    assert grant.state == Grant.State.LOST
    assert Connection.objects.get(account=kommun_facebook).status == Connection.Status.NEEDS_RECONNECT
    todo = next(
        t
        for t in todos_for(alice)
        if t.url == reverse("oauth:account", kwargs={"slug": kommun_facebook.slug})
    )
    assert todo.urgent and todo.title == "Logga in Vara kommun med Facebook igen"
    assert "Facebook godtar inte längre Sigills inloggning" in todo.detail
    assert "måste logga in igen" in todo.detail
    assert [m.to for m in mail.outbox] == [["kommunikation@vara.example"]]
    assert AuditEntry.objects.filter(act="oauth.grant.lost", target_id=str(kommun_facebook.pk)).exists()


def test_logging_in_again_after_a_lost_log_in_connects_the_account_again(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    log_in(alices_browser, kommun_facebook)
    fake.revoke_all("meta")
    Grant.objects.filter(account=kommun_facebook).update(next_check_at=timezone.now())
    services.refresh_due()

    log_in(alices_browser, kommun_facebook)

    assert Grant.objects.get(account=kommun_facebook).state == Grant.State.ACTIVE
    assert Connection.objects.get(account=kommun_facebook).status != Connection.Status.NEEDS_RECONNECT


def test_an_outage_at_facebook_does_not_lose_the_log_in(
    fake: FakePlatforms, kommun_facebook: Account, alices_browser: Client
) -> None:
    log_in(alices_browser, kommun_facebook)
    fake.down = True
    Grant.objects.filter(account=kommun_facebook).update(next_check_at=timezone.now())

    services.refresh_due()

    grant = Grant.objects.get(account=kommun_facebook)
    assert grant.state == Grant.State.ACTIVE and grant.failures == 1
    assert grant.next_check_at is not None and grant.next_check_at > timezone.now()
    entry = AuditEntry.objects.get(act="oauth.grant.refresh_failed")
    assert "Facebook svarade med ett serverfel (HTTP 503)" in entry.details["error"]


@pytest.mark.parametrize("configured", [True, False])
def test_the_set_up_page_tells_comms_which_platforms_apps_are_set_up(
    fake: FakePlatforms, alices_browser: Client, configured: bool, settings: object
) -> None:
    if not configured:
        settings.META_APP_ID = ""  # type: ignore[attr-defined]
    page = alices_browser.get(reverse("oauth:setup")).content.decode()
    row = page[page.index('<th scope="row">Facebook</th>') :].split("</tr>")[0]
    assert ("Inte konfigurerad" not in row) == configured
    assert "http://testserver/oauth/callback/facebook/" in row and "META_APP_ID" in row
