"""Profile requirements and checks (G5, G11), the texts Sigill writes, and residents' reports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as NumberError
from stdnum.se import orgnr

from sigill.registry.models import Account


def formatted_organisation_number(value: str) -> str:
    """``value`` as a valid Swedish organisation number written NNNNNN-NNNN, or a ValidationError."""
    try:
        return str(orgnr.format(orgnr.validate(value)))
    except NumberError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid Swedish organisation number (ten digits, e.g. 212000-1652)."),
            code="invalid_organisation_number",
            params={"value": value},
        ) from exc


def validate_organisation_number(value: str) -> None:
    formatted_organisation_number(value)


class Municipality(models.Model):
    """The municipality as the sender of every account: its contact details (one row, id 1)."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("The municipality's organisation number, e.g. 212000-1652."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    logo_url = models.URLField(
        _("logo address"),
        blank=True,
        help_text=_("The logo following the graphic profile, for profile pictures."),
    )
    privacy_url = models.URLField(
        _("personal data information"),
        blank=True,
        help_text=_("The page that explains how the municipality handles personal data."),
    )
    public_address = models.URLField(
        _("Sigill's public address"),
        blank=True,
        help_text=_("Where residents reach Sigill's public pages, e.g. https://sigill.vara.example"),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")
        constraints = [models.CheckConstraint(name="municipality_single_row", condition=Q(id=1))]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street_address, place) if part)


class Requirement(models.TextChoices):
    """What every profile must say (BBS-lagen 3 §, E-delegationen checklist §6, the guideline G11)."""

    SENDER = "sender", _("The municipality as clear sender: name and logo following the graphic profile")
    WEBSITE = "website", _("Website")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    ADDRESS = "address", _("Address")
    PURPOSE = "purpose", _("Purpose of the account")
    COMMENTS = "comments", _("What comments are for")
    PUBLIC_RECORDS = "public_records", _("Posts and comments become public records")
    FORBIDDEN = "forbidden", _("What content is not allowed and what happens then")
    REPORTING = "reporting", _("Ask users to report comments that break the GDPR or the platform's terms")


class Result(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_POSSIBLE = "not_possible", _("Not possible on this platform")


class ProfileCheck(models.Model):
    """A check of an account's live profile against the requirements, with its evidence."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="profile_checks")
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    profile_text = models.TextField(_("profile text"), blank=True)
    profile_link = models.URLField(_("profile link"), max_length=500, blank=True)
    screenshot = models.FileField(_("screenshot"), upload_to="compliance/evidence/%Y/", blank=True)
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("profile check")
        verbose_name_plural = _("profile checks")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.CheckConstraint(name="profile_check_score_is_a_percentage", condition=Q(score__lte=100))
        ]
        indexes = [models.Index(fields=["account", "-checked_at"], name="profile_check_latest_idx")]

    def __str__(self) -> str:
        return f"{self.account} {self.checked_at:%Y-%m-%d}"


class ProfileCheckItem(models.Model):
    check_run = models.ForeignKey(ProfileCheck, on_delete=models.CASCADE, related_name="items")
    requirement = models.CharField(max_length=30, choices=Requirement.choices)
    result = models.CharField(max_length=20, choices=Result.choices)
    # True when Sigill read the result from the profile text; False when a person judged it.
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["check_run", "requirement"], name="profile_check_item_once"),
            models.CheckConstraint(
                name="profile_check_item_result_is_known",
                condition=Q(result__in=["met", "not_met", "not_possible"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.result}"


class TextTemplate(models.Model):
    """A template comms edits for the texts Sigill writes: the about texts and the policy page."""

    code = models.SlugField(max_length=40, unique=True)
    body = models.TextField(_("text"))
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("text template")
        verbose_name_plural = _("text templates")
        constraints = [models.CheckConstraint(name="text_template_has_text", condition=~Q(body=""))]

    def __str__(self) -> str:
        return self.code


class AppliedProfileText(models.Model):
    """An editor put this generated about text on the live profile. When the text Sigill would
    write now differs, the profile needs updating."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="applied_profile_texts")
    text = models.TextField()
    applied_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.account} {self.applied_at:%Y-%m-%d}"


class CommentRule(models.TextChoices):
    """The published comment rules: what is not allowed on an account (law 1998:112 5 § and the
    municipality's own rules). Every policy page lists them, and a moderator who hides, deletes or
    blocks names one, so the author can be told which rule applied."""

    UNLAWFUL_THREAT = "olaga_hot", _("Unlawful threat (olaga hot)")
    INTEGRITY = "olaga_integritetsintrang", _("Unlawful invasion of privacy (olaga integritetsintrång)")
    SEDITION = "uppvigling", _("Sedition (uppvigling)")
    AGITATION = "hets_mot_folkgrupp", _("Agitation against a population group (hets mot folkgrupp)")
    CHILD_ABUSE = "barnpornografi", _("Child sexual abuse material")
    VIOLENCE = "olaga_valdsskildring", _("Unlawful depiction of violence (olaga våldsskildring)")
    INCITEMENT = "offentlig_uppmaning", _("Public incitement to crime (offentlig uppmaning)")
    COPYRIGHT = "upphovsratt", _("Obvious copyright infringement")
    PERSONAL_ATTACK = "personal_attack", _("Personal attack")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic")
    SENSITIVE_DATA = "sensitive_data", _("Sensitive personal data")
    SECRECY = "secrecy", _("Secret information")

    @classmethod
    def unlawful(cls) -> frozenset[str]:
        """The reasons of law 1998:112 5 §: content the account holder must remove."""
        return frozenset(
            {
                cls.UNLAWFUL_THREAT,
                cls.INTEGRITY,
                cls.SEDITION,
                cls.AGITATION,
                cls.CHILD_ABUSE,
                cls.VIOLENCE,
                cls.INCITEMENT,
                cls.COPYRIGHT,
            }
        )


class ReportReason(models.TextChoices):
    """The reasons published on every policy page (BBS-lagen 5 §, the GDPR, the comment rules)."""

    ILLEGAL = "illegal", _("Threats, hate speech or other crime")
    PERSONAL_DATA = "personal_data", _("Breaks the GDPR: offensive or sensitive personal data")
    PLATFORM_TERMS = "platform_terms", _("Breaks the platform's terms")
    HARASSMENT = "harassment", _("Personal attacks or harassment")
    COPYRIGHT = "copyright", _("Copyright infringement")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Something else that breaks the comment rules")


class CommentReport(models.Model):
    """A resident reports a comment on an account, from its policy page. Reports go first in line
    in the moderation queue (which reads them through ``selectors.open_reports_for``)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="comment_reports")
    comment_url = models.URLField(_("link to the comment"), max_length=500)
    reason = models.CharField(_("reason"), max_length=30, choices=ReportReason.choices)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    reported_at = models.DateTimeField(default=timezone.now)
    # A keyed hash of the sender's address: enough to stop a flood, without keeping the address.
    sender_key = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["reported_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="comment_report_reason_is_published",
                condition=Q(reason__in=[choice for choice, _label in ReportReason.choices]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.reason}"
