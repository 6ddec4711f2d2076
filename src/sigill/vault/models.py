"""The credential vault: sealed login details per official account, and the people who may open them.

No column holds a secret in plaintext. ``SEALED_FIELDS`` lists the sealed ones; each is stored as
``<name>_sealed`` (empty bytes when the credential has no such value).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.registry.models import Account

# The secret fields, in the order a form and a break-glass file show them.
SEALED_FIELDS = (
    "password",
    "totp_secret",
    "recovery_codes",
    "recovery_contact",
    "notes",
    "api_token",
    "refresh_token",
)
# What a person may reveal: everything except the two-factor secret (Sigill shows its current code
# instead) and API tokens and their refresh tokens (only a sync or a token refresh opens them).
REVEALABLE_FIELDS = ("password", "recovery_codes", "recovery_contact", "notes")
FIELD_LABELS = {
    "password": _("Password"),
    "totp_secret": _("Two-factor secret"),
    "totp_code": _("Two-factor code"),
    "recovery_codes": _("Recovery codes"),
    "recovery_contact": _("Recovery phone or e-mail"),
    "notes": _("Notes"),
    "api_token": _("API token"),
    "refresh_token": _("Refresh token"),
}


def default_rotation_days() -> int:
    return int(settings.VAULT_ROTATION_DAYS)


class Credential(models.Model):
    """One set of login details for an account: the page itself, the business manager behind it,
    or the API token a connector uses."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        API_TOKEN = "api_token", _("API token")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credentials")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LOGIN)
    label = models.CharField(
        _("name"), max_length=120, help_text=_("For example “The page” or “Business manager”.")
    )
    login_name = models.CharField(_("login name or e-mail"), max_length=254, blank=True)
    totp_digits = models.PositiveSmallIntegerField(default=6)
    totp_period = models.PositiveSmallIntegerField(default=30)
    rotation_days = models.PositiveIntegerField(_("rotate after (days)"), default=default_rotation_days)

    # The data key, wrapped by the master key ``key_id``; every sealed field opens with it.
    key_id = models.CharField(max_length=64)
    wrapped_key = models.BinaryField()
    password_sealed = models.BinaryField(default=b"")
    totp_secret_sealed = models.BinaryField(default=b"")
    recovery_codes_sealed = models.BinaryField(default=b"")
    recovery_contact_sealed = models.BinaryField(default=b"")
    notes_sealed = models.BinaryField(default=b"")
    api_token_sealed = models.BinaryField(default=b"")
    # The refresh token of a platform log-in (OAuth), beside the access token in ``api_token``.
    refresh_token_sealed = models.BinaryField(default=b"")

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # When the password (or token) last changed: rotation is counted from here.
    rotated_at = models.DateTimeField(default=timezone.now)
    # A retired credential (its account is closed) holds no secret any more: the values are erased.
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["account__display_name", "label"]
        constraints = [
            models.UniqueConstraint(fields=["account", "label"], name="credential_unique_label_per_account"),
            models.CheckConstraint(
                name="credential_kind_is_known", condition=Q(kind__in=["login", "api_token"])
            ),
            models.CheckConstraint(name="credential_key_is_named", condition=~Q(key_id="")),
            models.CheckConstraint(name="credential_totp_digits", condition=Q(totp_digits__in=[6, 8])),
            models.CheckConstraint(name="credential_rotation_positive", condition=Q(rotation_days__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.account} – {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("vault:account", kwargs={"slug": self.account.slug})

    def has(self, field: str) -> bool:
        return bool(getattr(self, f"{field}_sealed"))

    @property
    def present_fields(self) -> list[str]:
        return [field for field in SEALED_FIELDS if self.has(field)]


class VaultDeputy(models.Model):
    """Someone outside comms whom comms has named to open the vault as well."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named_at = models.DateTimeField(default=timezone.now)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vault deputy")
        verbose_name_plural = _("vault deputies")
        ordering = ["-named_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="vault_deputy_once_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)
