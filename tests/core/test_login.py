"""Signing in: passwords, lock-out, two-factor codes and expired sessions, each in Swedish and audited."""

from __future__ import annotations

import binascii
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from tests.conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def acts() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("act", flat=True))


def test_the_login_page_is_in_swedish_by_default(client: Client) -> None:
    response = client.get(reverse("core:login"))
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
    assert "Logga in i Sigill" in response.content.decode()


def test_the_login_page_is_in_english_for_someone_who_chose_english(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("core:login"))
    assert "Sign in to Sigill" in response.content.decode()


def test_an_employee_signs_in_with_a_password_and_sees_the_start_page(client: Client, charlie: User) -> None:
    response = sign_in(client, "charlie")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Välkommen, <bdi>Charlie</bdi>" in page.content.decode()
    entry = AuditEntry.objects.get(act="core.auth.logged_in")
    assert entry.actor == charlie


def test_a_wrong_password_gets_a_clear_swedish_message_and_is_audited(client: Client, charlie: User) -> None:
    response = sign_in(client, "charlie", "not-the-password")
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()
    entry = AuditEntry.objects.get(act="core.auth.login_failed")
    assert entry.details["username"] == "charlie"
    assert entry.details["ip"] == "127.0.0.1"


def test_a_user_is_locked_out_after_five_failures_even_with_the_right_password(
    client: Client, charlie: User
) -> None:
    for _attempt in range(5):
        last = sign_in(client, "charlie", "wrong-guess")
    assert last.status_code == 429
    response = sign_in(client, "charlie")
    assert response.status_code == 429
    text = response.content.decode()
    assert "För många misslyckade inloggningsförsök" in text
    assert "1 minut" in text
    assert "core.auth.sign_in_throttled" in acts()
    assert "core.auth.logged_in" not in acts()


def test_comms_cannot_reach_the_start_page_before_the_second_factor(client: Client, alice: User) -> None:
    sign_in(client, "alice")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two_factor"))


def test_a_wrong_code_gets_a_clear_swedish_message_and_is_audited(client: Client, alice: User) -> None:
    sign_in(client, "alice")
    response = client.post(reverse("core:two_factor"), {"code": "000000", "next": "/"})
    assert response.status_code == 422
    assert "Koden stämmer inte" in response.content.decode()
    assert "core.auth.two_factor_failed" in acts()
    assert client.get(reverse("core:home")).status_code == 302


def test_the_right_code_lets_comms_in(client: Client, alice: User) -> None:
    sign_in(client, "alice")
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(reverse("core:two_factor"), {"code": current_code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert "core.auth.two_factor_passed" in acts()


def test_comms_without_an_authenticator_enrols_one_with_a_qr_code(client: Client, alice: User) -> None:
    TOTPDevice.objects.filter(user=alice).delete()
    sign_in(client, "alice")
    page = client.get(reverse("core:two_factor"))
    text = page.content.decode()
    assert "Ställ in tvåstegsverifiering" in text
    assert 'src="data:image/svg+xml;base64,' in text
    pending = TOTPDevice.objects.get(user=alice, confirmed=False)
    code = f"{totp(binascii.unhexlify(pending.key)):06d}"
    response = client.post(reverse("core:two_factor"), {"code": code, "next": "/"})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert "core.auth.two_factor_enrolled" in acts()


def test_an_expired_session_gets_a_clear_swedish_message_and_is_audited(
    client: Client, charlie: User
) -> None:
    sign_in(client, "charlie")
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("core:login"))
    assert "Din session har gått ut" in response.content.decode()
    entry = AuditEntry.objects.get(act="core.auth.session_expired")
    assert entry.actor_label == "charlie"


def test_signing_out_is_audited_and_is_not_mistaken_for_an_expired_session(
    client: Client, charlie: User
) -> None:
    sign_in(client, "charlie")
    response = client.post(reverse("core:logout"), follow=True)
    assert "Du är utloggad" in response.content.decode()
    client.get(reverse("core:home"), follow=True)
    assert "core.auth.logged_out" in acts()
    assert "core.auth.session_expired" not in acts()
