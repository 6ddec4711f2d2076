"""How Sigill reaches each account's platform, and every attempt it made to capture from it.

:class:`Connection` holds what the sync engine needs between runs: the platform's id for the
account, the interval, the state, and the cursor — the queue of requests still to make in the
walk in progress, committed with each page's captures so a crash resumes where it stopped. It
never holds a token: tokens stay in the vault and are opened once per run.

:class:`CaptureRun` is one attempt by one path (API sync, webhook delivery, export import); the
coverage report is read from these rows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.archive.capture import Source
from sigill.registry.models import Account


class Connection(models.Model):
    """An account's link to its platform's API."""

    class Status(models.TextChoices):
        NEW = "new", _("Not synced yet")
        OK = "ok", _("Working")
        FAILING = "failing", _("Failing")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="connection")
    # The platform's id of the account: a Page id, an Instagram user id, a YouTube uploads
    # playlist, a LinkedIn organisation id, an X user id, a Mastodon account id, a Bluesky DID.
    remote_id = models.CharField(_("platform id of the account"), max_length=200)
    # Where the API is, for platforms without one address (a Mastodon instance, a Bluesky PDS).
    api_base = models.URLField(_("API address"), max_length=300, blank=True)
    interval_minutes = models.PositiveIntegerField(_("sync interval (minutes)"), default=15)
    status = models.CharField(_("state"), max_length=20, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now)
    cursor = models.JSONField(default=dict, blank=True)
    # The start of the last complete walk: the next walk reads what is new since then.
    captured_until = models.DateTimeField(null=True, blank=True)
    next_sync_at = models.DateTimeField(_("next sync"), null=True, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful sync"), null=True, blank=True)
    items_captured = models.PositiveBigIntegerField(_("items captured"), default=0)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["account__display_name"]
        constraints = [
            models.CheckConstraint(name="connection_has_remote_id", condition=~Q(remote_id="")),
            models.CheckConstraint(name="connection_interval_positive", condition=Q(interval_minutes__gte=1)),
            models.CheckConstraint(
                name="connection_status_is_known",
                condition=Q(status__in=["new", "ok", "failing", "needs_reconnect"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.remote_id}"


class CaptureRun(models.Model):
    """One attempt to capture an account by one path; its id numbers the vault's token use."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        PAUSED = "paused", _("Paused for the rate limit")
        FAILED = "failed", _("Failed")
        OUTAGE = "outage", _("Platform unavailable")
        NEEDS_RECONNECT = "needs_reconnect", _("Token expired or revoked")
        INTERRUPTED = "interrupted", _("Interrupted")
        REFUSED = "refused", _("Refused")

    # Outcomes that leave a gap in the capture until a later run succeeds.
    GAP_OUTCOMES = (Outcome.FAILED, Outcome.OUTAGE, Outcome.NEEDS_RECONNECT)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="capture_runs")
    path = models.CharField(_("path"), max_length=20, choices=Source.choices)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RUNNING)
    pages = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(_("new items"), default=0)
    versions = models.PositiveIntegerField(_("new versions"), default=0)
    error = models.TextField(_("error"), blank=True)
    # An import's report: the file, what was imported, skipped and why; its progress while it runs.
    details = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("capture run")
        verbose_name_plural = _("capture runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["account", "started_at"], name="capture_run_account_idx")]
        constraints = [
            models.CheckConstraint(
                name="capture_run_outcome_is_known",
                condition=Q(
                    outcome__in=[
                        "running",
                        "succeeded",
                        "paused",
                        "failed",
                        "outage",
                        "needs_reconnect",
                        "interrupted",
                        "refused",
                    ]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.path} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def leaves_gap(self) -> bool:
        return self.outcome in self.GAP_OUTCOMES


class WalkSighting(models.Model):
    """A platform object the account's current full walk has seen.

    A full walk notes every object it reads; when it completes, an object the archive holds that
    the walk did not see is gone from the platform (``connectors.sync``). Cleared when the next
    full walk starts: a walk resumed after a pause keeps what it has seen.
    """

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="+")
    object_id = models.TextField()

    class Meta:
        verbose_name = _("object seen by a full walk")
        verbose_name_plural = _("objects seen by a full walk")
        indexes = [models.Index(fields=["connection"], name="walk_sighting_connection_idx")]

    def __str__(self) -> str:
        return self.object_id


class WebhookDelivery(models.Model):
    """A payload a platform pushed, with a valid signature, kept until the worker has captured it."""

    platform = models.CharField(max_length=30)
    received_at = models.DateTimeField(default=timezone.now)
    # The raw body: the signature was checked on these bytes, and a replay is known by their hash.
    body = models.TextField()
    sha256 = models.CharField(max_length=64, unique=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # A validly signed body that cannot be read (not UTF-8, not JSON, not the documented shape):
    # refused with 400 and kept as a failed delivery, so the gap is known; never captured.
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.platform} {self.received_at:%Y-%m-%d %H:%M}"


class WebhookNoise(models.Model):
    """Requests to a webhook endpoint without a valid signature, counted by platform, reason and hour
    (a metric), not written one by one: anyone can send them, and an audit row each would let
    anyone fill the append-only audit log. The first of each hour writes one audit summary."""

    platform = models.CharField(max_length=30)
    reason = models.CharField(max_length=30)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("refused webhook requests")
        verbose_name_plural = _("refused webhook requests")
        ordering = ["-hour"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "reason", "hour"], name="webhook_noise_one_row_an_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.reason} {self.hour:%Y-%m-%d %H}: {self.count}"


class Outgoing(models.Model):
    """A post or reply Sigill publishes on an account's platform: one row per caller's key.

    Exactly once: the worker writes the row (state "sending", its attempt, itself as the holder)
    before it calls the platform and again after; a row found "sending" whose worker is gone, or
    "uncertain" (the call may have reached the platform), is first looked for on the platform
    (``connectors.publish``) and only posted again when it is not there.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        # The call may have reached the platform (a timeout, a dropped answer, a worker that died):
        # the next try reads the platform before it posts.
        UNCERTAIN = "uncertain", _("Uncertain: checked on the platform before trying again")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="outgoing")
    # The caller's idempotency key ("draft:42:account:7:v3"): queuing it again returns this row.
    key = models.CharField(_("key"), max_length=200, unique=True)
    text = models.TextField(_("text"), blank=True)
    # Each file as stored: {name, content_type, alt_text, file, size, captions_file, captions_type}.
    media = models.JSONField(default=list, blank=True)
    first_comment = models.TextField(_("first comment"), blank=True)
    # The archived item answered, and its platform id (kept should the item be disposed of).
    reply_to_item = models.ForeignKey(
        "archive.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_to_id = models.CharField(_("answers"), max_length=500, blank=True)
    record_metadata = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    # The worker ("host:pid") holding the row while it is "sending", and since when.
    worker = models.CharField(max_length=200, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    platform_id = models.CharField(_("platform id"), max_length=500, blank=True)
    platform_url = models.URLField(_("address on the platform"), max_length=1000, blank=True)
    first_comment_id = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The drawn-up record in the archive.
    item = models.ForeignKey(
        "archive.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("outgoing post")
        verbose_name_plural = _("outgoing posts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_try_at"], name="outgoing_due_idx")]
        constraints = [
            models.CheckConstraint(name="outgoing_has_key", condition=~Q(key="")),
            models.CheckConstraint(
                name="outgoing_state_is_known",
                condition=Q(state__in=["queued", "sending", "published", "failed", "uncertain"]),
            ),
            models.CheckConstraint(
                name="outgoing_published_has_platform_id",
                condition=~Q(state="published") | (~Q(platform_id="") & Q(published_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="outgoing_sending_has_worker",
                condition=~Q(state="sending") | (~Q(worker="") & Q(sending_since__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.key}"
