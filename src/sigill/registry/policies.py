"""Who may see and change the registry.

Comms manages accounts, platforms and editors centrally (G7); the registrar reads everything; a
unit manager sees the accounts of their units; an editor sees the accounts they are assigned to.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sigill.core.policies import Policy, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role, managed_units
from sigill.registry.models import Account, AccountReview, EditorAssignment, Platform, current_assignments_q


def _sees_everything(user: User) -> bool:
    return has_role(user, Role.COMMS, Role.REGISTRAR)


@register(Account)
class AccountPolicy(Policy[Account]):
    def can_view(self, user: User, account: Account | None) -> bool:
        if account is None:
            return _sees_everything(user) or has_role(user, Role.UNIT_MANAGER, Role.EDITOR)
        return self.view_queryset(user, Account.objects.filter(pk=account.pk)).exists()

    def view_queryset(self, user: User, accounts: QuerySet[Account]) -> QuerySet[Account]:
        if _sees_everything(user):
            return accounts
        return accounts.filter(
            Q(unit__in=managed_units(user)) | Q(pk__in=self.edited_by(user).values("account_id"))
        ).distinct()

    def can_edit_content(self, user: User, account: Account | None) -> bool:
        """Editors' work on an account: moderation, inquiries, profile checks."""
        if has_role(user, Role.COMMS):
            return True
        return account is not None and self.edited_by(user).filter(account=account).exists()

    def edit_content_queryset(self, user: User, accounts: QuerySet[Account]) -> QuerySet[Account]:
        if has_role(user, Role.COMMS):
            return accounts
        return accounts.filter(pk__in=self.edited_by(user).values("account_id"))

    def can_create(self, user: User, account: Account | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_change(self, user: User, account: Account | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_manage_editors(self, user: User, account: Account | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_review(self, user: User, account: Account | None) -> bool:
        return has_role(user, Role.COMMS)

    @staticmethod
    def edited_by(user: User) -> QuerySet[EditorAssignment]:
        return EditorAssignment.objects.filter(current_assignments_q(), user=user)


@register(Platform)
class PlatformPolicy(Policy[Platform]):
    def can_view(self, user: User, platform: Platform | None) -> bool:
        return True

    def view_queryset(self, user: User, platforms: QuerySet[Platform]) -> QuerySet[Platform]:
        return platforms

    def can_change(self, user: User, platform: Platform | None) -> bool:
        return has_role(user, Role.COMMS)


@register(EditorAssignment)
class EditorAssignmentPolicy(Policy[EditorAssignment]):
    def can_view(self, user: User, assignment: EditorAssignment | None) -> bool:
        return has_role(user, Role.COMMS)

    def view_queryset(
        self, user: User, assignments: QuerySet[EditorAssignment]
    ) -> QuerySet[EditorAssignment]:
        return assignments if has_role(user, Role.COMMS) else assignments.none()

    def can_revoke(self, user: User, assignment: EditorAssignment | None) -> bool:
        return has_role(user, Role.COMMS)

    def can_confirm(self, user: User, assignment: EditorAssignment | None) -> bool:
        return has_role(user, Role.COMMS)


@register(AccountReview)
class AccountReviewPolicy(Policy[AccountReview]):
    def can_view(self, user: User, review: AccountReview | None) -> bool:
        return has_role(user, Role.COMMS, Role.REGISTRAR)

    def view_queryset(self, user: User, reviews: QuerySet[AccountReview]) -> QuerySet[AccountReview]:
        return reviews if has_role(user, Role.COMMS, Role.REGISTRAR) else reviews.none()
