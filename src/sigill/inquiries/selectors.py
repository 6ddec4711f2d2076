"""Reads about inquiries, already narrowed to what the reader may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sigill.core.policies import policy_for
from sigill.inquiries.models import Inquiry
from sigill.organisation.models import Role, User


def _visible(user: User) -> QuerySet[Inquiry]:
    return policy_for(Inquiry).queryset(user, "view").select_related("forwarded_by", "assigned_to")


def inquiry_for(user: User, *, pk: int) -> Inquiry:
    return get_object_or_404(_visible(user), pk=pk)


def own_inquiries(user: User) -> QuerySet[Inquiry]:
    return _visible(user).filter(forwarded_by=user).order_by("-received_at")


def queue(user: User) -> QuerySet[Inquiry]:
    """Open inquiries, the answer due soonest first (overdue ones on top)."""
    return _visible(user).filter(state=Inquiry.State.OPEN).order_by("due_at", "id")


def overdue(user: User) -> QuerySet[Inquiry]:
    return queue(user).filter(due_at__lt=timezone.now())


def search(user: User, *, filters: dict[str, Any]) -> QuerySet[Inquiry]:
    inquiries = _visible(user)
    if text := (filters.get("q") or "").strip():
        condition = Q(question__icontains=text) | Q(asked_where__icontains=text) | Q(answer__icontains=text)
        # isdecimal, not isdigit: "²" is a digit that int() cannot read.
        if text.isdecimal():
            condition |= Q(pk=int(text))
        inquiries = inquiries.filter(condition)
    if state := filters.get("state"):
        inquiries = inquiries.filter(state=state)
    if source := filters.get("source"):
        inquiries = inquiries.filter(source=source)
    return inquiries.order_by("-received_at")


def queue_workers() -> QuerySet[User]:
    """Who may be given an inquiry: active people in the contact center or communications."""
    return (
        User.objects.filter(is_active=True, memberships__role__in=[Role.CONTACT_CENTER, Role.COMMS])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# For the reports: response times, without the questions' content ------------------------------


class ResponseTime(NamedTuple):
    source: str
    received_at: dt.datetime
    answered_at: dt.datetime | None
    due_at: dt.datetime


def received_between(*, since: dt.datetime, until: dt.datetime) -> list[ResponseTime]:
    """Every inquiry received in [since, until), with when it was answered and due."""
    rows = Inquiry.objects.filter(received_at__gte=since, received_at__lt=until)
    return [
        ResponseTime(*row)
        for row in rows.values_list("source", "received_at", "answered_at", "due_at").order_by()
    ]


def response_times(*, source: str, external_ids: Collection[str]) -> dict[str, ResponseTime]:
    """The inquiries from ``source`` with these external ids (e.g. the moderation cases they
    came from), by external id."""
    rows = Inquiry.objects.filter(source=source, external_id__in=list(external_ids)).values_list(
        "external_id", "source", "received_at", "answered_at", "due_at"
    )
    return {
        external_id: ResponseTime(source, received_at, answered_at, due_at)
        for external_id, source, received_at, answered_at, due_at in rows.order_by()
    }
