"""Who may see and change the rota, and who sees the alerts that were sent.

Comms keeps the rota; everyone who decides cases (comms, editors) sees it, to know who is on call.
The list of alerts and their deliveries is comms'. Each person's preferences are their own.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.alerts.models import Alert, RotaWeek
from sigill.core.policies import Policy, register
from sigill.organisation.people import User
from sigill.organisation.selectors import Role, has_role


@register(RotaWeek)
class RotaPolicy(Policy[RotaWeek]):
    def can_view(self, user: User, week: RotaWeek | None) -> bool:
        return has_role(user, Role.COMMS, Role.EDITOR)

    def view_queryset(self, user: User, weeks: QuerySet[RotaWeek]) -> QuerySet[RotaWeek]:
        return weeks if self.can_view(user, None) else weeks.none()

    def can_change(self, user: User, week: RotaWeek | None) -> bool:
        return has_role(user, Role.COMMS)


@register(Alert)
class AlertPolicy(Policy[Alert]):
    def can_view(self, user: User, alert: Alert | None) -> bool:
        return has_role(user, Role.COMMS)

    def view_queryset(self, user: User, alerts: QuerySet[Alert]) -> QuerySet[Alert]:
        return alerts if self.can_view(user, None) else alerts.none()
