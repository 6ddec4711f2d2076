"""Who may do what with an application.

The applicant edits, submits and withdraws their own; a unit manager of the owning unit (or of a
unit above it) anchors, returns or rejects it; comms approves, returns or rejects an anchored one.
Nobody reviews their own application.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sigill.applications.models import Application
from sigill.core.policies import Policy, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role, managed_units


def _manages(user: User, application: Application) -> bool:
    return application.unit_id is not None and managed_units(user).filter(pk=application.unit_id).exists()


def _is_applicant(user: User, application: Application) -> bool:
    return application.applicant_id == user.pk


@register(Application)
class ApplicationPolicy(Policy[Application]):
    def can_create(self, user: User, application: Application | None) -> bool:
        return True  # every employee may apply

    def can_view(self, user: User, application: Application | None) -> bool:
        if application is None:
            return True
        return self.view_queryset(user, Application.objects.filter(pk=application.pk)).exists()

    def view_queryset(self, user: User, applications: QuerySet[Application]) -> QuerySet[Application]:
        if has_role(user, Role.COMMS):
            return applications
        # Reviewers see applications once submitted; a draft is the applicant's own business.
        reviewable = Q(unit__in=managed_units(user)) & ~Q(state=Application.State.DRAFT)
        return applications.filter(Q(applicant=user) | reviewable)

    def can_edit(self, user: User, application: Application | None) -> bool:
        return application is not None and _is_applicant(user, application)

    def can_submit(self, user: User, application: Application | None) -> bool:
        return application is not None and _is_applicant(user, application)

    def can_withdraw(self, user: User, application: Application | None) -> bool:
        return application is not None and _is_applicant(user, application)

    def can_anchor(self, user: User, application: Application | None) -> bool:
        return (
            application is not None and not _is_applicant(user, application) and _manages(user, application)
        )

    def can_approve(self, user: User, application: Application | None) -> bool:
        return application is not None and not _is_applicant(user, application) and has_role(user, Role.COMMS)

    def can_overview(self, user: User, application: Application | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_tick(self, user: User, application: Application | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_review(self, user: User, application: Application | None) -> bool:
        """Return or reject: whoever may take the application's next step."""
        if application is None:
            return False
        if application.state == Application.State.SUBMITTED:
            return self.can_anchor(user, application)
        if application.state == Application.State.ANCHORED:
            return self.can_approve(user, application)
        return False
