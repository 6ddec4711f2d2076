"""The record that a month's report went to the communications department.

One row per month, only ever added (database triggers, migration 0002): the unique month is what
makes the monthly e-mail go out once, however often the scheduler asks.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MonthlyReport(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"))

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="reports_monthly_report_once"),
            models.CheckConstraint(name="reports_month_in_range", condition=Q(month__range=(1, 12))),
        ]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
