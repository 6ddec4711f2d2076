"""The applications' periodic job: reminding those whose applications wait for them."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    return [
        scheduler.Job("remind_applications", timedelta(hours=24), lambda: call_command("remind_applications"))
    ]
