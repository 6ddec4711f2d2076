"""Reads of the capture state, narrowed to the accounts the reader may see.

Coverage answers "for which periods may records be missing?": a gap opens when a run fails (the
token expired, the platform was out, the sync broke) and closes when a later run of the same path
succeeds; an account without an API connection has only what exports and manual capture gave.
A gap longer than the account's moderation time target is flagged (:func:`long_gaps`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sigill.archive.capture import Source
from sigill.archive.models import ItemVersion
from sigill.connectors.models import CaptureRun, Connection
from sigill.connectors.policies import importable_accounts, visible_accounts
from sigill.moderation import selectors as moderation_selectors
from sigill.registry.models import Account

GAP_STATES = (Connection.Status.FAILING, Connection.Status.NEEDS_RECONNECT)


def accounts_for(user: Any) -> QuerySet[Account]:
    """Every account ``user`` sees, with its connection (if any), for the overview."""
    return (
        visible_accounts(user)
        .exclude(status=Account.Status.CLOSED)
        .select_related("platform", "connection", "unit")
        .order_by("display_name", "platform__position")
    )


def account_for(user: Any, *, slug: str) -> Account:
    return get_object_or_404(visible_accounts(user).select_related("platform", "unit"), slug=slug)


def connection_of(account: Account) -> Connection | None:
    return Connection.objects.filter(account=account).first()


def import_targets(user: Any) -> QuerySet[Account]:
    return importable_accounts(user).exclude(status=Account.Status.CLOSED).select_related("platform")


def run_for(user: Any, *, pk: Any) -> CaptureRun:
    return get_object_or_404(
        CaptureRun.objects.filter(account__in=visible_accounts(user)).select_related("account__platform"),
        pk=pk,
    )


@dataclass(frozen=True)
class Gap:
    """A period in which capture by ``path`` failed, so records may be missing."""

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
        return str(CaptureRun.Outcome(self.reason).label)

    @property
    def path_label(self) -> str:
        return str(Source(self.path).label)


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


def coverage(account: Account, *, since: dt.datetime, until: dt.datetime) -> Coverage:
    """How ``account`` was captured between ``since`` and ``until``, and every gap."""
    report = Coverage(since=since, until=until)
    # A gap that opened before the period and is still open counts from the period's start.
    earlier = (
        CaptureRun.objects.filter(account=account, started_at__lt=since)
        .exclude(outcome__in=[CaptureRun.Outcome.RUNNING, CaptureRun.Outcome.PAUSED])
        .order_by("path", "-started_at")
    )
    runs = list(
        CaptureRun.objects.filter(account=account, started_at__gte=since, started_at__lt=until).order_by(
            "started_at"
        )
    )
    report.runs = list(reversed(runs))
    for path in sorted({r.path for r in runs} | set(earlier.values_list("path", flat=True).distinct())):
        before = earlier.filter(path=path).first()
        mine = [r for r in runs if r.path == path]
        report.gaps += _gaps(path, before, mine, since)
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
    report.gaps.sort(key=lambda g: g.start)
    report.last_capture = [
        (str(Source(source).label), last)
        for source, last in ItemVersion.objects.filter(item__account=account, captured_at__lt=until)
        .values("source")
        .annotate(last=Max("captured_at"))
        .values_list("source", "last")
        .order_by("source")
    ]
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
