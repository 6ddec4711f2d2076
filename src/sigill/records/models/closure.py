"""Closing an account: the steps the guideline and the archive law ask for before an official
account is gone (final capture, e-archive delivery, registry, vault, editors)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigill.registry.models import Account


class AccountClosure(models.Model):
    """One account's closure. Its steps' states are read from the systems that hold them (the
    archive, the vault, the registry); what only a person can say is recorded here."""

    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    reason = models.TextField(_("why the account is closed"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A final capture made outside Sigill's connectors (by hand, a rendered snapshot), recorded.
    manual_capture_note = models.TextField(_("final capture made by hand"), blank=True)
    manual_capture_at = models.DateTimeField(null=True, blank=True)
    earchive_package = models.CharField(_("e-archive package"), max_length=200, blank=True)
    earchive_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why the account was closed while steps were still open (comms' word, in the audit log too).
    override_reason = models.TextField(_("why closed with steps open"), blank=True)

    class Meta:
        verbose_name = _("account closure")
        verbose_name_plural = _("account closures")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(name="closure_has_a_reason", condition=~Q(reason="")),
            models.CheckConstraint(
                name="closure_closed_has_a_closer",
                condition=Q(closed_at__isnull=True) | Q(closed_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return _("Closure of %(account)s") % {"account": self.account}

    def get_absolute_url(self) -> str:
        return reverse("records:closure", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
