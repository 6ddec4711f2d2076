"""Every write to the registry. Each use case checks its policy, runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation import services as organisation
from sigill.organisation.models import Unit, User
from sigill.registry.models import (
    Account,
    AccountReview,
    AccountStatusChange,
    EditorAssignment,
    Platform,
    Purpose,
)
from sigill.registry.profile_urls import read_profile

audit.describe_acts(
    {
        "registry.account.created": gettext_lazy("Account registered"),
        "registry.account.changed": gettext_lazy("Account changed"),
        "registry.account.status_changed": gettext_lazy("Account status changed"),
        "registry.account.reviewed": gettext_lazy("Account reviewed"),
        "registry.editor.assigned": gettext_lazy("Editor assigned"),
        "registry.editor.revoked": gettext_lazy("Editor revoked"),
        "registry.editor.confirmed": gettext_lazy("Editor confirmed in access review"),
        "registry.platform.changed": gettext_lazy("Platform facts changed"),
        "registry.accounts.imported": gettext_lazy("Accounts imported"),
    }
)

REVIEW_INTERVAL = dt.timedelta(days=365)

# Other apps add what must be true before an account goes live (the vault: a credential is
# deposited). Each check returns a Swedish sentence saying what is missing, or None.
ActivationRequirement = Callable[[Account], str | None]
_activation_requirements: list[ActivationRequirement] = []


def activation_requirement(check: ActivationRequirement) -> ActivationRequirement:
    """Register ``check(account)`` as a condition for activating an account."""
    _activation_requirements.append(check)
    return check


def missing_for_activation(account: Account) -> list[str]:
    """What stands between ``account`` and activation, in words for the person activating it."""
    missing = [message for check in _activation_requirements if (message := check(account))]
    if account.responsible is None or account.deputy is None:
        missing.insert(0, str(_("Name a responsible person and a deputy before the account is activated.")))
    return missing


# Other apps add what must be true of a person before they are made an editor (the guidelines:
# the version in force is acknowledged). Each check returns a Swedish sentence, or None.
EditorRequirement = Callable[[User], str | None]
_editor_requirements: list[EditorRequirement] = []


def editor_requirement(check: EditorRequirement) -> EditorRequirement:
    """Register ``check(user)`` as a condition for assigning ``user`` as an editor."""
    _editor_requirements.append(check)
    return check


@dataclass
class AccountData:
    """What a person states about an account, in a form or a spreadsheet row."""

    platform: Platform
    profile_url: str
    display_name: str
    unit: Unit
    purpose_statement: str
    purposes: list[Purpose] = field(default_factory=list)
    target_audience: str = ""
    responsible: User | None = None
    deputy: User | None = None


def resolve_profile(
    platform: Platform, profile_url: str, *, exclude: Account | None = None
) -> tuple[str, str]:
    """The handle and canonical address of ``profile_url``; ValidationError (on "profile_url") if it is not
    a profile on ``platform`` or another account already has it."""
    profile = read_profile(platform, profile_url)
    if profile is None:
        raise ValidationError(
            {"profile_url": _("The address is not a %(platform)s profile.") % {"platform": platform.name}}
        )
    taken = Account.objects.filter(platform=platform, handle=profile.handle)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(
            {
                "profile_url": _("%(platform)s/%(handle)s is already registered.")
                % {"platform": platform.name, "handle": profile.handle}
            }
        )
    return profile.handle, profile.url


def _unique_slug(platform: Platform, handle: str) -> str:
    base = slugify(f"{platform.slug}-{handle.replace('@', '-').replace('.', '-')}")[:100] or platform.slug
    slug, number = base, 2
    while Account.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_people(data: AccountData) -> None:
    if data.responsible is not None and data.responsible == data.deputy:
        raise ValidationError({"deputy": _("The deputy must be someone other than the responsible person.")})


def create_account(*, data: AccountData, by: User, status: str = Account.Status.PLANNED) -> Account:
    """Register an account (planned, unless an import or an approved application says otherwise)."""
    if by is not None:
        policy_for(Account).require(by, "create")
    _check_people(data)
    organisation.require_open_unit(data.unit)
    with transaction.atomic():
        handle, url = resolve_profile(data.platform, data.profile_url)
        account = Account.objects.create(
            platform=data.platform,
            handle=handle,
            profile_url=url,
            slug=_unique_slug(data.platform, handle),
            display_name=data.display_name.strip(),
            unit=data.unit,
            purpose_statement=data.purpose_statement.strip(),
            target_audience=data.target_audience.strip(),
            responsible=data.responsible,
            deputy=data.deputy,
            status=status,
            activated_at=timezone.now() if status == Account.Status.ACTIVE else None,
            next_review_on=timezone.localdate() + REVIEW_INTERVAL
            if status == Account.Status.ACTIVE
            else None,
        )
        account.purposes.set(data.purposes)
        audit.record(
            "registry.account.created",
            actor=by,
            target=account,
            details={
                "platform": data.platform.slug,
                "handle": handle,
                "status": status,
                "unit": data.unit.slug,
            },
        )
    return account


def update_account(*, account: Account, data: AccountData, by: User) -> Account:
    """Change what the registry says about an account; the audit entry lists the changed fields."""
    policy_for(Account).require(by, "change", account)
    _check_people(data)
    if data.unit.pk != account.unit_id:
        organisation.require_open_unit(data.unit)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        handle, url = resolve_profile(data.platform, data.profile_url, exclude=account)
        before = _snapshot(account)
        account.platform, account.handle, account.profile_url = data.platform, handle, url
        account.display_name = data.display_name.strip()
        account.unit = data.unit
        account.purpose_statement = data.purpose_statement.strip()
        account.target_audience = data.target_audience.strip()
        account.responsible, account.deputy = data.responsible, data.deputy
        account.updated_at = timezone.now()
        _save_checked(account)
        account.purposes.set(data.purposes)
        after = _snapshot(account)
        changed = sorted(name for name in after if after[name] != before[name])
        audit.record("registry.account.changed", actor=by, target=account, details={"changed": changed})
    return account


def _snapshot(account: Account) -> dict[str, Any]:
    return {
        "platform": account.platform_id,
        "handle": account.handle,
        "display_name": account.display_name,
        "unit": account.unit_id,
        "purpose_statement": account.purpose_statement,
        "target_audience": account.target_audience,
        "responsible": account.responsible_id,
        "deputy": account.deputy_id,
        "purposes": sorted(account.purposes.values_list("code", flat=True)) if account.pk else [],
    }


def _save_checked(account: Account) -> None:
    if account.status in Account.STAFFED_STATUSES and (account.responsible is None or account.deputy is None):
        raise ValidationError(_("An account that is live needs both a responsible person and a deputy."))
    account.save()


@dataclass
class PlannedAccount:
    row: int
    data: AccountData
    status: str


@dataclass
class ImportPlan:
    to_create: list[PlannedAccount] = field(default_factory=list)
    already_registered: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def can_import(self) -> bool:
        return not self.errors and bool(self.to_create)


def import_accounts(*, plan: ImportPlan, by: User) -> list[Account]:
    """Carry out an import plan: all of it in one transaction, or nothing if any row fails."""
    policy_for(Account).require(by, "create")
    if plan.errors:
        raise ValidationError(plan.errors)
    with transaction.atomic():
        accounts = [create_account(data=row.data, by=by, status=row.status) for row in plan.to_create]
        audit.record(
            "registry.accounts.imported",
            actor=by,
            details={"created": len(accounts), "already_registered": len(plan.already_registered)},
        )
    return accounts


def change_status(*, account: Account, to: str, reason: str, by: User) -> Account:
    """Move an account one legal step along its lifecycle, recording when, why and by whom."""
    policy_for(Account).require(by, "change", account)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the status changes.")})
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        if not account.can_move_to(to):
            raise ValidationError(
                _("An account cannot go from “%(from)s” to “%(to)s”.")
                % {"from": account.get_status_display(), "to": Account.Status(to).label}
            )
        if to == Account.Status.ACTIVE and (missing := missing_for_activation(account)):
            raise ValidationError(missing)
        now = timezone.now()
        AccountStatusChange.objects.create(
            account=account, from_status=account.status, to_status=to, reason=reason.strip(), changed_by=by
        )
        previous = account.status
        account.status, account.status_changed_at, account.updated_at = to, now, now
        if to == Account.Status.ACTIVE and account.activated_at is None:
            account.activated_at = now
            account.next_review_on = timezone.localdate() + REVIEW_INTERVAL
        account.save()
        audit.record(
            "registry.account.status_changed",
            actor=by,
            target=account,
            details={"from": previous, "to": to, "reason": reason.strip()},
        )
    return account


def assign_editor(
    *,
    account: Account,
    user: User,
    by: User,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> EditorAssignment:
    """Let ``user`` edit ``account`` from ``valid_from`` (today) until ``valid_until`` (open-ended)."""
    policy_for(Account).require(by, "manage_editors", account)
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end date must not be before the start date.")})
    if missing := [message for check in _editor_requirements if (message := check(user))]:
        raise ValidationError({"user": missing})
    with transaction.atomic():
        if EditorAssignment.objects.filter(account=account, user=user, revoked_at__isnull=True).exists():
            raise ValidationError(
                {"user": _("%(person)s is already an editor of this account.") % {"person": user}}
            )
        assignment = EditorAssignment.objects.create(
            account=account, user=user, valid_from=valid_from, valid_until=valid_until, granted_by=by
        )
        audit.record(
            "registry.editor.assigned",
            actor=by,
            target=account,
            details={
                "editor": user.get_username(),
                "from": valid_from.isoformat(),
                "until": valid_until.isoformat() if valid_until else None,
            },
        )
    return assignment


def revoke_editors(*, assignments: Iterable[EditorAssignment], by: User, reason: str = "") -> int:
    """End editor assignments now (one or many, as in the access review). Returns how many ended."""
    ended = 0
    with transaction.atomic():
        for assignment in assignments:
            policy_for(EditorAssignment).require(by, "revoke", assignment)
            if assignment.revoked_at is not None:
                continue
            assignment.revoked_at, assignment.revoked_by = timezone.now(), by
            assignment.save(update_fields=["revoked_at", "revoked_by"])
            audit.record(
                "registry.editor.revoked",
                actor=by,
                target=assignment.account,
                details={"editor": assignment.user.get_username(), "reason": reason},
            )
            ended += 1
    return ended


def confirm_editors(*, assignments: Iterable[EditorAssignment], by: User) -> int:
    """Record that comms checked these assignments in the yearly access review."""
    confirmed = 0
    with transaction.atomic():
        for assignment in assignments:
            policy_for(EditorAssignment).require(by, "confirm", assignment)
            assignment.confirmed_at = timezone.now()
            assignment.save(update_fields=["confirmed_at"])
            audit.record(
                "registry.editor.confirmed",
                actor=by,
                target=assignment.account,
                details={"editor": assignment.user.get_username()},
            )
            confirmed += 1
    return confirmed


def review_account(
    *,
    account: Account,
    by: User,
    purpose_met: bool,
    is_active: bool,
    editors_ok: bool,
    decision: str,
    notes: str = "",
    next_review_on: dt.date | None = None,
) -> AccountReview:
    """Record the yearly review and set the next one (a year on, unless the account is to close)."""
    policy_for(Account).require(by, "review", account)
    with transaction.atomic():
        if decision == AccountReview.Decision.CLOSE:
            next_review_on = None
        elif next_review_on is None:
            next_review_on = timezone.localdate() + REVIEW_INTERVAL
        review = AccountReview.objects.create(
            account=account,
            reviewed_by=by,
            purpose_met=purpose_met,
            is_active=is_active,
            editors_ok=editors_ok,
            decision=decision,
            notes=notes.strip(),
            next_review_on=next_review_on,
        )
        Account.objects.filter(pk=account.pk).update(next_review_on=next_review_on, updated_at=timezone.now())
        audit.record(
            "registry.account.reviewed",
            actor=by,
            target=account,
            details={
                "decision": decision,
                "next_review_on": next_review_on.isoformat() if next_review_on else None,
            },
        )
    account.refresh_from_db()
    return review


def update_platform(*, platform: Platform, by: User, changes: dict[str, Any]) -> Platform:
    """Change the catalogue's facts about a platform (comms). Its accounts count as changed, so
    the public list shows a renamed platform at once."""
    policy_for(Platform).require(by, "change", platform)
    with transaction.atomic():
        changed = sorted(name for name, value in changes.items() if getattr(platform, name) != value)
        for name, value in changes.items():
            setattr(platform, name, value)
        platform.save()
        Account.objects.filter(platform=platform).update(updated_at=timezone.now())
        audit.record("registry.platform.changed", actor=by, target=platform, details={"changed": changed})
    return platform
