"""Reads of the records, already narrowed to what the reader may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sigill.archive import selectors as archive
from sigill.archive.capture import Kind, Source
from sigill.archive.models import Item
from sigill.archive.search import Filters
from sigill.connectors.models import CaptureRun
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.records.models import (
    AccountClosure,
    DisclosureRequest,
    DisposalRecord,
    LegalHold,
    RequestedRecord,
    RetentionRule,
)
from sigill.registry.models import Account


def requests_for(user: User) -> QuerySet[DisclosureRequest]:
    return policy_for(DisclosureRequest).queryset(user, "view")


def requests_by_age(user: User, *, state: str = "") -> QuerySet[DisclosureRequest]:
    """Requests oldest first (the law asks for prompt handling), with their review counts."""
    requests = requests_for(user).select_related("registered_by")
    if state:
        requests = requests.filter(state=state)
    return requests.annotate(
        record_count=Count("records"),
        pending_count=Count("records", filter=Q(records__decision=RequestedRecord.Decision.PENDING)),
    ).order_by("received_at", "id")


def open_requests(user: User) -> QuerySet[DisclosureRequest]:
    return requests_for(user).filter(state=DisclosureRequest.State.OPEN)


def requests_older_than(user: User, *, days: int) -> QuerySet[DisclosureRequest]:
    cutoff = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days), dt.time.min)
    )
    return open_requests(user).filter(received_at__lt=cutoff)


def request_for(user: User, *, pk: int) -> DisclosureRequest:
    return get_object_or_404(requests_for(user).select_related("registered_by", "decided_by"), pk=pk)


def records_of(request: DisclosureRequest) -> QuerySet[RequestedRecord]:
    return (
        request.records.select_related("item", "item__account", "item__platform", "reviewed_by")
        .prefetch_related("redactions")
        .order_by("item__published_at", "id")
    )


def record_for(user: User, *, request_pk: int, pk: int) -> RequestedRecord:
    return get_object_or_404(
        RequestedRecord.objects.select_related("request", "item"), request__in=requests_for(user), pk=pk,
        request_id=request_pk,
    )  # fmt: skip


# The most items one "select everything about the person" selects; beyond it the registrar is told.
PERSON_LIMIT = 10_000


def items_about_person(user: User, *, name: str, limit: int | None = None) -> tuple[list[int], bool]:
    """The ids of every item ``name`` wrote or is named in that ``user`` may see, newest first, at
    most ``limit``; and whether more were found than that. An empty name finds nothing (an empty
    search would find the whole archive)."""
    if not name.strip():
        return [], False
    limit = PERSON_LIMIT if limit is None else limit
    found = dict.fromkeys(archive.all_matching(user, filters=Filters(author=name), limit=limit + 1))
    found.update(dict.fromkeys(archive.all_matching(user, filters=Filters(text=name), limit=limit + 1)))
    ids = list(found)
    return ids[:limit], len(ids) > limit


def items_under_open_requests() -> QuerySet[RequestedRecord]:
    """What retention must never dispose of: items selected into a request still being prepared."""
    return RequestedRecord.objects.filter(request__state=DisclosureRequest.State.OPEN, item__isnull=False)


def rules_for(user: User) -> QuerySet[RetentionRule]:
    return (
        policy_for(RetentionRule).queryset(user, "view").select_related("account", "platform", "created_by")
    )


def rule_for(user: User, *, pk: int) -> RetentionRule:
    return get_object_or_404(rules_for(user), pk=pk)


def holds_for(user: User) -> QuerySet[LegalHold]:
    return (
        policy_for(LegalHold)
        .queryset(user, "view")
        .select_related("account", "placed_by", "released_by")
        .annotate(item_count=Count("items"))
    )


def hold_for(user: User, *, pk: int) -> LegalHold:
    return get_object_or_404(holds_for(user), pk=pk)


def disposals_for(user: User) -> QuerySet[DisposalRecord]:
    return policy_for(DisposalRecord).queryset(user, "view").select_related("rule", "by", "event")


def sample_items(item_ids: list[int], limit: int = 20) -> list[Any]:
    """A few of the items a disposal would remove, for the preview (oldest first)."""
    return list(
        Item.objects.filter(pk__in=item_ids[:limit])
        .select_related("account", "platform")
        .order_by("published_at")
    )


def closures_for(user: User) -> QuerySet[AccountClosure]:
    return (
        policy_for(AccountClosure)
        .queryset(user, "view")
        .select_related("account", "account__platform", "started_by", "closed_by")
    )


def closure_for(user: User, *, pk: int) -> AccountClosure:
    return get_object_or_404(closures_for(user), pk=pk)


def last_full_capture_at(account_id: int, *, since: dt.datetime) -> dt.datetime | None:
    """When the newest complete capture of the account since ``since`` finished: a sync through
    the platform's API or an export file imported, run to the end."""
    runs = CaptureRun.objects.filter(
        account_id=account_id,
        path__in=[Source.API, Source.EXPORT],
        outcome=CaptureRun.Outcome.SUCCEEDED,
        started_at__gte=since,
        finished_at__isnull=False,
    )
    last: dt.datetime | None = runs.aggregate(last=Max("finished_at"))["last"]
    return last


def last_snapshot_at(account_id: int, *, since: dt.datetime) -> dt.datetime | None:
    """When the newest rendered snapshot of the account's profile since ``since`` was taken."""
    snapshots = Item.objects.filter(
        account_id=account_id, kind=Kind.PROFILE, source=Source.SNAPSHOT, published_at__gte=since
    )
    last: dt.datetime | None = snapshots.aggregate(last=Max("published_at"))["last"]
    return last


# Retention: which rule governs which item, read in Python (one item in hand) or as a filter.


def rule_governing(item: Item, rules: list[RetentionRule]) -> RetentionRule | None:
    """Which of ``rules`` (the active ones) governs ``item``: the highest ranked that covers it."""
    return max((rule for rule in rules if rule.covers_item(item)), key=lambda rule: rule.rank, default=None)


def _condition(rule: RetentionRule) -> Q:
    """What ``rule`` covers, never the empty Q (which Django reads as "no condition" even negated)."""
    return rule.covers() or Q(pk__isnull=False)


def governed_condition(rule: RetentionRule, rules: list[RetentionRule]) -> Q:
    """The items ``rule`` governs, as a filter: it covers them and none of ``rules`` outranking it does."""
    outranking = [_condition(other) for other in rules if other.pk != rule.pk and other.rank > rule.rank]
    condition = _condition(rule)
    for other in outranking:
        condition &= ~other
    return condition


def kept_condition() -> Q:
    """The items kept for good, as one filter: governed by a permanent rule, or by no rule at all
    (nothing may be disposed of without a decision). A term per active rule; no list of ids goes
    through Python, so memory stays flat and SQLite's limit on query variables is never reached."""
    rules = list(RetentionRule.objects.filter(retired_at__isnull=True))
    condition = Q(pk__isnull=False)
    for rule in rules:
        if not rule.permanent:
            condition &= ~governed_condition(rule, rules)
    return condition


def records_to_keep(account: Account) -> QuerySet[Item]:
    """``account``'s items that are kept for good (see :func:`kept_condition`)."""
    return Item.objects.filter(kept_condition(), account=account)


def redactions_of(items: QuerySet[Item]) -> Iterator[tuple[str, dt.datetime, str, list[str]]]:
    """PREMIS events for disclosed copies of ``items`` made with redactions."""
    records = RequestedRecord.objects.filter(item__in=items, decision=RequestedRecord.Decision.REDACT)
    for record in records.select_related("request").prefetch_related("redactions"):
        provisions = sorted({r.provision for r in record.redactions.all()})
        detail = f"Disclosed with redactions ({'; '.join(provisions)}) in {record.request}"
        yield (
            f"redaction-{record.pk}",
            record.reviewed_at or record.added_at,
            detail,
            [f"item-{record.item_id}"],
        )


def disposals_of(account: Account) -> Iterator[tuple[str, dt.datetime, str]]:
    """PREMIS events for the disposals that removed records of ``account``: those under a rule for
    the account, and those under a rule over many accounts that removed some of its items."""
    records = DisposalRecord.objects.filter(Q(rule__account=account) | Q(rule__account__isnull=True))
    for record in records.select_related("rule", "event").order_by("at"):
        if record.rule.account_id is None:
            # A rule over many accounts: only a disposal that removed this account's items counts.
            removed = (record.event.details or {}).get("accounts", {}).get(str(account.pk), 0)
            if not removed:
                continue
        detail = f"Disposed of under {record.rule.name} ({record.decision}): {record.items} items, {record.record_class}"
        yield f"disposal-{record.pk}", record.at, detail
