"""Every write to the vault, and every opening of a sealed field.

Plaintext lives only in the local variables of these functions and in what they return to the
one caller that asked (a reveal, a sync, a break-glass file). It is never put in an audit entry,
a log line or an exception: errors name the credential and the field, never the value.
"""

from __future__ import annotations

import base64
import json
import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from sigill.core import audit
from sigill.core.models import AuditEntry
from sigill.core.policies import policy_for
from sigill.organisation.people import User
from sigill.registry.models import Account
from sigill.registry.services import activation_requirement
from sigill.vault import breakglass, crypto, selectors
from sigill.vault.keys import VaultKeyError, key_provider
from sigill.vault.models import REVEALABLE_FIELDS, SEALED_FIELDS, Credential, VaultDeputy
from sigill.vault.totp import TotpSecret, current_code

audit.describe_acts(
    {
        "vault.credential.deposited": gettext_lazy("Credential deposited"),
        "vault.credential.changed": gettext_lazy("Credential changed"),
        "vault.credential.revealed": gettext_lazy("Credential revealed"),
        "vault.credential.copied": gettext_lazy("Revealed credential copied"),
        "vault.credential.reveal_refused": gettext_lazy("Credential reveal refused"),
        "vault.credential.reveal_failed": gettext_lazy("Credential could not be opened"),
        "vault.totp.shown": gettext_lazy("Two-factor code shown"),
        "vault.api_token.opened": gettext_lazy("API token opened for a sync"),
        "vault.platform_grant.sealed": gettext_lazy("Platform log-in tokens sealed"),
        "vault.refresh_token.opened": gettext_lazy("Refresh token opened for a token refresh"),
        "vault.deputy.named": gettext_lazy("Vault deputy named"),
        "vault.deputy.revoked": gettext_lazy("Vault deputy revoked"),
        "vault.keys.rotated": gettext_lazy("Vault master key rotated"),
        "vault.exported": gettext_lazy("Break-glass export of the vault"),
        "vault.credential.retired": gettext_lazy("Credential retired"),
    }
)

MIN_REASON_LENGTH = 5
MIN_PASSPHRASE_LENGTH = 16


class RecheckRequired(PermissionDenied):
    """The person may open the vault, but their last two-factor check is too old."""


@activation_requirement
def _a_credential_is_deposited(account: Account) -> str | None:
    if selectors.has_login_deposited(account):
        return None
    return str(_("Deposit the account's login details in the vault before it is activated."))


@dataclass
class Secrets:
    """Values a person typed. ``None`` keeps what is stored; ``remove`` lists fields to empty."""

    password: str | None = None
    totp: TotpSecret | None = None
    recovery_codes: str | None = None
    recovery_contact: str | None = None
    notes: str | None = None
    api_token: str | None = None
    remove: set[str] = field(default_factory=set)

    def given(self) -> dict[str, str]:
        values = {
            "password": self.password,
            "totp_secret": self.totp.secret if self.totp else None,
            "recovery_codes": self.recovery_codes,
            "recovery_contact": self.recovery_contact,
            "notes": self.notes,
            "api_token": self.api_token,
        }
        return {name: value for name, value in values.items() if value}


def generate_password(length: int = 24) -> str:
    """A random password with letters, digits and punctuation that platforms accept."""
    alphabet = string.ascii_letters + string.digits + "-_.!?#%+="
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("Write why you need it (at least five characters).")})
    return reason


def _data_key(credential: Credential) -> bytes:
    return crypto.unwrap_data_key(key_provider(), credential.pk, credential.key_id, credential.wrapped_key)


@sensitive_variables()
def _seal_into(credential: Credential, data_key: bytes, values: dict[str, str]) -> None:
    for name, value in values.items():
        setattr(credential, f"{name}_sealed", crypto.seal(data_key, credential.pk, name, value))


@sensitive_variables()
def open_field(credential: Credential, name: str) -> str:
    """The plaintext of one sealed field; VaultKeyError or SealBrokenError if it cannot be opened."""
    if name not in SEALED_FIELDS:
        raise ValueError(f"{name!r} is not a sealed field")
    sealed = bytes(getattr(credential, f"{name}_sealed"))
    if not sealed:
        return ""
    return crypto.open_sealed(_data_key(credential), credential.pk, name, sealed)


@sensitive_variables()
def deposit_credential(
    *,
    account: Account,
    by: User,
    label: str,
    secrets_given: Secrets,
    login_name: str = "",
    kind: str = Credential.Kind.LOGIN,
    rotation_days: int | None = None,
) -> Credential:
    """Seal a new credential for ``account`` under its own data key."""
    policy_for(Credential).require(by, "deposit")
    if Credential.objects.filter(account=account, label=label.strip()).exists():
        raise ValidationError({"label": _("The account already has a credential with that name.")})
    credential = Credential(account=account, kind=kind, label=label.strip(), login_name=login_name.strip())
    if rotation_days:
        credential.rotation_days = rotation_days
    if secrets_given.totp:
        credential.totp_digits, credential.totp_period = secrets_given.totp.digits, secrets_given.totp.period
    data_key = crypto.new_data_key()
    credential.key_id, credential.wrapped_key = crypto.wrap_data_key(key_provider(), credential.pk, data_key)
    values = secrets_given.given()
    _seal_into(credential, data_key, values)
    credential.created_by = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        credential.save(force_insert=True)
        audit.record(
            "vault.credential.deposited",
            actor=by,
            target=credential,
            details={"account": account.slug, "label": credential.label, "fields": sorted(values)},
        )
    return credential


@sensitive_variables()
def change_credential(
    *,
    credential: Credential,
    by: User,
    reason: str,
    secrets_given: Secrets,
    label: str | None = None,
    login_name: str | None = None,
    rotation_days: int | None = None,
) -> Credential:
    """Change what a credential holds. A new password or token counts as a rotation."""
    policy_for(Credential).require(by, "change", credential)
    reason = _reason(reason)
    with transaction.atomic():
        credential = Credential.objects.select_for_update().select_related("account").get(pk=credential.pk)
        changed: list[str] = []
        for attribute, value in (
            ("label", label),
            ("login_name", login_name),
            ("rotation_days", rotation_days),
        ):
            if value is not None and value != getattr(credential, attribute):
                setattr(credential, attribute, value.strip() if isinstance(value, str) else value)
                changed.append(attribute)
        values = secrets_given.given()
        if values:
            _seal_into(credential, _data_key(credential), values)
        if secrets_given.totp:
            credential.totp_digits, credential.totp_period = (
                secrets_given.totp.digits,
                secrets_given.totp.period,
            )
        removed = sorted(name for name in secrets_given.remove & set(SEALED_FIELDS) if name not in values)
        for name in removed:
            setattr(credential, f"{name}_sealed", b"")
        changed += sorted(values) + removed
        now = timezone.now()
        if {"password", "api_token"} & set(values):
            credential.rotated_at = now
        credential.updated_at = now
        credential.save()
        audit.record(
            "vault.credential.changed",
            actor=by,
            target=credential,
            details={"account": credential.account.slug, "changed": changed, "reason": reason},
        )
    return credential


def retire_credentials(*, account: Account, by: User, reason: str) -> int:
    """Retire every credential of ``account`` (closed): the sealed values are erased for good, so
    nothing of the old login can leak later; what was held and when it was retired stays. Each
    retirement is audited. Returns how many were retired."""
    policy_for(Credential).require(by, "change")
    reason = _reason(reason)
    retired = 0
    with transaction.atomic():
        for credential in Credential.objects.select_for_update().filter(
            account=account, retired_at__isnull=True
        ):
            held = credential.present_fields
            for name in SEALED_FIELDS:
                setattr(credential, f"{name}_sealed", b"")
            credential.retired_at, credential.retired_by = timezone.now(), by
            credential.updated_at = credential.retired_at
            credential.save()
            audit.record(
                "vault.credential.retired",
                actor=by,
                target=credential,
                details={"account": account.slug, "erased": held, "reason": reason},
            )
            retired += 1
    return retired


def _refuse(credential: Credential, by: User, act_field: str, reason: str, why: str) -> None:
    with transaction.atomic():
        audit.record(
            "vault.credential.reveal_refused",
            actor=by,
            target=credential,
            details={"account": credential.account.slug, "field": act_field, "reason": reason, "why": why},
        )


def _authorise_opening(
    *, credential: Credential, by: User, what: str, reason: str, recently_verified: bool
) -> str:
    """Check policy, two-factor freshness and reason; a refusal is audited before it is raised."""
    if not policy_for(Credential).can(by, "reveal", credential):
        _refuse(credential, by, what, reason.strip(), "not_allowed")
        raise PermissionDenied("reveal on vault.Credential refused")
    if not recently_verified:
        _refuse(credential, by, what, reason.strip(), "two_factor_not_recent")
        raise RecheckRequired("a fresh two-factor check is needed")
    return _reason(reason)


def _opening_failed(credential: Credential, by: User, what: str, reason: str, error: Exception) -> None:
    with transaction.atomic():
        audit.record(
            "vault.credential.reveal_failed",
            actor=by,
            target=credential,
            details={
                "account": credential.account.slug,
                "field": what,
                "reason": reason,
                "error": type(error).__name__,
            },
        )


@dataclass(frozen=True)
class Revealed:
    value: str = field(repr=False)
    field: str
    entry_id: int


@sensitive_variables()
def reveal(
    *, credential: Credential, field_name: str, by: User, reason: str, recently_verified: bool
) -> Revealed:
    """Open one field for ``by``, who gave ``reason`` and passed two-factor recently. Audited."""
    reason = _authorise_opening(
        credential=credential, by=by, what=field_name, reason=reason, recently_verified=recently_verified
    )
    if field_name not in REVEALABLE_FIELDS or not credential.has(field_name):
        raise ValidationError({"field": _("Choose something the credential holds.")})
    try:
        value = open_field(credential, field_name)
    except (VaultKeyError, crypto.SealBrokenError) as exc:
        _opening_failed(credential, by, field_name, reason, exc)
        raise
    with transaction.atomic():
        entry = audit.record(
            "vault.credential.revealed",
            actor=by,
            target=credential,
            details={"account": credential.account.slug, "field": field_name, "reason": reason},
        )
    return Revealed(value=value, field=field_name, entry_id=entry.pk)


@dataclass(frozen=True)
class ShownCode:
    code: str = field(repr=False)
    seconds_left: int
    entry_id: int


@sensitive_variables()
def show_totp_code(*, credential: Credential, by: User, reason: str, recently_verified: bool) -> ShownCode:
    """The credential's current two-factor code (never its secret), for ``by`` with ``reason``. Audited."""
    if not credential.has("totp_secret"):
        raise ValidationError(_("No two-factor secret is deposited for this credential."))
    reason = _authorise_opening(
        credential=credential, by=by, what="totp_code", reason=reason, recently_verified=recently_verified
    )
    try:
        secret = TotpSecret(
            open_field(credential, "totp_secret"), credential.totp_digits, credential.totp_period
        )
    except (VaultKeyError, crypto.SealBrokenError) as exc:
        _opening_failed(credential, by, "totp_code", reason, exc)
        raise
    code, seconds_left = current_code(secret)
    with transaction.atomic():
        entry = audit.record(
            "vault.totp.shown",
            actor=by,
            target=credential,
            details={"account": credential.account.slug, "reason": reason},
        )
    return ShownCode(code=code, seconds_left=seconds_left, entry_id=entry.pk)


def record_copy(*, credential: Credential, by: User, reveal_entry_id: int) -> AuditEntry:
    """Audit that ``by`` copied what they revealed in ``reveal_entry_id``, under that reveal's reason."""
    reveal_entry = AuditEntry.objects.filter(
        pk=reveal_entry_id,
        act__in=["vault.credential.revealed", "vault.totp.shown"],
        actor=by,
        target_type=Credential._meta.label_lower,
        target_id=str(credential.pk),
    ).first()
    if reveal_entry is None:
        raise PermissionDenied("no such reveal by this person")
    with transaction.atomic():
        return audit.record(
            "vault.credential.copied",
            actor=by,
            target=credential,
            details={
                "account": credential.account.slug,
                "field": reveal_entry.details.get("field", "totp_code"),
                "reason": reveal_entry.details.get("reason", ""),
                "reveal": reveal_entry.pk,
            },
        )


@sensitive_variables()
def open_api_token(*, account: Account, purpose: str, sync_run_id: str) -> str:
    """The API token a connector uses for ``account``, for the system only; each use is audited and
    numbered within its sync run."""
    credential = (
        Credential.objects.filter(account=account, kind=Credential.Kind.API_TOKEN)
        .exclude(api_token_sealed=b"")
        .order_by("-rotated_at")
        .first()
    )
    if credential is None:
        raise LookupError(f"No API token is deposited in the vault for account {account.slug}.")
    token = open_field(credential, "api_token")
    with transaction.atomic():
        uses = AuditEntry.objects.filter(
            act="vault.api_token.opened", details__sync_run=str(sync_run_id)
        ).count()
        audit.record(
            "vault.api_token.opened",
            target=credential,
            actor_label="system",
            details={
                "account": account.slug,
                "purpose": purpose,
                "sync_run": str(sync_run_id),
                "use": uses + 1,
            },
        )
    return token


PLATFORM_GRANT_LABEL = "Plattformsinloggning"


def _platform_grant(account: Account) -> Credential | None:
    return Credential.objects.filter(
        account=account, kind=Credential.Kind.API_TOKEN, label=PLATFORM_GRANT_LABEL, retired_at__isnull=True
    ).first()


@sensitive_variables()
def seal_platform_grant(
    *, account: Account, access_token: str, refresh_token: str = "", by: User | None, platform: str
) -> Credential:
    """Seal the tokens a platform log-in (OAuth) gave for ``account``: the access token as the
    account's API token, which the connectors open as they always have, and the refresh token
    beside it. ``by`` is the person who logged in, or None for the scheduler's refresh. Audited,
    without the values."""
    if by is not None:
        policy_for(Credential).require(by, "deposit")
    values = {"api_token": access_token, "refresh_token": refresh_token}
    if not access_token:
        raise ValueError("a platform log-in without an access token cannot be sealed")
    with transaction.atomic():
        credential = _platform_grant(account)
        created = credential is None
        if credential is None:
            credential = Credential(
                account=account, kind=Credential.Kind.API_TOKEN, label=PLATFORM_GRANT_LABEL
            )
            data_key = crypto.new_data_key()
            credential.key_id, credential.wrapped_key = crypto.wrap_data_key(
                key_provider(), credential.pk, data_key
            )
            credential.created_by = by if getattr(by, "is_authenticated", False) else None
        else:
            credential = Credential.objects.select_for_update().get(pk=credential.pk)
            data_key = _data_key(credential)
        _seal_into(credential, data_key, {name: value for name, value in values.items() if value})
        if not refresh_token:
            credential.refresh_token_sealed = b""
        credential.rotated_at = credential.updated_at = timezone.now()
        credential.save(force_insert=created)
        audit.record(
            "vault.platform_grant.sealed",
            actor=by,
            actor_label="" if by is not None else "system",
            target=credential,
            details={
                "account": account.slug,
                "platform": platform,
                "fields": sorted(name for name, value in values.items() if value),
            },
        )
    return credential


@sensitive_variables()
def open_refresh_token(*, account: Account, purpose: str) -> str:
    """The refresh token of ``account``'s platform log-in, for the scheduler's refresh only;
    LookupError when there is none. Each opening is audited."""
    credential = _platform_grant(account)
    if credential is None or not credential.has("refresh_token"):
        raise LookupError(f"No refresh token is sealed in the vault for account {account.slug}.")
    token = open_field(credential, "refresh_token")
    with transaction.atomic():
        audit.record(
            "vault.refresh_token.opened",
            target=credential,
            actor_label="system",
            details={"account": account.slug, "purpose": purpose},
        )
    return token


@sensitive_variables()
def seal_app_secret(*, purpose: str, value: str) -> str:
    """Seal the secret of an app Sigill registered itself (a Mastodon instance's client secret)
    under a data key of its own, wrapped by the master key; returns text to keep in a column.
    ``purpose`` names what it is for and must be given again to open it."""
    box = uuid.uuid4()
    data_key = crypto.new_data_key()
    key_id, wrapped = crypto.wrap_data_key(key_provider(), box, data_key)
    sealed = crypto.seal(data_key, box, purpose, value)
    return json.dumps(
        {
            "box": str(box),
            "key_id": key_id,
            "wrapped": base64.b64encode(wrapped).decode(),
            "sealed": base64.b64encode(sealed).decode(),
        }
    )


@sensitive_variables()
def open_app_secret(*, purpose: str, kept: str) -> str:
    """The value :func:`seal_app_secret` sealed for ``purpose``; SealBrokenError if it does not open."""
    parts = json.loads(kept)
    box = uuid.UUID(parts["box"])
    data_key = crypto.unwrap_data_key(
        key_provider(), box, parts["key_id"], base64.b64decode(parts["wrapped"])
    )
    return crypto.open_sealed(data_key, box, purpose, base64.b64decode(parts["sealed"]))


def name_deputy(*, user: User, by: User) -> VaultDeputy:
    """Let ``user`` open the vault as comms does (not export it or name others)."""
    policy_for(VaultDeputy).require(by, "name")
    with transaction.atomic():
        if VaultDeputy.objects.filter(user=user, revoked_at__isnull=True).exists():
            raise ValidationError({"user": _("%(person)s is already a vault deputy.") % {"person": user}})
        deputy = VaultDeputy.objects.create(user=user, named_by=by)
        audit.record("vault.deputy.named", actor=by, target=user, details={"deputy": user.get_username()})
    user.__dict__.pop("_sigill_vault_deputy", None)
    return deputy


def revoke_deputy(*, deputy: VaultDeputy, by: User) -> VaultDeputy:
    """End a deputyship. Every credential becomes due for rotation: the deputy could have seen it."""
    policy_for(VaultDeputy).require(by, "revoke", deputy)
    with transaction.atomic():
        if deputy.revoked_at is None:
            deputy.revoked_at, deputy.revoked_by = timezone.now(), by
            deputy.save(update_fields=["revoked_at", "revoked_by"])
            audit.record(
                "vault.deputy.revoked",
                actor=by,
                target=deputy.user,
                details={"deputy": deputy.user.get_username()},
            )
    deputy.user.__dict__.pop("_sigill_vault_deputy", None)
    return deputy


def rotate_master_key(*, progress: Callable[[int], None] | None = None) -> int:
    """Re-wrap every data key under the current master key; returns how many were re-wrapped.

    One credential per transaction, so an interrupted run leaves every row either on its old key
    or on the new one, and running it again picks up where it stopped. Secrets are not touched.
    """
    provider = key_provider()
    current = provider.current_key_id()
    rewrapped = 0
    while batch := list(
        Credential.objects.exclude(key_id=current).order_by("pk").values_list("pk", flat=True)[:200]
    ):
        for pk in batch:
            with transaction.atomic():
                credential = Credential.objects.select_for_update().get(pk=pk)
                if credential.key_id == current:
                    continue
                data_key = crypto.unwrap_data_key(provider, pk, credential.key_id, credential.wrapped_key)
                credential.key_id, credential.wrapped_key = crypto.wrap_data_key(provider, pk, data_key)
                credential.save(update_fields=["key_id", "wrapped_key"])
            rewrapped += 1
            if progress is not None:
                progress(rewrapped)
    with transaction.atomic():
        audit.record(
            "vault.keys.rotated",
            actor_label="vault_rotate_key",
            details={"current_key": current, "rewrapped": rewrapped},
        )
    return rewrapped


@sensitive_variables()
def export_break_glass(*, by: User, passphrase: str, recently_verified: bool) -> bytes:
    """Every credential in one file sealed with ``passphrase`` (docs/vault.md). Audited."""
    policy_for(Credential).require(by, "export")
    if not recently_verified:
        raise RecheckRequired("a fresh two-factor check is needed")
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError({"passphrase": _("Use a passphrase of at least 16 characters.")})
    credentials = list(
        Credential.objects.select_related("account__platform").order_by("account__slug", "label")
    )
    entries = []
    for credential in credentials:
        entry: dict[str, Any] = {
            "account": credential.account.slug,
            "platform": credential.account.platform.slug,
            "profile_url": credential.account.profile_url,
            "label": credential.label,
            "kind": credential.kind,
            "login_name": credential.login_name,
            "totp_digits": credential.totp_digits,
            "totp_period": credential.totp_period,
        }
        for name in credential.present_fields:
            entry[name] = open_field(credential, name)
        entries.append(entry)
    blob = breakglass.seal_bundle(
        {"credentials": entries, "exported_at": timezone.now().isoformat()}, passphrase
    )
    with transaction.atomic():
        audit.record("vault.exported", actor=by, details={"credentials": len(entries)})
    return blob
