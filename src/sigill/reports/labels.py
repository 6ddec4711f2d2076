"""Readable names for the codes a report counts (decisions, reasons, inquiry sources)."""

from __future__ import annotations

from sigill.compliance.models import CommentRule
from sigill.inquiries.models import Inquiry
from sigill.moderation.models import Act


def decision(act: str, reason: str = "") -> str:
    """ "Hide on the platform – Spam or advertising", or the act alone when it needs no reason."""
    name = str(Act(act).label) if act in Act.values else act
    if not reason:
        return name
    return f"{name} – {CommentRule(reason).label if reason in CommentRule.values else reason}"


def inquiry_source(source: str) -> str:
    return str(Inquiry.Source(source).label) if source in Inquiry.Source.values else source
