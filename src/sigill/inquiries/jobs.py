"""The inquiries' periodic job: reading the contact center's mailbox, where one is set."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command

from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    if not settings.INQUIRY_MAILDIR:
        return []
    return [
        scheduler.Job("read_inquiry_mail", timedelta(minutes=5), lambda: call_command("read_inquiry_mail"))
    ]
