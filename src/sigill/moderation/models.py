"""The moderation queue: a case per received comment, its findings, and the decisions taken on it.

A case is workflow state (open or decided, how severe, when it is due) and may change; what was
decided, what the platform was asked to do, who looked at an account and which findings a
moderator called wrong are records: rows are only ever added (database triggers, migration 0002).
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.archive.models import Item
from sigill.compliance.models import CommentRule
from sigill.registry.models import Account


class TimeTarget(models.Model):
    """How soon what others post on an account must be looked at and decided."""

    account = models.OneToOneField(
        Account, primary_key=True, on_delete=models.CASCADE, related_name="moderation_target"
    )
    hours = models.PositiveSmallIntegerField(
        _("decide within (hours)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    weekends_count = models.BooleanField(
        _("weekends count"),
        default=False,
        help_text=_("Off: the clock stops from Saturday 00:00 to Monday 00:00 (Swedish time)."),
    )

    class Meta:
        verbose_name = _("moderation time target")
        verbose_name_plural = _("moderation time targets")
        constraints = [
            models.CheckConstraint(
                name="moderation_target_hours_in_range", condition=Q(hours__range=(1, 720))
            )
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.hours} h"


class Severity(models.IntegerChoices):
    NONE = 0, _("Nothing found")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


# The queue's order, defined once for the queue page, "next in the queue" and the API: residents'
# reports first (see in_queue_order), then the most severe, then the soonest due. Without reports
# to put first it is also the default order of cases.
QUEUE_ORDER = ("-severity", "due_at", "id")
# Decided cases are looked back on: the most recently due first.
DECIDED_ORDER = ("-due_at", "-id")


class Case(models.Model):
    """One received comment, reply or message waiting for (or given) a moderator's decision.

    ``round`` counts the looks the comment needs: an edit seen after a decision, which brings new
    findings, opens the case again in the next round.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        DECIDED = "decided", _("Decided")

    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="moderation_case")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="moderation_cases")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    round = models.PositiveSmallIntegerField(default=1)
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.NONE
    )
    screened_version = models.PositiveIntegerField(_("screened version"))
    opened_at = models.DateTimeField(_("opened"))
    due_at = models.DateTimeField(_("decision due"))
    first_looked_at = models.DateTimeField(_("first looked at"), null=True, blank=True)
    first_looked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        ordering = list(QUEUE_ORDER)
        constraints = [
            models.CheckConstraint(
                name="moderation_case_state_is_known", condition=Q(state__in=["open", "decided"])
            ),
            models.CheckConstraint(
                name="moderation_case_severity_in_range", condition=Q(severity__range=(0, 4))
            ),
            models.CheckConstraint(name="moderation_case_round_from_one", condition=Q(round__gte=1)),
        ]
        indexes = [models.Index(fields=["state", "-severity", "due_at"], name="moderation_queue_idx")]

    def __str__(self) -> str:
        return _("Case no. %(number)d") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("moderation:case", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_flagged(self) -> bool:
        return self.severity > Severity.NONE

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


def in_queue_order(
    cases: QuerySet[Case], *, reported: Collection[int] = (), state: str | None = Case.State.OPEN
) -> QuerySet[Case]:
    """``cases`` in the queue's order: those residents reported (``reported``, case ids) first,
    then by :data:`QUEUE_ORDER`; decided cases (``state``) by :data:`DECIDED_ORDER`."""
    if state == Case.State.DECIDED:
        return cases.order_by(*DECIDED_ORDER)
    reported_first = SqlCase(
        When(pk__in=list(reported), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return cases.annotate(reported_first=reported_first).order_by("reported_first", *QUEUE_ORDER)


class CaseFinding(models.Model):
    """What screening found in one version of a case's comment (``text[start:end]``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    version = models.PositiveIntegerField()
    type = models.CharField(_("type"), max_length=30)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    confidence = models.FloatField()
    explanation = models.TextField(_("explanation"))
    detector = models.CharField(max_length=60)
    lexicon = models.CharField(max_length=60, blank=True)
    lexicon_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["case", "version", "start", "id"]
        constraints = [
            models.CheckConstraint(
                name="moderation_finding_span_is_forward", condition=Q(end__gt=models.F("start"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.type} {self.start}-{self.end}"


class Act(models.TextChoices):
    KEEP = "keep", _("Keep")
    HIDE = "hide", _("Hide on the platform")
    DELETE = "delete", _("Delete on the platform")
    BLOCK = "block", _("Block the author")
    REPLY = "reply", _("Reply")
    FORWARD = "forward", _("Forward to the contact center")
    SECRET = "secret", _("Holds secret information")
    INDIVIDUAL_CASE = "individual_case", _("Individual case")
    REPORT_THREAT = "report_threat", _("Report a threat to the police")
    # Not a choice for a new comment: it undoes an earlier hide, in the case's next round.
    UNHIDE = "unhide", _("Show again on the platform")


# Acts on the platform that remove or shut out: they need a reason from the published list.
ACTS_NEEDING_REASON = ("hide", "delete", "block")
# Acts carried out on the platform (through its API, or by hand and confirmed).
ACTS_ON_PLATFORM = (*ACTS_NEEDING_REASON, "unhide")
# What a moderator may choose for a comment (unhide only undoes a hide: services.unhide).
DECIDABLE_ACTS = [(value, label) for value, label in Act.choices if value != "unhide"]
# Acts after which the record must be registered by the registrar.
ACTS_NEEDING_REGISTRATION = ("secret", "individual_case")
# Acts that also take the comment off the platform in the same decision (Decision.removal): a threat
# reported to the police and secret information must not stay online (law 1998:112 5 §, OSL).
ACTS_WITH_REMOVAL = ("secret", "report_threat")
# What takes a comment off the platform: after these an evidence bundle can be made of it.
REMOVING_ACTS = ("hide", "delete")


class Removal(models.TextChoices):
    """What a decision to report a threat or mark a secret also does on the platform."""

    NONE = "", _("Leave it on the platform")
    HIDE = "hide", _("Hide it on the platform as well")
    DELETE = "delete", _("Delete it on the platform as well")


class Decision(models.Model):
    """A moderator's decision on one round of a case. One per round: a second is refused."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    round = models.PositiveSmallIntegerField()
    act = models.CharField(_("decision"), max_length=20, choices=Act.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=CommentRule.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    # For "secret" and "report_threat": hide or delete on the platform in the same decision.
    removal = models.CharField(
        _("on the platform"), max_length=10, choices=Removal.choices, default="", blank=True
    )
    # For "secret": the secrecy provision; for "reply": the drafted reply.
    provision = models.CharField(_("secrecy provision"), max_length=200, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="moderation_one_decision_per_round"),
            models.CheckConstraint(
                name="moderation_decision_act_is_known",
                condition=Q(act__in=[value for value, _label in Act.choices]),
            ),
            models.CheckConstraint(
                name="moderation_decision_reason_is_a_rule",
                condition=Q(reason__in=["", *CommentRule.values]),
            ),
            models.CheckConstraint(
                name="moderation_removal_has_a_reason",
                condition=~Q(act__in=ACTS_NEEDING_REASON) | ~Q(reason=""),
            ),
            models.CheckConstraint(
                name="moderation_secret_names_its_provision", condition=~Q(act="secret") | ~Q(provision="")
            ),
            models.CheckConstraint(
                name="moderation_removal_goes_with_report_or_secret",
                condition=Q(removal="") | Q(removal__in=REMOVING_ACTS, act__in=ACTS_WITH_REMOVAL),
            ),
            models.CheckConstraint(
                name="moderation_removal_with_report_has_a_reason", condition=Q(removal="") | ~Q(reason="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.round}: {self.act}"

    @property
    def platform_act(self) -> str:
        """What the decision has done on the platform ("hide", "delete", "block", "unhide"), or ""."""
        return self.act if self.act in ACTS_ON_PLATFORM else self.removal

    def get_platform_act_display(self) -> str:
        return str(Act(self.platform_act).label) if self.platform_act else ""

    @property
    def acts_on_platform(self) -> bool:
        return bool(self.platform_act)

    @property
    def removes(self) -> bool:
        """Whether the decision takes the comment off the platform (hide or delete)."""
        return self.platform_act in REMOVING_ACTS

    @property
    def has_evidence_bundle(self) -> bool:
        """A threat reported to the police, and every comment taken off the platform, can be
        handed on as an evidence bundle made from its verified saved copy."""
        return self.act == Act.REPORT_THREAT or self.removes

    @property
    def needs_registration(self) -> bool:
        return self.act in ACTS_NEEDING_REGISTRATION

    @property
    def done_on_platform(self) -> bool:
        """Whether the act has been carried out on the platform, through its API or by hand."""
        done = (PlatformAct.Outcome.DONE, PlatformAct.Outcome.DONE_BY_HAND)
        return self.platform_acts.filter(outcome__in=done).exists()


class PlatformAct(models.Model):
    """One attempt to carry a decision out on the platform, and how it went."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Done through the platform's API")
        DONE_BY_HAND = "done_by_hand", _("Done by hand on the platform")
        FAILED = "failed", _("Failed")
        REFUSED_UNVERIFIED = "refused_unverified", _("Not tried: the saved copy did not verify")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="platform_acts")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    message = models.TextField(blank=True)
    retryable = models.BooleanField(default=False)
    # The saved copy's seal checked just before the act: the evidence of "save before you remove".
    verified_seal = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                name="moderation_platform_act_outcome_is_known",
                condition=Q(outcome__in=["done", "done_by_hand", "failed", "refused_unverified"]),
            ),
            models.CheckConstraint(
                name="moderation_removal_after_verification",
                condition=~Q(outcome__in=["done", "done_by_hand"]) | ~Q(verified_seal=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.outcome}"


class Registration(models.Model):
    """The registrar has registered (diariefört) the record a decision said must be registered."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="registration")
    reference = models.CharField(_("reference number"), max_length=60)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(name="moderation_registration_has_reference", condition=~Q(reference=""))
        ]

    def __str__(self) -> str:
        return self.reference


class SupervisionVisit(models.Model):
    """Someone looked at an account's comments: the evidence of supervision (law 1998:112 4 §)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="supervision_visits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["account", "-at"], name="moderation_visit_account_idx")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.user_id} {self.at:%Y-%m-%d %H:%M}"


class FindingFeedback(models.Model):
    """A moderator says a finding was wrong; counted per detector and word list for comms."""

    finding = models.OneToOneField(CaseFinding, on_delete=models.CASCADE, related_name="feedback")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.finding_id}: wrong"


class WordList(models.Model):
    """One version of a word list comms edits; the newest version of each list is in use."""

    name = models.CharField(_("word list"), max_length=60)
    version = models.PositiveIntegerField()
    terms = models.TextField(_("terms"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="moderation_word_list_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
