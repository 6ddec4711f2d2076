"""Disclosure requests: someone asks for public records (TF 2 kap.), the registrar selects the
archived items asked for, reviews each one for secrecy, and decides."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.archive.models import Item


class DisclosureRequest(models.Model):
    """A request for public records, or (``kind`` access) a data subject's access request under
    the GDPR. The requester may stay anonymous: name and contact are optional."""

    class Kind(models.TextChoices):
        PUBLIC_RECORDS = "public_records", _("Request for public records")
        ACCESS = "access", _("Access request under the GDPR")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("In person")
        WEB_FORM = "web_form", _("Web form")
        SOCIAL_MEDIA = "social_media", _("Social media")

    class State(models.TextChoices):
        OPEN = "open", _("Being prepared")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC_RECORDS)
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    description = models.TextField(_("what is asked for"))
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    requester_contact = models.CharField(_("requester's contact"), max_length=300, blank=True)
    # For an access request: the person whose items are looked for.
    subject_name = models.CharField(_("the person it concerns"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("note in the decision"), blank=True)

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="disclosure_state_is_known", condition=Q(state__in=["open", "decided", "withdrawn"])
            ),
            models.CheckConstraint(
                name="disclosure_kind_is_known", condition=Q(kind__in=["public_records", "access"])
            ),
            models.CheckConstraint(name="disclosure_says_what_is_asked", condition=~Q(description="")),
            models.CheckConstraint(
                name="disclosure_closed_has_a_time",
                condition=Q(state="open") | Q(decided_at__isnull=False, decided_by__isnull=False),
            ),
            models.CheckConstraint(
                name="disclosure_access_names_the_person", condition=~Q(kind="access") | ~Q(subject_name="")
            ),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="disclosure_state_age_idx")]

    def __str__(self) -> str:
        return _("Disclosure request no. %(number)d") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("records:request", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def age_in_days(self, now: dt.datetime | None = None) -> int:
        """Whole days since the request came in (the law asks for it to be handled promptly)."""
        today = timezone.localdate(now or timezone.now())
        return (today - timezone.localdate(self.received_at)).days


class RequestedRecord(models.Model):
    """One archived item selected into a request, and the review's outcome for it.

    ``item`` becomes empty only if the item is later disposed of under a retention rule (never
    while the request is open); ``reference`` and ``seal`` keep what was disclosed identifiable.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        DISCLOSE = "disclose", _("Disclose")
        REDACT = "redact", _("Disclose with redactions")
        WITHHOLD = "withhold", _("Withhold")

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="records")
    item = models.ForeignKey(Item, null=True, on_delete=models.SET_NULL, related_name="+")
    # The version reviewed: the newest when the item was selected.
    version_number = models.PositiveIntegerField()
    reference = models.CharField(_("reference"), max_length=40)
    seal = models.CharField(_("seal"), max_length=64)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    # For withholding: the secrecy provision or other ground.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("requested record")
        verbose_name_plural = _("requested records")
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="disclosure_item_once_per_request"),
            models.CheckConstraint(
                name="disclosure_decision_is_known",
                condition=Q(decision__in=["pending", "disclose", "redact", "withhold"]),
            ),
            models.CheckConstraint(
                name="disclosure_withholding_has_a_reason", condition=~Q(decision="withhold") | ~Q(reason="")
            ),
            models.CheckConstraint(
                name="disclosure_reviewed_has_a_reviewer",
                condition=Q(decision="pending") | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Redaction(models.Model):
    """A passage of a requested record's text that is blacked out, with the secrecy provision."""

    record = models.ForeignKey(RequestedRecord, on_delete=models.CASCADE, related_name="redactions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    provision = models.CharField(_("provision"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")
        ordering = ["record", "start"]
        constraints = [
            models.CheckConstraint(name="redaction_is_a_passage", condition=Q(end__gt=F("start"))),
            models.CheckConstraint(name="redaction_names_its_provision", condition=~Q(provision="")),
        ]

    def __str__(self) -> str:
        return f"{self.record}: {self.start}–{self.end} ({self.provision})"
