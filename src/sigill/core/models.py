"""The audit log and the worker heartbeat."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One security-relevant act, written in the same transaction as the change it records.

    The table is append-only (database triggers refuse UPDATE and DELETE) and every entry carries
    the SHA-256 of its own content and of the entry before it, so ``verify_audit`` finds any row
    that was altered, removed or slipped in.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor's username at the time, so the entry reads the same after a rename.
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    act = models.CharField(_("act"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.act}"

    def content_hash(self) -> str:
        """The SHA-256 over the previous hash and this entry's content, in a canonical form."""
        return compute_hash(
            prev_hash=self.prev_hash,
            content={
                "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "act": self.act,
                "target_type": self.target_type,
                "target_id": self.target_id,
                "target_label": self.target_label,
                "details": self.details,
            },
        )


def compute_hash(*, prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


class WorkerHeartbeat(models.Model):
    """The last time a background worker ran the heartbeat task; ``/healthz`` reads it."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class SchedulerLease(models.Model):
    """Which scheduler process may run, so that two started by mistake never both enqueue work."""

    name = models.CharField(max_length=50, unique=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.expires_at:%H:%M:%S}"


class DeletionPermit(models.Model):
    """A permit for the transaction that holds it to delete rows of one append-only table.

    Only the retention service's disposal creates one, and removes it before its transaction
    ends (``core.append_only.deletion_permitted``); the table is empty at every other moment.
    """

    table_name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.table_name


class SignInStage(models.TextChoices):
    PASSWORD = "password", _("Password")
    TWO_FACTOR = "two_factor", _("Two-factor code")


class SignInScope(models.TextChoices):
    """What a sign-in throttle counts failures by."""

    USERNAME = "username", _("Username")
    ADDRESS = "address", _("Network address")
    EVERYONE = "everyone", _("All sign-ins")
    DEVICE = "device", _("Known browser")


class SignInFailure(models.Model):
    """One failed password or two-factor code, kept only as long as the throttles count it.

    ``username_key`` is the normalised name that was typed (``sign_in_guard.username_key``), so
    ``Alice``, ``ALICE`` and `` alice `` count as one; ``device`` is the known-browser cookie's id,
    if the browser sent one.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    stage = models.CharField(max_length=10, choices=SignInStage.choices)
    username_key = models.CharField(max_length=150)
    address = models.CharField(max_length=45, blank=True)
    device = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["stage", "username_key", "at"], name="signin_failure_user_idx"),
            models.Index(fields=["stage", "address", "at"], name="signin_failure_address_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="signin_failure_stage_known",
                condition=models.Q(stage__in=SignInStage.values),
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.stage} {self.username_key}"


class SignInLock(models.Model):
    """A wait imposed on sign-ins after repeated failures: by username, by address, for everyone,
    or for one known browser. It lifts by itself at ``until``, or earlier when comms lift it."""

    stage = models.CharField(_("step"), max_length=10, choices=SignInStage.choices)
    scope = models.CharField(_("counted by"), max_length=10, choices=SignInScope.choices)
    key = models.CharField(_("locked"), max_length=150, blank=True)
    failures = models.PositiveIntegerField(_("failures"))
    locked_at = models.DateTimeField(_("locked at"), default=timezone.now)
    until = models.DateTimeField(_("until"), db_index=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        ordering = ["-locked_at", "-id"]
        indexes = [models.Index(fields=["stage", "scope", "key", "until"], name="signin_lock_scope_idx")]
        constraints = [
            models.CheckConstraint(
                name="signin_lock_ends_after_it_starts", condition=models.Q(until__gt=models.F("locked_at"))
            ),
            models.CheckConstraint(
                name="signin_lock_lift_has_a_lifter",
                condition=models.Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | models.Q(lifted_at__isnull=False, lifted_by__isnull=False),
            ),
            models.CheckConstraint(
                name="signin_lock_scope_known",
                condition=models.Q(scope__in=SignInScope.values) & models.Q(stage__in=SignInStage.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key}: {self.until:%Y-%m-%d %H:%M}"

    def is_active(self, now: Any = None) -> bool:
        return self.lifted_at is None and self.until > (now or timezone.now())
