"""The records app's data: disclosure requests, retention and holds, disposals, e-archive packages,
and account closures."""

from sigill.records.models.disclosure import DisclosureRequest, Redaction, RequestedRecord

__all__ = ["DisclosureRequest", "Redaction", "RequestedRecord"]
