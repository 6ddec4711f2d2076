"""Who may read the reports: comms, over every account; unit managers, over their units' accounts.

The figures a report shows are narrowed by the registry's account policy (``report_accounts``);
this policy only says who may open the reports at all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.core.policies import Policy, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role
from sigill.reports.models import MonthlyReport

READERS = (Role.COMMS, Role.UNIT_MANAGER)


@register(MonthlyReport)
class MonthlyReportPolicy(Policy[MonthlyReport]):
    def can_view(self, user: User, report: MonthlyReport | None) -> bool:
        return has_role(user, *READERS)

    def view_queryset(self, user: User, reports: QuerySet[MonthlyReport]) -> QuerySet[MonthlyReport]:
        return reports if has_role(user, Role.COMMS) else reports.none()

    def can_view_everything(self, user: User, report: MonthlyReport | None) -> bool:
        """The whole municipality: every account, and the contact center's questions."""
        return has_role(user, Role.COMMS)
