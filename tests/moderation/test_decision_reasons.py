"""A decision's reason is one of the published comment rules: in the service, in the database, in the
API, and so the case page can always name the rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sigill.compliance.models import CommentRule
from sigill.moderation import services
from sigill.moderation.models import Case, Decision
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.api.conftest import api_as
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import arrive, choose

pytestmark = pytest.mark.django_db


def test_a_reason_outside_the_comment_rules_is_refused(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    with pytest.raises(ValidationError) as refused:
        services.decide(case=case, choice=choose("hide", reason="för att jag vill"), by=erik)
    assert list(refused.value.message_dict) == ["reason"]
    assert not Decision.objects.exists()
    assert Case.objects.get().is_open


def test_a_reason_outside_the_rules_is_refused_also_with_an_act_that_needs_none(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Tack för tipset!"))
    with pytest.raises(ValidationError) as refused:
        services.decide(case=case, choice=choose("keep", reason="whatever"), by=erik)
    assert list(refused.value.message_dict) == ["reason"]


def test_the_database_refuses_a_decision_with_an_unknown_reason(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(case=case, round=1, act="hide", reason="made_up", decided_by=erik)
    assert not Decision.objects.exists()


def test_decisions_stay_append_only_after_the_reason_constraint_was_added(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    decision = services.decide(case=case, choice=choose("hide", reason="spam"), by=erik)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reason="off_topic")
    assert Decision.objects.get().reason == "spam"


def test_the_api_answers_an_unknown_reason_with_a_problem_naming_the_field(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    url = reverse("api:moderation_decide", kwargs={"pk": case.pk})
    response = api_as(erik, language="sv").post(url, {"act": "hide", "reason": "för att jag vill"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "reason", "message": "Välj ett av de tillåtna värdena."}]
    assert not Decision.objects.exists()


def test_the_api_takes_a_published_rule_and_an_empty_reason_for_acts_that_need_none(
    library: Account, erik: User
) -> None:
    first, second = arrive(
        comment(library, "c-1", "Köp billiga klockor här!"), comment(library, "c-2", "Tack för tipset!")
    )
    client = api_as(erik)
    hidden = client.post(
        reverse("api:moderation_decide", kwargs={"pk": first.pk}), {"act": "hide", "reason": "spam"}
    )
    kept = client.post(
        reverse("api:moderation_decide", kwargs={"pk": second.pk}), {"act": "keep", "reason": ""}
    )
    assert (hidden.status_code, hidden.json()["reason"]) == (201, "spam")
    assert (kept.status_code, kept.json()["reason"]) == (201, "")


def test_the_api_schema_lists_the_rules_a_reason_may_be(erik: User) -> None:
    schema = api_as(erik).get(reverse("api:openapi-json")).json()
    reason = schema["components"]["schemas"]["DecisionIn"]["properties"]["reason"]
    [rule_ref] = [option["$ref"] for option in reason["anyOf"] if "$ref" in option]
    rules = schema["components"]["schemas"][rule_ref.rsplit("/", 1)[-1]]["enum"]
    assert rules == list(CommentRule.values)


def test_the_decision_form_refuses_an_unknown_reason_without_an_error_page(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    response = signed_in_client(erik).post(
        reverse("moderation:decide", kwargs={"pk": case.pk}), {"act": "hide", "reason": "made_up"}
    )
    assert response.status_code == 422
    assert not Decision.objects.exists()


@pytest.mark.parametrize("rule", CommentRule.values)
def test_the_case_page_names_every_rule_a_comment_was_removed_for(
    rule: str, library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor här!"))
    services.decide(case=case, choice=choose("delete", reason=rule), by=erik)
    page = signed_in_client(erik).get(reverse("moderation:case", kwargs={"pk": case.pk}))
    assert page.status_code == 200
    assert str(CommentRule(rule).label) in page.content.decode()
