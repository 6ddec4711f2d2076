"""A post is published exactly once when the worker publishing it is killed between the platform's
answer and the record: two real RQ workers on PostgreSQL, the one holding the post killed with
SIGKILL the moment the platform has made it; the other takes over, finds the post on the platform
and records it, and posts nothing.

The instance here does not honour ``Idempotency-Key`` (as after the hour Mastodon keeps keys), so
only the outbox's reconciliation stands between the takeover and a second post.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import close_old_connections, connection

from sigill.archive.models import Item
from sigill.connectors import services
from sigill.connectors.models import Outgoing
from sigill.connectors.publish import outbox
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import connect
from tests.connectors.fake_mastodon import ACCOUNT, Instance, running_instance
from tests.connectors.test_rq_workers import WORKERS, rq_backend, start_workers, wait_for

__all__ = ["rq_backend"]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the RQ workers are other processes; SQLite's test database is in this one's memory",
    ),
]
KEY = "draft:12:account:1:v4"


@pytest.fixture
def instance() -> Iterator[Instance]:
    with running_instance() as running:
        yield running


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_a_worker_killed_after_the_platform_made_the_post_leaves_it_published_exactly_once(
    alice: User,
    erik: User,
    bob: User,
    units: dict[str, Unit],
    instance: Instance,
    rq_backend: Any,
    _media: Path,
    tmp_path: Path,
) -> None:
    from rq import Worker

    account: Account = connect(
        "mastodon",
        "social.vara-kommun.example/@varakommun",
        ACCOUNT["id"],
        api_base=instance.base,
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
    )
    instance.honour_keys = False
    killed = threading.Event()
    workers = start_workers(_media, tmp_path)
    by_pid = {w.pid: w for w in workers}

    def kill_the_holder(status: dict[str, Any]) -> None:
        """The platform has made the post: kill the worker holding it before it hears back."""
        try:
            holder = Outgoing.objects.get(key=KEY).worker
        finally:
            close_old_connections()
            connection.close()
        pid = int(holder.rpartition(":")[2])
        parent = parent_of(pid)
        os.kill(pid, signal.SIGKILL)  # the work horse RQ forked for the job
        if parent in by_pid:
            os.kill(parent, signal.SIGKILL)  # and its worker, so only the other one is left
            by_pid[parent].wait()
        elif pid in by_pid:
            by_pid[pid].wait()
        killed.set()

    instance.after_create = kill_the_holder
    try:
        wait_for(
            lambda: (
                len(Worker.all(queue=rq_backend)) == WORKERS or any(w.poll() is not None for w in workers)
            ),
            seconds=60,
            what="two RQ workers",
        )
        assert all(w.poll() is None for w in workers), (tmp_path / "worker-0.log").read_text()

        outgoing = services.queue_post(
            account=account, key=KEY, text="Sophämtningen är försenad i dag.", by=erik
        )
        wait_for(killed.is_set, seconds=60, what="the platform to make the post and its worker to be killed")
        instance.after_create = None
        outgoing.refresh_from_db()
        assert outgoing.state == Outgoing.State.SENDING, "killed before it could record the post"
        assert sum(w.poll() is None for w in workers) == 1, "one worker is left"

        # The scheduler's minute: the row's holder is gone, so it is enqueued for the other worker.
        wait_for(lambda: outbox.enqueue_due() == 1, seconds=30, what="the scheduler to see the holder gone")

        def recorded() -> bool:
            outgoing.refresh_from_db()
            return outgoing.state == Outgoing.State.PUBLISHED

        wait_for(recorded, seconds=60, what="the other worker to record the post")
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    assert len(instance.posts_received) == 1, "the post was sent to the platform once"
    [status] = instance.own_statuses()
    assert outgoing.platform_id == status["id"] and outgoing.attempts == 2
    assert Item.objects.filter(account=account).count() == 1
    assert Item.objects.get(account=account).object_id == status["id"]
