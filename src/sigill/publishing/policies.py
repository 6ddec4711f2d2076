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
from sigill.organisation.selectors import Role, has_role, managed_units
from sigill.publishing.models import ApprovalRule, Draft


def _accounts(user: Any, action: str) -> QuerySet[Any]:
    return policy_for("registry.Account").queryset(user, action)


def _authors(draft: Draft) -> set[int]:
    return {draft.created_by_id, *draft.versions.values_list("author_id", flat=True)}


def rule_of(account: Any) -> str:
    rule = ApprovalRule.objects.filter(account=account).values_list("approver", flat=True).first()
    return rule or ApprovalRule.Approver.NONE


def may_approve_for(user: Any, account: Any, rule: str) -> bool:
    """May ``user`` approve a post on ``account`` under ``rule``? Comms always may."""
    if has_role(user, Role.COMMS) or rule == ApprovalRule.Approver.NONE:
        return True
    if rule == ApprovalRule.Approver.UNIT_MANAGER:
        return managed_units(user).filter(pk=account.unit_id).exists()
    if rule == ApprovalRule.Approver.SECOND_EDITOR:
        return _accounts(user, "edit_content").filter(pk=account.pk).exists()
    return False


@register(Draft)
class DraftPolicy(Policy[Draft]):
    def can_view(self, user: Any, draft: Draft | None) -> bool:
        if draft is None:
            return has_role(user, Role.COMMS, Role.REGISTRAR, Role.UNIT_MANAGER, Role.EDITOR)
        return self.view_queryset(user, Draft.objects.filter(pk=draft.pk)).exists()

    def view_queryset(self, user: Any, drafts: QuerySet[Draft]) -> QuerySet[Draft]:
        if has_role(user, Role.COMMS, Role.REGISTRAR):
            return drafts
        return drafts.filter(targets__account__in=_accounts(user, "view")).distinct()

    def can_create(self, user: Any, draft: Draft | None) -> bool:
        return _accounts(user, "edit_content").exists()

    def can_edit(self, user: Any, draft: Draft | None) -> bool:
        """Change the text, media or time: an editor of every account the draft is for."""
        if draft is None or not draft.is_editable:
            return False
        if has_role(user, Role.COMMS):
            return True
        mine = _accounts(user, "edit_content")
        return not draft.targets.exclude(account__in=mine).exists()

    def can_comment(self, user: Any, draft: Draft | None) -> bool:
        return draft is not None and draft.is_editable and self.can_view(user, draft)

    def can_approve(self, user: Any, draft: Draft | None) -> bool:
        """The approver every account's rule names; never someone who wrote a version of it."""
        if draft is None or draft.state != Draft.State.SUBMITTED or user.pk in _authors(draft):
            return False
        return all(
            may_approve_for(user, target.account, rule_of(target.account))
            for target in draft.targets.select_related("account")
        )

    def can_override(self, user: Any, draft: Draft | None) -> bool:
        return has_role(user, Role.COMMS) and (draft is None or draft.is_editable)

    def can_set_rules(self, user: Any, draft: Draft | None) -> bool:
        return has_role(user, Role.COMMS)


draft_policy = policy_for(Draft)
