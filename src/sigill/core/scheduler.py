"""The scheduler: one process that enqueues periodic tasks for the workers.

Each app registers its own jobs (``@scheduler.jobs_of`` in its ``jobs`` module, imported by its
``AppConfig.ready``); the scheduler knows none of them by name.

Only the holder of the database lease runs; a second scheduler waits until the first one's
lease is given up (it stopped) or lapses (it crashed), then takes over. Two schedulers started at
the same moment on a fresh database do not collide: the lease row is created with
``ON CONFLICT DO NOTHING`` and then locked, so one of them holds it and the other waits.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sigill.core.models import SchedulerLease

log = logging.getLogger(__name__)
LEASE_NAME = "scheduler"


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def hold_lease(*, holder: str, ttl: timedelta, now: datetime | None = None) -> bool:
    """Take or renew the lease for ``holder``; False while another holder's lease is still valid."""
    now = now or timezone.now()
    # Created once, lapsed, by whichever scheduler comes first; a second one inserting at the same
    # moment does nothing instead of failing on the unique name.
    SchedulerLease.objects.bulk_create(
        [SchedulerLease(name=LEASE_NAME, holder="", expires_at=now)], ignore_conflicts=True
    )
    with transaction.atomic():
        # The row lock: a second scheduler checking at the same moment waits here for the first.
        lease = SchedulerLease.objects.select_for_update().get(name=LEASE_NAME)
        if lease.holder != holder and lease.expires_at > now:
            return False
        lease.holder, lease.expires_at = holder, now + ttl
        lease.save(update_fields=["holder", "expires_at"])
        return True


def give_up_lease(*, holder: str) -> None:
    """A scheduler that stops lets the lease lapse now, so a waiting one takes over at its next tick."""
    SchedulerLease.objects.filter(name=LEASE_NAME, holder=holder).update(expires_at=timezone.now())


@dataclass
class Job:
    """A task to enqueue every ``every``; ``due_at`` is when it runs next. A job that talks to the
    platforms (syncs, publishes, renews log-ins) is left out where ``PLATFORM_SYNC`` is off."""

    name: str
    every: timedelta
    enqueue: Callable[[], object]
    due_at: datetime | None = None
    talks_to_platforms: bool = False

    def run_if_due(self, now: datetime) -> bool:
        if self.due_at is not None and now < self.due_at:
            return False
        self.enqueue()
        self.due_at = now + self.every
        log.info("scheduler: enqueued %s", self.name)
        return True


JobSource = Callable[[], list[Job]]
_sources: list[JobSource] = []


def jobs_of(func: JobSource) -> JobSource:
    """Register ``func() -> list[Job]``: an app's periodic jobs, in its ``jobs`` module.

    Asked afresh each time the scheduler starts, so a job that depends on a setting (the inquiry
    mailbox) is there only while the setting is.
    """
    _sources.append(func)
    return func


def registered_jobs() -> list[Job]:
    jobs = [job for source in _sources for job in source()]
    return [job for job in jobs if settings.PLATFORM_SYNC or not job.talks_to_platforms]


def run(
    jobs: list[Job],
    *,
    holder: str,
    tick: float,
    ttl: timedelta,
    stop: threading.Event | None = None,
    once: bool = False,
) -> None:
    """Every ``tick`` seconds, while holding the lease, enqueue the jobs that are due; until ``stop``
    is set (or after one round with ``once``). The lease is given up on the way out."""
    stop = stop or threading.Event()
    try:
        while True:
            if hold_lease(holder=holder, ttl=ttl):
                now = timezone.now()
                for job in jobs:
                    job.run_if_due(now)
            else:
                log.info("scheduler: another scheduler holds the lease; waiting")
            if once or stop.wait(tick):
                return
    finally:
        give_up_lease(holder=holder)
