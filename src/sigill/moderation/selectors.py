"""Reads of the moderation queue, already narrowed to what the reader may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from sigill.archive import selectors as archive_selectors
from sigill.compliance.models import CommentReport
from sigill.compliance.selectors import open_reports_for
from sigill.core.policies import policy_for
from sigill.moderation import engine, platform_acts
from sigill.moderation.models import (
    Case,
    CaseFinding,
    Decision,
    FindingFeedback,
    Registration,
    Severity,
    SupervisionVisit,
    TimeTarget,
    in_queue_order,
)
from sigill.moderation.policies import decidable_accounts
from sigill.moderation.templatetags import moderation as finding_names
from sigill.organisation.people import User
from sigill.registry.models import Account


def cases_for(user: User) -> QuerySet[Case]:
    return policy_for(Case).queryset(user, "view")


def case_for(user: User, *, pk: int) -> Case:
    cases = cases_for(user).select_related("item", "account", "account__platform", "first_looked_by")
    return get_object_or_404(cases, pk=pk)


def normalised_url(url: str) -> str:
    """A comment's address as residents paste it and connectors store it: no scheme, "www.",
    fragment or trailing slash, so that the two can be matched."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def reports_by_case(cases: QuerySet[Case], reports: list[CommentReport]) -> dict[int, list[CommentReport]]:
    """Residents' open reports matched to the cases of the comments they point at."""
    wanted: dict[tuple[int, str], list[CommentReport]] = defaultdict(list)
    for report in reports:
        wanted[(report.account_id, normalised_url(report.comment_url))].append(report)
    if not wanted:
        return {}
    candidates = cases.filter(account_id__in={account for account, _url in wanted}).exclude(item__url="")
    matched: dict[int, list[CommentReport]] = {}
    for case_id, account_id, url in candidates.values_list("pk", "account_id", "item__url"):
        if found := wanted.get((account_id, normalised_url(url))):
            matched[case_id] = found
    return matched


@dataclass
class Queue:
    """The queue as a moderator sees it: reports first, then flagged cases by severity and time."""

    cases: Sequence[Case]
    reports: dict[int, list[CommentReport]]
    unmatched_reports: list[CommentReport]
    total: int


@dataclass(frozen=True)
class QueueFilters:
    account: Account | None = None
    state: str = Case.State.OPEN
    flagged_only: bool = False


QUEUE_LIMIT = 200


def queue_for(user: User, filters: QueueFilters) -> Queue:
    cases = cases_for(user).filter(state=filters.state)
    accounts = policy_for(Account).queryset(user, "view")
    if filters.account is not None:
        cases = cases.filter(account=filters.account)
    if filters.flagged_only:
        cases = cases.filter(severity__gt=Severity.NONE)
    open_reports = list(open_reports_for(accounts if filters.account is None else [filters.account]))
    reports = reports_by_case(cases, open_reports)
    matched = {report.pk for found in reports.values() for report in found}
    ordered = in_queue_order(
        cases.select_related("item", "account", "account__platform"), reported=reports, state=filters.state
    )
    page = list(ordered[:QUEUE_LIMIT])
    texts = archive_selectors.current_texts([case.item_id for case in page])
    types = _finding_types(page)
    for case in page:
        case.text = texts.get(case.item_id, "")  # type: ignore[attr-defined]
        case.finding_types = types.get(case.pk, [])  # type: ignore[attr-defined]
    unmatched = [report for report in open_reports if report.pk not in matched]
    return Queue(page, reports, unmatched, ordered.count())


def in_queue_order_for(user: User, cases: QuerySet[Case], *, state: str | None) -> QuerySet[Case]:
    """``cases`` in the queue's order (:func:`~sigill.moderation.models.in_queue_order`), with the
    open reports of the accounts ``user`` sees put first: what the page, its "next" link and the
    API all list by."""
    reports = reports_by_case(cases, list(open_reports_for(policy_for(Account).queryset(user, "view"))))
    return in_queue_order(cases, reported=reports, state=state)


def next_in_queue(user: User, *, after: Case) -> Case | None:
    """The open case that comes first in ``user``'s queue, other than ``after``."""
    cases = cases_for(user).filter(state=Case.State.OPEN).exclude(pk=after.pk)
    return in_queue_order_for(user, cases, state=Case.State.OPEN).first()


def _finding_types(cases: Sequence[Case]) -> dict[int, list[str]]:
    """The distinct finding types of each case's screened version, most severe first."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = CaseFinding.objects.filter(case__in=cases).values_list("case_id", "version", "type")
    screened = {case.pk: case.screened_version for case in cases}
    for case_id, version, kind in rows.order_by("case_id", "start"):
        if version == screened[case_id] and kind not in found[case_id]:
            found[case_id].append(kind)
    return found


def finding_label(kind: str) -> str:
    """A finding's name as moderators read it, in the active language (alerts name findings too)."""
    return str(finding_names.finding_label(kind))


def findings_of(case: Case) -> QuerySet[CaseFinding]:
    return (
        case.findings.filter(version=case.screened_version).select_related("feedback").order_by("start", "id")
    )


@dataclass(frozen=True)
class Segment:
    text: str
    finding: CaseFinding | None = None


def highlighted(text: str, findings: list[CaseFinding]) -> list[Segment]:
    """``text`` cut into plain and found parts, for marking findings up (escaped by the template)."""
    segments: list[Segment] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if finding.start < position or finding.end > len(text):
            continue  # overlapping or out of range: shown in the list of findings only
        if finding.start > position:
            segments.append(Segment(text[position : finding.start]))
        segments.append(Segment(text[finding.start : finding.end], finding))
        position = finding.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


@dataclass(frozen=True)
class PlatformFacts:
    """What the case page says about acting on a platform before the moderator chooses."""

    platform: str
    through_api: frozenset[str]
    hide_is_final: bool
    notes: str

    def hint(self, act: str) -> str:
        """One sentence for the act's choice: who carries it out, and whether it can be undone."""
        if act not in platform_acts.ACTS:
            return ""
        values = {"platform": self.platform}
        if act in self.through_api:
            hint = (
                gettext("Sigill does it through %(platform)s's API once the saved copy is verified.") % values
            )
        else:
            hint = (
                gettext("%(platform)s's API cannot do this: you do it on the platform, then confirm it here.")
                % values
            )
        if act == platform_acts.DELETE:
            hint += " " + gettext("Cannot be undone.")
        elif act == platform_acts.HIDE and self.hide_is_final:
            hint += (
                " " + gettext("Cannot be undone: %(platform)s never shows a hidden comment again.") % values
            )
        return hint


def platform_facts(case: Case) -> PlatformFacts:
    """From the platform catalogue: which acts Sigill does through the API, and which are final."""
    platform = case.item.platform
    catalogue = platform.moderation_acts
    return PlatformFacts(
        platform=platform.name,
        through_api=frozenset(
            act
            for act in platform_acts.ACTS
            if platform_acts.through_api(
                platform.slug, act, catalogue_acts=catalogue, hide_is_final=platform.hide_is_final
            )
        ),
        hide_is_final=platform.hide_is_final,
        notes=platform.notes,
    )


def unlawful_rules_of(case: Case) -> list[str]:
    """The rules of law 1998:112 5 § the findings in the case's screened version fall under."""
    return [
        str(rule) for rule in engine.unlawful_rules(list(findings_of(case).values_list("type", flat=True)))
    ]


def suggested_reason(case: Case) -> str:
    """The comment rule the case's most severe finding points to: the reason offered to remove."""
    rules = engine.rules_of(list(findings_of(case).values_list("type", flat=True)))
    return str(rules[0]) if rules else ""


def decision_of(case: Case) -> Decision | None:
    return case.decisions.filter(round=case.round).select_related("decided_by").first()


def decisions_of(case: Case) -> QuerySet[Decision]:
    return case.decisions.select_related("decided_by").prefetch_related("platform_acts").order_by("round")


def open_reports_on(case: Case) -> list[CommentReport]:
    return reports_by_case(Case.objects.filter(pk=case.pk), list(open_reports_for([case.account]))).get(
        case.pk, []
    )


def time_target(account: Account) -> TimeTarget:
    """The account's target, or the default one until comms sets it."""
    return TimeTarget.objects.filter(account=account).first() or TimeTarget(
        account=account, hours=settings.MODERATION_DEFAULT_HOURS, weekends_count=False
    )


def overdue_for(user: User, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Open cases past their time target, among those ``user`` may decide."""
    return Case.objects.filter(
        state=Case.State.OPEN, due_at__lt=now or timezone.now(), account__in=decidable_accounts(user)
    )


def overdue_cases(now: dt.datetime | None = None) -> QuerySet[Case]:
    """Every open case past its time target (for the system's alerts, not filtered by a user)."""
    return Case.objects.filter(state=Case.State.OPEN, due_at__lt=now or timezone.now()).select_related(
        "account"
    )


def current_finding_types(case: Case) -> frozenset[str]:
    """The kinds of finding in the case's screened version."""
    return frozenset(
        CaseFinding.objects.filter(case=case, version=case.screened_version).values_list("type", flat=True)
    )


def open_for(user: User) -> QuerySet[Case]:
    return Case.objects.filter(state=Case.State.OPEN, account__in=decidable_accounts(user))


def awaiting_registration(user: User) -> QuerySet[Decision]:
    """Decisions saying the record must be registered, not registered yet."""
    if not policy_for(Registration).can(user, "view"):
        return Decision.objects.none()
    return (
        Decision.objects.filter(act__in=["secret", "individual_case"], registration__isnull=True)
        .select_related("case", "case__account", "decided_by")
        .order_by("decided_at")
    )


def registered(user: User) -> QuerySet[Registration]:
    return (
        policy_for(Registration)
        .queryset(user, "view")
        .select_related("decision", "decision__case", "registered_by")
        .order_by("-registered_at")
    )


@dataclass(frozen=True)
class Supervision:
    account: Account
    last_visit: SupervisionVisit | None
    open_cases: int
    overdue_cases: int


def supervision_for(user: User) -> list[Supervision]:
    """Per account ``user`` may see: who last looked at its comments, and what waits."""
    accounts = policy_for(Account).queryset(user, "view").select_related("platform").order_by("display_name")
    now = timezone.now()
    counts = (
        Account.objects.filter(pk__in=accounts)
        .annotate(
            open_cases=Count("moderation_cases", filter=Q(moderation_cases__state=Case.State.OPEN)),
            overdue_cases=Count(
                "moderation_cases",
                filter=Q(moderation_cases__state=Case.State.OPEN, moderation_cases__due_at__lt=now),
            ),
        )
        .values_list("pk", "open_cases", "overdue_cases")
    )
    waiting = {pk: (open_, overdue) for pk, open_, overdue in counts}
    last: dict[int, SupervisionVisit] = {}
    for visit in (
        SupervisionVisit.objects.filter(account__in=accounts)
        .select_related("user")
        .order_by("account_id", "-at")
    ):
        last.setdefault(visit.account_id, visit)
    return [
        Supervision(account, last.get(account.pk), *waiting.get(account.pk, (0, 0))) for account in accounts
    ]


def visits_of(account: Account, limit: int = 200) -> QuerySet[SupervisionVisit]:
    return account.supervision_visits.select_related("user").order_by("-at")[:limit]


@dataclass(frozen=True)
class DetectorQuality:
    detector: str
    lexicon: str
    lexicon_version: str
    findings: int
    marked_wrong: int

    @property
    def wrong_share(self) -> float:
        return self.marked_wrong / self.findings if self.findings else 0.0


def feedback_by_detector() -> list[DetectorQuality]:
    """Findings and those marked wrong, per detector and word list version: what comms tunes."""
    rows = (
        CaseFinding.objects.values("detector", "lexicon", "lexicon_version")
        .annotate(findings=Count("id"), marked_wrong=Count("feedback"))
        .order_by("-marked_wrong", "detector", "lexicon")
    )
    return [DetectorQuality(**row) for row in rows]


def marked_wrong_recently(limit: int = 50) -> QuerySet[FindingFeedback]:
    return FindingFeedback.objects.select_related("finding", "finding__case", "by").order_by("-at")[:limit]


def time_targets(account_ids: Collection[int]) -> dict[int, TimeTarget]:
    """Each account's time target (the default one where comms has set none), in one query."""
    found = {target.account_id: target for target in TimeTarget.objects.filter(account_id__in=account_ids)}
    return {
        pk: found.get(pk)
        or TimeTarget(account_id=pk, hours=settings.MODERATION_DEFAULT_HOURS, weekends_count=False)
        for pk in account_ids
    }


def forwarded_reference(case_id: int, round: int) -> str:
    """How the inquiry a "forward" decision opens names the case it came from."""
    return f"moderation-case-{case_id}-{round}"


# For the reports: what happened in a period on many accounts, one query each -------------------


class OpenedCase(NamedTuple):
    account_id: int
    severity: int
    opened_at: dt.datetime
    first_looked_at: dt.datetime | None


def cases_opened(account_ids: Collection[int], *, since: dt.datetime, until: dt.datetime) -> list[OpenedCase]:
    """Cases whose current round opened in [since, until): their severity and first look."""
    rows = Case.objects.filter(account_id__in=account_ids, opened_at__gte=since, opened_at__lt=until)
    return [
        OpenedCase(*row)
        for row in rows.values_list("account_id", "severity", "opened_at", "first_looked_at").order_by()
    ]


class TakenDecision(NamedTuple):
    account_id: int
    act: str
    reason: str
    decided_at: dt.datetime
    # When the round it decided opened and was due; None for a round since reopened (a later
    # round replaced both on the case).
    opened_at: dt.datetime | None
    due_at: dt.datetime | None
    reference: str


def decisions_taken(
    account_ids: Collection[int], *, since: dt.datetime, until: dt.datetime
) -> list[TakenDecision]:
    """Decisions taken in [since, until) on the accounts' cases, with the round's times."""
    rows = (
        Decision.objects.filter(case__account_id__in=account_ids, decided_at__gte=since, decided_at__lt=until)
        .values_list(
            "case__account_id",
            "act",
            "reason",
            "decided_at",
            "case__opened_at",
            "case__due_at",
            "case_id",
            "round",
            "case__round",
        )
        .order_by()
    )
    return [
        TakenDecision(
            account_id,
            act,
            reason,
            decided_at,
            opened_at if round == current_round else None,
            due_at if round == current_round else None,
            forwarded_reference(case_id, round),
        )
        for account_id, act, reason, decided_at, opened_at, due_at, case_id, round, current_round in rows
    ]


class MonthOfCases(NamedTuple):
    cases: int
    flagged: int
    decisions: int


def cases_by_month(
    account_ids: Collection[int], *, since: dt.datetime, until: dt.datetime, tz: dt.tzinfo
) -> dict[dt.date, MonthOfCases]:
    """Per month in ``tz`` (keyed by its first day): cases opened, those flagged, decisions taken."""
    opened = (
        Case.objects.filter(account_id__in=account_ids, opened_at__gte=since, opened_at__lt=until)
        .annotate(month=TruncMonth("opened_at", tzinfo=tz))
        .values_list("month")
        .annotate(cases=Count("id"), flagged=Count("id", filter=Q(severity__gt=Severity.NONE)))
        .order_by()
    )
    decided = dict(
        Decision.objects.filter(case__account_id__in=account_ids, decided_at__gte=since, decided_at__lt=until)
        .annotate(month=TruncMonth("decided_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    months: dict[dt.date, MonthOfCases] = {}
    for month, cases, flagged in opened:
        months[month.astimezone(tz).date()] = MonthOfCases(cases, flagged, 0)
    for month, n in decided.items():
        day = month.astimezone(tz).date()
        months[day] = months.get(day, MonthOfCases(0, 0, 0))._replace(decisions=n)
    return months


class ScreenedPassage(NamedTuple):
    """A finding of the screening engine on a text that is not (yet) in the archive."""

    type: str
    start: int
    end: int
    excerpt: str


def screen_text(text: str) -> list[ScreenedPassage]:
    """The screening engine's findings on ``text`` (a post before it is published), with comms'
    word lists and the municipality's own contact details allowed, as the queue screens comments."""
    return [
        ScreenedPassage(finding.type.value, finding.start, finding.end, text[finding.start : finding.end])
        for finding in engine.screener().screen(text)
    ]
