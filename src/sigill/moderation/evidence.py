"""The evidence bundle for a police report of a threat: the record as captured, its conversation,
every version with its capture time and seal, and the result of verifying the saved copy, as PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from sigill.archive import selectors as archive_selectors
from sigill.archive.models import ItemVersion
from sigill.compliance.selectors import municipality_name
from sigill.moderation.models import Decision


@dataclass(frozen=True)
class Evidence:
    decision: Decision
    versions: list[ItemVersion]
    thread: list[archive_selectors.ThreadEntry]
    check: archive_selectors.SavedCopyCheck
    chain_hash: str
    municipality: str
    made_at: Any
    made_by: Any


def gather(decision: Decision, *, by: Any) -> Evidence:
    item = decision.case.item
    return Evidence(
        decision=decision,
        versions=list(ItemVersion.objects.filter(item=item).select_related("event").order_by("number")),
        thread=archive_selectors.thread_of(item, user=by),
        check=archive_selectors.verify_saved_copy(item),
        chain_hash=item.event.hash,
        municipality=municipality_name(),
        made_at=timezone.now(),
        made_by=by,
    )


def as_pdf(evidence: Evidence) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this download needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("moderation/evidence.html", {"evidence": evidence})
    pdf: bytes = HTML(
        string=html, url_fetcher=URLFetcher(allowed_protocols=["data"]), base_url="data:,"
    ).write_pdf()
    return pdf
