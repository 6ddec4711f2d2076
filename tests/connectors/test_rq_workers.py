"""The same sync tasks run unchanged on Redis with RQ, on several workers, and capture the same items.

The workers are real ``manage.py rqworker`` processes on the local Redis, reading the test
database, so the platform cannot be mocked inside this process: a Mastodon instance is served
over HTTP from the payload fixtures (its address is the connection's API address, as for any
instance), and the workers and a clean direct run both sync against it.

Runs on PostgreSQL (CI's second pass): SQLite's test database lives in this process's memory,
where another process cannot reach it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued

from sigill.archive.models import Item
from sigill.connectors import sync as engine
from sigill.connectors import tasks
from sigill.connectors.models import CaptureRun
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import FIXTURES, JPEG, connect, latest_text

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the RQ workers are other processes; SQLite's test database is in this one's memory",
    ),
]


def worker_redis_url(base: str) -> str:
    """The Redis database for this pytest-xdist worker: the base's (14 unless SIGILL_TEST_REDIS_URL
    says otherwise) for the first, one lower for each further worker, so two workers never share a queue."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    url = urlsplit(base)
    number = int(url.path.strip("/") or 0) - worker
    assert number >= 0, f"{base} leaves no Redis database for xdist worker {worker}"
    return url._replace(path=f"/{number}").geturl()


REDIS_URL = worker_redis_url(os.environ.get("SIGILL_TEST_REDIS_URL", "redis://127.0.0.1:6379/14"))
FIXTURE_HOST = b"https://social.vara-kommun.example"
MASTODON_ID = "109876543210987654"
THREAD = "113825159577605136"
EDITED = "113814562406449065"  # the library's opening hours, corrected once
WORKERS = 2
ACCOUNTS = 4


class Instance(BaseHTTPRequestHandler):
    """A Mastodon instance answering from the fixture files, with its own address in them."""

    base = b""

    def do_GET(self) -> None:
        # An answer takes a moment, as a real instance's does: each sync then lasts a few seconds,
        # so both workers get work even when a loaded machine starts one of them late.
        time.sleep(0.2)
        url = urlsplit(self.path)
        headers: dict[str, str] = {"Content-Type": "application/json; charset=utf-8"}
        if url.path == f"/api/v1/accounts/{MASTODON_ID}/statuses":
            if "max_id" in parse_qs(url.query):
                body = b"[]"
            else:
                body = self._fixture("account_statuses_p1.json")
                headers |= self._fixture_headers()
        elif url.path == f"/api/v1/statuses/{THREAD}/context":
            body = self._fixture("status_context.json")
        elif url.path.startswith("/api/v1/statuses/") and url.path.endswith("/context"):
            body = json.dumps({"ancestors": [], "descendants": []}).encode()
        elif url.path == f"/api/v1/statuses/{EDITED}/history":
            body = self._fixture("status_edited_history.json")
        elif url.path == "/api/v1/notifications":
            body = b"[]"  # no mentions outside the account's own threads
        elif url.path.startswith("/system/media_attachments/"):
            body, headers = JPEG, {"Content-Type": "image/jpeg"}
        else:
            self.send_error(404)
            return
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _fixture(self, name: str) -> bytes:
        return (FIXTURES / "mastodon/rest-api" / name).read_bytes().replace(FIXTURE_HOST, self.base)

    def _fixture_headers(self) -> dict[str, str]:
        lines = self._fixture("account_statuses_p1.headers.txt").decode().splitlines()[1:]
        return {k: v for k, v in (line.split(": ", 1) for line in lines) if k != "content-type"}

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


@pytest.fixture
def instance() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Instance)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Instance.base = base.encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def rq_backend() -> Iterator[Any]:
    """Tasks enqueued in this process go to Redis, as with TASKS_BACKEND=django_tasks_rq.RQBackend."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend"}},
        RQ_QUEUES={"default": {"URL": REDIS_URL}},
    ):
        import django_rq

        queue = django_rq.get_queue("default")
        queue.empty()
        yield queue
        queue.empty()


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_workers(media_root: Path, log: Path) -> list[subprocess.Popen[bytes]]:
    env = os.environ | {
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(media_root),
        "SIGILL_VAULT_KEYS": settings.VAULT_KEYS,
        "CONN_MAX_AGE": "0",
    }
    workers = []
    for n in range(WORKERS):
        with (log / f"worker-{n}.log").open("wb") as output:
            # The command is this interpreter and the project's manage.py, nothing from outside.
            worker = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    str(Path(settings.BASE_DIR) / "manage.py"),
                    "rqworker",
                    "--job-class",
                    "django_tasks_rq.Job",
                    "--name",
                    f"sigill-test-{os.getpid()}-{n}",
                    "default",
                ],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        workers.append(worker)
    return workers


def wait_for(condition: Any, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def snapshot(account: Account) -> set[tuple[str, str, str, str, int, int]]:
    return {
        (
            item.object_id,
            item.parent_object_id,
            item.kind,
            latest_text(item),
            item.versions.count(),
            sum(version.attachments.count() for version in item.versions.all()),
        )
        for item in Item.objects.filter(account=account)
    }


def test_syncs_run_by_two_rq_workers_capture_exactly_the_items_of_a_direct_run(
    people: dict[str, Any], instance: str, rq_backend: Any, _media: Path, tmp_path: Path
) -> None:
    from rq import Worker

    def mastodon(n: int) -> Account:
        return connect(
            "mastodon",
            f"social.vara-kommun.example/@varakommun{n}",
            MASTODON_ID,
            api_base=instance,
            display_name=f"Vara kommun {n}",
            **people,
        )

    clean = mastodon(0)
    direct = engine.sync(clean)
    assert direct is not None and direct.outcome == CaptureRun.Outcome.SUCCEEDED
    expected = snapshot(clean)
    assert len(expected) == 6 and any(attachments for *_, attachments in expected)

    accounts = [mastodon(n) for n in range(1, ACCOUNTS + 1)]
    workers = start_workers(_media, tmp_path)
    try:
        wait_for(
            lambda: (
                len(Worker.all(queue=rq_backend)) == WORKERS or any(w.poll() is not None for w in workers)
            ),
            seconds=60,
            what="two RQ workers",
        )
        assert all(w.poll() is None for w in workers), (tmp_path / "worker-0.log").read_text()
        results: list[TaskResult[Any]] = []

        def enqueued(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
            results.append(task_result)

        task_enqueued.connect(enqueued)
        try:
            # The scheduler's enqueue: every account due once (the clean one, synced a moment ago,
            # is not due); then each once more, as if a second tick raced the first.
            assert tasks.enqueue_due() == ACCOUNTS
            for account in accounts:
                tasks.sync_account.enqueue(account.pk)
        finally:
            task_enqueued.disconnect(enqueued)
        assert len(results) == 2 * ACCOUNTS

        def all_finished() -> bool:
            for result in results:
                result.refresh()
            return all(r.is_finished for r in results)

        wait_for(all_finished, seconds=120, what="the syncs on the workers")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}, [r.errors for r in results]
    assert {r.return_value for r in results} <= {"succeeded", "busy"}
    # Every sync ran on an RQ worker. Which of the two takes which job is Redis's and the machine's
    # choice: under CI's load one worker has taken all eight (three runs of this session), so the
    # test holds what a user would notice, the items, not how the jobs were shared.
    assert all(r.worker_ids for r in results), "every sync ran on an RQ worker"
    for account in accounts:
        assert snapshot(account) == expected, account.display_name
        assert CaptureRun.objects.filter(account=account, outcome=CaptureRun.Outcome.SUCCEEDED).exists()
