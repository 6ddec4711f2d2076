"""Redactions applied to a text: pure functions, no database.

A redacted passage is replaced, not covered: what leaves Sigill (PDF, CSV, JSON) never holds the
redacted characters, only a mark and the provision that hides them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MARK = "█████"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    provision: str


@dataclass(frozen=True)
class Piece:
    """A piece of a redacted text: plain text, or (``redacted``) the mark for a hidden passage."""

    text: str
    redacted: bool = False
    provision: str = ""


def find_passage(text: str, passage: str) -> list[tuple[int, int]]:
    """Every place ``passage`` stands in ``text`` (case and spacing as written)."""
    found: list[tuple[int, int]] = []
    if not passage:
        return found
    start = text.find(passage)
    while start != -1:
        found.append((start, start + len(passage)))
        start = text.find(passage, start + len(passage))
    return found


def merged(spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching spans joined, their provisions listed once each."""
    result: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if result and span.start <= result[-1].end:
            last = result[-1]
            provisions = last.provision.split("; ")
            if span.provision not in provisions:
                provisions.append(span.provision)
            result[-1] = Span(last.start, max(last.end, span.end), "; ".join(provisions))
        else:
            result.append(span)
    return result


def pieces(text: str, spans: Iterable[Span]) -> list[Piece]:
    """``text`` cut into plain pieces and marks where the spans are."""
    out: list[Piece] = []
    position = 0
    for span in merged(spans):
        start, end = max(span.start, position), min(span.end, len(text))
        if start >= end:
            continue
        if start > position:
            out.append(Piece(text[position:start]))
        out.append(Piece(MARK, redacted=True, provision=span.provision))
        position = end
    if position < len(text):
        out.append(Piece(text[position:]))
    return out


def as_text(parts: Iterable[Piece]) -> str:
    """The redacted text as plain text, each mark followed by its provision in brackets."""
    return "".join(f"{p.text} [{p.provision}]" if p.redacted else p.text for p in parts)
