"""Who may read core's audit log: the communications department and the registrar.

The rule is about roles, so the organisation app, which owns them, registers it for core's model.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sigill.core.models import AuditEntry
from sigill.core.policies import Policy, register
from sigill.organisation.models import Role
from sigill.organisation.selectors import has_role


@register(AuditEntry)
class AuditEntryPolicy(Policy[AuditEntry]):
    def can_view(self, user: Any, entry: AuditEntry | None) -> bool:
        return has_role(user, Role.COMMS, Role.REGISTRAR)

    def view_queryset(self, user: Any, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return entries if has_role(user, Role.COMMS, Role.REGISTRAR) else entries.none()
