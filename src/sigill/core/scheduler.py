"""The scheduler: one process that enqueues periodic tasks for the workers.

Only the holder of the database lease runs; a second scheduler waits until the first one's
lease lapses (it stopped or crashed), then takes over.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

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
    with transaction.atomic():
        lease = SchedulerLease.objects.select_for_update().filter(name=LEASE_NAME).first()
        if lease is None:
            SchedulerLease.objects.create(name=LEASE_NAME, holder=holder, expires_at=now + ttl)
            return True
        if lease.holder != holder and lease.expires_at > now:
            return False
        lease.holder, lease.expires_at = holder, now + ttl
        lease.save(update_fields=["holder", "expires_at"])
        return True


@dataclass
class Job:
    """A task to enqueue every ``every``; ``due_at`` is when it runs next."""

    name: str
    every: timedelta
    enqueue: Callable[[], object]
    due_at: datetime | None = None

    def run_if_due(self, now: datetime) -> bool:
        if self.due_at is not None and now < self.due_at:
            return False
        self.enqueue()
        self.due_at = now + self.every
        log.info("scheduler: enqueued %s", self.name)
        return True
