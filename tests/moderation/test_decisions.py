"""Decisions: save before you remove, one decision per round, and what each act does in Sigill."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader

from sigill.archive.models import ItemFact, ItemVersion
from sigill.archive.selectors import items_for
from sigill.compliance.models import CommentRule
from sigill.core import append_only
from sigill.core.models import AuditEntry
from sigill.inquiries.models import Inquiry
from sigill.moderation import platform_acts, selectors, services
from sigill.moderation.models import Case, CaseFinding, PlatformAct, WordList
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import PERSONNUMMER, PlatformRecorder, arrive, choose

pytestmark = pytest.mark.django_db


def test_hiding_runs_on_the_platform_only_after_the_saved_copy_is_verified(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    [case] = arrive(comment(library, "c-1", f"Hans personnummer är {PERSONNUMMER}"))
    decision = services.decide(case=case, choice=choose("hide", reason="sensitive_data"), by=erik)
    attempt = services.carry_out(decision=decision, by=erik)
    assert attempt is not None and attempt.outcome == PlatformAct.Outcome.DONE
    [(act, target, verified_then)] = facebook_platform.calls
    assert (act, target.object_id, verified_then) == ("hide", "c-1", True)
    assert attempt.verified_seal == ItemVersion.objects.get(item=case.item).seal
    # The record stays in the archive, searchable.
    assert items_for(erik).filter(pk=case.item_id).exists()
    acts = list(
        AuditEntry.objects.filter(act__startswith="moderation.").order_by("id").values_list("act", flat=True)
    )
    assert acts == ["moderation.case.decided", "moderation.platform_act"]


def test_a_tampered_saved_copy_stops_the_platform_act(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    [case] = arrive(comment(library, "c-1", f"Hans personnummer är {PERSONNUMMER}"))
    decision = services.decide(case=case, choice=choose("delete", reason="sensitive_data"), by=erik)
    append_only.unprotect(connection, "archive_itemversion")
    ItemVersion.objects.filter(item=case.item).update(text="Något annat")
    append_only.protect(connection, "archive_itemversion")
    attempt = services.carry_out(decision=decision, by=erik)
    assert attempt is not None and attempt.outcome == PlatformAct.Outcome.REFUSED_UNVERIFIED
    assert "Version 1" in attempt.message
    assert facebook_platform.calls == []


def test_a_platform_refusal_is_kept_and_can_be_tried_again(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    facebook_platform.fail = platform_acts.ActFailed("Kommentaren finns inte längre", retryable=False)
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor på www.example.com nu"))
    decision = services.decide(case=case, choice=choose("hide", reason="spam"), by=erik)
    attempt = services.carry_out(decision=decision, by=erik)
    assert attempt is not None and attempt.outcome == PlatformAct.Outcome.FAILED
    assert attempt.message == "Kommentaren finns inte längre"
    by_hand = services.carry_out(decision=decision, by=erik, by_hand=True)
    assert by_hand is not None and by_hand.outcome == PlatformAct.Outcome.DONE_BY_HAND
    assert by_hand.verified_seal


def test_where_the_api_cannot_act_the_moderator_confirms_it_was_done_by_hand(
    library: Account, erik: User, facebook_platform: PlatformRecorder
) -> None:
    [case] = arrive(comment(library, "c-1", "Spam spam"))
    decision = services.decide(case=case, choice=choose("block", reason="spam"), by=erik)
    # Facebook's API cannot block a user from a Page's comments (the platform catalogue says so).
    assert services.carry_out(decision=decision, by=erik) is None
    assert facebook_platform.calls == []
    done = services.carry_out(decision=decision, by=erik, by_hand=True)
    assert done is not None and done.outcome == PlatformAct.Outcome.DONE_BY_HAND


def test_removing_needs_a_reason_from_the_comment_policy(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Hej"))
    with pytest.raises(ValidationError) as refused:
        services.decide(case=case, choice=choose("hide"), by=erik)
    assert "reason" in refused.value.message_dict
    assert not case.decisions.exists()


def test_the_second_moderator_is_told_it_was_already_decided(
    library: Account, erik: User, alice: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Hej"))
    first = services.decide(case=case, choice=choose("keep"), by=erik)
    with pytest.raises(services.AlreadyDecided) as taken:
        services.decide(case=case, choice=choose("hide", reason="spam"), by=alice)
    assert taken.value.decision == first
    assert [d.act for d in case.decisions.all()] == ["keep"]
    page = signed_in_client(alice).post(
        reverse("moderation:decide", kwargs={"pk": case.pk}), {"act": "delete", "reason": "spam"}, follow=True
    )
    assert "Erik Ek har redan beslutat om den här kommentaren" in page.content.decode()


def test_forwarding_makes_an_inquiry_for_the_contact_center(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "När öppnar biblioteket i jul?"))
    services.decide(case=case, choice=choose("forward"), by=erik)
    inquiry = Inquiry.objects.get()
    assert inquiry.source == Inquiry.Source.MODERATION
    assert inquiry.question == "När öppnar biblioteket i jul?"
    assert inquiry.forwarded_by == erik


def test_secret_information_restricts_the_record_and_waits_for_registration(
    library: Account, erik: User, dana: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Min dotter har fått avslag på sin ansökan om särskilt stöd"))
    decision = services.decide(
        case=case, choice=choose("secret", provision="OSL 26 kap. 1 §", removal="hide"), by=erik
    )
    assert ItemFact.objects.filter(item=case.item, fact=ItemFact.Fact.MARKED_SECRET).exists()
    assert not items_for(erik).filter(pk=case.item_id).exists()  # restricted to comms and the registrar
    assert list(selectors.awaiting_registration(dana)) == [decision]
    services.register(decision=decision, reference="KS 2026/0412", by=dana)
    assert not selectors.awaiting_registration(dana).exists()


def test_an_edit_with_new_findings_after_a_decision_opens_the_case_again(
    library: Account, erik: User
) -> None:
    [case] = arrive(comment(library, "c-1", "Tack för tipset"))
    services.decide(case=case, choice=choose("keep"), by=erik)
    arrive(comment(library, "c-1", f"Tack! Mitt personnummer är {PERSONNUMMER}"))
    case.refresh_from_db()
    assert (case.state, case.round) == (Case.State.OPEN, 2)
    services.decide(case=case, choice=choose("hide", reason="sensitive_data"), by=erik)
    assert [d.round for d in case.decisions.all()] == [1, 2]


def test_a_finding_marked_wrong_is_counted_against_its_word_list(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Jag vet var du bor, akta dig"))
    finding = CaseFinding.objects.filter(case=case).first()
    assert finding is not None
    services.mark_finding_wrong(finding=finding, by=erik)
    same_list = CaseFinding.objects.filter(detector=finding.detector, lexicon=finding.lexicon).count()
    [row] = [
        row
        for row in selectors.feedback_by_detector()
        if (row.detector, row.lexicon) == (finding.detector, finding.lexicon)
    ]
    assert (row.findings, row.marked_wrong) == (same_list, 1)
    assert row.wrong_share == 1 / same_list


def test_a_word_list_edited_by_comms_is_used_from_then_on(library: Account, alice: User) -> None:
    [before] = arrive(comment(library, "c-1", "Gurkmajonnäs till alla"))
    assert before.severity == 0
    spam = WordList.objects.filter(name="spam").first()
    assert spam is None
    current = services.engine.default_terms("spam")
    services.change_word_list(name="spam", terms=f"{current}, gurkmajonnäs", note="Ny spamvåg", by=alice)
    [after] = arrive(comment(library, "c-2", "Gurkmajonnäs till alla"))
    assert [f.type for f in selectors.findings_of(after)] == ["spam"]
    assert selectors.findings_of(after)[0].lexicon_version.endswith("+v1")


def test_the_municipalitys_own_number_is_never_flagged(library: Account, alice: User) -> None:
    services.change_word_list(name="allow_list", terms="0512-310 00", note="Växeln", by=alice)
    [case] = arrive(comment(library, "c-1", "Ring växeln på 0512-31000 så hjälper de dig"))
    assert "pii.phone" not in [f.type for f in selectors.findings_of(case)]


def test_every_reason_a_moderator_may_give_is_published_on_the_policy_page(library: Account) -> None:
    page = Client().get(reverse("compliance_public:policy", kwargs={"slug": library.slug})).content.decode()
    with translation.override("sv"):
        labels = [str(label) for _value, label in CommentRule.choices]
    assert labels and all(escape(label) in page for label in labels)


def test_a_threat_reported_to_the_police_gets_an_evidence_bundle(library: Account, erik: User) -> None:
    [case] = arrive(comment(library, "c-1", "Jag vet var du bor, akta dig"))
    decision = services.decide(case=case, choice=choose("report_threat", note="Anmält till polisen"), by=erik)
    response = signed_in_client(erik).get(reverse("moderation:evidence", kwargs={"pk": decision.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Jag vet var du bor, akta dig" in flat
    assert "oförändrad sedan insamlingen" in flat  # the saved copy verified
    seal = ItemVersion.objects.get(item=case.item).seal
    assert seal[:16] in flat.replace(" ", "")
    assert AuditEntry.objects.filter(act="moderation.evidence.exported", actor=erik).exists()
