"""The archive's periodic jobs: anchoring the head of its hash chain outside the database, and the
daily e-mail of the chains' heads to the registrars."""

from __future__ import annotations

from datetime import timedelta

from sigill.archive import seal, services
from sigill.core import scheduler


@scheduler.jobs_of
def jobs() -> list[scheduler.Job]:
    # Run in the scheduler itself, not queued: it reads one row and appends one line, and a busy
    # queue must not delay it.
    return [
        scheduler.Job("anchor_archive_head", timedelta(minutes=1), lambda: seal.anchor_head()),
        scheduler.Job("mail_chain_heads", timedelta(days=1), lambda: services.mail_chain_heads()),
    ]
