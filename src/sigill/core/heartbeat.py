"""The worker's heartbeat: the scheduler enqueues a beat, a worker runs it, ``/healthz`` reads it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from sigill.core.models import WorkerHeartbeat

WORKER = "worker"


def beat(name: str = WORKER) -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def last_beat(name: str = WORKER) -> datetime | None:
    return WorkerHeartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()


def is_fresh(beat_at: datetime | None) -> bool:
    if beat_at is None:
        return False
    return timezone.now() - beat_at <= timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
