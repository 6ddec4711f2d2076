"""E-mail to the communications department when residents' reports come in a wave."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sigill.organisation import selectors as organisation


def report_wave(*, count: int, window_minutes: int) -> int:
    """Tell comms that ``count`` reports arrived within the window; returns how many mails were sent."""
    recipients = sorted(
        {person.email for person in organisation.people_with_role(organisation.Role.COMMS) if person.email}
    )
    if not recipients:
        return 0
    link = settings.SIGILL_BASE_URL.rstrip("/") + reverse("compliance:overview")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Residents' reports are coming in a wave")
        body = _(
            "%(count)d residents' reports have arrived within %(minutes)d minutes, from many addresses. "
            "Sigill still takes every report within each address's limit; look at what is being reported, "
            "and whether it is a comment that has upset many people or an attempt to flood the form."
        ) % {"count": count, "minutes": window_minutes}
    return send_mail(
        subject, f"{body}\n\n{link}\n", settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False
    )
