"""Verifying a disclosed copy (DESIGN.md §6, /public/verify/): a reference and seal, or the JSON file
of a disclosure package, checked against the archive. Answers match or not, and when the record
was sealed; never any content.

A text is compared with the archive only for a record the municipality has disclosed in full,
to anyone who asked for public records, and never redacted or withheld in any decided request.
For any other record the page must not become an oracle: someone holding a redacted record's
reference and seal could otherwise upload guesses of the blacked-out passage (a personnummer)
until one "is the text as archived".
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from sigill.archive import selectors as archive
from sigill.archive.selectors import SealCheck
from sigill.records.models import DisclosureRequest, RequestedRecord

REFERENCE = re.compile(r"^SIG-(\d{1,12})-(\d{1,6})$")
SEAL = re.compile(r"^[0-9a-f]{64}$")
# Records checked per uploaded file: each costs a few queries on a page anyone may use.
MAX_RECORDS = 500

Decision = RequestedRecord.Decision


@dataclass(frozen=True)
class Verdict:
    reference: str
    check: SealCheck
    # Whether the uploaded text is the archived text; None when it was not (or may not be) compared.
    text_matches: bool | None = None

    @property
    def ok(self) -> bool:
        return self.check.matches and self.text_matches is not False


class NotAPackage(ValueError):
    """The uploaded file is not the JSON of a Sigill disclosure package."""


class TooManyRecords(NotAPackage):
    """The file holds more records than one upload may check."""


def _parsed(reference: str, seal: str) -> tuple[str, str, tuple[int, int] | None]:
    reference, seal = reference.strip().upper(), seal.strip().lower()
    match = REFERENCE.match(reference)
    if match is None or not SEAL.match(seal):
        return reference, seal, None
    return reference, seal, (int(match[1]), int(match[2]))


def verify(reference: str, seal: str) -> Verdict:
    """Whether ``seal`` is the seal of the version ``reference`` names; no text is ever compared."""
    reference, seal, key = _parsed(reference, seal)
    if key is None:
        return Verdict(reference, SealCheck(known=False, matches=False))
    check = archive.check_seal(item_id=key[0], number=key[1], seal=seal)
    if (
        check.disposed_at is not None
        and not RequestedRecord.objects.filter(reference=reference, seal=seal).exists()
    ):
        # The archive knows a disposed version only by its seal and item. What was disclosed keeps
        # its reference and seal together; without that pair the seal proves nothing about the
        # reference it came with.
        return Verdict(reference, SealCheck(known=False, matches=False))
    return Verdict(reference, check)


def disclosed_in_full(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], RequestedRecord]:
    """The (reference, seal) pairs whose text may be confirmed, with a record that disclosed them:
    disclosed in full in a decided request for public records, and never redacted or withheld in
    a decided request (a secrecy review may differ by who asks; the stricter one stands)."""
    wanted = set(pairs)
    references = {reference for reference, _seal in wanted}
    decided = RequestedRecord.objects.filter(
        reference__in=references, request__state=DisclosureRequest.State.DECIDED
    ).select_related("item", "request")
    full: dict[tuple[str, str], RequestedRecord] = {}
    refused: set[tuple[str, str]] = set()
    for record in decided.prefetch_related("redactions"):
        pair = (record.reference, record.seal)
        if record.decision != Decision.DISCLOSE or record.redactions.all():
            refused.add(pair)
        elif record.request.kind == DisclosureRequest.Kind.PUBLIC_RECORDS and record.item is not None:
            full.setdefault(pair, record)
        # Disclosed in full to the person it concerns (an access request): that says nothing
        # about what anyone else may see, so it neither confirms nor refuses.
    return {pair: record for pair, record in full.items() if pair not in refused and pair in wanted}


def _text_matches(record: RequestedRecord, text: str) -> bool | None:
    if record.item is None:  # disposed of since: nothing left to compare with
        return None
    archived = archive.version_of(record.item, record.version_number).text
    # Compared as digests, so the time taken says nothing about where the texts differ.
    return hashlib.sha256(archived.encode()).digest() == hashlib.sha256(text.encode()).digest()


def verify_package(data: bytes) -> list[Verdict]:
    """Every record of a package's JSON file; its text is compared only where it was disclosed in
    full (see the module's docstring). What the file claims about redactions is never trusted."""
    try:
        document: Any = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotAPackage(str(error)) from error
    if not isinstance(document, dict) or document.get("format") != "sigill.disclosure/1":
        raise NotAPackage("format")
    records = document.get("records")
    if not isinstance(records, list):
        raise NotAPackage("records")
    if len(records) > MAX_RECORDS:
        raise TooManyRecords("records")
    if not all(isinstance(record, dict) for record in records):
        raise NotAPackage("record")
    pairs = [_parsed(str(record.get("reference", "")), str(record.get("seal", "")))[:2] for record in records]
    confirmable = disclosed_in_full(pairs)
    verdicts = []
    for record, pair in zip(records, pairs, strict=True):
        verdict = verify(*pair)
        disclosed = confirmable.get(pair)
        text = record.get("text")
        if verdict.check.matches and disclosed is not None and isinstance(text, str):
            verdict = Verdict(verdict.reference, verdict.check, _text_matches(disclosed, text))
        verdicts.append(verdict)
    return verdicts
