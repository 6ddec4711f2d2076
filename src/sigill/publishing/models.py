"""Publishing: drafts of posts for one or more accounts, their versions, media, approval and feeds.

A draft is edited in versions (each save is a new numbered :class:`DraftVersion` with its author
and a copy of what it said); it is approved for one version, and an edit after approval takes the
approval away. What the checks found is computed afresh from the text; what comms overrode is kept
as :class:`CheckOverride` rows, each with its reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Draft(models.Model):
    """A post being written for one or more accounts, to go out at ``scheduled_at`` (or now)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        HANDED_OVER = "handed_over", _("Handed over for publishing")

    title = models.CharField(_("working title"), max_length=120)
    link = models.URLField(_("link"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    scheduled_at = models.DateTimeField(_("publish at"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    # Empty on an approved draft when none of its accounts asks for approval.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    # Why the scheduler could not hand the post over at its time (empty when it could, or has not tried).
    handover_error = models.TextField(_("why it could not be handed over"), blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["scheduled_at", "-updated_at"]
        constraints = [
            models.CheckConstraint(
                name="draft_state_is_known",
                condition=Q(state__in=["draft", "submitted", "approved", "handed_over"]),
            ),
            models.CheckConstraint(name="draft_has_a_title", condition=~Q(title="")),
            # Approval holds for one version: an approved draft is approved as it reads now.
            models.CheckConstraint(
                name="draft_approved_as_it_reads",
                condition=~Q(state__in=["approved", "handed_over"])
                | Q(approved_version=F("version"), approved_at__isnull=False),
            ),
            models.CheckConstraint(
                name="draft_not_approved_by_its_author",
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
            ),
            models.CheckConstraint(
                name="draft_handed_over_has_time",
                condition=~Q(state="handed_over") | Q(handed_over_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publishing:draft", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state != self.State.HANDED_OVER


class DraftTarget(models.Model):
    """The text of a draft for one account, adapted to its platform."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="targets")
    account = models.ForeignKey("registry.Account", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"), blank=True)
    first_comment = models.TextField(_("first comment"), blank=True)

    class Meta:
        verbose_name = _("account of a draft")
        verbose_name_plural = _("accounts of a draft")
        ordering = ["account__display_name", "account__platform__position"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "account"], name="draft_target_once_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.draft} → {self.account}"


class DraftMedia(models.Model):
    """An image or a video of a draft, with what makes it accessible."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        VIDEO = "video", _("Video")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="publishing/media/%Y/%m/")
    content_type = models.CharField(max_length=100)
    name = models.CharField(_("file name"), max_length=200)
    alt_text = models.TextField(_("alternative text"))
    captions = models.FileField(_("caption file"), upload_to="publishing/captions/%Y/%m/", blank=True)
    captions_type = models.CharField(max_length=30, blank=True)
    no_captions_reason = models.TextField(_("why the video has no captions"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("image or video")
        verbose_name_plural = _("images and videos")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="draft_media_kind_is_known", condition=Q(kind__in=["image", "video"])
            ),
            models.CheckConstraint(name="draft_media_has_alt_text", condition=~Q(alt_text="")),
            models.CheckConstraint(
                name="draft_video_has_captions_or_a_reason",
                condition=~Q(kind="video") | ~Q(captions="") | ~Q(no_captions_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DraftVersion(models.Model):
    """What a draft said after one save, by whom: the history, and what goes into the record."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    # {"title", "link", "targets": [{"account_id", "account", "text", "first_comment"}], "media": [...]}
    content = models.JSONField()

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="draft_version_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"


class ApprovalRule(models.Model):
    """Whether posts on an account need approval, and from whom; an account without a row needs none."""

    class Approver(models.TextChoices):
        NONE = "none", _("No approval needed")
        SECOND_EDITOR = "second_editor", _("Another editor of the account")
        UNIT_MANAGER = "unit_manager", _("A manager of the account's unit")
        COMMS = "comms", _("Communications")

    account = models.OneToOneField(
        "registry.Account", on_delete=models.CASCADE, primary_key=True, related_name="approval_rule"
    )
    approver = models.CharField(_("approved by"), max_length=20, choices=Approver.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        constraints = [
            models.CheckConstraint(
                name="approval_rule_approver_is_known",
                condition=Q(approver__in=["none", "second_editor", "unit_manager", "comms"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.approver}"


class ReviewEvent(models.Model):
    """One step on a draft's way out: submitted, commented, approved, sent back, overridden, handed over."""

    class Act(models.TextChoices):
        SUBMITTED = "submitted", _("Sent for approval")
        COMMENTED = "commented", _("Commented")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")
        OVERRIDDEN = "overridden", _("Check overridden")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        HANDED_OVER = "handed_over", _("Handed over for publishing")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    act = models.CharField(max_length=20, choices=Act.choices)
    note = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                name="review_event_comment_and_send_back_have_a_note",
                condition=~Q(act__in=["commented", "sent_back", "overridden"]) | ~Q(note=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} v{self.version}: {self.act}"


class CheckOverride(models.Model):
    """Comms let a blocking finding stand, with a reason: this finding on this passage, for this draft."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="overrides")
    fingerprint = models.CharField(max_length=500)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("overridden check")
        verbose_name_plural = _("overridden checks")
        constraints = [
            models.UniqueConstraint(fields=["draft", "fingerprint"], name="check_override_once"),
            models.CheckConstraint(name="check_override_has_a_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.draft}: {self.fingerprint}"


class CalendarFeed(models.Model):
    """A person's secret iCalendar address; only the token's SHA-256 is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}"
