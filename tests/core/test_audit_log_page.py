"""Comms and the registrar read the audit log and narrow it down."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sigill.core import audit
from sigill.organisation.models import User
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_the_registrar_filters_the_log_by_act_and_actor(dana: User, alice: User, charlie: User) -> None:
    audit.record("core.auth.login_failed", actor_label="charlie", details={"username": "charlie"})
    audit.record("core.auth.logged_in", actor=alice, target=alice)
    page = signed_in_client(dana).get(reverse("core:audit_log"), {"act": "core.auth", "actor": "charlie"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 loggpost" in text
    assert "Misslyckad inloggning" in text
    assert "Roll tilldelad" not in text


def test_the_log_names_the_kind_of_each_target_in_swedish(dana: User, alice: User) -> None:
    page = signed_in_client(dana).get(reverse("core:audit_log"), {"act": "organisation.membership"})
    text = page.content.decode()
    assert "Roll tilldelad" in text
    assert '<span class="tag">användare</span>' in text


def test_an_impossible_date_range_is_explained(dana: User) -> None:
    page = signed_in_client(dana).get(
        reverse("core:audit_log"), {"since": "2026-05-02", "until": "2026-05-01"}
    )
    assert page.status_code == 422
    assert "Slutdatumet får inte vara före startdatumet." in page.content.decode()


def test_details_that_count_items_are_shown_rather_than_breaking_the_page(dana: User) -> None:
    # An e-archive export, a legal hold and a disclosure request note how many items they took.
    audit.record("records.export.created", actor_label="dana", details={"items": 12, "keys": ["a"]})
    page = signed_in_client(dana).get(reverse("core:audit_log"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "<dt>objekt</dt><dd><bdi>12</bdi></dd>" in text


def test_details_are_shown_in_words_not_in_the_codes_they_were_written_with(dana: User, alice: User) -> None:
    audit.record(
        "core.auth.logged_in",
        actor=alice,
        target=alice,
        details={"backend": "django.contrib.auth.backends.ModelBackend"},
    )
    audit.record(
        "organisation.membership.granted",
        actor=alice,
        target=alice,
        details={"role": "unit_manager", "valid_until": "2027-01-01"},
    )
    text = signed_in_client(dana).get(reverse("core:audit_log")).content.decode()
    assert "<dt>loggade in med</dt><dd><bdi>lösenord</bdi></dd>" in text
    assert "<dt>roll</dt><dd><bdi>Verksamhetschef</bdi></dd>" in text
    assert "<dt>valid until</dt>" in text
    assert "ModelBackend" not in text and "unit_manager" not in text


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
        {"since": "not-a-date"},
        {"target_type": "no.such_model"},
        {"act": "x" * 5000},
        {"actor": "\x00"},
    ],
)
def test_odd_filters_and_page_numbers_answer_with_a_page_not_a_server_error(
    dana: User, query: dict[str, str]
) -> None:
    audit.record("records.export.created", actor_label="dana", details={"items": 3})
    page = signed_in_client(dana).get(reverse("core:audit_log"), query)
    assert page.status_code in (200, 422)
    assert "<dt>objekt</dt><dd><bdi>3</bdi></dd>" in page.content.decode()
