"""Writing through the API: through the same services as the pages, and every write audited with
the token that made it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sigill.api.models import ApiToken
from sigill.archive.models import Item
from sigill.core.models import AuditEntry
from sigill.inquiries.models import Inquiry
from sigill.moderation.models import Case, Decision
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.api.conftest import api_as
from tests.archive.conftest import comment
from tests.moderation.conftest import PlatformRecorder, arrive


def new_account(**overrides: Any) -> dict[str, Any]:
    return {
        "platform": "instagram",
        "profile_url": "https://www.instagram.com/varasimhall/",
        "display_name": "Vara simhall",
        "unit": "kultur-fritid",
        "purpose_statement": "Öppettider och simskola.",
        "purposes": ["news"],
        "responsible": "erik",
        "deputy": "bob",
        **overrides,
    }


def test_comms_registers_an_account_and_both_acts_are_audited(
    alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> None:
    response = api_as(alice).post(reverse("api:accounts_create"), new_account())
    assert response.status_code == 201, response.content
    account = Account.objects.get()
    assert response.json()["slug"] == account.slug
    assert account.status == Account.Status.PLANNED
    assert account.handle == "varasimhall"
    registered = AuditEntry.objects.get(act="registry.account.created")
    through_api = AuditEntry.objects.get(act="api.write")
    assert registered.actor == through_api.actor == alice
    assert through_api.target_id == str(account.pk)
    assert through_api.details["token"] == ApiToken.objects.get().prefix
    assert through_api.details["operation"] == "accounts.create"


def test_comms_changes_an_account(alice: User, library: Account) -> None:
    url = reverse("api:account_update", kwargs={"slug": library.slug})
    body = new_account(
        platform="facebook",
        profile_url=library.profile_url,
        display_name="Vara stadsbibliotek",
        unit="bibliotek",
        purposes=["dialogue"],
    )
    response = api_as(alice).put(url, body)
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Vara stadsbibliotek"
    library.refresh_from_db()
    assert library.display_name == "Vara stadsbibliotek"
    assert AuditEntry.objects.filter(act="api.write", details__operation="accounts.update").count() == 1


def test_unknown_names_are_field_errors_and_nothing_is_written(
    alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> None:
    body = new_account(platform="myspace", unit="nowhere", purposes=["news", "gossip"], deputy="nobody")
    response = api_as(alice, language="en").post(reverse("api:accounts_create"), body)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"platform", "unit", "purposes", "deputy"}
    assert not Account.objects.exists()
    assert not AuditEntry.objects.filter(act="api.write").exists()


def test_a_profile_address_of_another_platform_is_the_services_field_error(
    alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> None:
    body = new_account(profile_url="https://www.facebook.com/varasimhall")
    response = api_as(alice).post(reverse("api:accounts_create"), body)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["profile_url"]


def test_an_editor_may_not_register_or_change_accounts(erik: User, library: Account) -> None:
    assert api_as(erik).post(reverse("api:accounts_create"), new_account()).status_code == 403
    url = reverse("api:account_update", kwargs={"slug": library.slug})
    assert api_as(erik).put(url, new_account()).status_code == 403
    assert not AuditEntry.objects.filter(act="api.write").exists()


def test_an_editor_decides_a_case_and_the_decision_is_audited(erik: User, library: Account) -> None:
    arrive(comment(library, "c-1", "Tack för tipset!"))
    case = Case.objects.get()
    url = reverse("api:moderation_decide", kwargs={"pk": case.pk})
    response = api_as(erik).post(url, {"act": "keep"})
    assert response.status_code == 201, response.content
    assert response.json()["act"] == "keep"
    assert response.json()["decided_by"] == "erik"
    assert Case.objects.get().state == Case.State.DECIDED
    assert AuditEntry.objects.filter(act="moderation.case.decided", actor=erik).count() == 1
    assert AuditEntry.objects.filter(act="api.write", details__operation="moderation.decide").count() == 1


def test_a_second_decision_is_a_conflict_and_the_first_stands(
    alice: User, erik: User, library: Account
) -> None:
    arrive(comment(library, "c-1", "Tack för tipset!"))
    url = reverse("api:moderation_decide", kwargs={"pk": Case.objects.get().pk})
    assert api_as(erik).post(url, {"act": "keep"}).status_code == 201
    response = api_as(alice).post(url, {"act": "hide", "reason": "spam"})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "Erik Ek" in response.json()["detail"]
    assert list(Decision.objects.values_list("act", flat=True)) == ["keep"]


def test_hiding_is_done_on_the_platform_after_the_saved_copy_verifies(
    erik: User, library: Account, facebook_platform: PlatformRecorder
) -> None:
    arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    url = reverse("api:moderation_decide", kwargs={"pk": Case.objects.get().pk})
    response = api_as(erik).post(url, {"act": "hide", "reason": "spam"})
    assert response.status_code == 201, response.content
    assert [act["outcome"] for act in response.json()["platform_acts"]] == ["done"]
    assert [(act, verified) for act, _target, verified in facebook_platform.calls] == [("hide", True)]
    assert Item.objects.filter(object_id="c-1").exists()


def test_hiding_needs_a_reason(erik: User, library: Account) -> None:
    arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    url = reverse("api:moderation_decide", kwargs={"pk": Case.objects.get().pk})
    response = api_as(erik).post(url, {"act": "hide"})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["reason"]
    assert not Decision.objects.exists()


def test_a_unit_manager_sees_a_case_but_may_not_decide_it(bob: User, library: Account) -> None:
    arrive(comment(library, "c-1", "Tack!"))
    url = reverse("api:moderation_decide", kwargs={"pk": Case.objects.get().pk})
    assert api_as(bob).post(url, {"act": "keep"}).status_code == 403
    assert not Decision.objects.exists()


def test_an_employee_forwards_a_question(charlie: User) -> None:
    response = api_as(charlie).post(
        reverse("api:inquiries_create"),
        {
            "question": "När öppnar simhallen?",
            "asked_where": "Kommentar på min privata Instagram",
            "asked_at": "2026-01-05T10:00:00+01:00",
            "asker_contact": "anna@example.se",
        },
    )
    assert response.status_code == 201, response.content
    inquiry = Inquiry.objects.get()
    assert inquiry.forwarded_by == charlie
    assert inquiry.source == Inquiry.Source.ESERVICE
    assert response.json()["state"] == "open"
    assert AuditEntry.objects.filter(act="inquiries.inquiry.received", actor=charlie).count() == 1
    assert AuditEntry.objects.filter(act="api.write", target_id=str(inquiry.pk)).count() == 1
