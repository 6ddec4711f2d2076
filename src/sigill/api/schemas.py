"""What the API reads and writes, as pydantic schemas (and so as the OpenAPI schema's components)."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field

from sigill.api.fields import Moment, text
from sigill.archive.capture import Direction, Kind
from sigill.compliance.models import CommentRule
from sigill.inquiries.models import Inquiry
from sigill.moderation.models import Act, Case, Removal
from sigill.registry.models import Account


class PageInfo(Schema):
    count: int = Field(description="How many there are in all, across every page.")
    limit: int
    offset: int


# Accounts -----------------------------------------------------------------------------------------


class AccountOut(Schema):
    slug: str
    display_name: str
    platform: str
    platform_name: str
    handle: str
    profile_url: str
    unit: str
    unit_name: str
    status: Account.Status
    purpose_statement: str
    purposes: list[str]
    target_audience: str
    responsible: str | None
    deputy: str | None
    activated_at: dt.datetime | None
    next_review_on: dt.date | None
    updated_at: dt.datetime


class AccountPage(PageInfo):
    items: list[AccountOut]


class AccountIn(Schema):
    """An account as comms registers it; every field, also on a change (PUT)."""

    platform: Annotated[str, text(30, min_length=1)] = Field(
        description="The platform's short name, e.g. instagram."
    )
    profile_url: Annotated[str, text(300, min_length=1)]
    display_name: Annotated[str, text(200, min_length=1)]
    unit: Annotated[str, text(100, min_length=1)] = Field(description="The owning unit's short name.")
    purpose_statement: Annotated[str, text(5000, min_length=1)]
    purposes: Annotated[list[Annotated[str, text(30)]], Field(min_length=1, max_length=20)] = Field(
        description="Purpose category codes, e.g. dialogue, news."
    )
    target_audience: Annotated[str, text(300)] = ""
    responsible: Annotated[str, text(150)] | None = Field(None, description="Username.")
    deputy: Annotated[str, text(150)] | None = Field(None, description="Username.")


# The public list -------------------------------------------------------------------------------------


class PublicAccount(Schema):
    name: str
    platform: str
    platform_name: str
    handle: str
    url: str
    unit: str
    purpose: str
    purpose_categories: list[str]
    status: str
    active_since: str | None
    last_changed: str


class PublicList(Schema):
    municipality: str
    last_changed: str | None
    count: int
    accounts: list[PublicAccount]


# The archive ---------------------------------------------------------------------------------------


class ItemSummary(Schema):
    id: int
    account: str
    platform: str
    object_id: str
    kind: Kind
    direction: Direction
    author: str
    published_at: dt.datetime
    received_at: dt.datetime
    removed_on_platform: bool
    secret: bool
    text: str


class SearchPage(Schema):
    items: list[ItemSummary]
    next_cursor: int | None = Field(description="Pass as after= for the next page; null on the last page.")


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class VersionOut(Schema):
    number: int
    text: str
    captured_at: dt.datetime
    edited_at: dt.datetime | None
    source: str
    seal: str
    attachments: list[AttachmentOut]


class FactOut(Schema):
    fact: str
    at: dt.datetime
    provision: str
    note: str


class ItemDetail(ItemSummary):
    parent_object_id: str
    url: str
    source: str
    seal: str
    versions: list[VersionOut]
    facts: list[FactOut]


# Moderation -----------------------------------------------------------------------------------------


class PlatformActOut(Schema):
    outcome: str
    message: str
    at: dt.datetime


class DecisionOut(Schema):
    id: int
    round: int
    act: Act
    removal: str = Field(
        description="For report_threat and secret: hide or delete on the platform too, or empty."
    )
    reason: str
    note: str
    provision: str
    reply_text: str
    decided_by: str
    decided_at: dt.datetime
    platform_acts: list[PlatformActOut]


class FindingOut(Schema):
    type: str
    start: int
    end: int
    explanation: str


class CaseSummary(Schema):
    id: int
    account: str
    item: int
    state: Case.State
    round: int
    severity: int
    opened_at: dt.datetime
    due_at: dt.datetime
    first_looked_at: dt.datetime | None
    text: str


class CasePage(PageInfo):
    items: list[CaseSummary]


class CaseDetail(CaseSummary):
    findings: list[FindingOut]
    decisions: list[DecisionOut]


def blank_is_none(value: object) -> object:
    """An empty text means "not given", as a form's empty choice does."""
    return None if value == "" else value


class DecisionIn(Schema):
    act: Act
    reason: Annotated[CommentRule | None, BeforeValidator(blank_is_none)] = Field(
        None,
        description="The comment rule broken, one of the published list (needed to hide, delete or "
        "block); left out, null or empty for the other acts.",
    )
    note: Annotated[str, text(5000)] = ""
    provision: Annotated[str, text(200)] = Field("", description="The secrecy provision (needed for secret).")
    reply_text: Annotated[str, text(5000)] = ""
    removal: Removal = Field(
        Removal.NONE,
        description="For report_threat and secret: also hide or delete the comment on the platform in the "
        "same decision (needed for secret); ignored for the other acts.",
    )


# Inquiries ------------------------------------------------------------------------------------------


class InquiryOut(Schema):
    id: int
    source: Inquiry.Source
    state: Inquiry.State
    question: str
    asked_where: str
    asker_contact: str
    asked_at: dt.datetime
    received_at: dt.datetime
    due_at: dt.datetime
    forwarded_by: str | None
    assigned_to: str | None
    answer: str
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None


class InquiryPage(PageInfo):
    items: list[InquiryOut]


class InquiryIn(Schema):
    question: Annotated[str, text(10000, min_length=1)]
    asked_where: Annotated[str, text(300, min_length=1)]
    asked_at: Moment
    asker_contact: Annotated[str, text(300)] = ""


class ProblemTypeOut(Schema):
    type: str
    title: str
    status: int
    description: str


class Index(Schema):
    name: str
    version: str
    openapi: str


# Reports ------------------------------------------------------------------------------------------
# The same figures as the report pages (``reports.figures``), field for field. Times are in hours.


class DurationsOut(Schema):
    count: int
    median_hours: float | None
    p90_hours: float | None
    within_target: int | None = Field(description="How many were done by their due time, where one applies.")
    within_target_share: float | None


class DecisionCountOut(Schema):
    act: str
    reason: str = Field(description="A published comment rule; empty for acts that need none.")
    count: int


class FiguresOut(Schema):
    posts_published: int
    comments_received: int
    messages_received: int
    cases: int
    flagged: int
    flagged_share: float | None
    decisions: int
    decisions_by_reason: list[DecisionCountOut]
    first_look: DurationsOut
    decision_time: DurationsOut
    questions_forwarded: int
    questions_answered: int
    response_time: DurationsOut


class GapOut(Schema):
    start: dt.datetime
    end: dt.datetime = Field(
        description="The gap's end, or the period's end (up to now) if it lasted beyond."
    )
    ongoing: bool = Field(description="The gap had not closed by the period's end (or now).")
    hours: float
    path: str = Field(description='The capture path that failed: "api", "webhook", "export", "manual" or "".')
    reason: str = Field(description='"needs_reconnect", "failed", "outage" or "nothing_captured".')


class CoverageOut(Schema):
    basis: str
    days: int
    hours: float
    hours_covered: float
    covered_share: float | None
    gaps: list[GapOut]
    last_capture_at: dt.datetime | None


class ReportAccountOut(Schema):
    id: int
    slug: str
    name: str
    platform: str
    unit: str
    unit_slug: str


class ReportUnitOut(Schema):
    id: int
    slug: str
    name: str


class AccountReportRowOut(Schema):
    account: ReportAccountOut
    figures: FiguresOut
    target_hours: int
    weekends_count: bool
    coverage: CoverageOut
    compliance_score: int | None
    compliance_checked_at: dt.datetime | None
    review_due: bool
    next_review_on: dt.date | None
    access_reviews_due: int


class UnitReportRowOut(Schema):
    unit: ReportUnitOut | None = Field(description="None in the total over every account.")
    accounts: int
    figures: FiguresOut
    accounts_with_gaps: int
    hours_without_capture: float
    covered_share: float | None
    mean_compliance_score: float | None
    reviews_due: int
    access_reviews_due: int


class InquiryFiguresOut(Schema):
    received: int
    by_source: dict[str, int]
    answered: int
    response_time: DurationsOut
    target_hours: int


class TrendPointOut(Schema):
    year: int
    month: int
    posts_published: int
    comments_received: int
    messages_received: int
    cases: int
    flagged: int
    decisions: int


class ReportOut(Schema):
    year: int
    month: int
    generated_at: dt.datetime
    unit: ReportUnitOut | None = Field(description="The unit the report is narrowed to, if any.")
    accounts: list[AccountReportRowOut]
    units: list[UnitReportRowOut]
    total: UnitReportRowOut
    inquiries: InquiryFiguresOut | None = Field(
        description="The contact center's whole queue: for comms, in a report not narrowed to a unit."
    )
    trend: list[TrendPointOut] = Field(description="The twelve months ending with this one.")
    coverage_basis: str
