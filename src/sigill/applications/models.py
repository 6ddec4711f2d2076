"""The e-service for new accounts: applications, their steps, and the setup checklist's manual ticks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.core.lifecycle import legal_steps
from sigill.organisation.models import Unit
from sigill.registry.models import Account, Platform, Purpose


class Application(models.Model):
    """An employee's application for a new official account (G3)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for the unit manager")
        RETURNED = "returned", _("Returned for completion")
        ANCHORED = "anchored", _("Anchored, waiting for communications")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The workflow. The database refuses a step row for any other move (see ApplicationStep).
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        State.DRAFT: (State.SUBMITTED, State.WITHDRAWN),
        State.SUBMITTED: (State.ANCHORED, State.RETURNED, State.REJECTED, State.WITHDRAWN),
        State.RETURNED: (State.SUBMITTED, State.WITHDRAWN),
        State.ANCHORED: (State.APPROVED, State.RETURNED, State.REJECTED, State.WITHDRAWN),
        State.APPROVED: (),
        State.REJECTED: (),
        State.WITHDRAWN: (),
    }
    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ANCHORED)
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), null=True, blank=True, on_delete=models.PROTECT
    )
    proposed_name = models.CharField(_("proposed name"), max_length=200, blank=True)
    proposed_address = models.CharField(_("proposed handle or address"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    purposes = models.ManyToManyField(Purpose, verbose_name=_("purpose categories"), blank=True)
    purpose_statement = models.TextField(_("purpose"), blank=True)
    target_audience = models.CharField(_("target audience"), max_length=300, blank=True)
    content_plan = models.TextField(_("content plan"), blank=True)
    publishers = models.TextField(_("who will publish"), blank=True)
    hours_per_week = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    moderation_plan = models.TextField(_("moderation plan"), blank=True)
    crisis_plan = models.TextField(_("crisis plan"), blank=True)
    ending_plan = models.TextField(_("how the account ends"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    account = models.OneToOneField(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="application_state_is_known",
                condition=Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "returned",
                        "anchored",
                        "approved",
                        "rejected",
                        "withdrawn",
                    ]
                ),
            ),
            # Past the draft, the application says what the account is for and who runs it.
            models.CheckConstraint(
                name="application_complete_when_submitted",
                condition=Q(state__in=["draft", "returned", "withdrawn", "rejected"])
                | (
                    Q(
                        platform__isnull=False,
                        unit__isnull=False,
                        responsible__isnull=False,
                        deputy__isnull=False,
                    )
                    & ~Q(purpose_statement="")
                    & ~Q(proposed_name="")
                    & ~Q(moderation_plan="")
                ),
            ),
            models.CheckConstraint(
                name="application_approved_has_account",
                condition=~Q(state="approved") | Q(account__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "state_changed_at"], name="application_state_idx")]

    def __str__(self) -> str:
        name = self.proposed_name or _("(unnamed)")
        return f"{name} – {self.platform or '?'}"

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", kwargs={"pk": self.pk})

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS[self.state]

    @property
    def days_in_state(self) -> int:
        return (timezone.now() - self.state_changed_at).days


class ApplicationStep(models.Model):
    """One step of the workflow, shown as the application's timeline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(max_length=20, choices=Application.State.choices)
    to_state = models.CharField(max_length=20, choices=Application.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The applicant at the time, so the database itself can refuse self-review.
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                name="application_step_is_legal",
                condition=legal_steps(Application.TRANSITIONS, source="from_state", target="to_state"),
            ),
            models.CheckConstraint(
                name="application_step_return_or_reject_has_a_comment",
                condition=~Q(to_state__in=["returned", "rejected"]) | ~Q(comment=""),
            ),
            models.CheckConstraint(
                name="application_step_no_self_review",
                condition=~Q(to_state__in=["anchored", "approved", "returned", "rejected"])
                | ~Q(actor=models.F("applicant")),
            ),
            models.CheckConstraint(
                name="application_step_applicant_moves_own",
                condition=~Q(to_state__in=["submitted", "withdrawn"]) | Q(actor=models.F("applicant")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


class ChecklistTick(models.Model):
    """Comms ticks a setup item by hand where no app records the fact yet, with a note."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="checklist_ticks")
    item = models.CharField(max_length=40)
    note = models.TextField()
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "item"], name="checklist_tick_once_per_item"),
            models.CheckConstraint(name="checklist_tick_has_a_note", condition=~Q(note="")),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.item}"
