"""Retention rules, legal holds and disposal runs.

A disposal run removes, under one rule, the items that rule governs and whose time is out, except
anything under a legal hold or selected into an open disclosure request. It is previewed first;
the preview's token names exactly the items it showed, and a confirmation with a stale token is
refused, so nothing is removed that the registrar did not see counted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.archive import disposal as archive_disposal
from sigill.archive import selectors as archive
from sigill.archive.capture import Kind
from sigill.archive.models import Item
from sigill.archive.search import Filters
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.records import selectors
from sigill.records.models import DisposalRecord, HeldItem, LegalHold, RetentionRule
from sigill.registry.models import Account, Platform

audit.describe_acts(
    {
        "records.retention_rule.created": gettext_lazy("Retention rule decided"),
        "records.retention_rule.retired": gettext_lazy("Retention rule retired"),
        "records.hold.placed": gettext_lazy("Legal hold placed"),
        "records.hold.released": gettext_lazy("Legal hold released"),
        "records.disposal.done": gettext_lazy("Records disposed of under a retention rule"),
    }
)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` earlier (the month's last day when it has fewer days)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def create_rule(
    *,
    by: User,
    name: str,
    decision: str,
    account: Account | None = None,
    platform: Platform | None = None,
    kind: str = "",
    keep_months: int | None = None,
    permanent: bool = False,
) -> RetentionRule:
    policy_for(RetentionRule).require(by, "manage")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the rule a name.")
    if not decision.strip():
        errors["decision"] = _("Name the decision the rule rests on.")
    if permanent and keep_months:
        errors["keep_months"] = _("A rule keeps either for a time or permanently, not both.")
    if not permanent and not keep_months:
        errors["keep_months"] = _("Say how long the records are kept, or keep them permanently.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = RetentionRule.objects.create(
            name=name.strip(),
            decision=decision.strip(),
            account=account,
            platform=platform,
            kind=kind,
            keep_months=None if permanent else keep_months,
            permanent=permanent,
            created_by=by,
        )
        audit.record(
            "records.retention_rule.created",
            actor=by,
            target=rule,
            details={
                "decision": rule.decision,
                "account": account.slug if account else None,
                "platform": platform.slug if platform else None,
                "kind": kind,
                "keep_months": rule.keep_months,
                "permanent": permanent,
            },
        )
    return rule


def retire_rule(*, rule: RetentionRule, by: User) -> RetentionRule:
    policy_for(RetentionRule).require(by, "manage", rule)
    with transaction.atomic():
        rule.retired_at, rule.retired_by = timezone.now(), by
        rule.save(update_fields=["retired_at", "retired_by"])
        audit.record("records.retention_rule.retired", actor=by, target=rule)
    return rule


def place_hold(
    *,
    by: User,
    scope: str,
    reason: str,
    account: Account | None = None,
    thread_root: str = "",
    search: dict[str, Any] | None = None,
) -> LegalHold:
    """Hold an account, a thread (its root's platform id) or what a search finds now."""
    policy_for(LegalHold).require(by, "manage")
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Say why the records are held.")
    if scope in (LegalHold.Scope.ACCOUNT, LegalHold.Scope.THREAD) and account is None:
        errors["account"] = _("Choose the account.")
    if scope == LegalHold.Scope.THREAD and not thread_root.strip():
        errors["thread_root"] = _("Give the platform id of the thread's first post.")
    elif (
        scope == LegalHold.Scope.THREAD
        and account is not None
        and not Item.objects.filter(account=account, object_id=thread_root.strip()).exists()
    ):
        errors["thread_root"] = _("The archive holds no post of the account with this platform id.")
    if scope == LegalHold.Scope.SEARCH and not (search or {}).get("text"):
        errors["words"] = _("Give the words to search for.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        archive_disposal.lock()  # never halfway through a disposal (see dispose)
        hold = LegalHold.objects.create(
            scope=scope,
            account=account,
            thread_root=thread_root.strip(),
            search=search or {},
            reason=reason.strip(),
            placed_by=by,
        )
        held = 0
        if scope == LegalHold.Scope.SEARCH:
            filters = Filters(
                text=hold.search["text"], accounts=[account.pk] if account else None, include_secret=True
            )
            ids = archive.all_matching(by, filters=filters, limit=1_000_000)
            HeldItem.objects.bulk_create((HeldItem(hold=hold, item_id=pk) for pk in ids), batch_size=2000)
            held = len(ids)
        audit.record(
            "records.hold.placed",
            actor=by,
            target=hold,
            details={
                "scope": scope,
                "account": account.slug if account else None,
                "thread": hold.thread_root,
                "search": hold.search,
                "items": held,
            },
        )
    return hold


def release_hold(*, hold: LegalHold, reason: str, by: User) -> LegalHold:
    policy_for(LegalHold).require(by, "manage", hold)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the hold is released.")})
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if not hold.is_active:
            raise ValidationError(_("The hold is already released."))
        hold.released_at, hold.released_by, hold.release_reason = timezone.now(), by, reason.strip()
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        audit.record("records.hold.released", actor=by, target=hold, details={"reason": reason.strip()})
    return hold


def governed_by(rule: RetentionRule) -> QuerySet[Item]:
    """The items ``rule`` governs: it covers them and no rule that outranks it does."""
    rules = list(RetentionRule.objects.filter(retired_at__isnull=True))
    return Item.objects.filter(selectors.governed_condition(rule, rules))


def protected_item_ids() -> set[int]:
    """Items nothing may dispose of: under an active hold, or selected into an open request."""
    holds = LegalHold.objects.filter(released_at__isnull=True)
    ids = set(
        Item.objects.filter(
            account_id__in=holds.filter(scope=LegalHold.Scope.ACCOUNT).values("account_id")
        ).values_list("pk", flat=True)
    )
    for account_id, root in holds.filter(scope=LegalHold.Scope.THREAD).values_list(
        "account_id", "thread_root"
    ):
        ids |= archive.thread_item_ids(account_id, root)
    ids |= set(HeldItem.objects.filter(hold__in=holds).values_list("item_id", flat=True))
    ids |= set(selectors.items_under_open_requests().values_list("item_id", flat=True))
    return ids


@dataclass(frozen=True)
class Preview:
    rule: RetentionRule
    published_before: dt.datetime | None
    item_ids: list[int]
    held_back: int
    # How many of the items each account has (account id as text, as in the sealed event's details).
    accounts: dict[str, int] = field(default_factory=dict)

    @property
    def token(self) -> str:
        """Names exactly the items the preview showed: a confirmation must bring it back."""
        content = f"{self.rule.pk}:" + ",".join(map(str, self.item_ids))
        return hashlib.sha256(content.encode()).hexdigest()

    @property
    def record_class(self) -> str:
        kind = str(Kind(self.rule.kind).label) if self.rule.kind else _("Every kind of item")
        where = (
            str(self.rule.account)
            if self.rule.account
            else (self.rule.platform.name if self.rule.platform else _("every account"))
        )
        before = timezone.localtime(self.published_before).date() if self.published_before else "–"
        return _("%(kind)s on %(where)s, published before %(date)s") % {
            "kind": kind,
            "where": where,
            "date": before,
        }


def preview(rule: RetentionRule, *, now: dt.datetime | None = None) -> Preview:
    """What a disposal under ``rule`` would remove now, and how many items it must keep."""
    if rule.permanent or rule.keep_months is None or rule.retired_at is not None:
        return Preview(rule, None, [], 0)
    cutoff = months_before(now or timezone.now(), rule.keep_months)
    due = list(
        governed_by(rule).filter(published_at__lt=cutoff).order_by("pk").values_list("pk", "account_id")
    )
    protected = protected_item_ids() | archive_disposal.referenced_elsewhere([pk for pk, _account in due])
    kept = [(pk, account_id) for pk, account_id in due if pk not in protected]
    accounts = Counter(str(account_id) for _pk, account_id in kept)
    return Preview(
        rule, cutoff, [pk for pk, _account in kept], len(due) - len(kept), dict(sorted(accounts.items()))
    )


def dispose(*, rule: RetentionRule, token: str, by: User, now: dt.datetime | None = None) -> DisposalRecord:
    """Remove what the preview with ``token`` showed, keep a disposal record, extend the chain."""
    policy_for(RetentionRule).require(by, "dispose", rule)
    with transaction.atomic():
        # The chain lock first: a hold placed or a record selected into a request meanwhile waits
        # until this disposal commits, so nothing held or requested can slip between preview and delete.
        archive_disposal.lock()
        rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
        planned = preview(rule, now=now)
        if not planned.item_ids:
            raise ValidationError(_("Nothing is due for disposal under this rule."))
        if token != planned.token:
            raise ValidationError(_("What is due changed since the preview. Look at the preview again."))
        published_before = planned.published_before or timezone.now()
        record_class = planned.record_class
        done = archive_disposal.dispose(
            item_ids=planned.item_ids,
            by=by,
            details={
                "rule": rule.name,
                "rule_id": rule.pk,
                "decision": rule.decision,
                "class": record_class,
                "published_before": published_before.isoformat(),
                "accounts": planned.accounts,
            },
        )
        record = DisposalRecord.objects.create(
            rule=rule,
            record_class=record_class,
            decision=rule.decision,
            published_before=published_before,
            items=done.items,
            versions=done.versions,
            attachments=done.attachments,
            held_back=planned.held_back,
            event=done.event,
            by=by,
        )
        audit.record(
            "records.disposal.done",
            actor=by,
            target=rule,
            details={
                "class": record_class,
                "items": done.items,
                "versions": done.versions,
                "files": done.attachments,
                "held_back": planned.held_back,
                "archive_event": done.event.pk,
            },
        )
    return record
