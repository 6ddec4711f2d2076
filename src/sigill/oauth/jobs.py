"""The platform log-ins' periodic job: refreshing tokens before they expire."""

from __future__ import annotations

from datetime import timedelta

from sigill.core import scheduler
from sigill.oauth.tasks import refresh_grants


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    # Each log-in is due at its own time (a quarter of its token's lifetime before expiry, or daily
    # for tokens that do not expire); this looks every five minutes for those due: X's tokens last
    # two hours, so a refresh comes at least half an hour before one expires.
    return [
        scheduler.Job(
            "refresh_platform_logins", timedelta(minutes=5), refresh_grants.enqueue, talks_to_platforms=True
        )
    ]
