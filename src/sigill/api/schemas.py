"""What the API reads and writes, as pydantic schemas (and so as the OpenAPI schema's components)."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field

from sigill.api.fields import Moment, text
from sigill.archive.capture import Direction, Kind
from sigill.compliance.models import CommentRule
from sigill.inquiries.models import Inquiry
from sigill.moderation.models import Act, Case
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
