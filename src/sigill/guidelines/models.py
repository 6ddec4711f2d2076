"""Versioned guideline documents (G9) and the editors' acknowledgements of them (G8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GuidelineVersion(models.Model):
    """One published version of the social media guideline. Published versions are never edited:
    a change is a new version with its own in-force date and change summary."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    change_summary = models.TextField(_("what has changed"))
    in_force_from = models.DateField(_("in force from"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the editors were reminded by e-mail that this version is in force (once).
    reminders_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("guideline version")
        verbose_name_plural = _("guideline versions")
        ordering = ["-in_force_from", "-number"]
        constraints = [
            models.CheckConstraint(name="guideline_version_number_positive", condition=Q(number__gte=1)),
            models.CheckConstraint(name="guideline_version_has_text", condition=~Q(body="")),
            models.CheckConstraint(name="guideline_version_has_summary", condition=~Q(change_summary="")),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("guidelines:version", kwargs={"number": self.number})


class Acknowledgement(models.Model):
    """A person confirms having read a version of the guideline."""

    version = models.ForeignKey(GuidelineVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guideline_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="acknowledgement_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.version}"
