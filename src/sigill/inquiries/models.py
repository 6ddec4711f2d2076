"""Questions to the municipality (G10, G13): forwarded by employees, read from the contact
center's mailbox, or sent on from the moderation queue; answered within a response-time target."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Inquiry(models.Model):
    """One question and where it stands. Its history is kept beside it in InquiryEvent rows."""

    class Source(models.TextChoices):
        ESERVICE = "eservice", _("Forwarded by an employee")
        EMAIL = "email", _("E-mail to the contact center")
        MODERATION = "moderation", _("The moderation queue")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Finished")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    asked_where = models.CharField(_("where it was asked"), max_length=300)
    question = models.TextField(_("question"))
    asker_contact = models.CharField(_("the asker's contact"), max_length=300, blank=True)
    asked_at = models.DateTimeField(_("asked at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forwarded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_inquiries",
    )
    # The e-mail's Message-ID (or the moderation case's reference): the same message read twice
    # is one inquiry.
    external_id = models.CharField(max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_inquiries",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    sent_to_records_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                name="inquiry_state_is_known", condition=Q(state__in=["open", "answered", "closed"])
            ),
            models.CheckConstraint(
                name="inquiry_source_is_known", condition=Q(source__in=["eservice", "email", "moderation"])
            ),
            models.CheckConstraint(name="inquiry_has_a_question", condition=~Q(question="")),
            models.CheckConstraint(
                name="inquiry_answered_has_an_answer",
                condition=~Q(state="answered") | (~Q(answer="") & Q(answered_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="inquiry_closed_has_a_time", condition=~Q(state="closed") | Q(closed_at__isnull=False)
            ),
            models.CheckConstraint(
                name="inquiry_forwarded_has_an_employee",
                condition=~Q(source="eservice") | Q(forwarded_by__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="inquiry_external_id_once",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="inquiry_state_due_idx")]

    def __str__(self) -> str:
        return _("Inquiry no. %(number)d") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("inquiries:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def time_left(self, now: dt.datetime | None = None) -> dt.timedelta:
        """Until the answer is due; negative when overdue."""
        return self.due_at - (now or timezone.now())

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.time_left() < dt.timedelta(0)


class InquiryEvent(models.Model):
    """One thing that happened to an inquiry, in order: the inquiry's history as a record.

    Rows are only ever added: database triggers refuse UPDATE and DELETE (migration 0002).
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Finished")
        SENT_TO_RECORDS = "sent_to_records", _("Sent to the records system")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                name="inquiry_event_kind_is_known",
                condition=Q(kind__in=["received", "assigned", "answered", "closed", "sent_to_records"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id}: {self.kind}"
