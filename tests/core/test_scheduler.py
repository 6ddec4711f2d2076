"""Only one scheduler enqueues periodic work at a time; another takes over when it stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sigill.core import scheduler

pytestmark = pytest.mark.django_db
TTL = timedelta(seconds=30)


def test_a_second_scheduler_waits_while_the_first_holds_the_lease() -> None:
    assert scheduler.hold_lease(holder="host-a:1", ttl=TTL)
    assert not scheduler.hold_lease(holder="host-b:2", ttl=TTL)
    assert scheduler.hold_lease(holder="host-a:1", ttl=TTL)


def test_a_second_scheduler_takes_over_when_the_lease_lapses() -> None:
    assert scheduler.hold_lease(holder="host-a:1", ttl=TTL)
    later = timezone.now() + TTL + timedelta(seconds=1)
    assert scheduler.hold_lease(holder="host-b:2", ttl=TTL, now=later)
    assert not scheduler.hold_lease(holder="host-a:1", ttl=TTL, now=later)


def test_a_job_runs_when_due_and_then_waits_its_interval() -> None:
    runs: list[int] = []
    job = scheduler.Job("count", timedelta(minutes=5), lambda: runs.append(1))
    now = timezone.now()
    assert job.run_if_due(now)
    assert not job.run_if_due(now + timedelta(minutes=4))
    assert job.run_if_due(now + timedelta(minutes=5))
    assert len(runs) == 2
