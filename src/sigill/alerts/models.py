"""Alerts: who wants to be told what, who is on call (jour) when, and every alert raised and sent.

An alert is raised once per case and reason (the database refuses a second), whatever the number
of findings or screenings. Each alert has one delivery per e-mail recipient and one for the
Teams or Slack channel; a delivery records its attempts, so a failed webhook is seen and retried.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    CRITICAL_FINDING = "critical_finding", _("Critical finding")
    MISSED_TARGET = "missed_target", _("Missed time target")
    DIGEST = "digest", _("Digest of many alerts")


class AlertPreference(models.Model):
    """What one person wants to receive; a person without a row receives everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="alert_preference"
    )
    by_email = models.BooleanField(_("by e-mail"), default=True)
    webhook_mention = models.BooleanField(_("named in the Teams or Slack channel"), default=True)
    critical_finding = models.BooleanField(_("critical findings"), default=True)
    missed_target = models.BooleanField(_("missed time targets"), default=True)
    digest = models.BooleanField(_("digests when many alerts come at once"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, reason: str) -> bool:
        return bool(getattr(self, reason))


class RotaWeek(models.Model):
    """Who is on call (has jour) from Monday 00:00 to Sunday 24:00 of one week, holidays included."""

    week_start = models.DateField(_("week starting"), unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("on call"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("on-call week")
        verbose_name_plural = _("on-call weeks")
        ordering = ["week_start"]

    def __str__(self) -> str:
        return f"{self.week_start}: {self.person}"


class RotaDay(models.Model):
    """One day on which someone other than the week's person is on call."""

    day = models.DateField(_("day"), unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("on call"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("on-call day")
        verbose_name_plural = _("on-call days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.person}"


class Alert(models.Model):
    """One alert about one case (or, for a digest, about many of an account's cases).

    ``on_call`` says it was raised outside office hours and went to the person on call.
    ``digest`` is set when a flood folded the alert into a digest instead of sending it alone.
    ``delivered_at`` is when its deliveries were first tried (for a digest: when it closed).
    """

    account = models.ForeignKey("registry.Account", on_delete=models.PROTECT, related_name="alerts")
    case = models.ForeignKey(
        "moderation.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    finding_types = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    on_call = models.BooleanField(_("outside office hours"), default=False)
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="folded")
    # Those who asked to be named in the Teams or Slack channel's message.
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # For a digest: when it closes and is sent.
    due_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reason"],
                condition=Q(case__isnull=False),
                name="alerts_one_per_case_and_reason",
            ),
            models.CheckConstraint(
                name="alerts_reason_is_known",
                condition=Q(reason__in=["critical_finding", "missed_target", "digest"]),
            ),
            # A digest is about many cases; every other alert about exactly one.
            models.CheckConstraint(
                name="alerts_digest_has_no_case",
                condition=Q(reason="digest", case__isnull=True)
                | (~Q(reason="digest") & Q(case__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["account", "-created_at"], name="alerts_account_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.account}"


class Delivery(models.Model):
    """One alert to one person by e-mail, or to the Teams or Slack channel, and how it went."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Teams or Slack")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Failed, will be tried again")
        FAILED = "failed", _("Failed, given up")

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt failed, in words that never hold the webhook's address.
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        ordering = ["alert", "channel", "id"]
        constraints = [
            models.CheckConstraint(
                name="alerts_delivery_state_is_known",
                condition=Q(state__in=["pending", "sent", "retrying", "failed"]),
            ),
            models.CheckConstraint(
                name="alerts_email_has_a_person",
                condition=Q(channel="webhook", user__isnull=True) | Q(channel="email", user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["alert", "channel", "user"], name="alerts_one_delivery_per_person"
            ),
            models.UniqueConstraint(
                fields=["alert"], condition=Q(channel="webhook"), name="alerts_one_webhook_delivery"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.channel}: {self.state}"
