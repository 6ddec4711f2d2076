"""Who may write, see, approve and override drafts.

An editor writes drafts for the accounts they edit, and comms for every account. Whoever may see
an account (its editors, its unit's managers, comms, the registrar) sees the drafts for it. The
approver an account's rule names approves, never an author of the draft. Only comms overrides a
blocking check, with a reason.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sigill.core.policies import Policy, policy_for, register
from sigill.organisation.people import User
from sigill.organisation.selectors import Role, has_role, managed_units
from sigill.publishing.models import ApprovalRule, Draft, DraftVersion


def _accounts(user: User, action: str) -> QuerySet[Any]:
    return policy_for("registry.Account").queryset(user, action)


def rule_of(account: Any) -> str:
    rule = ApprovalRule.objects.filter(account=account).values_list("approver", flat=True).first()
    return rule or ApprovalRule.Approver.NONE


def approvable(user: User, drafts: list[Draft]) -> list[Draft]:
    """The drafts among ``drafts`` that ``user`` may approve, in a fixed number of queries: sent for
    approval, written by others (no version of theirs), and every account's rule naming ``user``
    (comms always may; a unit manager for the accounts of the units they manage; a second editor
    for the accounts they edit)."""
    submitted = [draft for draft in drafts if draft.state == Draft.State.SUBMITTED]
    if not submitted:
        return []
    is_comms = has_role(user, Role.COMMS)
    managed = set(managed_units(user).values_list("pk", flat=True))
    edited = set(_accounts(user, "edit_content").values_list("pk", flat=True))
    authors: dict[int, set[int]] = {}
    versions = DraftVersion.objects.filter(draft__in=submitted).values_list("draft_id", "author_id")
    for draft_id, author_id in versions:
        authors.setdefault(draft_id, set()).add(author_id)
    # Free when the caller prefetched the targets with their accounts (the selectors do).
    targets = {draft.pk: list(draft.targets.all()) for draft in submitted}
    account_ids = {target.account_id for found in targets.values() for target in found}
    rules = dict(
        ApprovalRule.objects.filter(account_id__in=account_ids).values_list("account_id", "approver")
    )

    def names_user(target: Any) -> bool:
        rule = rules.get(target.account_id, ApprovalRule.Approver.NONE)
        if is_comms or rule == ApprovalRule.Approver.NONE:
            return True
        if rule == ApprovalRule.Approver.UNIT_MANAGER:
            return target.account.unit_id in managed
        return rule == ApprovalRule.Approver.SECOND_EDITOR and target.account_id in edited

    return [
        draft
        for draft in submitted
        if user.pk != draft.created_by_id
        and user.pk not in authors.get(draft.pk, set())
        and all(names_user(target) for target in targets[draft.pk])
    ]


@register(Draft)
class DraftPolicy(Policy[Draft]):
    def can_view(self, user: User, draft: Draft | None) -> bool:
        if draft is None:
            return has_role(user, Role.COMMS, Role.REGISTRAR, Role.UNIT_MANAGER, Role.EDITOR)
        return self.view_queryset(user, Draft.objects.filter(pk=draft.pk)).exists()

    def view_queryset(self, user: User, drafts: QuerySet[Draft]) -> QuerySet[Draft]:
        if has_role(user, Role.COMMS, Role.REGISTRAR):
            return drafts
        return drafts.filter(targets__account__in=_accounts(user, "view")).distinct()

    def can_create(self, user: User, draft: Draft | None) -> bool:
        return _accounts(user, "edit_content").exists()

    def can_edit(self, user: User, draft: Draft | None) -> bool:
        """Change the text, media or time: an editor of every account the draft is for."""
        if draft is None or not draft.is_editable:
            return False
        if has_role(user, Role.COMMS):
            return True
        mine = _accounts(user, "edit_content")
        return not draft.targets.exclude(account__in=mine).exists()

    def can_comment(self, user: User, draft: Draft | None) -> bool:
        return draft is not None and draft.is_editable and self.can_view(user, draft)

    def can_approve(self, user: User, draft: Draft | None) -> bool:
        """The approver every account's rule names; never someone who wrote a version of it."""
        return draft is not None and bool(approvable(user, [draft]))

    def can_override(self, user: User, draft: Draft | None) -> bool:
        return has_role(user, Role.COMMS) and (draft is None or draft.is_editable)

    def can_set_rules(self, user: User, draft: Draft | None) -> bool:
        return has_role(user, Role.COMMS)


draft_policy = policy_for(Draft)
