"""Two workers capturing the same objects at the same moment store each object once (PostgreSQL)."""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import connection, connections

from sigill.archive import seal, services
from sigill.archive.capture import Capture
from sigill.archive.models import ArchiveEvent, Item, ItemVersion
from sigill.registry.models import Account
from tests.archive.conftest import comment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two processes need a server database"),
]


def _worker(batch: list[Capture], start: multiprocessing.synchronize.Barrier) -> None:
    start.wait(timeout=30)
    services.capture(batch)
    connections.close_all()


def test_two_processes_capturing_the_same_batch_store_it_once(library: Account) -> None:
    batch = [comment(library, f"c-{i}", f"Kommentar nummer {i} om biblioteket") for i in range(500)]
    edited = [comment(library, f"c-{i}", f"Ändrad kommentar {i}") for i in range(0, 500, 10)]
    # Each process opens its own connection: none may inherit this one.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    start = context.Barrier(3)
    workers = [
        context.Process(target=_worker, args=(batch + edited, start)),
        context.Process(target=_worker, args=(batch + edited, start)),
        context.Process(target=_worker, args=(batch + edited, start)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert Item.objects.count() == 500
    # The first worker to take the chain lock stores the batch; the others find nothing new.
    assert ItemVersion.objects.count() == 550
    assert ArchiveEvent.objects.count() == 1
    assert seal.verify().ok
