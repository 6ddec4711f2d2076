"""The guidelines' periodic job: reminding editors to acknowledge the guideline in force."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    return [
        scheduler.Job("guideline_reminders", timedelta(hours=24), lambda: call_command("guideline_reminders"))
    ]
