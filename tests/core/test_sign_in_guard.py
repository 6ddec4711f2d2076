"""Guessing at the sign-in is slowed: by username in any capitals, by address, for everyone, at
the two-factor step too; waits grow with every failure, lift by time or by comms, and are audited.

The clock is moved with freezegun; nothing here waits for real time to pass.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from sigill.core.models import AuditEntry, SignInLock
from sigill.organisation.models import User
from tests.conftest import PASSWORD, current_code, signed_in_client

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def sign_in(client: Client, username: str, password: str = PASSWORD, *, address: str = "192.0.2.10"):
    return client.post(
        reverse("core:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client: Client, username: str, times: int, *, address: str = "192.0.2.10") -> None:
    for _attempt in range(times):
        sign_in(client, username, "wrong-guess", address=address)


def test_five_wrong_passwords_in_other_capitals_and_spaces_make_the_name_wait(
    client: Client, charlie: User
) -> None:
    with freeze_time(START):
        for typed in ("charlie", "Charlie", "CHARLIE", " charlie ", "ChArLiE"):
            sign_in(client, typed, "wrong-guess")
        response = sign_in(client, "charlie")
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    lock = SignInLock.objects.get(scope="username")
    assert lock.key == "charlie"
    assert lock.failures == 5


def test_the_wait_lifts_by_time_and_doubles_after_each_further_failure(client: Client, charlie: User) -> None:
    with freeze_time(START) as clock:
        fail(client, "charlie", 5)
        first = SignInLock.objects.get()
        assert first.until - first.locked_at == dt.timedelta(seconds=60)
        clock.tick(dt.timedelta(seconds=61))
        fail(client, "charlie", 1)
        second = SignInLock.objects.latest("id")
        assert second.until - second.locked_at == dt.timedelta(seconds=120)
        clock.tick(dt.timedelta(seconds=121))
        response = sign_in(client, "charlie")
    assert response.status_code == 302


def test_the_longest_wait_is_capped(client: Client, charlie: User) -> None:
    with freeze_time(START) as clock, override_settings(SIGN_IN_LONGEST_WAIT_SECONDS=300):
        for _round in range(8):
            fail(client, "charlie", 5)
            clock.tick(dt.timedelta(minutes=6))
    assert max(lock.until - lock.locked_at for lock in SignInLock.objects.all()) == dt.timedelta(minutes=5)


def test_one_password_tried_across_thirty_names_from_one_address_is_slowed(
    client: Client, charlie: User
) -> None:
    with freeze_time(START):
        for number in range(30):
            sign_in(client, f"person{number}", "Sommar2026!", address="198.51.100.7")
        from_there = sign_in(client, "charlie", address="198.51.100.7")
        from_elsewhere = sign_in(Client(), "charlie", address="203.0.113.9")
    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302
    lock = SignInLock.objects.get(scope="address")
    assert lock.key == "198.51.100.7"
    assert lock.failures == 20
    throttled = AuditEntry.objects.filter(act="core.auth.sign_in_throttled")
    assert [entry.details["counted_by"] for entry in throttled] == ["address"]


@override_settings(SIGN_IN_FAILURES_EVERYONE=12)
def test_many_failures_spread_over_addresses_slow_every_unknown_browser_briefly(
    client: Client, charlie: User
) -> None:
    with freeze_time(START) as clock:
        for number in range(12):
            sign_in(Client(), f"person{number}", "wrong-guess", address=f"203.0.113.{number}")
        held = sign_in(client, "charlie", address="192.0.2.99")
        clock.tick(dt.timedelta(seconds=61))
        later = sign_in(client, "charlie", address="192.0.2.99")
    assert held.status_code == 429
    assert "mycket många misslyckade inloggningar" in held.content.decode()
    assert later.status_code == 302


def test_a_guesser_elsewhere_cannot_keep_the_owner_of_a_known_browser_out(
    client: Client, charlie: User
) -> None:
    with freeze_time(START):
        assert sign_in(client, "charlie").status_code == 302  # charlie's own browser, now known
        client.post(reverse("core:logout"))
        fail(Client(), "charlie", 5, address="198.51.100.66")
        stranger = sign_in(Client(), "charlie", address="198.51.100.66")
        owner = sign_in(client, "charlie")
    assert stranger.status_code == 429
    assert owner.status_code == 302


def test_a_known_browser_that_keeps_failing_waits_too(client: Client, charlie: User) -> None:
    with freeze_time(START):
        sign_in(client, "charlie")
        client.post(reverse("core:logout"))
        fail(client, "charlie", 5)
        response = sign_in(client, "charlie")
    assert response.status_code == 429
    assert SignInLock.objects.filter(scope="device").exists()


def test_wrong_two_factor_codes_make_the_step_wait_and_the_wait_is_audited(alice: User) -> None:
    client = Client()
    with freeze_time(START) as clock:
        sign_in(client, "alice")
        for _attempt in range(5):
            clock.tick(dt.timedelta(seconds=20))  # past django-otp's own doubling wait per device
            client.post(reverse("core:two_factor"), {"code": "000000", "next": "/"}, REMOTE_ADDR="192.0.2.10")
        device = TOTPDevice.objects.get(user=alice)
        device.throttle_reset()
        held = client.post(
            reverse("core:two_factor"), {"code": current_code(device), "next": "/"}, REMOTE_ADDR="192.0.2.10"
        )
        assert held.status_code == 429
        assert "För många felaktiga koder" in held.content.decode()
        clock.tick(dt.timedelta(minutes=2))
        device.refresh_from_db()
        passed = client.post(
            reverse("core:two_factor"), {"code": current_code(device), "next": "/"}, REMOTE_ADDR="192.0.2.10"
        )
    assert passed.status_code == 302
    entry = AuditEntry.objects.get(act="core.auth.sign_in_throttled", details__counted_by="username")
    assert entry.details["step"] == "two_factor"
    assert entry.details["ip"] == "192.0.2.10"


def test_comms_see_the_wait_and_lift_it(client: Client, charlie: User, alice: User) -> None:
    with freeze_time(START):
        fail(client, "Charlie", 5)
        comms = signed_in_client(alice)
        page = comms.get(reverse("core:sign_in_locks"))
        assert page.status_code == 200
        assert "charlie" in page.content.decode()
        lock = SignInLock.objects.get(scope="username")
        response = comms.post(reverse("core:lift_sign_in_lock", args=[lock.pk]))
        assert response.status_code == 302
        assert sign_in(client, "charlie").status_code == 302
    lock.refresh_from_db()
    assert lock.lifted_by == alice
    lifted = AuditEntry.objects.get(act="core.auth.sign_in_lock_lifted")
    assert lifted.actor == alice
    assert lifted.details["locked"] == "charlie"


def test_only_comms_may_lift_a_wait(client: Client, charlie: User, dana: User) -> None:
    fail(client, "charlie", 5)
    lock = SignInLock.objects.get()
    response = signed_in_client(dana).post(reverse("core:lift_sign_in_lock", args=[lock.pk]))
    assert response.status_code == 404
    lock.refresh_from_db()
    assert lock.is_active(timezone.now())


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_nginx_the_throttle_and_the_audit_entry_see_the_client_not_nginx(charlie: User) -> None:
    for number in range(20):
        Client().post(
            reverse("core:login"),
            {"username": f"person{number}", "password": "wrong-guess"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.77",
        )
    failed = AuditEntry.objects.filter(act="core.auth.login_failed")
    assert {entry.details["ip"] for entry in failed} == {"203.0.113.77"}
    assert SignInLock.objects.get(scope="address").key == "203.0.113.77"
    other = Client().post(
        reverse("core:login"),
        {"username": "charlie", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.3",
    )
    assert other.status_code == 302
