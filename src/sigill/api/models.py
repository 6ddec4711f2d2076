"""Personal API tokens: a person's key to the REST API, with a scope and an expiry.

Only the SHA-256 of a token is stored. A token is 256 random bits, so its digest cannot be turned
back into it by guessing; the short public ``prefix`` finds the row and lets its owner recognise
the token in lists and in the audit log without the secret.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal API token")
        verbose_name_plural = _("personal API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="api_token_scope_is_known", condition=Q(scope__in=["read", "write"])),
            models.CheckConstraint(
                name="api_token_expires_after_creation", condition=Q(expires_at__gt=models.F("created_at"))
            ),
            models.CheckConstraint(name="api_token_has_a_name", condition=~Q(name="")),
            models.CheckConstraint(
                name="api_token_digest_is_sha256", condition=Q(digest__regex=r"^[0-9a-f]{64}$")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
