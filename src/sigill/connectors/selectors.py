"""Reads of the capture state, narrowed to the accounts the reader may see.

Coverage answers "for which periods may records be missing?": a gap opens when a run fails (the
token expired, the platform was out, the sync broke) and closes when a later run of the same path
succeeds; an account without an API connection has only what exports and manual capture gave.
A gap longer than the account's moderation time target is flagged (:func:`long_gaps`).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import reduce
from importlib import import_module, util
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from sigill.archive.capture import Source
from sigill.archive.models import ItemVersion
from sigill.connectors.base import has_connector
from sigill.connectors.base import platform_login_set_up as platform_login_set_up
from sigill.connectors.exports.formats import FORMATS
from sigill.connectors.models import CaptureRun, Connection, Outgoing, WebhookNoise
from sigill.connectors.policies import importable_accounts, visible_accounts
from sigill.connectors.publish.base import Abilities, abilities_of
from sigill.moderation import selectors as moderation_selectors
from sigill.moderation.platform_acts import BLOCK, DELETE, HIDE, actor_for
from sigill.organisation.people import User
from sigill.registry.models import Account

GAP_STATES = (Connection.Status.FAILING, Connection.Status.NEEDS_RECONNECT)


def accounts_for(user: User) -> QuerySet[Account]:
    """Every account ``user`` sees, with its connection (if any), for the overview."""
    return (
        visible_accounts(user)
        .exclude(status=Account.Status.CLOSED)
        .select_related("platform", "connection", "unit")
        .order_by("display_name", "platform__position")
    )


def account_for(user: User, *, slug: str) -> Account:
    return get_object_or_404(visible_accounts(user).select_related("platform", "unit"), slug=slug)


def connection_of(account: Account) -> Connection | None:
    return Connection.objects.filter(account=account).first()


def import_targets(user: User) -> QuerySet[Account]:
    return importable_accounts(user).exclude(status=Account.Status.CLOSED).select_related("platform")


def run_for(user: User, *, pk: Any) -> CaptureRun:
    return get_object_or_404(
        CaptureRun.objects.filter(account__in=visible_accounts(user)).select_related("account__platform"),
        pk=pk,
    )


# A sync run's note (in its details) that the platform refused to show the account's direct
# messages, and why: the token lacks that access. Written by ``connectors.sync``.
MESSAGES_REFUSED = "messages_refused"


def messages_refused(runs: list[CaptureRun]) -> str:
    """Why the newest completed API sync among ``runs`` (newest first) could not read the account's
    direct messages; "" when it could, or none completed."""
    newest = next(
        (r for r in runs if r.path == Source.API and r.outcome == CaptureRun.Outcome.SUCCEEDED), None
    )
    return str(newest.details.get(MESSAGES_REFUSED, "")) if newest is not None else ""


# The cause of a gap in an account without a working API sync: nothing was captured by any path
# (export, manual capture) after its last capture.
NOTHING_CAPTURED = "nothing_captured"


def gap_reason_label(reason: str) -> str:
    if reason == NOTHING_CAPTURED:
        return gettext("Nothing captured")
    return str(CaptureRun.Outcome(reason).label)


@dataclass(frozen=True)
class Gap:
    """A period in which capture by ``path`` failed, so records may be missing; ``path`` is empty
    (and ``reason`` :data:`NOTHING_CAPTURED`) where no path captured anything."""

    start: dt.datetime
    end: dt.datetime | None  # None: still open
    path: str
    reason: str
    error: str

    @property
    def duration(self) -> dt.timedelta:
        return (self.end or timezone.now()) - self.start

    @property
    def reason_label(self) -> str:
        return gap_reason_label(self.reason)

    @property
    def path_label(self) -> str:
        return str(Source(self.path).label) if self.path else ""


@dataclass(frozen=True)
class PathSummary:
    path: str
    runs: int
    succeeded: int
    items: int
    last_success: dt.datetime | None

    @property
    def label(self) -> str:
        return str(Source(self.path).label)


@dataclass
class Coverage:
    since: dt.datetime
    until: dt.datetime
    paths: list[PathSummary] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    runs: list[CaptureRun] = field(default_factory=list)
    # The last version captured by each source (API, webhook, export, manual), from the archive.
    last_capture: list[tuple[str, dt.datetime]] = field(default_factory=list)
    last_capture_at: dt.datetime | None = None

    def uncovered(self, *, since: dt.datetime, until: dt.datetime) -> dt.timedelta:
        """How much of [since, until) lies in a gap (gaps that overlap counted once)."""
        since, until = since.astimezone(dt.UTC), until.astimezone(dt.UTC)  # summer time counts
        spans = sorted(
            (max(gap.start, since), min(gap.end or until, until))
            for gap in self.gaps
            if gap.start < until and (gap.end is None or gap.end > since)
        )
        total = dt.timedelta(0)
        reached = since
        for start, end in spans:
            start = max(start, reached)
            if end > start:
                total += end - start
                reached = end
        return total


def coverage(account: Account, *, since: dt.datetime, until: dt.datetime) -> Coverage:
    """How ``account`` was captured between ``since`` and ``until``, and every gap."""
    return coverage_of_many([account], since=since, until=until)[account.pk]


def coverage_of_many(
    accounts: Collection[Account], *, since: dt.datetime, until: dt.datetime
) -> dict[int, Coverage]:
    """:func:`coverage` of each of ``accounts``, by account id, in a fixed number of queries.

    An account with an API connection that has run is covered except in the gaps its runs
    left. One without (an export-only platform, or never synced) is covered up to its last capture
    or successful run by any path, and has a gap (:data:`NOTHING_CAPTURED`) from then on, as
    :func:`long_gaps` counts it.
    """
    ids = [account.pk for account in accounts]
    runs: dict[int, list[CaptureRun]] = defaultdict(list)
    for run in CaptureRun.objects.filter(
        account_id__in=ids, started_at__gte=since, started_at__lt=until
    ).order_by("started_at"):
        runs[run.account_id].append(run)
    before = _last_runs_before(ids, since)
    connected = set(Connection.objects.filter(account_id__in=ids).values_list("account_id", flat=True))
    captured: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for account_id, source, last in (
        ItemVersion.objects.filter(item__account_id__in=ids, captured_at__lt=until)
        .values("item__account_id", "source")
        .annotate(last=Max("captured_at"))
        .values_list("item__account_id", "source", "last")
        .order_by("item__account_id", "source")
    ):
        captured[account_id].append((source, last))
    return {
        pk: _coverage(
            since=since,
            until=until,
            runs=runs[pk],
            before=before[pk],
            captured=captured[pk],
            synced=pk in connected
            and (any(r.path == Source.API for r in runs[pk]) or Source.API in before[pk]),
        )
        for pk in ids
    }


def _last_runs_before(ids: list[int], since: dt.datetime) -> dict[int, dict[str, CaptureRun]]:
    """The last finished run of each account's each path before ``since``: a gap it left open
    counts from the period's start."""
    settled = CaptureRun.objects.filter(account_id__in=ids, started_at__lt=since).exclude(
        outcome__in=[CaptureRun.Outcome.RUNNING, CaptureRun.Outcome.PAUSED]
    )
    lasts = settled.values("account_id", "path").annotate(last=Max("started_at")).order_by()
    found: dict[int, dict[str, CaptureRun]] = defaultdict(dict)
    wanted = [Q(account_id=row["account_id"], path=row["path"], started_at=row["last"]) for row in lasts]
    if wanted:
        for run in settled.filter(reduce(operator.or_, wanted)).order_by("started_at"):
            found[run.account_id][run.path] = run
    return found


def _coverage(
    *,
    since: dt.datetime,
    until: dt.datetime,
    runs: list[CaptureRun],
    before: dict[str, CaptureRun],
    captured: list[tuple[str, dt.datetime]],
    synced: bool,
) -> Coverage:
    report = Coverage(since=since, until=until, runs=list(reversed(runs)))
    for path in sorted({r.path for r in runs} | set(before)):
        mine = [r for r in runs if r.path == path]
        report.gaps += _gaps(path, before.get(path), mine, since)
        done = [r for r in mine if r.outcome == CaptureRun.Outcome.SUCCEEDED]
        if mine:
            report.paths.append(
                PathSummary(
                    path=path,
                    runs=len(mine),
                    succeeded=len(done),
                    items=sum(r.items for r in mine),
                    last_success=max((r.finished_at for r in done if r.finished_at), default=None),
                )
            )
    report.last_capture = [(str(Source(source).label), last) for source, last in captured]
    report.last_capture_at = max((last for _, last in captured), default=None)
    if not synced:
        # An export imported or a manual capture made covers what came before it, new or not.
        succeeded = (
            r.finished_at for r in runs if r.outcome == CaptureRun.Outcome.SUCCEEDED and r.finished_at
        )
        last = max([*succeeded, *([report.last_capture_at] if report.last_capture_at else [])], default=since)
        start = max(last, since)
        if start < until:
            report.gaps.append(Gap(start=start, end=None, path="", reason=NOTHING_CAPTURED, error=""))
    report.gaps.sort(key=lambda g: g.start)
    return report


def _gaps(path: str, before: CaptureRun | None, runs: list[CaptureRun], since: dt.datetime) -> list[Gap]:
    gaps: list[Gap] = []
    open_gap: Gap | None = None
    if before is not None and before.leaves_gap:
        open_gap = Gap(start=since, end=None, path=path, reason=before.outcome, error=before.error)
    for run in runs:
        if run.leaves_gap and open_gap is None:
            open_gap = Gap(start=run.started_at, end=None, path=path, reason=run.outcome, error=run.error)
        elif run.outcome == CaptureRun.Outcome.SUCCEEDED and open_gap is not None:
            gaps.append(
                Gap(open_gap.start, run.finished_at or run.started_at, path, open_gap.reason, open_gap.error)
            )
            open_gap = None
    if open_gap is not None:
        gaps.append(open_gap)
    return gaps


def items_by_path(account: Account) -> dict[str, int]:
    """How many archived versions each source captured for ``account``."""
    return dict(
        ItemVersion.objects.filter(item__account=account)
        .values("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )


@dataclass(frozen=True)
class LongGap:
    """A live account that may be missing records for longer than its moderation time target: a
    comment not captured cannot be moderated in time.

    With an API connection, the gap is the time its syncs have failed; without one (an
    export-only platform, or not connected yet), the time since anything was last captured by any
    path, or since the account went live when nothing ever was.
    """

    account: Account
    since: dt.datetime
    target_hours: int
    connection: Connection | None
    last_capture: dt.datetime | None = None


def broken_connections(accounts: QuerySet[Account]) -> QuerySet[Connection]:
    """The connections of the live ones of ``accounts`` that fail or need reconnecting, oldest first."""
    return (
        Connection.objects.filter(
            account__in=accounts.filter(status__in=Account.PUBLIC_STATUSES), status__in=GAP_STATES
        )
        .select_related("account")
        .order_by("status_changed_at", "pk")
    )


def long_gaps(accounts: QuerySet[Account], *, now: dt.datetime | None = None) -> list[LongGap]:
    """The live ones of ``accounts`` with a gap longer than each one's moderation time target.

    The target is counted in clock hours, weekends included: a gap is rather flagged early than late.
    """
    now = now or timezone.now()
    live = list(
        accounts.filter(status__in=Account.PUBLIC_STATUSES)
        .select_related("platform", "connection")
        .order_by("display_name", "pk")
    )
    targets = moderation_selectors.time_targets([a.pk for a in live])
    unconnected = [a.pk for a in live if _connection(a) is None]
    last_captures = dict(
        ItemVersion.objects.filter(item__account_id__in=unconnected)
        .values("item__account_id")
        .annotate(last=Max("captured_at"))
        .values_list("item__account_id", "last")
    )
    # A successful export import (or manual capture run) counts as a capture, new items or not.
    for account_id, last in (
        CaptureRun.objects.filter(account_id__in=unconnected, outcome=CaptureRun.Outcome.SUCCEEDED)
        .values("account_id")
        .annotate(last=Max("finished_at"))
        .values_list("account_id", "last")
    ):
        if last is not None and (account_id not in last_captures or last > last_captures[account_id]):
            last_captures[account_id] = last
    gaps = []
    for account in live:
        hours = targets[account.pk].hours
        connection = _connection(account)
        if connection is not None:
            since = connection.status_changed_at if connection.status in GAP_STATES else None
            last = None
        else:
            last = last_captures.get(account.pk)
            since = last or account.activated_at or account.created_at
        if since is not None and since <= now - dt.timedelta(hours=hours):
            gaps.append(LongGap(account, since, hours, connection, last))
    return gaps


def _connection(account: Account) -> Connection | None:
    try:
        return account.connection
    except Connection.DoesNotExist:
        return None


# --- What the code can do, per platform (held against the catalogue's claims) --------------------


def capture_paths(platform_slug: str) -> list[str]:
    """The paths by which Sigill's code can capture a platform: an API sync where a connector is
    registered, webhooks where its module reads them, an export import where a reader knows the
    platform's export, and manual capture everywhere. Where a platform's connector reads direct
    messages, its catalogue entry says so (``captures_messages_by_api``); the exports that hold
    messages are ``formats.MESSAGE_EXPORTS``."""
    paths = []
    if has_connector(platform_slug):
        paths.append(Source.API)
        module_name = f"sigill.connectors.platforms.{platform_slug}"
        if util.find_spec(module_name) and hasattr(import_module(module_name), "webhook_captures"):
            paths.append(Source.WEBHOOK)
    if FORMATS.get(platform_slug):
        paths.append(Source.EXPORT)
    paths.append(Source.MANUAL)
    return [str(path) for path in paths]


def api_acts(platform_slug: str) -> list[str]:
    """The moderation acts Sigill's code carries out on a platform through its API (unhide aside)."""
    actor = actor_for(platform_slug)
    return [act for act in (HIDE, DELETE, BLOCK) if actor is not None and actor.can(act)]


# --- Publishing: what each platform allows, and how the outbox's posts stand ----------------------


def publish_abilities(platform_slug: str) -> Abilities:
    """What Sigill can publish on ``platform_slug`` through its API (``"post"``, ``"image"``,
    ``"video"``, ``"first_comment"``, ``"reply"``), with ``max_text``, ``max_images`` and a ``note``
    on what it cannot do; empty for a platform without a publisher."""
    return abilities_of(platform_slug)


def outgoing_by_keys(keys: Collection[str]) -> dict[str, Outgoing]:
    """The outbox's rows for the caller's keys (state, platform address, attempts, last error,
    published time, the archived item), by key; a key never queued is absent."""
    return {o.key: o for o in Outgoing.objects.filter(key__in=list(keys)).select_related("account__platform")}


@dataclass(frozen=True)
class RefusedWebhooks:
    platform: str
    reason: str
    count: int


def refused_webhook_requests(*, hours: int = 24) -> list[RefusedWebhooks]:
    """The webhook noise metric: requests refused for their signature in the last ``hours``, by
    platform and reason, the most first (counted by the hour, never stored one by one)."""
    since = timezone.now() - dt.timedelta(hours=hours)
    rows = (
        WebhookNoise.objects.filter(hour__gte=since.replace(minute=0, second=0, microsecond=0))
        .values("platform", "reason")
        .annotate(total=Sum("count"))
        .order_by("-total", "platform", "reason")
    )
    return [RefusedWebhooks(row["platform"], row["reason"], row["total"]) for row in rows]
