"""What the per-platform sync tests share: the people, the platforms' image hosts, a run that must
succeed, derived pages, and what an expired token owes comms."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail

from sigill.connectors import sync as engine
from sigill.connectors.models import CaptureRun, Connection
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import JPEG, TOKEN, connection_of

COMMS_ADDRESS = "alice@vara-kommun.example"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    """Alice (comms, told when a token is rejected), Erik the editor, Bob his deputy."""
    alice.email = COMMS_ADDRESS
    alice.save()
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


def images(router: Any) -> Any:
    """The platforms' media hosts answer every image address with a 1×1 JPEG."""
    return router.get(
        url__regex=r"^https://[a-z0-9.\-]+\.(cdninstagram\.com|bsky\.app|twimg\.com|licdn\.com|ytimg\.com|example)/"
    ).respond(content=JPEG, headers={"Content-Type": "image/jpeg"})


def succeeded(account: Account) -> CaptureRun:
    run = engine.sync(account)
    assert run is not None and run.outcome == CaptureRun.Outcome.SUCCEEDED, run and run.error
    return run


def derived(original: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of a real fixture item with changed ids (and times), for a page the shared fixtures
    lack: the shape stays the platform's, only the values named here differ."""
    return {**json.loads(json.dumps(original)), **changes}


def told_comms_to_reconnect(account: Account, run: CaptureRun | None) -> None:
    """What every connector owes comms when the platform rejects the token: the run says the account
    needs reconnecting, comms gets one e-mail (without the token), and no retry is scheduled."""
    assert run is not None and run.outcome == CaptureRun.Outcome.NEEDS_RECONNECT
    assert connection_of(account).status == Connection.Status.NEEDS_RECONNECT
    assert account not in engine.take_due(), "no retry until comms reconnects"
    assert AuditEntry.objects.filter(act="connectors.connection.needs_reconnecting").count() == 1
    assert [m.to for m in mail.outbox] == [[COMMS_ADDRESS]]
    assert TOKEN not in mail.outbox[0].body


def paused_until(account: Account, run: CaptureRun | None) -> Any:
    """The run stopped for the platform's limit (reached, or near); when the next sync is due."""
    assert run is not None and run.outcome == CaptureRun.Outcome.PAUSED, run and run.error
    connection = connection_of(account)
    assert connection.next_sync_at is not None and connection.cursor["queue"], "the walk keeps its place"
    return connection.next_sync_at
