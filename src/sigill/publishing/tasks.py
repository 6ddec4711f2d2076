"""Work for the task worker: handing over the posts whose time has come."""

from __future__ import annotations

from django_tasks import task

from sigill.publishing import services


@task()
def hand_over_due() -> int:
    return services.hand_over_due()
