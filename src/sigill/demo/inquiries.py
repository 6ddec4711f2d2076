"""Demo questions to the contact center, in every state (all invented)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sigill.inquiries import services
from sigill.inquiries.models import Inquiry
from sigill.organisation.models import User

Source = Inquiry.Source

# (hours ago, source, forwarded by, where, question, contact, steps: [(act, actor, text)])
INQUIRIES = [
    (
        2,
        Source.ESERVICE,
        "employee",
        "Kommentar på min privata Facebooksida",
        "När plogas Storgatan i Vara? Det har inte plogats sedan i går morse.",
        "",
        [],
    ),
    (
        30,
        Source.EMAIL,
        None,
        "E-post: Skollunch vid allergi",
        "Min dotter börjar i förskoleklass på Nästegårdsskolan. Hur anmäler vi att hon är allergisk mot nötter?",
        "jenny.svensson@example.se",
        [("assign", "contact_center", "")],
    ),
    (
        70,
        Source.ESERVICE,
        "editor",
        "Fråga vid disken på biblioteket",
        "Har biblioteket öppet på söndagar under sommaren?",
        "070-123 45 67",
        [],
    ),
    (
        96,
        Source.ESERVICE,
        "nils.persson",
        "Sms till min privata telefon",
        "Hur ansöker man om trygghetslarm till en förälder som bor i Vara?",
        "",
        [
            ("answer", "contact_center", "Ansökan görs hos biståndshandläggaren, telefon 0512-310 00."),
        ],
    ),
    (
        200,
        Source.EMAIL,
        None,
        "E-post: Sophämtning",
        "Varför hämtades inte soporna på Torggatan i tisdags?",
        "",
        [
            ("answer", "comms", "Hämtningen var försenad på grund av snöfall och gjordes på onsdagen."),
            ("close", "contact_center", ""),
            ("send", "registrar", ""),
        ],
    ),
]


@transaction.atomic
def seed() -> None:
    if Inquiry.objects.exists():
        return
    people = {user.username: user for user in User.objects.all()}
    for number, (hours, source, forwarded_by, where, question, contact, steps) in enumerate(INQUIRIES):
        asked_at = timezone.now() - dt.timedelta(hours=hours)
        inquiry = services.create_inquiry(
            question=question,
            asked_where=where,
            asked_at=asked_at,
            asker_contact=contact,
            source=source,
            by=people[forwarded_by] if forwarded_by else None,
            external_id="" if forwarded_by else f"<demo-{number}@example.se>",
        )
        # Received when it was asked, so time left and overdue say something in the demo.
        Inquiry.objects.filter(pk=inquiry.pk).update(
            received_at=asked_at, due_at=asked_at + (inquiry.due_at - inquiry.received_at)
        )
        inquiry.refresh_from_db()
        for act, actor, text in steps:
            by = people[actor]
            if act == "assign":
                services.assign(inquiry=inquiry, to=by, by=by)
            elif act == "answer":
                services.answer(inquiry=inquiry, text=text, by=by)
            elif act == "close":
                services.close(inquiry=inquiry, note=text, by=by)
            else:
                services.send_to_records(inquiry=inquiry, by=by)


def answered_in_the_past(
    *, external_id: str, received_at: dt.datetime, answered_at: dt.datetime, by: User
) -> None:
    """Demo history for the reports: a question from the moderation queue (``external_id``) that
    arrived and was answered months ago. Answered through the service, then given its times."""
    inquiry = Inquiry.objects.filter(source=Inquiry.Source.MODERATION, external_id=external_id).first()
    if inquiry is None or inquiry.answered_at is not None:
        return
    services.answer(inquiry=inquiry, text="Tack för frågan! Svaret finns nu på kommunens webbplats.", by=by)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        received_at=received_at,
        due_at=received_at + (inquiry.due_at - inquiry.received_at),
        answered_at=answered_at,
    )
