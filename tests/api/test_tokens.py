"""Personal API tokens: hashed at rest, shown once, scoped, expiring and revocable, all audited."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sigill.api import services
from sigill.api.models import ApiToken
from sigill.core.models import AuditEntry
from sigill.inquiries.models import Inquiry
from sigill.organisation.models import User
from tests.api.conftest import ApiClient, api_as, token_for
from tests.conftest import signed_in_client

PROBLEM = "application/problem+json"


def new_question() -> dict[str, str]:
    return {
        "question": "När öppnar simhallen?",
        "asked_where": "Kommentar på Facebook",
        "asked_at": timezone.now().isoformat(),
    }


def test_only_the_sha256_of_a_token_is_stored(charlie: User) -> None:
    created = services.create_token(
        user=charlie, name="Webbplatsen", scope="read", expires_at=timezone.now() + dt.timedelta(days=30)
    )
    row = ApiToken.objects.values().get()
    assert created.secret.startswith(f"sgl_{row['prefix']}_")
    assert len(created.secret) > 40
    assert row["digest"] == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in str(row)
    assert created.secret not in str(list(AuditEntry.objects.values()))


def test_creating_a_token_is_audited_without_the_secret(charlie: User) -> None:
    created = services.create_token(
        user=charlie, name="BI", scope="write", expires_at=timezone.now() + dt.timedelta(days=90)
    )
    entry = AuditEntry.objects.get(act="api.token.created")
    assert entry.actor == charlie
    assert entry.details["prefix"] == created.token.prefix
    assert entry.details["scope"] == "write"


def test_a_token_expires_within_a_year(charlie: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_token(
            user=charlie, name="För evigt", scope="read", expires_at=timezone.now() + dt.timedelta(days=400)
        )
    assert "expires_at" in refused.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_token_works_as_a_bearer_token_and_is_marked_used(charlie: User) -> None:
    client = api_as(charlie, scope="read")
    response = client.get(reverse("api:inquiries"))
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_request_without_a_token_is_refused_with_a_problem(db: None) -> None:
    from django.test import Client

    response = Client().get(reverse("api:inquiries"))
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Inloggning krävs"
    assert body["instance"] == reverse("api:inquiries")
    assert body["type"].endswith(reverse("api:problem_type", kwargs={"slug": "unauthenticated"}))


def test_an_unknown_token_is_refused_and_not_audited(charlie: User) -> None:
    secret = token_for(charlie)
    forged = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    response = ApiClient(forged).get(reverse("api:inquiries"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Nyckeln är okänd."
    assert not AuditEntry.objects.filter(act="api.token.refused").exists()


def test_a_revoked_token_is_refused_and_the_attempt_audited(charlie: User) -> None:
    secret = token_for(charlie)
    token = ApiToken.objects.get()
    services.revoke_token(token=token, by=charlie)
    response = ApiClient(secret).get(reverse("api:inquiries"))
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Nyckeln har återkallats."
    assert AuditEntry.objects.filter(act="api.token.revoked", actor=charlie).count() == 1
    refused = AuditEntry.objects.get(act="api.token.refused")
    assert refused.details["reason"] == "revoked"


def test_an_expired_token_is_refused(charlie: User) -> None:
    secret = token_for(charlie)
    ApiToken.objects.update(
        created_at=timezone.now() - dt.timedelta(days=60), expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = ApiClient(secret, language="en").get(reverse("api:inquiries"))
    assert response.status_code == 401
    assert response.json()["detail"] == "The token has expired."


def test_a_read_token_cannot_write(charlie: User) -> None:
    response = api_as(charlie, scope="read").post(reverse("api:inquiries_create"), new_question())
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Nyckeln får bara läsa"
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert not Inquiry.objects.exists()


def test_nobody_revokes_someone_elses_token(charlie: User, frida: User) -> None:
    token_for(charlie)
    token = ApiToken.objects.get()
    with pytest.raises(PermissionDenied):
        services.revoke_token(token=token, by=frida)
    response = signed_in_client(frida).post(reverse("api_tokens:revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_problems_are_in_swedish_by_default_and_in_english_on_request(charlie: User) -> None:
    secret = token_for(charlie)
    url = reverse("api:inquiry", kwargs={"pk": 999})
    swedish = ApiClient(secret).get(url)
    english = ApiClient(secret, language="en").get(url)
    assert swedish.status_code == english.status_code == 404
    assert swedish.json()["title"] == "Hittades inte"
    assert english.json()["title"] == "Not found"
    assert english["Content-Language"] == "en"


def test_a_validation_problem_names_each_field(charlie: User) -> None:
    response = api_as(charlie).post(reverse("api:inquiries_create"), {"question": "", "asked_at": "i går"})
    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Uppgifterna är inte giltiga"
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert fields["asked_where"] == "Detta fält måste fyllas i."
    assert fields["question"] == "Texten är för kort."
    assert fields["asked_at"] == "Ange en tid enligt ISO 8601, med tidszon."


def test_a_service_refusal_is_a_validation_problem_on_its_field(charlie: User) -> None:
    body = {**new_question(), "question": "   "}
    response = api_as(charlie).post(reverse("api:inquiries_create"), body)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "question", "message": "Skriv frågan."}]


def test_a_body_that_is_not_json_is_a_bad_request(charlie: User) -> None:
    client = api_as(charlie)
    response = client.client.post(
        reverse("api:inquiries_create"), "{not json", content_type="application/json", **client.headers
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_a_problem_type_describes_itself(db: None) -> None:
    from django.test import Client

    response = Client().get(reverse("api:problem_type", kwargs={"slug": "insufficient-scope"}))
    assert response.status_code == 200
    assert response.json()["status"] == 403
