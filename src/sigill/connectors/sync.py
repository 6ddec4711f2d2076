"""The sync engine: walks an account's content through its connector, a page at a time.

Each page's captures and the cursor after it are committed in one transaction, so a sync that is
stopped anywhere (a crash, a deploy, a rate limit) resumes from the last committed page: nothing
is lost, and nothing is stored twice (capture is idempotent besides). The cursor is the queue of
requests still to make; it holds addresses without tokens.

A full walk (one that reads everything) notes every object it sees; when it completes, each
post, comment and reply the archive holds that it did not see is recorded as removed on the
platform (by its author, the platform or the municipality), at the time of that first miss; the
captured rows stay as they are. Direct messages are left out: no platform's walk reads an inbox
completely (the Graph gives a conversation's 20 newest messages, X keeps 30 days). Where a walk
cannot reach every object (X lists the newest 3,200 posts, and finds replies of the last week
only), the connector names its reach and only what lies inside it is judged.

The API token is opened from the vault once per run (one audit entry per run) and lives only in
the run's API client headers. Attachments are downloaded by a second client without credentials,
so the token never reaches a platform's content hosts.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import Any

import httpx2
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sigill.archive import selectors as archive_selectors
from sigill.archive import services as archive
from sigill.archive.capture import Capture, Kind, Source
from sigill.connectors import http, runs
from sigill.connectors.base import LOOKBACK, Connector, Fetch, Page, connector_for
from sigill.connectors.models import CaptureRun, Connection, WalkSighting
from sigill.connectors.selectors import MESSAGES_REFUSED
from sigill.registry.models import Account
from sigill.vault import services as vault
from sigill.vault.crypto import SealBrokenError
from sigill.vault.keys import VaultKeyError

log = logging.getLogger(__name__)
# A run that has committed no page for this long was stopped (a worker on another machine, killed);
# another run may take over its cursor. A killed worker of this machine is seen at once instead.
STALE_RUN = dt.timedelta(minutes=15)
# A run's count of objects its full walk found gone from the platform.
REMOVALS = "removals"
# What a full walk judges gone when it does not find it again: the account's content, not its inbox.
WALKED_KINDS = (Kind.POST, Kind.COMMENT, Kind.REPLY)


def sync(account: Account) -> CaptureRun | None:
    """Capture what is new on ``account`` since its last complete walk.

    Returns the run, or None when another worker is syncing the account.
    """
    connection = Connection.objects.select_related("account__platform").get(account=account)
    connector = connector_for(account.platform.slug)
    if connector is None:
        raise LookupError(f"no API connector for {account.platform.slug}")
    run = runs.claim(connection, stale_after=STALE_RUN, worker=worker_id())
    if run is None:
        return None
    try:
        _run(connection, connector, run)
    except http.TokenRejected as exc:
        runs.needs_reconnecting(connection=connection, run=run, message=exc.message)
    except http.RateLimited as exc:
        wait = dt.timedelta(seconds=exc.retry_after or 0)
        runs.sync_failed(
            connection=connection, run=run, outcome=CaptureRun.Outcome.PAUSED, message=exc.message, wait=wait
        )
    except (http.Unavailable, httpx2.TransportError) as exc:
        message = getattr(exc, "message", "") or _(
            "%(platform)s could not be reached (network error: %(error)s). Try again in a while."
        ) % {"platform": connector.label, "error": type(exc).__name__}
        runs.sync_failed(connection=connection, run=run, outcome=CaptureRun.Outcome.OUTAGE, message=message)
    except (http.Refused, http.Gone) as exc:
        runs.sync_failed(
            connection=connection, run=run, outcome=CaptureRun.Outcome.FAILED, message=exc.message
        )
    except (KeyError, TypeError, ValueError) as exc:
        # A payload that does not have the documented shape: say where, keep the cursor.
        message = _("%(platform)s sent an answer Sigill could not read (%(error)s).") % {
            "platform": connector.label,
            "error": f"{type(exc).__name__}: {exc}",
        }
        runs.sync_failed(connection=connection, run=run, outcome=CaptureRun.Outcome.FAILED, message=message)
    except Exception as exc:
        # Anything else is a fault of Sigill's: the run is a failure with its cause (and a gap in
        # the coverage report), never left "running"; the error goes on to the worker's log.
        message = f"The sync stopped on an unexpected error ({type(exc).__name__}: {str(exc)[:300]})"
        runs.sync_failed(connection=connection, run=run, outcome=CaptureRun.Outcome.FAILED, message=message)
        raise
    finally:
        runs.release(connection, run=run)
        CaptureRun.objects.filter(pk=run.pk, outcome=CaptureRun.Outcome.RUNNING).update(
            outcome=CaptureRun.Outcome.INTERRUPTED, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def worker_id() -> str:
    """This process, as a claim names its holder."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _open_token(connection: Connection, run: CaptureRun) -> str:
    try:
        return vault.open_api_token(
            account=connection.account,
            purpose=f"sync {connection.account.platform.slug}",
            sync_run_id=str(run.pk),
        )
    except LookupError as exc:
        raise http.TokenRejected(
            _(
                "The vault holds no API token for %(account)s: log the account in with its platform, or "
                "deposit a token in the vault."
            )
            % {"account": connection.account.display_name}
        ) from exc
    except (VaultKeyError, SealBrokenError) as exc:
        raise http.Refused(
            _("The vault could not open the API token (%(error)s).") % {"error": type(exc).__name__}
        ) from exc


def _start_walk(connection: Connection, connector: Connector) -> dict[str, Any]:
    """A new walk: what is new since the last one (less the lookback), or everything when a full
    walk is due, so that comments arriving on posts older than the lookback are captured too."""
    full = full_walk_due(connection)
    since = None if full or connection.captured_until is None else connection.captured_until - LOOKBACK
    first = connector.first(remote_id=connection.remote_id, api_base=connection.api_base, since=since)
    cursor: dict[str, Any] = {
        "started": timezone.now().isoformat(),
        "full": since is None,
        "queue": [f.to_json() for f in first],
    }
    with transaction.atomic():
        if since is None:
            WalkSighting.objects.filter(connection=connection).delete()
        Connection.objects.filter(pk=connection.pk).update(cursor=cursor)
    return cursor


def full_walk_due(connection: Connection, *, now: dt.datetime | None = None) -> bool:
    """Whether the account's next walk reads everything: it never had one, or its last complete
    full walk started more than ``CONNECTOR_FULL_WALK_DAYS`` ago."""
    last = runs.last_full_walk(connection)
    now = now or timezone.now()
    return last is None or last <= now - dt.timedelta(days=settings.CONNECTOR_FULL_WALK_DAYS)


def _run(connection: Connection, connector: Connector, run: CaptureRun) -> None:
    token = _open_token(connection, run)
    cursor = connection.cursor if connection.cursor.get("queue") else _start_walk(connection, connector)
    queue: list[dict[str, Any]] = list(cursor["queue"])
    with http.client(headers=connector.headers(token)) as client, http.download_client() as files:
        del token
        while queue:
            fetch = Fetch.from_json(queue[0])
            response = client.get(fetch.url, params=fetch.params or None, headers=fetch.headers or None)
            page = _read(connector, fetch, response, connection=connection, run=run)
            for captured in page.captures:
                for attached in captured.attachments:
                    if isinstance(attached.content, http.RemoteFile):
                        attached.content.client = files
            queue = [f.to_json() for f in page.follow] + queue[1:]
            with transaction.atomic():
                result = archive.capture(page.captures)
                if cursor.get("full"):
                    WalkSighting.objects.bulk_create(
                        [
                            WalkSighting(connection=connection, object_id=c.platform_id)
                            for c in page.captures
                            if not c.seen_gone
                        ],
                        batch_size=2000,
                    )
                # The cursor, and the claim renewed: a run that commits pages is alive.
                Connection.objects.filter(pk=connection.pk).update(
                    cursor={**cursor, "queue": queue}, running_since=timezone.now()
                )
                runs.count_page(run=run, result=result, connection=connection)
            if queue and (wait := connector.pause_after(response)) is not None:
                runs.sync_paused(
                    connection=connection,
                    run=run,
                    wait=dt.timedelta(seconds=wait),
                    message=_("%(platform)s: near the rate limit, waiting before the next page.")
                    % {"platform": connector.label},
                )
                return
    started = dt.datetime.fromisoformat(str(cursor["started"]))
    if cursor.get("full"):
        record_removals(connection, connector, run=run, walk_started=started)
    runs.sync_succeeded(
        connection=connection, run=run, walk_started=started, full_walk=bool(cursor.get("full"))
    )


def record_removals(
    connection: Connection, connector: Connector, *, run: CaptureRun, walk_started: dt.datetime
) -> int:
    """Record as removed on the platform what the completed full walk did not see again (within the
    connector's reach); returns how many. The captured rows are not touched."""
    seen = set(WalkSighting.objects.filter(connection=connection).values_list("object_id", flat=True))
    present = list(
        archive_selectors.present_items(
            connection.account_id,
            kinds=WALKED_KINDS,
            sources=(Source.API, Source.WEBHOOK),
            # What arrived while the walk ran (a webhook, after the walk passed its post) is not judged.
            received_before=walk_started,
        )
    )
    reaches = getattr(connector, "reaches", None)
    oldest_post_seen = min(
        (p.published_at for p in present if p.kind == Kind.POST and p.object_id in seen), default=None
    )
    gone = [
        Capture(
            account_id=connection.account_id,
            platform_id=p.object_id,
            kind=p.kind,
            source=Source.API,
            direction=p.direction,
            published_at=p.published_at,
            parent_platform_id=p.parent_object_id,
            seen_gone=True,
        )
        for p in present
        if p.object_id not in seen
        and (
            reaches is None
            or reaches(
                kind=p.kind,
                published_at=p.published_at,
                walk_started=walk_started,
                oldest_post_seen=oldest_post_seen,
            )
        )
    ]
    with transaction.atomic():
        result = archive.capture(gone)
        if result.removals:
            run.details = {**run.details, REMOVALS: result.removals}
            CaptureRun.objects.filter(pk=run.pk).update(details=run.details)
    if result.removals:
        log.info(
            "sync: %s objects of account %s are gone from the platform",
            result.removals,
            connection.account_id,
        )
    return result.removals


def _read(
    connector: Connector, fetch: Fetch, response: httpx2.Response, *, connection: Connection, run: CaptureRun
) -> Page:
    """Parse one answer. An object that vanished mid-walk (a post whose comments now 404) is
    skipped; the account's own listing gone (no context) is a failure. Direct messages the token
    may not read (the account has not granted it) are left out, and the run says so."""
    try:
        return connector.read(
            fetch, response, account_id=connection.account_id, remote_id=connection.remote_id
        )
    except http.Gone:
        if not fetch.context:
            raise
        log.info("sync: %s is gone, skipped", http.without_token(fetch.url))
        return Page()
    except http.Refused as exc:
        if not fetch.context.get("messages"):
            raise
        run.details = {**run.details, MESSAGES_REFUSED: exc.message[:500]}
        CaptureRun.objects.filter(pk=run.pk).update(details=run.details)
        return Page()


def take_due(now: dt.datetime | None = None) -> list[Account]:
    """The accounts whose sync is due (connected, live, not waiting for reconnection), each moved
    on by its interval so that the scheduler's next tick does not enqueue it again."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Connection.objects.select_for_update()
            .filter(account__status__in=Account.PUBLIC_STATUSES)
            .exclude(status=Connection.Status.NEEDS_RECONNECT)
            .filter(Q(next_sync_at__isnull=True) | Q(next_sync_at__lte=now))
            .select_related("account__platform")
            .order_by("pk")
        )
        for connection in due:
            connection.next_sync_at = now + dt.timedelta(minutes=connection.interval_minutes)
        Connection.objects.bulk_update(due, ["next_sync_at"])
    return [c.account for c in due]
