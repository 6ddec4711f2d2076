"""Who may read core's audit log (the communications department and the registrar), and who may
see and lift sign-in waits (the communications department).

The rule is about roles, so the organisation app, which owns them, registers it for core's model.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sigill.core.models import AuditEntry, SignInLock
from sigill.core.policies import Policy, register
from sigill.organisation.models import Role
from sigill.organisation.selectors import has_role


@register(AuditEntry)
class AuditEntryPolicy(Policy[AuditEntry]):
    def can_view(self, user: Any, entry: AuditEntry | None) -> bool:
        return has_role(user, Role.COMMS, Role.REGISTRAR)

    def view_queryset(self, user: Any, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return entries if has_role(user, Role.COMMS, Role.REGISTRAR) else entries.none()


@register(SignInLock)
class SignInLockPolicy(Policy[SignInLock]):
    """Comms manage accounts and permissions (G7): they see who is made to wait and can lift it."""

    def can_view(self, user: Any, lock: SignInLock | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_lift(self, user: Any, lock: SignInLock | None) -> bool:
        return has_role(user, Role.COMMS)

    def view_queryset(self, user: Any, locks: QuerySet[SignInLock]) -> QuerySet[SignInLock]:
        return locks if has_role(user, Role.COMMS) else locks.none()
