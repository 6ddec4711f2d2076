"""The queue's steps, the history kept as a record, and sending to the records system."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from sigill.core.models import AuditEntry
from sigill.core.todo import todos_for
from sigill.inquiries import selectors, services
from sigill.inquiries.models import Inquiry, InquiryEvent
from sigill.organisation.models import User
from tests.inquiries.fixtures import forward

pytestmark = pytest.mark.django_db


def test_a_forwarded_question_is_due_within_the_response_time(charlie: User, settings) -> None:
    settings.INQUIRY_RESPONSE_HOURS = 24
    inquiry = forward(charlie)
    assert inquiry.due_at - inquiry.received_at == dt.timedelta(hours=24)
    assert inquiry.state == Inquiry.State.OPEN
    assert [event.kind for event in inquiry.events.all()] == ["received"]
    assert AuditEntry.objects.filter(act="inquiries.inquiry.received", target_id=str(inquiry.pk)).exists()


def test_a_question_needs_its_text_and_where_it_was_asked(charlie: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_inquiry(
            question=" ", asked_where="", asked_at=timezone.now(), source=Inquiry.Source.ESERVICE, by=charlie
        )
    assert set(error.value.message_dict) == {"question", "asked_where"}
    assert not Inquiry.objects.exists()


def test_the_moderation_queue_can_send_a_question_on_once(erik: User) -> None:
    """The moderation queue calls create_inquiry with its case as the external id."""
    first = services.create_inquiry(
        question="Var kan jag hämta sandsäckar?",
        asked_where="Kommentar på Vara kommun (Facebook)",
        asked_at=timezone.now(),
        source=Inquiry.Source.MODERATION,
        by=erik,
        external_id="case-17",
    )
    again = services.create_inquiry(
        question="Var kan jag hämta sandsäckar?",
        asked_where="Kommentar på Vara kommun (Facebook)",
        asked_at=timezone.now(),
        source=Inquiry.Source.MODERATION,
        by=erik,
        external_id="case-17",
    )
    assert first == again
    assert Inquiry.objects.count() == 1


def test_the_contact_center_assigns_answers_and_closes(charlies_question: Inquiry, frida: User) -> None:
    services.assign(inquiry=charlies_question, to=frida, by=frida)
    services.answer(inquiry=charlies_question, text="Storgatan plogas i dag före kl. 15.", by=frida)
    inquiry = services.close(inquiry=charlies_question, by=frida)
    assert inquiry.state == Inquiry.State.CLOSED
    assert inquiry.answer == "Storgatan plogas i dag före kl. 15."
    assert [event.kind for event in inquiry.events.all()] == ["received", "assigned", "answered", "closed"]
    acts = AuditEntry.objects.filter(target_id=str(inquiry.pk), target_type="inquiries.inquiry")
    assert acts.count() == 4


def test_an_employee_cannot_work_the_queue(charlies_question: Inquiry, charlie: User) -> None:
    with pytest.raises(PermissionDenied):
        services.answer(inquiry=charlies_question, text="Jag svarar själv.", by=charlie)
    charlies_question.refresh_from_db()
    assert charlies_question.state == Inquiry.State.OPEN


def test_the_registrar_cannot_answer(charlies_question: Inquiry, dana: User) -> None:
    with pytest.raises(PermissionDenied):
        services.answer(inquiry=charlies_question, text="Svar.", by=dana)


def test_an_inquiry_is_assigned_only_to_someone_in_the_queue(
    charlies_question: Inquiry, frida: User, bob: User
) -> None:
    with pytest.raises(ValidationError):
        services.assign(inquiry=charlies_question, to=bob, by=frida)


def test_closing_an_unanswered_inquiry_needs_a_reason(charlies_question: Inquiry, frida: User) -> None:
    with pytest.raises(ValidationError):
        services.close(inquiry=charlies_question, by=frida)
    inquiry = services.close(inquiry=charlies_question, by=frida, note="Dubblett av fråga nr 1.")
    assert inquiry.state == Inquiry.State.CLOSED


def test_a_closed_inquiry_cannot_be_answered(charlies_question: Inquiry, frida: User) -> None:
    services.close(inquiry=charlies_question, by=frida, note="Dubblett.")
    with pytest.raises(ValidationError):
        services.answer(inquiry=charlies_question, text="Sent svar.", by=frida)


def test_the_database_refuses_to_change_or_remove_the_history(charlies_question: Inquiry) -> None:
    event = charlies_question.events.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        InquiryEvent.objects.filter(pk=event.pk).update(text="ändrad")
    with pytest.raises(DatabaseError), transaction.atomic():
        InquiryEvent.objects.filter(pk=event.pk).delete()
    assert InquiryEvent.objects.get(pk=event.pk).text == event.text


def test_the_registrar_sends_the_inquiry_with_its_history_as_json(
    charlies_question: Inquiry, frida: User, dana: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.INQUIRY_RECORDS_EMAIL = "diariet@vara.example"
    services.answer(inquiry=charlies_question, text="Plogas i dag.", by=frida)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_to_records(inquiry=charlies_question, by=dana)
    (message,) = mail.outbox
    assert message.to == ["diariet@vara.example"]
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"inquiry-{charlies_question.pk}.json", "application/json")
    record = json.loads(content)
    assert (record["direction"], record["question"]) == ("received", "När plogas Storgatan?")
    assert record["answer"] == "Plogas i dag."
    assert [entry["kind"] for entry in record["history"]] == ["received", "answered", "sent_to_records"]
    assert InquiryEvent.objects.filter(inquiry=charlies_question, kind="sent_to_records").exists()


def test_the_queue_puts_the_overdue_first_and_the_to_do_list_says_so(
    charlie: User, frida: User, alice: User
) -> None:
    late, fresh = forward(charlie, "Gammal fråga?"), forward(charlie, "Ny fråga?")
    Inquiry.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert list(selectors.queue(frida)) == [late, fresh]
    assert list(selectors.overdue(frida)) == [late]
    with translation.override("en"):
        titles = [todo.title for todo in todos_for(frida)]
        assert titles == ["1 inquiry is past its response time", "2 open inquiries wait for an answer"]
        assert todos_for(charlie) == []


def test_an_employee_sees_only_the_questions_they_forwarded(charlie: User, erik: User, dana: User) -> None:
    own, other = forward(charlie), forward(erik)
    assert list(selectors.search(charlie, filters={})) == [own]
    assert set(selectors.search(dana, filters={})) == {own, other}
    assert list(selectors.search(dana, filters={"q": str(other.pk)})) == [other]


def test_the_forwarding_employee_hears_the_answer_by_mail_in_swedish(
    charlies_question: Inquiry, charlie: User, frida: User, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=charlie.pk).update(email="charlie@vara.example")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.answer(inquiry=charlies_question, text="Storgatan plogas i dag.", by=frida)
    (message,) = mail.outbox
    assert message.to == ["charlie@vara.example"]
    assert message.subject == f"Din vidarebefordrade fråga är besvarad: Fråga nr {charlies_question.pk}"
    assert "Storgatan plogas i dag." in message.body


def test_a_question_from_the_mailbox_has_nobody_to_tell(
    frida: User, django_capture_on_commit_callbacks
) -> None:
    inquiry = services.create_inquiry(
        question="Öppettider?", asked_where="E-post", asked_at=timezone.now(), source=Inquiry.Source.EMAIL
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(inquiry=inquiry, text="Kl. 10–18.", by=frida)
    assert mail.outbox == []
