"""Unhide: a comment hidden on the platform can be shown again; the hide stays in the case's history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import translation

from sigill.core.models import AuditEntry
from sigill.moderation import platform_acts, services
from sigill.moderation.models import Decision, PlatformAct
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import PlatformRecorder, arrive, choose

pytestmark = pytest.mark.django_db


def test_a_hidden_comment_is_shown_again_through_the_api_and_the_hide_stays_in_the_history(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor på www.example.com nu"))
    hide = services.decide(case=case, choice=choose("hide", reason="spam"), by=erik)
    services.carry_out(decision=hide, by=erik)
    page = signed_in_client(erik).post(reverse("moderation:unhide", kwargs={"pk": case.pk}), follow=True)
    assert [(act, target.object_id) for act, target, _verified in facebook_platform.calls] == [
        ("hide", "c-1"),
        ("unhide", "c-1"),
    ]
    case.refresh_from_db()
    assert [(d.round, d.act) for d in case.decisions.order_by("round")] == [(1, "hide"), (2, "unhide")]
    unhide = case.decisions.get(round=2)
    assert [a.outcome for a in unhide.platform_acts.all()] == [PlatformAct.Outcome.DONE]
    assert unhide.decided_by == erik
    decided = AuditEntry.objects.filter(act="moderation.case.decided").order_by("id")
    assert [e.details["act"] for e in decided] == ["hide", "unhide"]
    html = page.content.decode()
    assert "Visa igen på plattformen" in html, "the current decision says the comment is shown again"
    assert reverse("moderation:unhide", kwargs={"pk": case.pk}) not in html, "nothing left to undo"


def test_the_case_page_offers_to_show_the_comment_again_only_once_the_hide_is_done(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    [case] = arrive(comment(library, "c-1", "Spam spam"))
    hide = services.decide(case=case, choice=choose("hide", reason="spam"), by=erik)
    unhide_url = reverse("moderation:unhide", kwargs={"pk": case.pk})
    facebook_platform.fail = platform_acts.ActFailed("Facebook svarar inte", retryable=True)
    services.carry_out(decision=hide, by=erik)
    page = signed_in_client(erik).get(case.get_absolute_url())
    assert unhide_url not in page.content.decode(), "the hide failed: nothing to undo yet"
    services.carry_out(decision=hide, by=erik, by_hand=True)
    with translation.override("sv"):
        page = signed_in_client(erik).get(case.get_absolute_url())
    assert unhide_url in page.content.decode()


def test_only_a_comment_hidden_on_the_platform_can_be_shown_again(library: Account, erik: User) -> None:
    [kept, waiting] = arrive(comment(library, "c-1", "Tack!"), comment(library, "c-2", "Spam spam"))
    services.decide(case=kept, choice=choose("keep"), by=erik)
    services.decide(case=waiting, choice=choose("hide", reason="spam"), by=erik)
    for case in (kept, waiting):
        with translation.override("sv"), pytest.raises(ValidationError, match="dold på plattformen"):
            services.unhide(case=case, by=erik)
        case.refresh_from_db()
        assert case.round == 1
    assert not AuditEntry.objects.filter(details__act="unhide").exists()


def test_unhide_is_not_a_decision_a_moderator_can_choose_for_a_new_comment(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Hej"))
    with pytest.raises(ValidationError):
        services.decide(case=case, choice=choose("unhide"), by=erik)
    assert not case.decisions.exists()


def test_a_platform_that_can_hide_can_unhide_unless_its_actor_cannot(db: None) -> None:
    """YouTube hides by rejecting, and a rejected comment cannot be published again."""
    assert platform_acts.through_api("facebook", "unhide", catalogue_acts=["hide", "delete"])
    assert not platform_acts.through_api("facebook", "unhide", catalogue_acts=["delete"])
    assert not platform_acts.through_api("youtube", "unhide", catalogue_acts=["hide", "block"])


def test_decisions_stay_append_only_after_the_unhide_migration_rebuilt_their_table(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Tack!"))
    services.decide(case=case, choice=choose("keep"), by=erik)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Decision.objects.filter(case=case).update(act="unhide")
