"""Publishing's periodic job: handing approved posts whose time has come to the connectors."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from sigill.core import scheduler
from sigill.publishing.tasks import hand_over_due


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    # A post goes out within a minute of its time; the connectors' outbox publishes it. Not on a
    # server that does not talk to the platforms (SIGILL_PLATFORM_SYNC off): nothing goes out there.
    if not settings.PLATFORM_SYNC:
        return []
    return [scheduler.Job("hand_over_posts", timedelta(minutes=1), hand_over_due.enqueue)]
