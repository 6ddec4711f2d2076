"""Revealing: only comms and vault deputies, with a fresh two-factor check and a reason; audited."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.vault import services
from sigill.vault.models import Credential
from tests.conftest import add_totp_device, current_code, signed_in_client
from tests.vault.conftest import SECRETS, fresh_two_factor

pytestmark = pytest.mark.django_db


def reveal(client: Client, credential: Credential, field: str = "password", *, htmx: bool = False) -> Any:
    return client.post(
        reverse("vault:reveal", kwargs={"pk": credential.pk}),
        {"field": field, "reason": "Ska lägga upp krisinformation"},
        headers={"HX-Request": "true"} if htmx else {},
    )


def refusals(credential: Credential) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(act="vault.credential.reveal_refused", target_id=str(credential.pk))
    )


def test_comms_with_a_fresh_check_sees_the_password_once_never_cached(
    alice: User, credential: Credential
) -> None:
    response = reveal(fresh_two_factor(signed_in_client(alice)), credential, htmx=True)
    assert response.status_code == 200
    assert SECRETS["password"] in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert 'data-hide-after="60"' in response.content.decode()
    entry = AuditEntry.objects.get(act="vault.credential.revealed")
    assert entry.actor == alice
    assert entry.details["reason"] == "Ska lägga upp krisinformation"
    assert entry.details["field"] == "password"


@pytest.mark.parametrize("person", ["erik", "bob", "dana"])
def test_an_editor_a_unit_manager_and_the_registrar_are_refused_and_audited(
    person: str, credential: Credential, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(person)
    response = reveal(fresh_two_factor(signed_in_client(user)), credential)
    assert response.status_code == 403
    assert SECRETS["password"] not in response.content.decode()
    [refusal] = refusals(credential)
    assert refusal.actor == user
    assert refusal.details["why"] == "not_allowed"


def test_comms_without_a_recent_check_is_sent_to_the_two_factor_step_and_audited(
    alice: User, credential: Credential
) -> None:
    response = reveal(signed_in_client(alice), credential)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor") + "?recheck=1")
    [refusal] = refusals(credential)
    assert refusal.details["why"] == "two_factor_not_recent"


def test_a_check_older_than_five_minutes_does_not_count(alice: User, credential: Credential) -> None:
    client = signed_in_client(alice)
    session = client.session
    session["sigill_two_factor_at"] = time.time() - 301
    session.save()
    assert reveal(client, credential).status_code == 302


def test_the_recheck_asks_for_a_code_and_returns_to_the_reveal(alice: User, credential: Credential) -> None:
    client = signed_in_client(alice)
    reveal_url = reverse("vault:reveal", kwargs={"pk": credential.pk})
    page = client.get(reveal_url, follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("core:two_factor"))
    code = current_code(TOTPDevice.objects.get(user=alice))
    response = client.post(page.redirect_chain[-1][0], {"code": code})
    assert response.status_code == 302 and response["Location"] == reveal_url
    assert reveal(client, credential).status_code == 200


def test_a_reveal_needs_a_written_reason(alice: User, credential: Credential) -> None:
    client = fresh_two_factor(signed_in_client(alice))
    response = client.post(
        reverse("vault:reveal", kwargs={"pk": credential.pk}), {"field": "password", "reason": " "}
    )
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(act="vault.credential.revealed").exists()


def test_the_two_factor_secret_itself_cannot_be_revealed(alice: User, credential: Credential) -> None:
    response = reveal(fresh_two_factor(signed_in_client(alice)), credential, field="totp_secret")
    assert response.status_code == 422
    assert SECRETS["totp_secret"] not in response.content.decode()


def test_sigill_shows_the_current_code_instead_of_the_secret(alice: User, credential: Credential) -> None:
    client = fresh_two_factor(signed_in_client(alice))
    response = client.post(
        reverse("vault:totp_code", kwargs={"pk": credential.pk}),
        {"reason": "Logga in på sidan"},
        HTTP_HX_REQUEST="true",
    )
    expected = TOTP(base64.b32decode(SECRETS["totp_secret"])).token()
    body = response.content.decode()
    assert f"{expected:06d}" in body
    assert SECRETS["totp_secret"] not in body
    assert "data-countdown" in body
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(act="vault.totp.shown", details__reason="Logga in på sidan").exists()


def test_a_copy_is_audited_with_the_reason_of_its_reveal(alice: User, credential: Credential) -> None:
    client = fresh_two_factor(signed_in_client(alice))
    reveal(client, credential)
    entry = AuditEntry.objects.get(act="vault.credential.revealed")
    response = client.post(reverse("vault:copied", kwargs={"pk": credential.pk}), {"reveal": entry.pk})
    assert response.status_code == 204
    copy = AuditEntry.objects.get(act="vault.credential.copied")
    assert copy.details["reason"] == entry.details["reason"]
    assert copy.details["field"] == "password"


def test_a_vault_deputy_may_reveal_until_revoked(alice: User, frida: User, credential: Credential) -> None:
    add_totp_device(frida)
    deputy = services.name_deputy(user=frida, by=alice)
    assert reveal(fresh_two_factor(signed_in_client(frida)), credential).status_code == 200
    services.revoke_deputy(deputy=deputy, by=alice)
    frida = User.objects.get(pk=frida.pk)
    assert reveal(fresh_two_factor(signed_in_client(frida)), credential).status_code == 403


def test_the_account_page_shows_the_reveal_history(alice: User, account, credential: Credential) -> None:
    client = fresh_two_factor(signed_in_client(alice))
    reveal(client, credential)
    page = client.get(reverse("vault:account", kwargs={"slug": account.slug}))
    body = page.content.decode()
    assert "Ska lägga upp krisinformation" in body
    assert "no-store" in page["Cache-Control"]
    assert SECRETS["password"] not in body
