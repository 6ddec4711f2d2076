"""The state of syncs and their capture runs, kept by the worker side (syncs, webhook deliveries,
export imports): claiming a connection, counting pages, finishing runs, backing off, and marking
an account as needing a new token."""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sigill.archive.capture import Source
from sigill.archive.services import CaptureResult
from sigill.connectors import notify
from sigill.connectors.models import CaptureRun, Connection
from sigill.core import audit
from sigill.organisation.people import User
from sigill.registry.models import Account

# A run on another machine whose worker has written no progress for this long is taken as dead
# (a worker of this machine is looked up by its process id at once); an import still waiting for a
# worker after a day is taken as lost.
DEAD_AFTER = dt.timedelta(hours=1)
NEVER_STARTED_AFTER = dt.timedelta(days=1)

# Backoff after failures: doubling from a minute, never longer than six hours.
BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)


def claim(connection: Connection, *, stale_after: dt.timedelta, worker: str) -> CaptureRun | None:
    """Mark ``connection`` as being synced by ``worker`` (``host:pid``) and start its run; None when
    another worker is on it.

    A claim is abandoned, and taken over, when its worker's process is gone from this machine (it
    was killed hard: no ``finally`` ran to release it), or when no page was committed under it for
    ``stale_after`` (a worker on another machine, whose process cannot be looked up from here).
    """
    now = timezone.now()
    with transaction.atomic():
        held = (
            Connection.objects.select_for_update()
            .values_list("running_since", flat=True)
            .get(pk=connection.pk)
        )
        running = CaptureRun.objects.filter(
            account_id=connection.account_id, path=Source.API, outcome=CaptureRun.Outcome.RUNNING
        )
        holder = running.order_by("-started_at").values_list("details", flat=True).first()
        if held is not None and held >= now - stale_after and not _abandoned(holder):
            return None
        for dead in running:
            fail_dead_run(
                dead, cause=_("its worker stopped without finishing it (killed or crashed)"), now=now
            )
        Connection.objects.filter(pk=connection.pk).update(running_since=now, last_attempt_at=now)
        return CaptureRun.objects.create(
            account_id=connection.account_id, path=Source.API, started_at=now, details={"worker": worker}
        )


def _abandoned(holder: dict[str, Any] | None) -> bool:
    """Whether the run holding a claim has no live worker: none at all, or a process of this
    machine that no longer exists."""
    if holder is None:
        return True
    return worker_gone(str(holder.get("worker", "")))


def worker_gone(worker: str) -> bool:
    """Whether ``worker`` (``host:pid``) is a process of this machine that no longer exists (a
    worker on another machine cannot be looked up from here: it is taken as alive)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet (Linux): dead, though its id still answers."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def release(connection: Connection, *, run: CaptureRun) -> None:
    """Give up the claim, unless another worker already took it over from ``run``."""
    taken_over = (
        CaptureRun.objects.filter(
            account_id=connection.account_id, path=Source.API, outcome=CaptureRun.Outcome.RUNNING
        )
        .exclude(pk=run.pk)
        .exists()
    )
    if not taken_over:
        Connection.objects.filter(pk=connection.pk).update(running_since=None)


def start_run(
    *, account: Account, path: str, by: User | None = None, details: dict[str, Any] | None = None
) -> CaptureRun:
    return CaptureRun.objects.create(
        account=account,
        path=path,
        details=details or {},
        started_by=by if getattr(by, "is_authenticated", False) else None,
    )


def count_page(*, run: CaptureRun, result: CaptureResult, connection: Connection | None = None) -> None:
    """Add one page's captures to the run (and the account's total); inside the page's transaction."""
    CaptureRun.objects.filter(pk=run.pk).update(
        pages=F("pages") + 1, items=F("items") + result.items, versions=F("versions") + result.versions
    )
    if connection is not None and result.items:
        Connection.objects.filter(pk=connection.pk).update(items_captured=F("items_captured") + result.items)


def finish_run(
    *, run: CaptureRun, outcome: str, error: str = "", details: dict[str, Any] | None = None
) -> None:
    changes: dict[str, Any] = {"outcome": outcome, "finished_at": timezone.now(), "error": error[:2000]}
    if details is not None:
        changes["details"] = details
    CaptureRun.objects.filter(pk=run.pk).update(**changes)


def sync_succeeded(
    *, connection: Connection, run: CaptureRun, walk_started: dt.datetime | None, full_walk: bool = False
) -> None:
    """The walk reached its end: the account is captured up to the walk's start. A full walk (one
    that read everything, not only what was new) is noted on the run, for :func:`last_full_walk`."""
    now = timezone.now()
    with transaction.atomic():
        changes: dict[str, Any] = {
            "status": Connection.Status.OK,
            "failures": 0,
            "last_error": "",
            "last_success_at": now,
            "next_sync_at": now + dt.timedelta(minutes=connection.interval_minutes),
        }
        if connection.status != Connection.Status.OK:
            changes["status_changed_at"] = now
        if walk_started is not None:
            changes["captured_until"] = walk_started
            changes["cursor"] = {}
        Connection.objects.filter(pk=connection.pk).update(**changes)
        details = (
            run.details | {"full_walk": True, "walk_started": walk_started.isoformat()}
            if full_walk and walk_started
            else None
        )
        finish_run(run=run, outcome=CaptureRun.Outcome.SUCCEEDED, details=details)


def last_full_walk(connection: Connection) -> dt.datetime | None:
    """When the account's last complete full walk started (the run that completed it says)."""
    details = (
        CaptureRun.objects.filter(
            account_id=connection.account_id,
            path=Source.API,
            outcome=CaptureRun.Outcome.SUCCEEDED,
            details__full_walk=True,
        )
        .order_by("-started_at")
        .values_list("details", flat=True)
        .first()
    )
    return dt.datetime.fromisoformat(details["walk_started"]) if details else None


def sync_paused(*, connection: Connection, run: CaptureRun, wait: dt.timedelta, message: str) -> None:
    """The platform's limit is near or reached: wait, then go on from the committed cursor."""
    now = timezone.now()
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            next_sync_at=now + max(wait, BACKOFF_FIRST), last_error=message[:2000]
        )
        finish_run(run=run, outcome=CaptureRun.Outcome.PAUSED, error=message)


def backoff(failures: int) -> dt.timedelta:
    return min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_MAX)


def sync_failed(
    *, connection: Connection, run: CaptureRun, outcome: str, message: str, wait: dt.timedelta | None = None
) -> None:
    """A failure that a later try may get past: back off, keep the cursor."""
    now = timezone.now()
    failures = connection.failures + 1
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            status=Connection.Status.FAILING,
            status_changed_at=now
            if connection.status != Connection.Status.FAILING
            else connection.status_changed_at,
            failures=failures,
            last_error=message[:2000],
            next_sync_at=now + max(wait or dt.timedelta(0), backoff(failures)),
        )
        finish_run(run=run, outcome=outcome, error=message)
    connection.failures = failures


def needs_reconnecting(*, connection: Connection, run: CaptureRun | None, message: str) -> None:
    """The token was refused: stop retrying, tell comms (once), keep the cursor for afterwards."""
    now = timezone.now()
    first_time = connection.status != Connection.Status.NEEDS_RECONNECT
    with transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(
            status=Connection.Status.NEEDS_RECONNECT,
            status_changed_at=now if first_time else connection.status_changed_at,
            last_error=message[:2000],
            next_sync_at=None,
        )
        if run is not None:
            finish_run(run=run, outcome=CaptureRun.Outcome.NEEDS_RECONNECT, error=message)
        if first_time:
            audit.record(
                "connectors.connection.needs_reconnecting",
                actor_label="system",
                target=connection.account,
                details={"error": message[:500]},
            )
            pk = connection.pk
            transaction.on_commit(lambda: notify.needs_reconnecting(pk))
    connection.status = Connection.Status.NEEDS_RECONNECT


def heartbeat(worker: str) -> dict[str, str]:
    """What a running run's details say of the worker on it: which process, and when it last
    wrote progress (for :func:`fail_dead_runs`)."""
    return {"worker": worker, "beat": timezone.now().isoformat()}


def fail_dead_runs(*, now: dt.datetime | None = None) -> int:
    """The watchdog: mark every run whose worker died (killed, crashed, the machine restarted) as
    failed with its cause, so the coverage report shows its gap. Returns how many it marked.

    A run is dead when its worker is a process of this machine that no longer exists, when a worker
    on another machine has written no progress for :data:`DEAD_AFTER`, or when an upload's import
    has waited for a worker for :data:`NEVER_STARTED_AFTER`."""
    now = now or timezone.now()
    marked = 0
    for run in CaptureRun.objects.filter(outcome=CaptureRun.Outcome.RUNNING).select_related("account"):
        cause = _dead_cause(run, now)
        if cause and fail_dead_run(run, cause=cause, now=now):
            marked += 1
    return marked


def _dead_cause(run: CaptureRun, now: dt.datetime) -> str:
    worker = str(run.details.get("worker", ""))
    if not worker:
        if run.started_at < now - NEVER_STARTED_AFTER:
            return _("no worker started it within a day (the worker was stopped, or its queue was lost)")
        return ""
    if _abandoned(run.details):
        return _("its worker (%(worker)s) stopped without finishing it (killed or crashed)") % {
            "worker": worker
        }
    beat = run.details.get("beat")
    last = dt.datetime.fromisoformat(beat) if beat else run.started_at
    if worker.rpartition(":")[0] != socket.gethostname() and last < now - DEAD_AFTER:
        return _("its worker (%(worker)s) has written no progress since %(time)s") % {
            "worker": worker,
            "time": last.isoformat(timespec="minutes"),
        }
    return ""


def fail_dead_run(run: CaptureRun, *, cause: str, now: dt.datetime) -> bool:
    """Mark ``run`` failed with ``cause`` unless it finished meanwhile; audited."""
    with transaction.atomic():
        message = _(
            "The run stopped without finishing: %(cause)s. What it had stored is kept; the rest is missing."
        ) % {"cause": cause}
        changed = CaptureRun.objects.filter(pk=run.pk, outcome=CaptureRun.Outcome.RUNNING).update(
            outcome=CaptureRun.Outcome.FAILED, finished_at=now, error=message[:2000]
        )
        if not changed:
            return False
        if run.path == Source.API:
            Connection.objects.filter(account_id=run.account_id).update(
                status=Connection.Status.FAILING, last_error=message[:2000]
            )
        audit.record(
            "connectors.run.died",
            actor_label="watchdog",
            target=run.account,
            details={"run": str(run.pk), "path": run.path, "cause": cause[:500]},
        )
    return True
