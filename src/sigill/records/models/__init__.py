"""The records app's data: disclosure requests, retention and holds, disposals, e-archive packages,
and account closures."""

from sigill.records.models.closure import AccountClosure
from sigill.records.models.disclosure import DisclosureRequest, Redaction, RequestedRecord
from sigill.records.models.retention import DisposalRecord, HeldItem, LegalHold, RetentionRule

__all__ = [
    "AccountClosure",
    "DisclosureRequest",
    "DisposalRecord",
    "HeldItem",
    "LegalHold",
    "Redaction",
    "RequestedRecord",
    "RetentionRule",
]
