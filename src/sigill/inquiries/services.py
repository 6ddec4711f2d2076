"""Every write about inquiries: intake from any source, the queue's steps, and registration."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.inquiries import notify
from sigill.inquiries.models import Inquiry, InquiryEvent
from sigill.organisation.people import User

State, Source, Kind = Inquiry.State, Inquiry.Source, InquiryEvent.Kind

audit.describe_acts(
    {
        "inquiries.inquiry.received": gettext_lazy("Inquiry received"),
        "inquiries.inquiry.assigned": gettext_lazy("Inquiry assigned"),
        "inquiries.inquiry.answered": gettext_lazy("Inquiry answered"),
        "inquiries.inquiry.closed": gettext_lazy("Inquiry closed"),
        "inquiries.inquiry.sent_to_records": gettext_lazy("Inquiry sent to the records system"),
    }
)


def _event(
    inquiry: Inquiry, kind: str, *, by: User | None, text: str = "", details: dict[str, Any] | None = None
) -> None:
    """The history row and the audit entry of one step, in the caller's transaction."""
    InquiryEvent.objects.create(inquiry=inquiry, kind=kind, actor=by, text=text)
    audit.record(
        f"inquiries.inquiry.{kind}", actor=by, target=inquiry, details={"text": text, **(details or {})}
    )


def create_inquiry(
    *,
    question: str,
    asked_where: str,
    asked_at: dt.datetime,
    source: str,
    asker_contact: str = "",
    by: User | None = None,
    external_id: str = "",
) -> Inquiry:
    """Register a question in the contact center's queue. ``by`` is the employee who forwards it
    (the e-service, the moderation queue); mail read from the mailbox has none.

    The same ``external_id`` from the same source is one inquiry: the existing one is returned.
    """
    if by is not None:
        policy_for(Inquiry).require(by, "create")
    errors = {}
    if not question.strip():
        errors["question"] = _("Write the question.")
    if not asked_where.strip():
        errors["asked_where"] = _("Say where the question was asked.")
    if asked_at > timezone.now() + dt.timedelta(minutes=5):
        errors["asked_at"] = _("The question cannot have been asked in the future.")
    if errors:
        raise ValidationError(errors)
    if external_id and (known := Inquiry.objects.filter(source=source, external_id=external_id).first()):
        return known
    now = timezone.now()
    try:
        with transaction.atomic():
            inquiry = Inquiry.objects.create(
                source=source,
                question=question.strip(),
                asked_where=asked_where.strip()[:300],
                asker_contact=asker_contact.strip()[:300],
                asked_at=asked_at,
                received_at=now,
                due_at=now + dt.timedelta(hours=settings.INQUIRY_RESPONSE_HOURS),
                forwarded_by=by,
                external_id=external_id[:300],
            )
            _event(inquiry, Kind.RECEIVED, by=by, details={"source": source})
    except IntegrityError:
        # A concurrent reader of the same message won the race; theirs is the inquiry.
        return Inquiry.objects.get(source=source, external_id=external_id)
    return inquiry


def _locked(inquiry: Inquiry, by: User, action: str) -> Inquiry:
    policy_for(Inquiry).require(by, action, inquiry)
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def assign(*, inquiry: Inquiry, to: User, by: User) -> Inquiry:
    """Give an open inquiry to someone in the contact center or communications."""
    with transaction.atomic():
        inquiry = _locked(inquiry, by, "work")
        if inquiry.state != State.OPEN:
            raise ValidationError(_("Only an open inquiry can be assigned."))
        if not policy_for(Inquiry).can(to, "work", inquiry):
            raise ValidationError({"assignee": _("Only someone who works the queue can take an inquiry.")})
        inquiry.assigned_to = to
        inquiry.save(update_fields=["assigned_to"])
        _event(inquiry, Kind.ASSIGNED, by=by, text=str(to), details={"to": to.get_username()})
    return inquiry


def answer(*, inquiry: Inquiry, text: str, by: User) -> Inquiry:
    """Record the answer given to the asker; the inquiry is then answered, waiting to be closed."""
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    with transaction.atomic():
        inquiry = _locked(inquiry, by, "work")
        if inquiry.state != State.OPEN:
            raise ValidationError(_("The inquiry is already answered or closed."))
        inquiry.state, inquiry.answer, inquiry.answered_at = State.ANSWERED, text.strip(), timezone.now()
        if inquiry.assigned_to_id is None:
            inquiry.assigned_to = by
        inquiry.save(update_fields=["state", "answer", "answered_at", "assigned_to"])
        _event(inquiry, Kind.ANSWERED, by=by, text=text.strip())
        transaction.on_commit(lambda: notify.answered(inquiry.pk))
    return inquiry


def close(*, inquiry: Inquiry, by: User, note: str = "") -> Inquiry:
    """Close an inquiry: after its answer, or unanswered with the reason (e.g. a duplicate)."""
    with transaction.atomic():
        inquiry = _locked(inquiry, by, "work")
        if inquiry.state == State.CLOSED:
            raise ValidationError(_("The inquiry is already closed."))
        if inquiry.state == State.OPEN and not note.strip():
            raise ValidationError({"text": _("Give the reason for closing an unanswered inquiry.")})
        inquiry.state, inquiry.closed_at = State.CLOSED, timezone.now()
        inquiry.save(update_fields=["state", "closed_at"])
        _event(inquiry, Kind.CLOSED, by=by, text=note.strip())
    return inquiry


def record_for(inquiry: Inquiry) -> dict[str, Any]:
    """The inquiry as the structured attachment the records system reads (JSON)."""
    return {
        "format": "sigill.inquiry/1",
        "id": inquiry.pk,
        # A question to the municipality is a record received (inkommen handling).
        "direction": "received",
        "source": inquiry.source,
        "asked_where": inquiry.asked_where,
        "question": inquiry.question,
        "asker_contact": inquiry.asker_contact,
        "asked_at": inquiry.asked_at.isoformat(),
        "received_at": inquiry.received_at.isoformat(),
        "due_at": inquiry.due_at.isoformat(),
        "forwarded_by": inquiry.forwarded_by.get_username() if inquiry.forwarded_by else None,
        "state": inquiry.state,
        "answer": inquiry.answer,
        "history": [
            {
                "kind": event.kind,
                "at": event.at.isoformat(),
                "actor": event.actor.get_username() if event.actor else None,
                "text": event.text,
            }
            for event in inquiry.events.select_related("actor").order_by("at", "id")
        ],
    }


def send_to_records(*, inquiry: Inquiry, by: User) -> Inquiry:
    """Mail the inquiry to the registrar's records system: a standard e-mail with the inquiry as
    a JSON attachment. It may be sent again (after the answer, say); each sending is in the history."""
    with transaction.atomic():
        inquiry = _locked(inquiry, by, "register")
        inquiry.sent_to_records_at = timezone.now()
        inquiry.save(update_fields=["sent_to_records_at"])
        _event(inquiry, Kind.SENT_TO_RECORDS, by=by, text=settings.INQUIRY_RECORDS_EMAIL)
        record = record_for(inquiry)
        message = EmailMessage(
            subject=f"[Sigill] {inquiry}: {inquiry.asked_where}",
            body=f"{inquiry.question}\n\n{settings.SIGILL_BASE_URL.rstrip('/')}{inquiry.get_absolute_url()}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[settings.INQUIRY_RECORDS_EMAIL],
        )
        message.attach(
            f"inquiry-{inquiry.pk}.json",
            json.dumps(record, ensure_ascii=False, indent=2),
            "application/json",
        )
        # Sent after the commit, so the records system never hears of a sending that rolled back.
        transaction.on_commit(lambda: message.send(fail_silently=False))
    return inquiry
