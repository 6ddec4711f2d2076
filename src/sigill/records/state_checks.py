"""Legal holds and disclosure decisions checked against the audit entries that made them (issue
24.2).

A hold stops disposal, so lifting one in the database (deleting the row, setting its release time,
narrowing what it holds) would let records be disposed of that must be kept; a record's decision
and its redactions decide what a disclosure package gives out, so a "withhold" turned into
"disclose", or a redaction deleted, would give out what secrecy keeps back. Those tables are not
append-only, but every change to them is a sealed entry of the audit log: ``verify_audit``
compares the two and reports every row that differs.
"""

from __future__ import annotations

from collections import Counter

from sigill.core import audit
from sigill.records.models import DisclosureRequest, HeldItem, LegalHold, Redaction, RequestedRecord


def holds() -> list[str]:
    """Every hold whose row says something other than the audit entries that made it."""
    placed = {made.target_id: made for made in audit.entries_about(LegalHold, "records.hold.placed")}
    released = {made.target_id for made in audit.entries_about(LegalHold, "records.hold.released")}
    found: list[str] = []
    rows = {str(hold.pk): hold for hold in LegalHold.objects.select_related("account")}
    held = Counter(str(pk) for pk in HeldItem.objects.values_list("hold_id", flat=True))
    for hold_id, made in placed.items():
        hold = rows.get(hold_id)
        if hold is None:
            found.append(
                f"Legal hold {hold_id} (placed in audit entry {made.entry_id}) is missing from the "
                "database: it was deleted behind Sigill's back, and what it held may be disposed of."
            )
            continue
        if hold_id not in released and not hold.is_active:
            found.append(
                f"Legal hold {hold_id} is released in the database, but the audit log records no "
                "release: it was lifted behind Sigill's back."
            )
        if hold_id in released and hold.is_active:
            found.append(
                f"Legal hold {hold_id} is active in the database, but the audit log records its release."
            )
        said = made.details
        now = {
            "scope": hold.scope,
            "account": hold.account.slug if hold.account else None,
            "thread": hold.thread_root,
            "search": hold.search,
        }
        changed = sorted(key for key, value in now.items() if said.get(key) != value)
        if hold.scope == LegalHold.Scope.SEARCH and said.get("items") != held[hold_id]:
            changed.append("items")
        if changed:
            found.append(
                f"Legal hold {hold_id} holds something else than audit entry {made.entry_id} placed "
                f"({', '.join(changed)} changed in the database)."
            )
    for unplaced in sorted(rows.keys() - placed.keys(), key=int):
        found.append(f"Legal hold {unplaced} is in the database, but no audit entry placed it.")
    return found


_DECIDED = {
    "records.disclosure.record_disclosed": RequestedRecord.Decision.DISCLOSE,
    "records.disclosure.record_withheld": RequestedRecord.Decision.WITHHOLD,
    "records.disclosure.record_redacted": RequestedRecord.Decision.REDACT,
}
_REMOVED = "records.disclosure.record_removed"


def disclosure_decisions() -> list[str]:
    """Every requested record whose decision or redactions differ from what the audit log says the
    registrar decided: the last decision, and the redactions made since the last one that lifted
    them (a disclosure or a withholding)."""
    decided: dict[tuple[str, str], str] = {}
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for made in audit.entries_about(DisclosureRequest, *_DECIDED, _REMOVED):
        key = (made.target_id, str(made.details.get("reference", "")))
        if made.act == _REMOVED:
            decided.pop(key, None)
            spans.pop(key, None)
            continue
        decided[key] = _DECIDED[made.act]
        kept = spans.get(key, []) if made.act == "records.disclosure.record_redacted" else []
        spans[key] = kept + [(int(start), int(end)) for start, end in made.details.get("spans", [])]
    redacted: dict[int, list[tuple[int, int]]] = {}
    for record_id, start, end in Redaction.objects.values_list("record_id", "start", "end"):
        redacted.setdefault(record_id, []).append((start, end))
    found: list[str] = []
    records = RequestedRecord.objects.values_list("pk", "request_id", "reference", "decision")
    for pk, request_id, reference, decision in records.order_by("request_id", "pk"):
        key = (str(request_id), reference)
        expected = decided.get(key, RequestedRecord.Decision.PENDING)
        if decision != expected:
            found.append(
                f"Disclosure request {request_id}, record {reference}: the database says "
                f"“{decision}”, the audit log “{expected}”: the decision was changed behind Sigill's back."
            )
        if sorted(redacted.get(pk, [])) != sorted(spans.get(key, [])):
            found.append(
                f"Disclosure request {request_id}, record {reference}: its redactions differ from "
                "those the audit log records: they were changed in the database."
            )
    return found
