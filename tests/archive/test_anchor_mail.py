"""The registrars get the heads of the archive's and the audit log's chains by e-mail each day."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from sigill.archive import seal, services
from sigill.core import audit, scheduler
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment


def test_the_registrars_get_the_heads_and_an_auditor_can_verify_with_them(
    library: Account, dana: User, alice: User
) -> None:
    dana.email = "dana@vara.example"
    dana.save()
    alice.email = "alice@vara.example"  # comms: not a recipient
    alice.save()
    services.capture([comment(library, "c-1", "Hej")])
    assert services.mail_chain_heads() == 1
    [message] = mail.outbox
    assert message.to == ["dana@vara.example"]
    archive_head, audit_head = seal.CHAIN.head(), audit.CHAIN.head()
    assert archive_head is not None and audit_head is not None
    assert f"archive: --head {archive_head.position}:{archive_head.hash}" in message.body
    assert f"audit: --head {audit_head.position}:{audit_head.hash}" in message.body
    assert "kedj" in message.subject  # Swedish by default
    out = StringIO()
    call_command("verify_archive", "--head", f"{archive_head.position}:{archive_head.hash}", stdout=out)
    assert "matches the head given" in out.getvalue()


def test_without_a_registrar_with_an_address_nothing_is_sent(library: Account, dana: User) -> None:
    assert services.mail_chain_heads() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_mail_is_a_daily_job_of_the_archive() -> None:
    jobs = {job.name: job for job in scheduler.registered_jobs()}
    assert jobs["mail_chain_heads"].every.days == 1
    assert jobs["anchor_archive_head"].every.total_seconds() == 60
