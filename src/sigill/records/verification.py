"""Verifying a disclosed copy (DESIGN.md §6, /public/verify/): a reference and seal, or the JSON file
of a disclosure package, checked against the archive. Answers match or not, and when the record
was sealed; never any content."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from sigill.archive import selectors as archive
from sigill.archive.selectors import SealCheck

REFERENCE = re.compile(r"^SIG-(\d{1,12})-(\d{1,6})$")
SEAL = re.compile(r"^[0-9a-f]{64}$")
MAX_RECORDS = 5000


@dataclass(frozen=True)
class Verdict:
    reference: str
    check: SealCheck

    @property
    def ok(self) -> bool:
        return self.check.matches and self.check.text_matches is not False


class NotAPackage(ValueError):
    """The uploaded file is not the JSON of a Sigill disclosure package."""


def verify(reference: str, seal: str, text_sha256: str = "") -> Verdict:
    reference, seal = reference.strip().upper(), seal.strip().lower()
    match = REFERENCE.match(reference)
    if match is None or not SEAL.match(seal):
        return Verdict(reference, SealCheck(known=False, matches=False))
    check = archive.check_seal(
        item_id=int(match[1]), number=int(match[2]), seal=seal, text_sha256=text_sha256 or ""
    )
    return Verdict(reference, check)


def verify_package(data: bytes) -> list[Verdict]:
    """Every record of a package's JSON file, each with its text checked when disclosed in full."""
    try:
        document: Any = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NotAPackage(str(error)) from error
    if not isinstance(document, dict) or document.get("format") != "sigill.disclosure/1":
        raise NotAPackage("format")
    records = document.get("records")
    if not isinstance(records, list) or len(records) > MAX_RECORDS:
        raise NotAPackage("records")
    verdicts = []
    for record in records:
        if not isinstance(record, dict):
            raise NotAPackage("record")
        text_sha256 = ""
        if record.get("text_sha256") is not None:
            # The text in the file, hashed here: a changed character no longer matches the archive.
            text_sha256 = hashlib.sha256(str(record.get("text", "")).encode()).hexdigest()
        verdicts.append(verify(str(record.get("reference", "")), str(record.get("seal", "")), text_sha256))
    return verdicts
