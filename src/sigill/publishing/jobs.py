"""Publishing's periodic job: handing approved posts whose time has come to the connectors."""

from __future__ import annotations

from datetime import timedelta

from sigill.core import scheduler
from sigill.publishing.tasks import hand_over_due


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    # A post goes out within a minute of its time; the connectors' outbox publishes it.
    return [
        scheduler.Job("hand_over_posts", timedelta(minutes=1), hand_over_due.enqueue, talks_to_platforms=True)
    ]
