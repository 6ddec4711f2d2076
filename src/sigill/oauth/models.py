"""What Sigill knows of an account's platform log-in (OAuth), beside the sealed tokens.

The tokens themselves are sealed in the vault (the account's API credential: the access token, and
the refresh token beside it); a :class:`Grant` holds only what is not secret: which platform
account the log-in reached, when its access token expires, when the scheduler looks at it next,
and whether the platform still honours it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Grant(models.Model):
    """One account's log-in with its platform, as comms gave it."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Lost: log in again")

    account = models.OneToOneField(
        "registry.Account", on_delete=models.CASCADE, related_name="platform_grant"
    )
    # The provider's key: the platform slug of the registry (facebook, instagram, linkedin, ...).
    platform = models.CharField(_("platform"), max_length=30)
    remote_id = models.CharField(_("platform id of the account"), max_length=200)
    remote_name = models.CharField(_("name on the platform"), max_length=200, blank=True)
    api_base = models.URLField(_("API address"), max_length=300, blank=True)
    scopes = models.TextField(_("permissions granted"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    expires_at = models.DateTimeField(_("access token expires"), null=True, blank=True)
    refresh_expires_at = models.DateTimeField(_("refresh token expires"), null=True, blank=True)
    # When the scheduler refreshes (or, for tokens that do not expire, checks) the log-in next.
    next_check_at = models.DateTimeField(_("next refresh or check"), null=True, blank=True)
    connected_at = models.DateTimeField(_("logged in"), default=timezone.now)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_refreshed_at = models.DateTimeField(_("last refreshed"), null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    lost_at = models.DateTimeField(_("lost"), null=True, blank=True)
    # What comms is told, in the language of the moment it was lost (Swedish on the worker).
    lost_reason = models.TextField(_("why it was lost"), blank=True)

    class Meta:
        verbose_name = _("platform log-in")
        verbose_name_plural = _("platform log-ins")
        ordering = ["account__display_name"]
        indexes = [models.Index(fields=["state", "next_check_at"], name="oauth_grant_due_idx")]
        constraints = [
            models.CheckConstraint(name="oauth_grant_has_remote_id", condition=~Q(remote_id="")),
            models.CheckConstraint(
                name="oauth_grant_state_is_known", condition=Q(state__in=["active", "lost"])
            ),
            models.CheckConstraint(
                name="oauth_grant_lost_has_time", condition=Q(state="active") | Q(lost_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.platform} {self.remote_id}"


class InstanceApp(models.Model):
    """Sigill's app as registered on one Mastodon server (``POST /api/v1/apps``), reused by every
    account on that server. The client secret is sealed by the vault (never kept in plain text)."""

    instance = models.URLField(_("server"), max_length=300, unique=True)
    client_id = models.CharField(max_length=200)
    client_secret_sealed = models.TextField()
    redirect_uri = models.URLField(max_length=300)
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("app on a Mastodon server")
        verbose_name_plural = _("apps on Mastodon servers")
        constraints = [
            models.CheckConstraint(name="oauth_instance_app_has_client", condition=~Q(client_id="")),
        ]

    def __str__(self) -> str:
        return self.instance
