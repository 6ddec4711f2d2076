"""The report's figures as plain data (dataclasses of numbers, strings and dates), and the tally
that adds them up per account, per unit and for everything in a report.

Times are in hours. Medians and 90th percentiles are computed over the pooled times of every
account a row covers (never averaged from the accounts' own medians); see ``stats``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from sigill.connectors import selectors as connectors_selectors
from sigill.reports import stats


@dataclass(frozen=True)
class Durations:
    """How long something took over ``count`` cases, and how many were done by their due time
    (None where no due time applies)."""

    count: int
    median_hours: float | None
    p90_hours: float | None
    within_target: int | None = None
    within_target_share: float | None = None

    @classmethod
    def of(cls, hours: list[float], *, within_target: int | None = None) -> Durations:
        return cls(
            count=len(hours),
            median_hours=stats.median(hours),
            p90_hours=stats.percentile(hours, 90),
            within_target=within_target,
            within_target_share=None if within_target is None else stats.share(within_target, len(hours)),
        )


@dataclass(frozen=True)
class DecisionCount:
    """Decisions of one act, for one reason from the published comment rules ("" for acts that
    need none: keep, reply, forward, ...)."""

    act: str
    reason: str
    count: int


@dataclass(frozen=True)
class Figures:
    posts_published: int
    comments_received: int  # comments and replies by others
    messages_received: int
    cases: int  # received comments and messages that opened a moderation case
    flagged: int  # of those, the ones screening found something in (severity above none)
    flagged_share: float | None
    decisions: int
    decisions_by_reason: list[DecisionCount]
    first_look: Durations  # within_target: looked at by the case's due time
    decision_time: Durations  # within_target: decided by the case's due time
    questions_forwarded: int  # from the moderation queue to the contact center
    questions_answered: int
    response_time: Durations  # within_target: answered by the inquiry's due time


@dataclass
class Tally:
    """What the figures are computed from: counts, and every time measured."""

    posts: int = 0
    comments: int = 0
    messages: int = 0
    cases: int = 0
    flagged: int = 0
    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    first_look_hours: list[float] = field(default_factory=list)
    first_looked_in_time: int = 0
    decision_hours: list[float] = field(default_factory=list)
    decided_in_time: int = 0
    forwarded: int = 0
    response_hours: list[float] = field(default_factory=list)
    answered_in_time: int = 0

    def add(self, other: Tally) -> None:
        for name in ("posts", "comments", "messages", "cases", "flagged", "forwarded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.decisions.update(other.decisions)
        self.first_look_hours += other.first_look_hours
        self.first_looked_in_time += other.first_looked_in_time
        self.decision_hours += other.decision_hours
        self.decided_in_time += other.decided_in_time
        self.response_hours += other.response_hours
        self.answered_in_time += other.answered_in_time

    def figures(self) -> Figures:
        by_reason = sorted(self.decisions.items(), key=lambda item: (-item[1], item[0]))
        return Figures(
            posts_published=self.posts,
            comments_received=self.comments,
            messages_received=self.messages,
            cases=self.cases,
            flagged=self.flagged,
            flagged_share=stats.share(self.flagged, self.cases),
            decisions=sum(self.decisions.values()),
            decisions_by_reason=[DecisionCount(act, reason, n) for (act, reason), n in by_reason],
            first_look=Durations.of(self.first_look_hours, within_target=self.first_looked_in_time),
            decision_time=Durations.of(self.decision_hours, within_target=self.decided_in_time),
            questions_forwarded=self.forwarded,
            questions_answered=len(self.response_hours),
            response_time=Durations.of(self.response_hours, within_target=self.answered_in_time),
        )


@dataclass(frozen=True)
class Gap:
    """A period in which the account's records may be missing, and why, as the connectors report
    it (``reason``: "needs_reconnect" for an expired or revoked token, "failed" for a failing sync,
    "outage" for the platform being out, "nothing_captured" where no path captured anything)."""

    start: dt.datetime
    end: dt.datetime  # the gap's end, or the period's end (up to now) while it lasted beyond it
    ongoing: bool  # the gap had not closed by the period's end (or now)
    hours: float
    path: str  # the capture path that failed ("api", "export", ...; "" for nothing captured)
    reason: str

    @property
    def reason_label(self) -> str:
        return connectors_selectors.gap_reason_label(self.reason)


MESSAGE_GAPS = {
    "no_api": _("The platform gives Sigill no access to the account's direct messages: save them by hand."),
    "refused": _(
        "The account's token may not read its direct messages: grant that access, or save them by hand."
    ),
}


@dataclass(frozen=True)
class Coverage:
    """How fully an account was captured in the period, from the connectors' record of every
    capture run (``basis`` "connectors"): the share of the time the account was live (up to now)
    that lay in no gap.
    """

    basis: str
    days: int  # days of the period the account was live, up to today
    hours: float  # hours of the period the account was live, up to now
    hours_covered: float
    covered_share: float | None  # None when the account was not live in the period
    gaps: list[Gap]
    last_capture_at: dt.datetime | None
    # Why the account's direct messages are not captured by API ("" when they are): see
    # MESSAGE_GAPS. Such messages are saved by hand, so the report lists the gap.
    messages: str = ""

    @property
    def messages_label(self) -> str:
        return str(MESSAGE_GAPS.get(self.messages, ""))


@dataclass(frozen=True)
class AccountRef:
    id: int
    slug: str
    name: str
    platform: str
    unit: str
    unit_slug: str


@dataclass(frozen=True)
class AccountRow:
    account: AccountRef
    figures: Figures
    target_hours: int
    weekends_count: bool
    coverage: Coverage
    compliance_score: int | None  # the latest profile check before the period's end
    compliance_checked_at: dt.datetime | None
    review_due: bool  # the yearly review falls due by the period's end
    next_review_on: dt.date | None
    access_reviews_due: int  # editors no access review has confirmed for a year


@dataclass(frozen=True)
class UnitRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class UnitRow:
    """The sum over a unit's accounts (``unit`` None: over every account in the report)."""

    unit: UnitRef | None
    accounts: int
    figures: Figures
    accounts_with_gaps: int
    hours_without_capture: float
    covered_share: float | None  # pooled over the accounts' live hours
    mean_compliance_score: float | None  # over the accounts that have been checked
    reviews_due: int
    access_reviews_due: int


@dataclass(frozen=True)
class InquiryFigures:
    """Every question the contact center received in the period, from any source."""

    received: int
    by_source: dict[str, int]
    answered: int
    response_time: Durations
    target_hours: int


@dataclass(frozen=True)
class TrendPoint:
    year: int
    month: int
    posts_published: int
    comments_received: int
    messages_received: int
    cases: int
    flagged: int
    decisions: int


@dataclass(frozen=True)
class Report:
    year: int
    month: int
    generated_at: dt.datetime
    unit: UnitRef | None  # the unit the report was narrowed to
    accounts: list[AccountRow]
    units: list[UnitRow]
    total: UnitRow
    inquiries: InquiryFigures | None  # for comms only: the contact center's whole queue
    trend: list[TrendPoint]  # the twelve months ending with this one
    coverage_basis: str

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (dates and times in ISO 8601)."""
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
