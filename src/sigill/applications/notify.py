"""E-mail at each step of the workflow: to the next person, and to the applicant at each decision.

Called after the step's transaction commits, so nobody is told of a step that rolled back. The
mail is in Swedish, the municipality's language, whatever language the sender uses Sigill in.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation

from sigill.applications.models import Application
from sigill.organisation.models import Role, Unit, User


def unit_managers_for(unit: Unit) -> list[User]:
    """The managers who may anchor: of the unit itself or of any unit above it."""
    above = [int(part) for part in unit.path.strip("/").split("/")]
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.UNIT_MANAGER, memberships__unit_id__in=above
        ).distinct()
    )


def communications() -> list[User]:
    return list(User.objects.filter(is_active=True, memberships__role=Role.COMMS).distinct())


DECISIONS = ("returned", "rejected", "approved")


def recipients_for(application: Application, event: str) -> list[User]:
    """Who hears of ``event``: the next reviewer (never the applicant themselves), or the
    applicant at a decision."""
    if event in DECISIONS:
        return [application.applicant] if application.applicant.email else []
    if event in ("submitted", "reminder_submitted") and application.unit is not None:
        reviewers = unit_managers_for(application.unit)
    elif event in ("anchored", "reminder_anchored"):
        reviewers = communications()
    else:
        reviewers = []
    return [person for person in reviewers if person.email and person.pk != application.applicant_id]


def send(application: Application, event: str, people: Iterable[User]) -> int:
    """Send one mail per person about ``event``; returns how many were sent."""
    link = settings.SIGILL_BASE_URL.rstrip("/") + application.get_absolute_url()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for person in people:
            context = {"application": application, "person": person, "link": link, "event": event}
            subject = render_to_string("applications/email/subject.txt", context).strip()
            body = render_to_string("applications/email/body.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def step_taken(application_pk: int, event: str) -> None:
    application = Application.objects.select_related("applicant", "unit", "platform").get(pk=application_pk)
    send(application, event, recipients_for(application, event))
