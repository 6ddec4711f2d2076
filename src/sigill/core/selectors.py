"""Reads of the core app: the audit log as the reader may see it."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sigill.core.models import AuditEntry
from sigill.core.policies import policy_for


def audit_entries_for(user: Any, *, filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The audit entries ``user`` may read, newest first, narrowed by the filter form's values."""
    entries = policy_for(AuditEntry).queryset(user, "view").select_related("actor")
    if act := filters.get("act"):
        entries = entries.filter(act__startswith=act)
    if actor := filters.get("actor"):
        entries = entries.filter(actor_label__iexact=actor)
    if target_type := filters.get("target_type"):
        entries = entries.filter(target_type=target_type)
    zone = timezone.get_current_timezone()
    if since := filters.get("since"):
        entries = entries.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until := filters.get("until"):
        entries = entries.filter(created_at__lte=datetime.combine(until, time.max, tzinfo=zone))
    return entries.order_by("-id")


def audit_target_types() -> list[str]:
    return list(
        AuditEntry.objects.exclude(target_type="")
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )
