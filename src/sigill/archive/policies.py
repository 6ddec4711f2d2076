"""Who may see the archive and work in it.

The registrar and comms see every item; a unit manager sees the items of their units' accounts and
an editor those of the accounts they edit (the registry's account policy decides both). Items
marked secret (a sealed fact in the archive's chain) are seen by the registrar and comms only.
Direct messages (where individual cases arrive) are seen by the account's editors, comms and the
registrar only: not by a unit manager, who sees the unit's posts and comments. Manual capture is for comms and the
editors of an account; marking secret for the registrar, comms and the account's editors.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sigill.archive.capture import Kind
from sigill.archive.models import Item, ItemFact, SearchEntry
from sigill.core.policies import Policy, policy_for, register
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role
from sigill.registry.models import Account


def sees_everything(user: User) -> bool:
    return has_role(user, Role.COMMS, Role.REGISTRAR)


def visible_accounts(user: User) -> QuerySet[Account]:
    return policy_for(Account).queryset(user, "view")


def capturable_accounts(user: User) -> QuerySet[Account]:
    """The accounts ``user`` may capture into by hand: comms all, editors their own."""
    return policy_for(Account).queryset(user, "edit_content")


def message_accounts(user: User) -> QuerySet[Account]:
    """The accounts whose direct messages ``user`` may read: every account for comms and the
    registrar, the accounts they edit for an editor, none for anyone else."""
    if sees_everything(user):
        return Account.objects.all()
    return capturable_accounts(user)


def hidden_messages(user: User, *, prefix: str = "") -> Q:
    """The condition that picks the direct messages ``user`` may not read, on a queryset whose
    item is reached through ``prefix`` (``"item__"`` from a case)."""
    return Q(**{f"{prefix}kind": Kind.MESSAGE}) & ~Q(**{f"{prefix}account__in": capturable_accounts(user)})


@register(Item)
class ItemPolicy(Policy[Item]):
    def can_view(self, user: User, item: Item | None) -> bool:
        if item is None:
            return sees_everything(user) or has_role(user, Role.UNIT_MANAGER, Role.EDITOR)
        return self.view_queryset(user, Item.objects.filter(pk=item.pk)).exists()

    def view_queryset(self, user: User, items: QuerySet[Item]) -> QuerySet[Item]:
        if sees_everything(user):
            return items
        return (
            items.filter(account__in=visible_accounts(user))
            .exclude(pk__in=secret_items())
            .exclude(hidden_messages(user))
        )

    def can_capture(self, user: User, item: Item | None) -> bool:
        return capturable_accounts(user).exists()

    def can_mark_secret(self, user: User, item: Item | None) -> bool:
        """The registrar and comms; and an account's editors, who meet secrets while moderating it."""
        if sees_everything(user):
            return True
        return item is not None and capturable_accounts(user).filter(pk=item.account_id).exists()


item_policy = policy_for(Item)


def may_search_secret(user: User) -> bool:
    return sees_everything(user)


def restrict_entries(user: User, entries: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
    """``entries`` narrowed to what ``user`` may see (as :meth:`ItemPolicy.view_queryset`)."""
    if sees_everything(user):
        return entries
    return (
        entries.filter(account__in=visible_accounts(user))
        .exclude(item__in=secret_items())
        .exclude(hidden_messages(user))
    )


def secret_items() -> QuerySet[ItemFact, int]:
    """The ids of the items marked secret, read from the sealed facts (never the search index's
    copy, which anyone with database access could change unseen by the chain)."""
    return ItemFact.objects.filter(fact=ItemFact.Fact.MARKED_SECRET).values_list("item_id", flat=True)
