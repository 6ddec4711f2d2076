"""Inquiries: read through ``inquiries.selectors`` (everyone their own; the contact center, comms
and the registrar every inquiry), forwarded through ``inquiries.services.create_inquiry``."""

from typing import Annotated

from django.db import transaction
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from sigill.api import openapi, services
from sigill.api.auth import require_write, user_of
from sigill.api.fields import Id, text
from sigill.api.schemas import InquiryIn, InquiryOut, InquiryPage
from sigill.inquiries import selectors
from sigill.inquiries import services as inquiry_services
from sigill.inquiries.models import Inquiry

router = Router(tags=["inquiries"])


class InquiryFilters(Schema):
    q: Annotated[str, text(200)] = Field(
        "", description="Words in the question, the place or the answer, or a number."
    )
    state: Inquiry.State | None = None
    source: Inquiry.Source | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def inquiry_out(inquiry: Inquiry) -> InquiryOut:
    return InquiryOut(
        id=inquiry.pk,
        source=Inquiry.Source(inquiry.source),
        state=Inquiry.State(inquiry.state),
        question=inquiry.question,
        asked_where=inquiry.asked_where,
        asker_contact=inquiry.asker_contact,
        asked_at=inquiry.asked_at,
        received_at=inquiry.received_at,
        due_at=inquiry.due_at,
        forwarded_by=inquiry.forwarded_by.get_username() if inquiry.forwarded_by else None,
        assigned_to=inquiry.assigned_to.get_username() if inquiry.assigned_to else None,
        answer=inquiry.answer,
        answered_at=inquiry.answered_at,
        closed_at=inquiry.closed_at,
    )


@router.get("/inquiries", response=InquiryPage, url_name="inquiries", openapi_extra=openapi.READ)
def list_inquiries(request: HttpRequest, filters: Query[InquiryFilters]) -> InquiryPage:
    """Newest first: the questions the person forwarded, or every one for those who work with them."""
    found = selectors.search(
        user_of(request), filters={"q": filters.q, "state": filters.state, "source": filters.source}
    )
    page = found[filters.offset : filters.offset + filters.limit]
    return InquiryPage(
        count=found.count(), limit=filters.limit, offset=filters.offset, items=[inquiry_out(i) for i in page]
    )


@router.get("/inquiries/{pk}", response=InquiryOut, url_name="inquiry", openapi_extra=openapi.READ_ONE)
def get_inquiry(request: HttpRequest, pk: Annotated[Id, Path()]) -> InquiryOut:
    return inquiry_out(selectors.inquiry_for(user_of(request), pk=pk))


@router.post(
    "/inquiries", response={201: InquiryOut}, url_name="inquiries_create", openapi_extra=openapi.WRITE
)
def create_inquiry(request: HttpRequest, payload: InquiryIn) -> Status[InquiryOut]:
    """Forward a question to the contact center, as the e-service does."""
    user = require_write(request)
    with transaction.atomic():
        inquiry = inquiry_services.create_inquiry(
            question=payload.question,
            asked_where=payload.asked_where,
            asked_at=payload.asked_at,
            asker_contact=payload.asker_contact,
            source=Inquiry.Source.ESERVICE,
            by=user,
        )
        services.record_write(request, operation="inquiries.create", target=inquiry)
    return Status(201, inquiry_out(selectors.inquiry_for(user, pk=inquiry.pk)))
