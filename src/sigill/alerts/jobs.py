"""The alerts' periodic job, run every minute by the scheduler: missed time targets, deliveries due
for another try, digests whose window closed, alerts whose delivery task was lost."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from sigill.alerts import delivery, services
from sigill.core import scheduler


@task()
def alerts_round() -> dict[str, int]:
    return {
        "missed_targets": services.alert_missed_targets(),
        "retried": delivery.retry_due(),
        "digests": delivery.send_due_digests(),
        "stranded": delivery.deliver_stranded(),
    }


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    return [scheduler.Job("alerts_round", timedelta(minutes=1), alerts_round.enqueue)]
