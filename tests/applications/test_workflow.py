"""The application workflow: each legal step by the right person, everything else refused."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sigill.applications import services
from sigill.applications.models import Application, ApplicationStep
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.applications.fixtures import complete_data

pytestmark = pytest.mark.django_db
State = Application.State


def state_of(application: Application) -> str:
    return Application.objects.get(pk=application.pk).state


def test_a_draft_can_be_saved_half_written(charlie: User) -> None:
    application = services.save_draft(data=services.ApplicationData(proposed_name="Något"), by=charlie)
    assert application.state == State.DRAFT


def test_an_incomplete_application_cannot_be_submitted_and_says_what_is_missing(charlie: User) -> None:
    application = services.save_draft(data=services.ApplicationData(proposed_name="Något"), by=charlie)
    with pytest.raises(ValidationError) as refusal:
        services.submit(application=application, by=charlie)
    missing = refusal.value.message_dict
    assert missing["moderation_plan"] == [
        "Beskriv vem som läser kommentarerna och hur ofta, även på helger och helgdagar."
    ]
    assert "deputy" in missing and "platform" in missing
    assert state_of(application) == State.DRAFT


def test_the_whole_way_from_draft_to_an_account_being_set_up(
    charlies_application: Application, charlie: User, bob: User, alice: User
) -> None:
    services.submit(application=charlies_application, by=charlie)
    services.return_for_completion(application=charlies_application, by=bob, comment="Beskriv bildpolicyn.")
    assert state_of(charlies_application) == State.RETURNED
    assert Application.objects.get(pk=charlies_application.pk).moderation_plan  # the applicant's text is kept
    services.submit(application=charlies_application, by=charlie)
    services.anchor(application=charlies_application, by=bob)
    account = services.approve(application=charlies_application, by=alice)
    assert account.status == Account.Status.SETTING_UP
    assert account.profile_url == "https://www.instagram.com/nastegardsskolan/"
    assert Application.objects.get(pk=charlies_application.pk).account == account
    steps = list(
        ApplicationStep.objects.filter(application=charlies_application).values_list("to_state", flat=True)
    )
    assert steps == ["submitted", "returned", "submitted", "anchored", "approved"]
    acts = set(
        AuditEntry.objects.filter(target_type="applications.application").values_list("act", flat=True)
    )
    assert {
        "applications.application.submitted",
        "applications.application.anchored",
        "applications.application.approved",
    } <= acts


def test_each_step_mails_the_next_person_and_each_decision_the_applicant(
    charlies_application: Application,
    charlie: User,
    bob: User,
    alice: User,
    django_capture_on_commit_callbacks,
) -> None:
    for person, address in (
        (charlie, "charlie@vara.example"),
        (bob, "bob@vara.example"),
        (alice, "alice@vara.example"),
    ):
        User.objects.filter(pk=person.pk).update(email=address)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application=charlies_application, by=charlie)
    with django_capture_on_commit_callbacks(execute=True):
        services.anchor(application=charlies_application, by=bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(application=charlies_application, by=alice)
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["bob@vara.example"], "Ansökan att förankra: Nästegårdsskolan"),
        (["alice@vara.example"], "Ansökan att godkänna: Nästegårdsskolan"),
        (["charlie@vara.example"], "Din ansökan är godkänd: Nästegårdsskolan"),
    ]
    assert "/applications/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("anchor", "Du kan inte granska din egen ansökan."),
        ("approve", "Du kan inte granska din egen ansökan."),
    ],
)
def test_an_applicant_can_never_review_their_own_application(
    bob: User, alice: User, units: dict[str, Unit], step: str, expected: str
) -> None:
    application = services.save_draft(data=complete_data(units, bob, alice), by=bob)
    services.submit(application=application, by=bob)
    with pytest.raises(PermissionDenied) as refusal:
        getattr(services, step)(application=application, by=bob)
    assert str(refusal.value) == expected
    assert state_of(application) == State.SUBMITTED


def test_comms_cannot_approve_their_own_application_even_when_anchored(
    alice: User, bob: User, charlie: User, units: dict[str, Unit]
) -> None:
    application = services.save_draft(data=complete_data(units, charlie, bob), by=alice)
    services.submit(application=application, by=alice)
    services.anchor(application=application, by=bob)
    with pytest.raises(PermissionDenied):
        services.approve(application=application, by=alice)
    assert state_of(application) == State.ANCHORED
    assert not Account.objects.exists()


def test_a_manager_of_another_unit_cannot_anchor(submitted: Application, gustav: User) -> None:
    with pytest.raises(PermissionDenied) as refusal:
        services.anchor(application=submitted, by=gustav)
    assert "verksamhetschef för den ägande enheten" in str(refusal.value)
    assert state_of(submitted) == State.SUBMITTED


def test_an_editor_cannot_anchor_or_approve(
    submitted: Application, anchored: Application, erik: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.approve(application=anchored, by=erik)
    assert state_of(anchored) == State.ANCHORED


def test_a_unit_manager_cannot_approve_in_place_of_comms(anchored: Application, bob: User) -> None:
    with pytest.raises(PermissionDenied) as refusal:
        services.approve(application=anchored, by=bob)
    assert "kommunikationsavdelningen" in str(refusal.value)
    assert state_of(anchored) == State.ANCHORED


def test_a_manager_above_the_unit_can_anchor(submitted: Application, bob: User) -> None:
    # Bob manages Bildningsförvaltningen; the application is from Nästegårdsskolan two levels below.
    assert services.anchor(application=submitted, by=bob).state == State.ANCHORED


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda app, alice, bob, charlie: services.approve(application=app, by=alice),
            "kan inte bli ”Godkänd”",
        ),
        (
            lambda app, alice, bob, charlie: services.submit(application=app, by=charlie),
            "kan inte bli ”Väntar på verksamhetschefen”",
        ),
    ],
    ids=["approve-before-anchoring", "submit-twice"],
)
def test_an_illegal_transition_is_refused_with_a_message(
    submitted: Application,
    alice: User,
    bob: User,
    charlie: User,
    call,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as refusal:
        call(submitted, alice, bob, charlie)
    assert message in str(refusal.value)
    assert state_of(submitted) == State.SUBMITTED


def test_nothing_moves_a_decided_application(anchored: Application, alice: User, charlie: User) -> None:
    services.reject(application=anchored, by=alice, reason="Finns redan.")
    for call in (
        lambda: services.withdraw(application=anchored, by=charlie),
        lambda: services.submit(application=anchored, by=charlie),
    ):
        with pytest.raises(ValidationError):
            call()
    assert state_of(anchored) == State.REJECTED


def test_returning_or_rejecting_needs_a_comment(submitted: Application, bob: User) -> None:
    for call in (services.return_for_completion, services.reject):
        with pytest.raises(ValidationError):
            call(
                application=submitted,
                by=bob,
                **({"comment": " "} if call is services.return_for_completion else {"reason": ""}),
            )
    assert state_of(submitted) == State.SUBMITTED


def test_only_the_applicant_withdraws(submitted: Application, bob: User, charlie: User) -> None:
    with pytest.raises(PermissionDenied):
        services.withdraw(application=submitted, by=bob)
    assert services.withdraw(application=submitted, by=charlie).state == State.WITHDRAWN


def test_the_database_refuses_a_self_review_step_and_an_illegal_jump(
    submitted: Application, charlie: User
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationStep.objects.create(
            application=submitted,
            from_state="submitted",
            to_state="anchored",
            actor=charlie,
            applicant=charlie,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationStep.objects.create(
            application=submitted, from_state="draft", to_state="approved", actor=charlie, applicant=charlie
        )


def test_the_database_refuses_an_approved_application_without_an_account(submitted: Application) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=submitted.pk).update(state="approved")
