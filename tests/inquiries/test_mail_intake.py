"""Mail to the contact center's address, read from a maildir into inquiries."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sigill.core import scheduler
from sigill.inquiries.mail_intake import read_maildir
from sigill.inquiries.models import Inquiry

pytestmark = pytest.mark.django_db


def deliver(box: mailbox.Maildir, *, subject: str, body: str, message_id: str = "") -> None:
    message = EmailMessage()
    message["From"] = "Jenny Svensson <jenny@example.se>"
    message["To"] = "kontaktcenter@vara-kommun.example"
    message["Subject"] = subject
    message["Date"] = "Mon, 23 Nov 2026 08:15:00 +0100"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    box.add(message)


@pytest.fixture
def maildir(tmp_path: Path) -> mailbox.Maildir:
    return mailbox.Maildir(tmp_path / "kontaktcenter", create=True)


def test_each_new_message_becomes_an_inquiry_with_the_sender_as_contact(maildir: mailbox.Maildir) -> None:
    deliver(maildir, subject="Skollunch", body="Hur anmäler vi allergi?", message_id="<a1@example.se>")
    result = read_maildir(Path(maildir._path))
    assert (result.created, result.known, result.refused) == (1, 0, [])
    inquiry = Inquiry.objects.get()
    assert inquiry.source == Inquiry.Source.EMAIL
    assert inquiry.asker_contact == "jenny@example.se"
    assert inquiry.question == "Skollunch\n\nHur anmäler vi allergi?"
    assert inquiry.asked_where == "E-post: Skollunch"
    assert inquiry.asked_at.isoformat() == "2026-11-23T07:15:00+00:00"
    assert inquiry.events.get().actor is None


def test_a_message_is_read_once_even_if_delivered_twice(maildir: mailbox.Maildir) -> None:
    deliver(maildir, subject="Bibliotek", body="Öppet på söndagar?", message_id="<b2@example.se>")
    read_maildir(Path(maildir._path))
    deliver(maildir, subject="Bibliotek", body="Öppet på söndagar?", message_id="<b2@example.se>")
    result = read_maildir(Path(maildir._path))
    assert (result.created, result.known) == (0, 1)
    assert read_maildir(Path(maildir._path)).created == 0
    assert Inquiry.objects.count() == 1


def test_an_empty_message_is_refused_and_said_so(maildir: mailbox.Maildir) -> None:
    deliver(maildir, subject="", body="")
    result = read_maildir(Path(maildir._path))
    assert result.created == 0
    assert len(result.refused) == 1
    assert not Inquiry.objects.exists()


def test_the_command_refuses_a_folder_that_is_not_a_maildir(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("read_inquiry_mail", str(tmp_path))


def test_the_command_reads_the_maildir(maildir: mailbox.Maildir, capsys: pytest.CaptureFixture[str]) -> None:
    deliver(maildir, subject="Snöröjning", body="När plogas Torggatan?", message_id="<c3@example.se>")
    call_command("read_inquiry_mail", maildir._path)
    assert "1 new inquiries" in capsys.readouterr().out
    assert Inquiry.objects.filter(question__contains="Torggatan").exists()


def test_a_message_in_an_unknown_charset_is_refused_and_left_for_a_person(maildir: mailbox.Maildir) -> None:
    raw = (
        b"From: x@example.se\r\nSubject: Fraga\r\nMessage-ID: <d4@example.se>\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nHej\r\n"
    )
    maildir.add(raw)
    result = read_maildir(Path(maildir._path))
    assert result.created == 0
    assert "cannot be read" in result.refused[0]
    assert not Inquiry.objects.exists()


def test_the_scheduler_reads_the_mailbox_only_when_one_is_set(settings) -> None:
    settings.INQUIRY_MAILDIR = ""
    assert "read_inquiry_mail" not in [job.name for job in scheduler.registered_jobs()]
    settings.INQUIRY_MAILDIR = "/srv/mail/kontaktcenter"
    assert "read_inquiry_mail" in [job.name for job in scheduler.registered_jobs()]


def test_nul_and_other_control_characters_in_a_message_are_replaced_so_both_databases_keep_it(
    maildir: mailbox.Maildir,
) -> None:
    """PostgreSQL cannot store a NUL: the message used to stop the reading there, on every run."""
    raw = (
        "From: Jenny Svensson <jenny@example.se>\r\nTo: kontaktcenter@vara-kommun.example\r\n"
        "Subject: Sophämtning\x00\r\nMessage-ID: <n1@example.se>\r\nDate: Mon, 23 Nov 2026 08:15:00 +0100\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nNär töms\x00 kärlen\x07?\r\n"
    ).encode()
    maildir.add(raw)
    deliver(maildir, subject="Bibliotek", body="Öppet på söndagar?", message_id="<n2@example.se>")

    result = read_maildir(Path(maildir._path))

    assert (result.created, result.refused) == (2, [])
    inquiry = Inquiry.objects.get(external_id="<n1@example.se>")
    assert inquiry.question == "Sophämtning\ufffd\n\nNär töms\ufffd kärlen\ufffd?"
    assert inquiry.asked_where == "E-post: Sophämtning\ufffd"
    assert read_maildir(Path(maildir._path)).created == 0
