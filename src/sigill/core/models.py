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
