"""Reads about the vault, already narrowed to what the person may see. None of them opens a secret."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigill.core.models import AuditEntry
from sigill.core.policies import policy_for
from sigill.organisation.people import Role, User
from sigill.registry.models import Account
from sigill.vault.models import Credential, VaultDeputy

# Acts that show someone a secret (or its code), for an account's reveal history.
REVEAL_ACTS = (
    "vault.credential.revealed",
    "vault.credential.copied",
    "vault.totp.shown",
    "vault.credential.reveal_refused",
    "vault.credential.reveal_failed",
    "vault.credential.changed",
)


def credentials(user: User) -> QuerySet[Credential]:
    return policy_for(Credential).queryset(user).select_related("account__platform")


def credentials_of(user: User, account: Account) -> QuerySet[Credential]:
    return credentials(user).filter(account=account).order_by("label")


def accounts_with_credentials(user: User) -> QuerySet[Account]:
    """Every account in the registry with the number of credentials deposited for it."""
    if not policy_for(Credential).can(user, "view"):
        return Account.objects.none()
    return (
        Account.objects.select_related("platform")
        .annotate(credential_count=Count("credentials"))
        .order_by("display_name", "platform__name")
    )


def reveal_history(account: Account, limit: int = 100) -> QuerySet[AuditEntry]:
    """Who opened, copied or changed the account's credentials, when and why; newest first."""
    ids = [str(pk) for pk in Credential.objects.filter(account=account).values_list("pk", flat=True)]
    return (
        AuditEntry.objects.filter(
            act__in=REVEAL_ACTS, target_type=Credential._meta.label_lower, target_id__in=ids
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def current_deputies() -> QuerySet[VaultDeputy]:
    return VaultDeputy.objects.filter(revoked_at__isnull=True).select_related("user", "named_by")


@dataclass(frozen=True)
class RotationDue:
    credential: Credential
    reasons: list[str | Promise]


def _latest(entries: QuerySet[AuditEntry]) -> dt.datetime | None:
    latest: dt.datetime | None = entries.aggregate(latest=Max("created_at"))["latest"]
    return latest


def rotation_due(user: User, now: dt.datetime | None = None) -> list[RotationDue]:
    """Credentials whose password should change, each with why.

    Read from the audit log since the credential last rotated: someone left comms or lost their
    deputyship (they could see every credential), an editor of the account was revoked, or the
    credential is older than its rotation period.
    """
    now = now or timezone.now()
    left_comms = _latest(
        AuditEntry.objects.filter(
            Q(act="organisation.membership.revoked", details__role=Role.COMMS) | Q(act="vault.deputy.revoked")
        )
    )
    editor_revoked = dict(
        AuditEntry.objects.filter(act="registry.editor.revoked", target_type=Account._meta.label_lower)
        .values_list("target_id")
        .annotate(latest=Max("created_at"))
    )
    due = []
    for credential in (
        credentials(user).filter(retired_at__isnull=True).order_by("account__display_name", "label")
    ):
        reasons: list[str | Promise] = []
        if left_comms and left_comms > credential.rotated_at:
            reasons.append(_("someone who could see it has left comms or the vault deputies"))
        revoked = editor_revoked.get(str(credential.account_id))
        if revoked and revoked > credential.rotated_at:
            reasons.append(_("an editor of the account was revoked"))
        if credential.rotated_at + dt.timedelta(days=credential.rotation_days) <= now:
            reasons.append(_("it is older than its rotation period"))
        if reasons:
            due.append(RotationDue(credential, reasons))
    return due


def has_login_deposited(account: Account) -> bool:
    """Whether the account's login details are in the vault (the activation requirement asks this)."""
    return Credential.objects.filter(account=account, kind=Credential.Kind.LOGIN).exists()


def has_active_credentials(account: Account) -> bool:
    """Whether any credential of ``account`` still holds its secrets (is not retired)."""
    return Credential.objects.filter(account=account, retired_at__isnull=True).exists()
