"""Alerts fixtures: people with e-mail addresses, a local HTTP server standing in for the Teams or
Slack channel's incoming webhook, tasks run at once, and a clock set to a chosen moment."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from sigill.alerts.watcher import AlertsWatcher
from sigill.moderation import watchers
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.archive.conftest import make_library

STOCKHOLM = dt.timezone(dt.timedelta(hours=1))  # Swedish winter time, fixed for these moments
# Saturday 12 December 2026, 21:00 Swedish time: outside office hours, on a weekend.
SATURDAY_EVENING = dt.datetime(2026, 12, 12, 21, 0, tzinfo=STOCKHOLM)
# Tuesday 8 December 2026, 10:00 Swedish time: office hours.
TUESDAY_MORNING = dt.datetime(2026, 12, 8, 10, 0, tzinfo=STOCKHOLM)
WEEK_OF_THE_SATURDAY = dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _media_and_tasks(tmp_path: Path) -> Iterator[None]:
    """Attachments to a temporary folder; tasks run as soon as they are enqueued (after commit)."""
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(MEDIA_ROOT=tmp_path / "media", TASKS=immediate, ALERTS_WEBHOOK_URL=""):
        yield


@pytest.fixture
def library(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara bibliotek on Facebook, with Erik as its editor (and Alice in comms)."""
    return make_library(alice, erik, bob, units)


@pytest.fixture
def with_email(alice: User, erik: User) -> None:
    for person in (alice, erik):
        person.email = f"{person.username}@vara.example"
        person.save(update_fields=["email"])


@dataclass
class Channel:
    """What the stand-in for the Teams or Slack channel received; ``failures`` answers that many
    posts with HTTP 503 first."""

    url: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    failures: int = 0
    refused: int = 0


@pytest.fixture
def channel() -> Iterator[Channel]:
    received = Channel()

    class Webhook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if received.failures:
                received.failures -= 1
                received.refused += 1
                self.send_response(503)
                self.end_headers()
                return
            received.messages.append(json.loads(body))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"1")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test looks at the log for the address."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_port}/services/T0VARA/B0JOUR/hemlig-nyckel-123"
    with override_settings(ALERTS_WEBHOOK_URL=received.url):
        yield received
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def clock() -> Iterator[Callable[[dt.datetime], None]]:
    """Sets the moment the alerts watcher sees when screening hands it a case."""

    def set_to(moment: dt.datetime) -> None:
        watchers.unregister(AlertsWatcher)
        watchers.register(AlertsWatcher(clock=lambda: moment))

    yield set_to
    watchers.unregister(AlertsWatcher)
    watchers.register(AlertsWatcher())
