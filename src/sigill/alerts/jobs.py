"""The alerts' periodic job: missed time targets, deliveries due for another try, closed digests."""

from __future__ import annotations

from datetime import timedelta

from sigill.alerts.tasks import alerts_round
from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    return [scheduler.Job("alerts_round", timedelta(minutes=1), alerts_round.enqueue)]
