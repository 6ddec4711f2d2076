"""The reports' writes: the audit entry of every export, and the monthly e-mail to comms."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from sigill.core import anchors, audit
from sigill.organisation.models import Role, User
from sigill.reports import exports, selectors
from sigill.reports.figures import Report
from sigill.reports.models import MonthlyReport
from sigill.reports.periods import Month, first_working_day

log = logging.getLogger(__name__)

audit.describe_acts(
    {
        "reports.exported": gettext_lazy("Report downloaded"),
        "reports.monthly.sent": gettext_lazy("Monthly report e-mailed to communications"),
        "reports.monthly.resent": gettext_lazy("Monthly report e-mailed to communications again"),
    }
)

FORMATS = {"csv": exports.as_csv, "pdf": exports.as_pdf}


def export(*, report: Report, kind: str, by: User) -> bytes:
    """The report as ``kind`` (csv or pdf), with the download in the audit log."""
    content = FORMATS[kind](report)
    with transaction.atomic():
        audit.record(
            "reports.exported",
            actor=by,
            details={
                "month": Month(report.year, report.month).iso,
                "unit": report.unit.slug if report.unit else None,
                "format": kind,
                "accounts": len(report.accounts),
            },
        )
    return content


def recipients() -> list[User]:
    """Everyone in the communications department with an e-mail address."""
    return list(
        User.objects.filter(is_active=True, memberships__role=Role.COMMS)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def send_monthly_report(*, today: dt.date | None = None, period: Month | None = None) -> MonthlyReport | None:
    """E-mail last month's report (PDF and CSV) to comms, once per month.

    Without ``period``: only on or after the first working day of the month (so a scheduler that
    was down that day sends it on its first run after), and only if it has not been sent. With
    ``period`` (an operator's explicit request): that month's report, if it has not been sent
    (``resend_monthly_report`` sends one again). Nothing is recorded while nobody in comms has an
    e-mail address: the report goes out on the first run after someone has one.
    Returns the record of the sending, or None when nothing was sent.
    """
    today = today or timezone.localdate()
    if period is None:
        if today < first_working_day(Month.of(today)):
            return None
        period = Month.of(today).previous()
    if selectors.monthly_report_sent(period) is not None:
        return None
    people = recipients()
    if not people:
        log.warning(
            "reports: nobody in communications has an e-mail address; the report for %s waits", period
        )
        return None
    message = _message(selectors.municipality_report(period), period, [person.email for person in people])
    try:
        with transaction.atomic():
            # The unique month lets exactly one sender through, also when two schedulers race.
            sent = MonthlyReport.objects.create(year=period.year, month=period.month, recipients=len(people))
            audit.record(
                "reports.monthly.sent",
                target=sent,
                actor_label="sigill",
                details={"month": period.iso, "recipients": len(people)},
            )
            # Sent inside the transaction: a mail server that refuses rolls the record back, and
            # the next run tries again.
            message.send(fail_silently=False)
    except IntegrityError:
        return None
    log.info("reports: the report for %s went to %d people", period, len(people))
    return sent


def resend_monthly_report(*, period: Month) -> int:
    """E-mail a month's report to comms again (an operator's request, e.g. for a lost mail);
    returns how many received it (0, with a warning, when nobody in comms has an address)."""
    people = recipients()
    if not people:
        log.warning("reports: nobody in communications has an e-mail address; the report is not sent")
        return 0
    message = _message(selectors.municipality_report(period), period, [person.email for person in people])
    with transaction.atomic():
        audit.record(
            "reports.monthly.resent",
            target=selectors.monthly_report_sent(period),
            actor_label="sigill",
            details={"month": period.iso, "recipients": len(people)},
        )
        message.send(fail_silently=False)
    log.info("reports: the report for %s went again to %d people", period, len(people))
    return len(people)


def _message(report: Report, period: Month, to: list[str]) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        # The chains' heads ride along, so the monthly report is a record of them outside Sigill.
        context = {
            "report": report,
            "period": period,
            "link": _link(period),
            "heads": anchors.current_heads(),
        }
        subject = render_to_string("reports/email/subject.txt", context).strip()
        body = render_to_string("reports/email/body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to=to, connection=get_connection())
    message.attach(exports.filename(report, "pdf"), exports.as_pdf(report), "application/pdf")
    message.attach(exports.filename(report, "csv"), exports.as_csv(report), "text/csv")
    return message


def _link(period: Month) -> str:
    path = reverse("reports:month", kwargs={"year": period.year, "month": period.month})
    return settings.SIGILL_BASE_URL.rstrip("/") + path
