"""/healthz tells a load balancer whether Sigill can serve: the database answers and a worker runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sigill.core.models import WorkerHeartbeat
from sigill.core.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def test_it_answers_503_when_no_worker_has_ever_beaten(client: Client) -> None:
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "database": "ok",
        "worker": "no heartbeat",
        "worker_last_beat": None,
    }


# A real worker commits as it goes and closes connections it thinks are stale, so this test runs
# outside the test's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_it_answers_200_after_a_worker_ran_the_heartbeat_task(client: Client) -> None:
    worker_heartbeat.enqueue()
    call_command("db_worker", "--batch", "--no-reload", "--max-tasks", "1", verbosity=0)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_it_answers_503_when_the_last_heartbeat_is_stale(client: Client) -> None:
    WorkerHeartbeat.objects.create(name="worker", beat_at=timezone.now() - timedelta(minutes=10))
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
