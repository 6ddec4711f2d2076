"""Writing and verifying the audit log.

``record()`` must run inside the transaction of the change it records: if the change rolls back,
so does its entry. Entries form a SHA-256 hash chain; writers take a lock before they read the
last hash so that two concurrent transactions cannot both extend the same link.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sigill.core import anchors, timestamps
from sigill.core.client_address import client_address
from sigill.core.models import GENESIS_HASH, AuditEntry

# An arbitrary, fixed key for PostgreSQL's advisory lock that serialises writers of the chain.
# SQLite needs none: Sigill opens every transaction there with BEGIN IMMEDIATE.
_CHAIN_LOCK_KEY = 0x5161_11A0

# Its head is anchored outside the database (core.jobs), so that entries cut off its end are found.
CHAIN = anchors.register("audit", AuditEntry, noun="entry")


# Readable names of the acts, shown in the audit log beside their codes. Each app adds its own.
ACT_LABELS: dict[str, str | Promise] = {
    "core.auth.logged_in": _("Signed in"),
    "core.auth.logged_out": _("Signed out"),
    "core.auth.login_failed": _("Failed sign-in"),
    "core.auth.locked_out": _("Locked out after failed sign-ins"),
    "core.auth.sign_in_throttled": _("Sign-ins made to wait after repeated failures"),
    "core.auth.sign_in_lock_lifted": _("Lifted a sign-in wait"),
    "core.auth.session_expired": _("Session expired"),
    "core.auth.two_factor_enrolled": _("Set up two-factor authentication"),
    "core.auth.first_password_set": _("Chose a password through a one-time sign-in link"),
    "core.auth.two_factor_passed": _("Passed two-factor authentication"),
    "core.auth.two_factor_failed": _("Wrong two-factor code"),
    "core.backup.created": _("Backup made"),
    "core.backup.restored": _("Restored from a backup"),
}


def describe_acts(labels: dict[str, str | Promise]) -> None:
    """Give acts a readable name for the audit log (called by each app at import)."""
    ACT_LABELS.update(labels)


def act_label(act: str) -> str | Promise:
    return ACT_LABELS.get(act, act)


def record(
    act: str,
    *,
    actor: Any = None,
    target: Model | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry: ``actor`` did ``act`` (namespaced, e.g. ``organisation.membership.granted``)
    to ``target``. ``details`` must be JSON: it is hashed as stored."""
    details = json.loads(json.dumps(details or {}))
    if request is not None:
        # Behind trusted proxies, the client's own address rather than the proxy's.
        details.setdefault("ip", client_address(request))
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last_hash = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=actor,
            actor_label=actor.get_username() if actor is not None else actor_label,
            act=act,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:255] if target is not None else "",
            details=details,
            prev_hash=last_hash or GENESIS_HASH,
        )
        entry.hash = entry.content_hash()
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first place where a hash chain does not hold."""

    entry_id: int
    reason: str


class ChainedRow(Protocol):
    """A row of a hash chain: the audit log's entries, the archive's events."""

    pk: Any
    prev_hash: str
    hash: str

    def content_hash(self) -> str: ...


def first_break(entries: Iterable[ChainedRow]) -> ChainBreak | None:
    """Walk ``entries`` in chain order and return the first broken link, or None if all hold.

    An altered entry no longer matches its own hash; a removed or inserted entry breaks the link
    from the entry after it (or its own link) to the one before.
    """
    expected_prev = GENESIS_HASH
    for entry in entries:
        if entry.prev_hash != expected_prev:
            return ChainBreak(
                entry.pk, "does not link to the entry before it: an entry was removed or inserted"
            )
        if entry.content_hash() != entry.hash:
            return ChainBreak(entry.pk, "its content does not match its hash: the entry was altered")
        expected_prev = entry.hash
    return None


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Verify the whole audit log; return the number of entries read and the first break."""
    count = 0

    def counted() -> Iterable[AuditEntry]:
        nonlocal count
        for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
            count += 1
            yield entry

    found = first_break(counted())
    return count, found


# Checks of a state that restricts or protects records (a legal hold, say) against the sealed
# entries that made it: each returns what it finds changed behind Sigill's back, in words.
# ``verify_audit`` runs them all after the chain itself.
STATE_CHECKS: dict[str, Callable[[], list[str]]] = {}


def register_state_check(name: str, check: Callable[[], list[str]]) -> None:
    """Have ``verify_audit`` compare a table with the audit entries that made its rows (each app
    registers its own at start-up)."""
    STATE_CHECKS[name] = check


@dataclass(frozen=True)
class Made:
    """What an audit entry says was done to one row: for the state checks."""

    entry_id: int
    act: str
    target_id: str
    details: dict[str, Any]


def entries_about(model: type[Model], *acts: str) -> list[Made]:
    """The entries recording any of ``acts`` on rows of ``model``, oldest first."""
    rows = AuditEntry.objects.filter(act__in=acts, target_type=model._meta.label_lower).order_by("id")
    return [Made(*row) for row in rows.values_list("pk", "act", "target_id", "details")]


def check_states() -> list[str]:
    """What every registered state check finds, in registration order."""
    return [problem for check in STATE_CHECKS.values() for problem in check()]


def anchor_head() -> list[anchors.Head]:
    """Append the audit log's head to the anchor file if it moved (the scheduler, every minute)."""
    return anchors.anchor_heads([CHAIN.name], stamp=timestamps.stamper())
