"""Legal holds checked against the audit entries that placed and released them (issue 24.2).

A hold stops disposal, so lifting one in the database (deleting the row, setting its release time,
narrowing what it holds) would let records be disposed of that must be kept. The holds table is
not append-only, but every placing and release is a sealed entry of the audit log: ``verify_audit``
compares the two and reports every hold that differs.
"""

from __future__ import annotations

from collections import Counter

from sigill.core import audit
from sigill.records.models import HeldItem, LegalHold


def problems() -> list[str]:
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
