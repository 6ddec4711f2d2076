"""Who may see the moderation queue and decide in it.

Comms sees and decides every case; an editor those of the accounts they edit; a unit manager sees
their units' cases without deciding; the registrar sees every case (to register what a decision
says must be registered). A case on an item marked secret is seen by comms and the registrar only; a case on a
direct message by the account's editors, comms and the registrar only.
Comms edits the word lists and the time targets.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sigill.archive.policies import hidden_messages, secret_items, sees_everything, visible_accounts
from sigill.core.policies import Policy, policy_for, register
from sigill.moderation.models import Case, Registration, WordList
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role
from sigill.registry.models import Account


def decidable_accounts(user: User) -> QuerySet[Account]:
    """The accounts whose cases ``user`` may decide: comms all, editors their own."""
    return policy_for(Account).queryset(user, "edit_content")


@register(Case)
class CasePolicy(Policy[Case]):
    def can_view(self, user: User, case: Case | None) -> bool:
        if case is None:
            return sees_everything(user) or has_role(user, Role.UNIT_MANAGER, Role.EDITOR)
        return self.view_queryset(user, Case.objects.filter(pk=case.pk)).exists()

    def view_queryset(self, user: User, cases: QuerySet[Case]) -> QuerySet[Case]:
        if sees_everything(user):
            return cases
        return (
            cases.filter(account__in=visible_accounts(user))
            .exclude(item__in=secret_items())
            .exclude(hidden_messages(user, prefix="item__"))
        )

    def can_decide(self, user: User, case: Case | None) -> bool:
        if case is None:
            return decidable_accounts(user).exists()
        return decidable_accounts(user).filter(pk=case.account_id).exists() and self.can_view(user, case)

    def can_check_draft(self, user: User, case: Case | None) -> bool:
        """The pre-publication check, for everyone who publishes on an account."""
        return decidable_accounts(user).exists()


@register(Registration)
class RegistrationPolicy(Policy[Registration]):
    def can_view(self, user: User, registration: Registration | None) -> bool:
        return has_role(user, Role.REGISTRAR, Role.COMMS)

    def view_queryset(self, user: User, registrations: QuerySet[Registration]) -> QuerySet[Registration]:
        return registrations if self.can_view(user, None) else registrations.none()

    def can_register(self, user: User, registration: Registration | None) -> bool:
        return has_role(user, Role.REGISTRAR)


@register(WordList)
class WordListPolicy(Policy[WordList]):
    def can_view(self, user: User, word_list: WordList | None) -> bool:
        return has_role(user, Role.COMMS)

    def view_queryset(self, user: User, word_lists: QuerySet[WordList]) -> QuerySet[WordList]:
        return word_lists if self.can_view(user, None) else word_lists.none()

    def can_change(self, user: User, word_list: WordList | None) -> bool:
        return has_role(user, Role.COMMS)
