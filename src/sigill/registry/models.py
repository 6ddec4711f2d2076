"""The registry: the platforms, the municipality's official accounts on them, and who edits them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.core.lifecycle import legal_steps
from sigill.organisation.models import Unit


class Platform(models.Model):
    """A social media platform and the facts about it that the connectors and checks rely on."""

    slug = models.SlugField(_("short name"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    # A regular expression with a named group "handle", matched against a normalised profile URL.
    profile_url_pattern = models.CharField(_("profile address pattern"), max_length=300)
    # Builds the canonical profile address from a handle, e.g. "https://www.instagram.com/{handle}/".
    profile_url_template = models.CharField(_("profile address template"), max_length=200, blank=True)
    profile_text_limit = models.PositiveIntegerField(
        _("profile text limit (characters)"),
        null=True,
        blank=True,
        help_text=_("How long the profile's description may be on this platform, if it has a limit."),
    )
    captures_comments_by_api = models.BooleanField(_("comments can be captured by API"), default=False)
    captures_messages_by_api = models.BooleanField(_("messages can be captured by API"), default=False)
    api_can_hide = models.BooleanField(_("the API can hide comments"), default=False)
    api_can_delete = models.BooleanField(_("the API can delete comments"), default=False)
    api_can_block = models.BooleanField(_("the API can block users"), default=False)
    hide_is_final = models.BooleanField(
        _("a hidden comment cannot be shown again"),
        default=False,
        help_text=_("For example YouTube, where hiding a comment rejects it for good."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:platform_edit", kwargs={"slug": self.slug})

    def match_profile_url(self, url: str) -> str | None:
        """The handle in ``url`` (already normalised) if it is a profile on this platform."""
        match = re.fullmatch(self.profile_url_pattern, url, flags=re.IGNORECASE)
        return match.group("handle") if match else None

    @property
    def moderation_acts(self) -> list[str]:
        flags = {"hide": self.api_can_hide, "delete": self.api_can_delete, "block": self.api_can_block}
        return [act for act, allowed in flags.items() if allowed]


class Purpose(models.Model):
    """A purpose category an account serves (DESIGN.md G2)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """An official account of the municipality on a platform."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SETTING_UP = "setting_up", _("Being set up")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")

    # The lifecycle: every other jump is refused (also by the database, on the history rows).
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PLANNED: (Status.SETTING_UP, Status.CLOSED),
        Status.SETTING_UP: (Status.ACTIVE, Status.CLOSED),
        Status.ACTIVE: (Status.PAUSED, Status.CLOSING),
        Status.PAUSED: (Status.ACTIVE, Status.CLOSING),
        Status.CLOSING: (Status.CLOSED,),
        Status.CLOSED: (),
    }
    # Statuses in which the account is live on the platform and so on the public list.
    PUBLIC_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.CLOSING)
    # Statuses that need a responsible person and a deputy.
    STAFFED_STATUSES = (Status.ACTIVE, Status.PAUSED, Status.CLOSING)

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="accounts"
    )
    handle = models.CharField(_("handle"), max_length=200)
    profile_url = models.URLField(_("profile address"), max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    display_name = models.CharField(_("display name"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="accounts"
    )
    purposes = models.ManyToManyField(Purpose, verbose_name=_("purpose categories"), related_name="accounts")
    purpose_statement = models.TextField(_("purpose"))
    target_audience = models.CharField(_("target audience"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts_responsible",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts_deputy",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Any change to what the registry says about the account; drives the public list's caching.
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="account_unique_handle_per_platform"),
            models.CheckConstraint(
                name="account_purpose_statement_required", condition=~Q(purpose_statement="")
            ),
            models.CheckConstraint(
                name="account_status_is_known",
                condition=Q(status__in=["planned", "setting_up", "active", "paused", "closing", "closed"]),
            ),
            models.CheckConstraint(
                name="account_staffed_when_live",
                condition=~Q(status__in=["active", "paused", "closing"])
                | Q(responsible__isnull=False, deputy__isnull=False),
            ),
            models.CheckConstraint(
                name="account_deputy_is_not_the_responsible",
                condition=Q(deputy__isnull=True) | ~Q(deputy=models.F("responsible")),
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_on"], name="account_status_review_idx")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.platform})"

    def get_absolute_url(self) -> str:
        return reverse("registry:account", kwargs={"slug": self.slug})

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def review_is_due(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.next_review_on is not None and self.next_review_on <= today


class AccountStatusChange(models.Model):
    """One step in an account's lifecycle, with when, why and by whom."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Account.Status.choices)
    to_status = models.CharField(max_length=20, choices=Account.Status.choices)
    reason = models.TextField(_("reason"))
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="status_change_is_a_legal_step",
                condition=legal_steps(Account.TRANSITIONS, source="from_status", target="to_status"),
            ),
            models.CheckConstraint(name="status_change_has_a_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.from_status} → {self.to_status}"


class EditorAssignment(models.Model):
    """A person may edit and moderate an account from one date to (optionally) another."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="editor_assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editor"),
        on_delete=models.PROTECT,
        related_name="editor_assignments",
    )
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The last access review that confirmed this assignment.
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("editor assignment")
        verbose_name_plural = _("editor assignments")
        ordering = ["account", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                name="editor_assignment_ends_after_it_starts",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
            ),
            # One open assignment per person and account; revoked ones stay as history.
            models.UniqueConstraint(
                fields=["account", "user"],
                condition=Q(revoked_at__isnull=True),
                name="editor_assignment_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.account}"

    def is_current(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.revoked_at is None
            and self.valid_from <= today
            and (self.valid_until is None or self.valid_until >= today)
        )


def current_assignments_q(prefix: str = "", today: dt.date | None = None) -> Q:
    """Q for editor assignments in force today; ``prefix`` reaches them through a relation."""
    today = today or timezone.localdate()
    conditions: dict[str, Any] = {
        f"{prefix}revoked_at__isnull": True,
        f"{prefix}valid_from__lte": today,
    }
    return Q(**conditions) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


class AccountReview(models.Model):
    """The yearly review: does the account still serve its purpose, and who should keep it?"""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep as it is")
        CHANGE = "change", _("Keep, with changes")
        CLOSE = "close", _("Close the account")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose_met = models.BooleanField(_("the account still serves its purpose"))
    is_active = models.BooleanField(_("the account is kept up (posts and answers)"))
    editors_ok = models.BooleanField(_("the editors are the right people"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    notes = models.TextField(_("notes"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.reviewed_at:%Y-%m-%d}"
