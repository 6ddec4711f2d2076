"""The monthly report goes to comms by e-mail on the first working day of the month, once."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings

from sigill.core.models import AuditEntry
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.reports import services
from sigill.reports.models import MonthlyReport
from sigill.reports.periods import Month

pytestmark = pytest.mark.django_db


@pytest.fixture
def comms_with_mail(alice: User, bob: User) -> User:
    alice.email = "alice@vara.example"
    alice.save()
    bob.email = "bob@vara.example"  # a unit manager: not a recipient
    bob.save()
    return alice


def test_on_the_first_working_day_comms_gets_last_months_report_as_pdf_and_csv(
    comms_with_mail: User, march: dict[str, Case]
) -> None:
    sent = services.send_monthly_report(today=dt.date(2026, 4, 1))
    assert sent is not None and (sent.year, sent.month, sent.recipients) == (2026, 3, 1)
    [message] = mail.outbox
    assert message.to == ["alice@vara.example"]
    assert "mars 2026" in message.subject
    assert "Modereringsbeslut: 5" in message.body
    names = [name for name, _content, _type in message.attachments]
    assert names == ["sigill-report-2026-03.pdf", "sigill-report-2026-03.csv"]
    pdf, csv = (content for _name, content, _type in message.attachments)
    assert pdf.startswith(b"%PDF-")
    assert "Vara bibliotek" in csv  # text attachments are kept as text
    assert AuditEntry.objects.filter(act="reports.monthly.sent").count() == 1


def test_it_is_sent_once_however_often_the_scheduler_asks(comms_with_mail: User) -> None:
    assert services.send_monthly_report(today=dt.date(2026, 4, 1)) is not None
    assert services.send_monthly_report(today=dt.date(2026, 4, 1)) is None
    assert services.send_monthly_report(today=dt.date(2026, 4, 2)) is None
    assert len(mail.outbox) == 1
    assert MonthlyReport.objects.count() == 1


@pytest.mark.parametrize(
    ("today", "sends"),
    [
        (dt.date(2026, 1, 1), None),  # New Year's Day
        (dt.date(2026, 1, 2), Month(2025, 12)),  # the first working day
        (dt.date(2026, 5, 1), None),  # 1 May, a Friday
        (dt.date(2026, 5, 2), None),  # Saturday
        (dt.date(2026, 5, 4), Month(2026, 4)),  # Monday
        (dt.date(2026, 5, 20), Month(2026, 4)),  # the scheduler was down on the 4th: sent late, once
    ],
)
def test_it_waits_for_the_first_working_day(
    comms_with_mail: User, today: dt.date, sends: Month | None
) -> None:
    sent = services.send_monthly_report(today=today)
    assert (None if sent is None else Month(sent.year, sent.month)) == sends
    assert len(mail.outbox) == (1 if sends else 0)


class RefusingMailServer(BaseEmailBackend):
    """A mail server that is down: every message is refused."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_refused_mail_is_not_recorded_as_sent_and_goes_out_on_the_next_run(comms_with_mail: User) -> None:
    with override_settings(EMAIL_BACKEND="tests.reports.test_monthly_mail.RefusingMailServer"):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            services.send_monthly_report(today=dt.date(2026, 4, 1))
    assert not MonthlyReport.objects.exists()
    assert not AuditEntry.objects.filter(act="reports.monthly.sent").exists()
    assert services.send_monthly_report(today=dt.date(2026, 4, 1)) is not None
    assert len(mail.outbox) == 1


def test_the_command_sends_a_chosen_month(comms_with_mail: User) -> None:
    call_command("send_monthly_report", "--month", "2026-02", verbosity=0)
    assert MonthlyReport.objects.get().month == 2
    assert "februari 2026" in mail.outbox[0].subject


def test_the_command_refuses_a_month_it_cannot_read() -> None:
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("send_monthly_report", "--month", "mars")
    with pytest.raises(CommandError, match="no such month"):
        call_command("send_monthly_report", "--month", "2026-13")


def test_a_month_nobody_received_is_not_marked_sent_and_goes_out_once_someone_has_an_address(
    alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    """Alice is in comms but has no e-mail address yet."""
    assert services.send_monthly_report(today=dt.date(2026, 4, 1)) is None
    assert "nobody in communications has an e-mail address" in caplog.text
    assert not MonthlyReport.objects.exists() and mail.outbox == []
    alice.email = "alice@vara.example"
    alice.save()
    sent = services.send_monthly_report(today=dt.date(2026, 4, 2))
    assert sent is not None and sent.recipients == 1
    assert mail.outbox[0].to == ["alice@vara.example"]


def test_the_command_says_nobody_received_it(alice: User, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("send_monthly_report", "--month", "2026-02")
    assert "Nobody in communications has an e-mail address" in capsys.readouterr().err
    assert not MonthlyReport.objects.exists()


def test_the_command_sends_a_month_again_when_asked(comms_with_mail: User) -> None:
    call_command("send_monthly_report", "--month", "2026-02", verbosity=0)
    call_command("send_monthly_report", "--month", "2026-02", verbosity=0)
    assert len(mail.outbox) == 2 and "februari 2026" in mail.outbox[1].subject
    assert MonthlyReport.objects.count() == 1
    assert AuditEntry.objects.filter(act="reports.monthly.resent").count() == 1
    # The scheduler never sends a month twice.
    assert services.send_monthly_report(today=dt.date(2026, 3, 2)) is None
    assert len(mail.outbox) == 2


def test_the_monthly_report_carries_the_heads_of_the_hash_chains(comms_with_mail: User) -> None:
    """The report leaves Sigill, so it is one of the places the chains' heads are kept."""
    from sigill.core.anchors import chain

    services.send_monthly_report(today=dt.date(2026, 4, 1))
    [message] = mail.outbox
    audit_head = AuditEntry.objects.filter(act="reports.monthly.sent").get().prev_hash  # the head when mailed
    head = chain("audit").head()
    assert head is not None
    assert f"audit: --head {head.position - 1}:{audit_head}" in message.body
    assert "verify_audit --head" in message.body
