"""Approval and blocking checks: who approves a post, and what stops it until comms says otherwise."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.publishing import services
from sigill.publishing.models import ApprovalRule, Draft
from sigill.publishing.review import review_draft
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.publishing.conftest import write

PHONE_POST = "Vi söker ägaren till en cykel. Ring Kalle på 070-123 45 67 om den är din."


def rule(account: Account, approver: str, alice: User) -> None:
    services.set_approval_rule(account=account, approver=approver, by=alice)


def test_a_post_on_an_account_without_a_rule_is_ready_when_its_writer_says_so(
    erik: User, library: Account
) -> None:
    draft = services.submit(draft=write(library, erik), by=erik)
    assert (draft.state, draft.approved_version, draft.approved_by) == (Draft.State.APPROVED, 1, None)


def test_an_editor_cannot_approve_their_own_post_but_a_second_editor_can(
    alice: User, erik: User, hanna: User, library: Account
) -> None:
    rule(library, ApprovalRule.Approver.SECOND_EDITOR, alice)
    draft = services.submit(draft=write(library, erik), by=erik)
    assert draft.state == Draft.State.SUBMITTED
    assert signed_in_client(erik).post(reverse("publishing:approve", args=[draft.pk])).status_code == 403
    signed_in_client(hanna).post(reverse("publishing:approve", args=[draft.pk]), {"note": "Bra!"})
    draft.refresh_from_db()
    assert (draft.state, draft.approved_by) == (Draft.State.APPROVED, hanna)
    assert AuditEntry.objects.filter(act="publishing.draft.approved", actor=hanna).count() == 1


def test_someone_who_wrote_a_version_cannot_approve_it_either(
    alice: User, erik: User, hanna: User, library: Account
) -> None:
    rule(library, ApprovalRule.Approver.SECOND_EDITOR, alice)
    draft = write(library, erik)
    [target] = draft.targets.all()
    services.save_draft(
        draft=draft, title="Helgöppet", link="", scheduled_at=None,
        texts={target.account_id: services.TargetText("Hannas text")}, by=hanna,
    )  # fmt: skip
    services.submit(draft=draft, by=erik)
    with pytest.raises(PermissionDenied):
        services.approve(draft=draft, by=hanna)


def test_a_unit_manager_rule_is_met_by_the_manager_of_the_accounts_unit_only(
    alice: User, erik: User, bob: User, gustav: User, hanna: User, library: Account
) -> None:
    rule(library, ApprovalRule.Approver.UNIT_MANAGER, alice)
    draft = services.submit(draft=write(library, erik), by=erik)
    with pytest.raises(PermissionDenied):
        services.approve(draft=draft, by=hanna)
    with pytest.raises(PermissionDenied):
        services.approve(draft=draft, by=gustav)
    assert services.approve(draft=draft, by=bob).state == Draft.State.APPROVED


def test_the_approver_sends_a_post_back_with_a_comment_and_the_writer_sees_it(
    alice: User, erik: User, bob: User, library: Account
) -> None:
    rule(library, ApprovalRule.Approver.UNIT_MANAGER, alice)
    draft = services.submit(draft=write(library, erik), by=erik)
    with pytest.raises(ValidationError):
        services.send_back(draft=draft, by=bob, note="")
    services.send_back(draft=draft, by=bob, note="Skriv öppettiderna.")
    draft.refresh_from_db()
    assert draft.state == Draft.State.DRAFT
    assert "Skriv öppettiderna." in signed_in_client(erik).get(draft.get_absolute_url()).content.decode()


def test_an_edit_after_approval_takes_the_approval_away(
    alice: User, erik: User, bob: User, library: Account
) -> None:
    rule(library, ApprovalRule.Approver.UNIT_MANAGER, alice)
    draft = services.approve(draft=services.submit(draft=write(library, erik), by=erik), by=bob)
    [target] = draft.targets.all()
    draft = services.save_draft(
        draft=draft, title="Helgöppet", link="", scheduled_at=None,
        texts={target.account_id: services.TargetText("Ändrad efter godkännandet")}, by=erik,
    )  # fmt: skip
    assert (draft.state, draft.approved_version, draft.approved_by) == (Draft.State.DRAFT, None, None)


def test_personal_data_blocks_the_post_until_comms_overrides_it_with_a_reason(
    alice: User, erik: User, library: Account
) -> None:
    draft = write(library, erik, PHONE_POST)
    review = review_draft(draft)
    [blocking] = review.targets[0].blocking
    assert (review.blocked, blocking.code, blocking.excerpt) == (
        True,
        "screening.personal_data",
        "070-123 45 67",
    )
    page = signed_in_client(erik).get(draft.get_absolute_url()).content.decode()
    assert "Stoppar publicering:" in page and "Varför det får stå kvar" not in page

    with pytest.raises(PermissionDenied):
        services.override_check(
            draft=draft, fingerprint=blocking.fingerprint, reason="Han vill bli kontaktad", by=erik
        )
    signed_in_client(alice).post(
        reverse("publishing:override", args=[draft.pk]),
        {"fingerprint": blocking.fingerprint, "reason": "Numret är kommunens cykelförråd."},
    )
    assert not review_draft(draft).blocked
    entry = AuditEntry.objects.get(act="publishing.draft.check_overridden")
    assert (entry.actor, entry.details["reason"]) == (alice, "Numret är kommunens cykelförråd.")


def test_an_override_needs_a_reason_and_a_finding_that_is_there(
    alice: User, erik: User, library: Account
) -> None:
    draft = write(library, erik, PHONE_POST)
    [blocking] = review_draft(draft).targets[0].blocking
    with pytest.raises(ValidationError):
        services.override_check(draft=draft, fingerprint=blocking.fingerprint, reason=" ", by=alice)
    with pytest.raises(ValidationError):
        services.override_check(draft=draft, fingerprint="length.over_limit:", reason="Ändå", by=alice)


def test_only_comms_sets_the_approval_rules(alice: User, erik: User, library: Account) -> None:
    assert signed_in_client(erik).get(reverse("publishing:rules")).status_code == 403
    client = signed_in_client(alice)
    client.post(reverse("publishing:rules"), {"account": library.pk, "approver": "comms"})
    assert ApprovalRule.objects.get(account=library).approver == "comms"


def test_comms_finds_the_approval_rules_from_the_calendar_and_an_editor_does_not(
    alice: User, erik: User, library: Account
) -> None:
    rules = reverse("publishing:rules")
    assert rules in signed_in_client(alice).get(reverse("publishing:month")).content.decode()
    page = signed_in_client(erik).get(reverse("publishing:index")).content.decode()
    assert rules not in page and reverse("publishing:new") in page
