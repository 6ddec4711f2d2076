"""The reports' periodic job: the monthly report."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    # Sends only on the first working day of a month (or the first run after it), once a month.
    return [
        scheduler.Job("send_monthly_report", timedelta(hours=1), lambda: call_command("send_monthly_report"))
    ]
