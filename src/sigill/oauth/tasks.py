"""Work for the task worker: refreshing the platform log-ins that are due."""

from __future__ import annotations

from django_tasks import task

from sigill.oauth import services


@task()
def refresh_grants() -> int:
    """Refresh (or check) every platform log-in that is due; returns how many were looked at."""
    return services.refresh_due()
