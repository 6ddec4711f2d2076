"""The disclosure package: each disclosed record as it appeared, redactions burned in, as PDF, CSV
and JSON, with a cover letter that states the decision and how to appeal it.

Redacted passages never reach the output: the texts are cut into pieces before anything is
rendered, and a redacted piece holds only a mark and its provision. Withheld records are named in
the cover letter (reference and reason) and nowhere else. Files of a record disclosed with
redactions are left out, since a picture may show what the text hides.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sigill.archive import selectors as archive
from sigill.archive.models import Item, storage_name
from sigill.compliance.selectors import municipality_name
from sigill.core.text import csv_safe
from sigill.records.models import DisclosureRequest, RequestedRecord, RetentionRule
from sigill.records.redaction import Piece, Span, as_text, pieces
from sigill.records.selectors import rule_governing

Decision = RequestedRecord.Decision
# Pictures shown in the PDF: common raster formats, each at most this large.
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class ContextEntry:
    """An item the record replies to. Only one disclosed in this package is described (as it is
    disclosed: reference, kind, author, time, text with its redactions); of any other the package
    says only that there is an earlier post, since its author and time may be what is withheld."""

    reference: str | None = None
    kind: str = ""
    author: str = ""
    published_at: Any = None
    pieces: list[Piece] | None = None

    @property
    def disclosed(self) -> bool:
        return self.reference is not None


@dataclass(frozen=True)
class Image:
    name: str
    data_uri: str


@dataclass
class PackageRecord:
    reference: str
    seal: str
    decision: str
    account: str
    platform: str
    kind: str
    direction: str
    author: str
    published_at: Any
    received_at: Any
    url: str
    version: int
    pieces: list[Piece]
    provisions: list[str]
    files: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    files_withheld: int = 0
    context: list[ContextEntry] = field(default_factory=list)

    @property
    def text(self) -> str:
        return as_text(self.pieces)


@dataclass(frozen=True)
class Withheld:
    reference: str
    reason: str


@dataclass(frozen=True)
class Retention:
    """How long some of the records are kept, for an access request's letter (GDPR art. 15.1 d)."""

    rule: str
    keep_months: int | None
    permanent: bool
    decision: str


@dataclass
class Package:
    request: DisclosureRequest
    records: list[PackageRecord]
    withheld: list[Withheld]
    municipality: str
    made_at: Any
    # For an access request: the retention rules that govern the records (None: no rule decided).
    retention: list[Retention | None] = field(default_factory=list)

    @property
    def is_access_request(self) -> bool:
        return self.request.kind == DisclosureRequest.Kind.ACCESS

    @property
    def redacted(self) -> bool:
        return any(r.decision == Decision.REDACT for r in self.records)

    @property
    def refused(self) -> bool:
        """Whether any part is refused (withheld or redacted): the letter then says how to appeal."""
        return bool(self.withheld) or any(r.decision == Decision.REDACT for r in self.records)


def _author(item: Item) -> str:
    if item.author_name and item.author_handle:
        return f"{item.author_name} ({item.author_handle})"
    return item.author_name or item.author_handle or _("Unknown author")


def _spans(record: RequestedRecord) -> list[Span]:
    return [Span(r.start, r.end, r.provision) for r in record.redactions.all()]


def _image(name: str, content_type: str, sha256: str, size: int) -> Image | None:
    if content_type not in IMAGE_TYPES or size > MAX_IMAGE_BYTES:
        return None
    stored_as = storage_name(sha256)
    if not default_storage.exists(stored_as):
        return None
    with default_storage.open(stored_as, "rb") as stored:
        data = base64.b64encode(stored.read()).decode()
    return Image(name=name, data_uri=f"data:{content_type};base64,{data}")


def _context_entry(ancestor: Item, shown: RequestedRecord | None) -> ContextEntry:
    if shown is None:
        return ContextEntry()
    return ContextEntry(
        reference=shown.reference,
        kind=ancestor.get_kind_display(),
        author=_author(ancestor),
        published_at=ancestor.published_at,
        pieces=pieces(archive.version_of(ancestor, shown.version_number).text, _spans(shown)),
    )


def build(request: DisclosureRequest) -> Package:
    """Everything the package shows, from the request's reviewed records."""
    selected = list(
        request.records.select_related("item", "item__account", "item__platform").prefetch_related(
            "redactions"
        )
    )
    disclosed = {
        r.item_id: r for r in selected if r.decision in (Decision.DISCLOSE, Decision.REDACT) and r.item
    }
    records: list[PackageRecord] = []
    withheld: list[Withheld] = []
    for record in sorted(selected, key=lambda r: (r.item.published_at if r.item else timezone.now(), r.pk)):
        if record.decision == Decision.WITHHOLD or record.item is None:
            withheld.append(Withheld(record.reference, record.reason or _("No longer in the archive")))
            continue
        item = record.item
        version = archive.version_of(item, record.version_number)
        spans = _spans(record)
        entry = PackageRecord(
            reference=record.reference,
            seal=record.seal,
            decision=record.decision,
            account=item.account.display_name,
            platform=item.platform.name,
            kind=item.get_kind_display(),
            direction=item.get_direction_display(),
            author=_author(item),
            published_at=item.published_at,
            received_at=item.received_at,
            url=item.url,
            version=record.version_number,
            pieces=pieces(version.text, spans),
            provisions=sorted({span.provision for span in spans}),
        )
        for attachment in version.attachments.all():
            if record.decision == Decision.REDACT:
                entry.files_withheld += 1
                continue
            entry.files.append(attachment.name)
            image = _image(attachment.name, attachment.content_type, attachment.sha256, attachment.size)
            if image is not None:
                entry.images.append(image)
        entry.context = [
            _context_entry(ancestor, disclosed.get(ancestor.pk)) for ancestor in archive.ancestors_of(item)
        ]
        records.append(entry)
    return Package(
        request=request,
        records=records,
        withheld=withheld,
        municipality=municipality_name(),
        made_at=timezone.now(),
        retention=_retention(selected) if request.kind == DisclosureRequest.Kind.ACCESS else [],
    )


def _retention(selected: list[RequestedRecord]) -> list[Retention | None]:
    """The rules that govern the selected records, each once (None stands for records no rule
    governs yet, which are kept until one is decided)."""
    rules = list(RetentionRule.objects.filter(retired_at__isnull=True))
    found: dict[int | None, Retention | None] = {}
    for record in selected:
        if record.item is None:
            continue
        rule = rule_governing(record.item, rules)
        if rule is None:
            found.setdefault(None, None)
        else:
            found.setdefault(rule.pk, Retention(rule.name, rule.keep_months, rule.permanent, rule.decision))
    return list(found.values())


def as_pdf(package: Package) -> bytes:
    """The cover letter and every disclosed record, as PDF. Nothing is fetched from outside:
    pictures are embedded, and the fetcher allows only embedded data."""
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF downloads need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("records/package/package.html", {"package": package})
    fetcher = URLFetcher(allowed_protocols=["data"])
    pdf: bytes = HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf()
    return pdf


def as_letter_pdf(package: Package) -> bytes:
    # Imported here, as in as_pdf: WeasyPrint loads Pango.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("records/package/package.html", {"package": package, "letter_only": True})
    letter: bytes = HTML(
        string=html, url_fetcher=URLFetcher(allowed_protocols=["data"]), base_url="data:,"
    ).write_pdf()
    return letter


CSV_COLUMNS = [
    "reference", "seal", "account", "platform", "kind", "direction", "author", "published_at",
    "received_at", "url", "version", "text", "redacted_under", "files", "in_reply_to",
]  # fmt: skip


def _replies_to(record: PackageRecord) -> list[str | None]:
    """The references of the posts a record replies to, root first; None for one not disclosed."""
    return [entry.reference for entry in record.context]


def as_csv(package: Package) -> str:
    """The disclosed records as CSV; every cell is guarded, since account names, authors, texts
    and file names all come from outside."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    not_disclosed = _("earlier post, not disclosed")
    for r in package.records:
        replies_to = "; ".join(reference or not_disclosed for reference in _replies_to(r))
        row = [
            r.reference, r.seal, r.account, r.platform, r.kind, r.direction, r.author,
            r.published_at.isoformat(), r.received_at.isoformat(), r.url, str(r.version), r.text,
            "; ".join(r.provisions), "; ".join(r.files), replies_to,
        ]  # fmt: skip
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()


def as_json(package: Package) -> str:
    request = package.request
    document = {
        "format": "sigill.disclosure/1",
        "municipality": package.municipality,
        "request": {
            "number": request.pk,
            "kind": request.kind,
            "received_at": request.received_at.isoformat(),
            "decided_at": request.decided_at.isoformat() if request.decided_at else None,
        },
        "records": [
            {
                "reference": r.reference,
                "seal": r.seal,
                "decision": r.decision,
                "account": r.account,
                "platform": r.platform,
                "kind": r.kind,
                "direction": r.direction,
                "author": r.author,
                "published_at": r.published_at.isoformat(),
                "received_at": r.received_at.isoformat(),
                "url": r.url,
                "version": r.version,
                "text": r.text,
                # The SHA-256 of a text disclosed in full, for the reader's own checks.
                # /public/verify/ never trusts it: it looks up what was disclosed in full itself.
                "text_sha256": None if r.provisions else hashlib.sha256(r.text.encode()).hexdigest(),
                "redacted_under": r.provisions,
                "files": r.files,
                "files_withheld": r.files_withheld,
                # Root first; null stands for an earlier post that is not part of the disclosure.
                "in_reply_to": _replies_to(r),
            }
            for r in package.records
        ],
        "withheld": [{"reference": w.reference, "reason": w.reason} for w in package.withheld],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
