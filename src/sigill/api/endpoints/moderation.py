"""The moderation queue: cases read through ``moderation.selectors`` (narrowed to what the person
may see), decisions through ``moderation.services.decide`` and then ``carry_out``, as the case page
does. Editors who have not acknowledged the guideline in force are refused, as on the pages."""

from typing import Annotated

from django.db import transaction
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from sigill.api import openapi, services
from sigill.api.auth import require_write, user_of
from sigill.api.fields import Id, text
from sigill.api.schemas import (
    CaseDetail,
    CasePage,
    CaseSummary,
    DecisionIn,
    DecisionOut,
    FindingOut,
    PlatformActOut,
)
from sigill.archive import selectors as archive_selectors
from sigill.core.policies import policy_for
from sigill.moderation import selectors
from sigill.moderation import services as moderation
from sigill.moderation.models import Act, Case, Decision, Severity

router = Router(tags=["moderation"])


class CaseFilters(Schema):
    state: Case.State | None = Field(None, description="open or decided; both when left out.")
    account: Annotated[str, text(120)] = Field("", description="An account's slug.")
    flagged: bool = Field(False, description="Only cases where screening found something.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def _summary(case: Case, text_of: dict[int, str]) -> dict[str, object]:
    return {
        "id": case.pk,
        "account": case.account.slug,
        "item": case.item_id,
        "state": Case.State(case.state),
        "round": case.round,
        "severity": case.severity,
        "opened_at": case.opened_at,
        "due_at": case.due_at,
        "first_looked_at": case.first_looked_at,
        "text": text_of.get(case.item_id, ""),
    }


def decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk,
        round=decision.round,
        act=Act(decision.act),
        removal=decision.removal,
        reason=decision.reason,
        note=decision.note,
        provision=decision.provision,
        reply_text=decision.reply_text,
        decided_by=decision.decided_by.get_username(),
        decided_at=decision.decided_at,
        platform_acts=[
            PlatformActOut(outcome=act.outcome, message=act.message, at=act.at)
            for act in decision.platform_acts.all()
        ],
    )


@router.get("/moderation/cases", response=CasePage, url_name="moderation_cases", openapi_extra=openapi.READ)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> CasePage:
    """In the queue's order, as the moderation page lists them: comments residents reported first,
    then the most severe, then the soonest due; decided cases the most recently due first."""
    user = user_of(request)
    policy_for(Case).require(user, "view")
    moderation.require_guideline(user)
    cases = selectors.cases_for(user).select_related("account")
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.account:
        cases = cases.filter(account__slug=filters.account)
    if filters.flagged:
        cases = cases.filter(severity__gt=Severity.NONE)
    cases = selectors.in_queue_order_for(user, cases, state=filters.state)
    page = list(cases[filters.offset : filters.offset + filters.limit])
    texts = archive_selectors.current_texts([case.item_id for case in page])
    return CasePage(
        count=cases.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[CaseSummary(**_summary(case, texts)) for case in page],  # type: ignore[arg-type]
    )


def case_detail(user: object, case: Case) -> CaseDetail:
    texts = archive_selectors.current_texts([case.item_id])
    return CaseDetail(
        **_summary(case, texts),  # type: ignore[arg-type]
        findings=[
            FindingOut(type=f.type, start=f.start, end=f.end, explanation=f.explanation)
            for f in selectors.findings_of(case)
        ],
        decisions=[decision_out(decision) for decision in selectors.decisions_of(case)],
    )


@router.get(
    "/moderation/cases/{pk}", response=CaseDetail, url_name="moderation_case", openapi_extra=openapi.READ_ONE
)
def get_case(request: HttpRequest, pk: Annotated[Id, Path()]) -> CaseDetail:
    """One case with the findings in its screened version and every decision taken on it."""
    user = user_of(request)
    moderation.require_guideline(user)
    return case_detail(user, selectors.case_for(user, pk=pk))


@router.post(
    "/moderation/cases/{pk}/decision",
    response={201: DecisionOut},
    url_name="moderation_decide",
    openapi_extra={**openapi.problems(400, 401, 403, 404, 409, 422)},
)
def decide(request: HttpRequest, pk: Annotated[Id, Path()], payload: DecisionIn) -> Status[DecisionOut]:
    """Decide the case's current round. Hide, delete and block (and the removal that goes with
    report_threat or secret) are then done on the platform through its API where it allows them,
    once the saved copy verifies against its seal; where it does not, platform_acts stays empty and
    the act is done by hand and confirmed in Sigill. A case whose findings fall under law 1998:112
    5 § is left on the platform only with a note saying why (422 otherwise)."""
    user = require_write(request)
    case = selectors.case_for(user, pk=pk)
    policy_for(Case).require(user, "decide", case)
    choice = moderation.Choice(
        act=payload.act,
        reason=payload.reason.value if payload.reason else "",
        note=payload.note,
        provision=payload.provision,
        reply_text=payload.reply_text,
        removal=payload.removal.value,
    )
    with transaction.atomic():
        decision = moderation.decide(case=case, choice=choice, by=user)
        services.record_write(request, operation="moderation.decide", target=case, act=decision.act)
    if decision.acts_on_platform:
        moderation.carry_out(decision=decision, by=user)
    return Status(201, decision_out(Decision.objects.select_related("decided_by").get(pk=decision.pk)))
