"""Only one scheduler enqueues periodic work at a time; another takes over when it stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sigill.core import scheduler
from sigill.core.models import SchedulerLease

TTL = timedelta(seconds=30)
# Schedulers in threads need a database that makes a second writer wait: PostgreSQL, or SQLite in a
# file with busy_timeout as deployed. The tests' in-memory SQLite shares one cache between threads,
# which refuses a second writer at once ("database table is locked") instead.
concurrent_database = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the in-memory SQLite test database refuses concurrent writers"
)


@pytest.mark.django_db
def test_a_second_scheduler_waits_while_the_first_holds_the_lease() -> None:
    assert scheduler.hold_lease(holder="host-a:1", ttl=TTL)
    assert not scheduler.hold_lease(holder="host-b:2", ttl=TTL)
    assert scheduler.hold_lease(holder="host-a:1", ttl=TTL)


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_a_scheduler_that_stops_gives_up_its_lease_so_another_need_not_wait_for_it_to_lapse() -> None:
    runs: list[str] = []
    job = scheduler.Job("count", timedelta(minutes=1), lambda: runs.append("a"))
    scheduler.run([job], holder="host-a:1", tick=5, ttl=TTL, once=True)
    assert runs == ["a"]
    assert scheduler.hold_lease(holder="host-b:2", ttl=TTL)


def in_threads(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` at the same moment, each in its own thread with its own database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = calls[n]()
        except Exception as exc:  # noqa: BLE001 - the test reports whatever a scheduler raised
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_started_at_once_on_a_fresh_database_hold_one_lease_between_them() -> None:
    """The first start used to create the lease row unlocked: both inserted, the second crashed."""
    for attempt in range(5):
        SchedulerLease.objects.all().delete()
        results = in_threads(
            lambda: scheduler.hold_lease(holder="host-a:1", ttl=TTL),
            lambda: scheduler.hold_lease(holder="host-b:2", ttl=TTL),
        )
        assert sorted(results, key=str) == [False, True], f"attempt {attempt}: {results}"
        assert SchedulerLease.objects.count() == 1


@concurrent_database
@pytest.mark.django_db(transaction=True)
def test_the_waiting_scheduler_takes_over_as_soon_as_the_first_one_stops() -> None:
    enqueued: list[str] = []
    stops = {"host-a:1": threading.Event(), "host-b:2": threading.Event()}

    def scheduler_on(holder: str) -> Callable[[], None]:
        job = scheduler.Job("count", timedelta(0), lambda: enqueued.append(holder))
        return lambda: scheduler.run([job], holder=holder, tick=0.05, ttl=TTL, stop=stops[holder])

    both = threading.Thread(target=in_threads, args=(scheduler_on("host-a:1"), scheduler_on("host-b:2")))
    both.start()
    try:
        wait_until(lambda: len(enqueued) >= 5)
        first = enqueued[0]
        assert set(enqueued) == {first}, "only the holder of the lease enqueues"
        second = next(holder for holder in stops if holder != first)
        stops[first].set()
        # Long before the lease would lapse (TTL): the first gave it up on stopping.
        wait_until(lambda: second in enqueued, seconds=5)
        assert SchedulerLease.objects.get().holder == second
    finally:
        for stop in stops.values():
            stop.set()
        both.join(timeout=60)


def wait_until(condition: Callable[[], bool], *, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_scheduler_runs_the_jobs_each_app_registers(settings) -> None:
    """The apps register their own jobs; the scheduler names none of them."""
    settings.INQUIRY_MAILDIR = ""
    assert sorted(job.name for job in scheduler.registered_jobs()) == [
        "alerts_round",
        "anchor_archive_head",
        "anchor_audit_head",
        "fail_dead_runs",
        "guideline_reminders",
        "hand_over_posts",
        "mail_chain_heads",
        "prune_task_results",
        "prune_webhook_noise",
        "publish_due",
        "refresh_platform_logins",
        "remind_applications",
        "send_monthly_report",
        "snapshot_profiles",
        "sync_accounts",
        "worker_heartbeat",
    ]
