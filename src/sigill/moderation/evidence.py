"""The evidence bundle of a threat reported to the police or of a comment removed from the platform:
the record as captured, its conversation, every version with its capture time and seal, the seal
verified just before the removal on the platform, and the result of verifying the saved copy again
now, as PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from sigill.archive import selectors as archive_selectors
from sigill.archive.models import ItemVersion
from sigill.compliance.selectors import municipality_name
from sigill.moderation.models import Decision, PlatformAct
from sigill.organisation.people import User


@dataclass(frozen=True)
class Evidence:
    decision: Decision
    versions: list[ItemVersion]
    thread: list[archive_selectors.ThreadEntry]
    check: archive_selectors.SavedCopyCheck
    # The act that took the comment off the platform, with the seal verified just before it.
    removal: PlatformAct | None
    chain_hash: str
    municipality: str
    made_at: Any
    made_by: Any

    @property
    def copy_is_the_one_removed(self) -> bool:
        """The saved copy in the bundle is the one verified before the removal: same seal, whole."""
        return (
            self.removal is not None and self.check.intact and self.removal.verified_seal == self.check.seal
        )


DONE = (PlatformAct.Outcome.DONE, PlatformAct.Outcome.DONE_BY_HAND)


def gather(decision: Decision, *, by: User) -> Evidence:
    item = decision.case.item
    return Evidence(
        decision=decision,
        versions=list(ItemVersion.objects.filter(item=item).select_related("event").order_by("number")),
        thread=archive_selectors.thread_of(item, user=by),
        check=archive_selectors.verify_saved_copy(item),
        removal=decision.platform_acts.filter(outcome__in=DONE)
        .select_related("by")
        .order_by("at", "id")
        .first()
        if decision.removes
        else None,
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
