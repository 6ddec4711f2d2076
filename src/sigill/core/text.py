"""Small text helpers for a Swedish interface, and for showing text from outside safely: isolated
for direction (a right-to-left override in a comment must not reorder what follows it) and, in
CSV, never run as a spreadsheet formula."""

from __future__ import annotations

import unicodedata

# FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: text between them takes its direction from its
# own first strong letter and cannot reorder anything outside; the closing PDI also ends every
# embedding, override or isolate the text itself opened and left open.
FSI, PDI = "\u2068", "\u2069"
# The explicit directional formatting characters: embeddings, overrides, isolates and their ends.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# A cell starting with one of these (after white space, which spreadsheets skip) opens a formula.
_FORMULA_STARTS = frozenset("=+-@\t\r|%")

# Swedish sorts å, ä, ö after z, in that order; code points put ä before å. The three are mapped
# to the three characters that follow "z" in ASCII.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def swedish_sort_key(text: str) -> str:
    """A key that sorts text as a Swedish reader expects: case-insensitive, å ä ö after z."""
    return text.casefold().translate(_SWEDISH_ORDER)


def needs_isolation(text: str) -> bool:
    """Whether ``text`` could reorder text beside it: it holds a directional control or a
    right-to-left letter (Hebrew, Arabic, ...)."""
    return any(
        char in DIRECTION_CONTROLS or unicodedata.bidirectional(char) in {"R", "AL"}
        for char in text
        if ord(char) >= 0x0590
    )


def isolate_direction(text: str) -> str:
    """``text`` wrapped in FSI ... PDI when it needs it, for output without markup (CSV, plain
    text); HTML uses ``<bdi>`` (the ``bdi`` template filter) instead."""
    return f"{FSI}{text}{PDI}" if needs_isolation(text) else text


def csv_safe(value: object) -> object:
    """A CSV cell that is safe to open: never run as a formula, never reordering its neighbours.

    A text cell starting with = + - @ tab or CR (after white space) gets a leading apostrophe, so
    a spreadsheet shows it as text; one with a directional control or right-to-left letters is
    isolated with FSI ... PDI. Every CSV export writes its cells through this function.
    """
    if not isinstance(value, str):
        return value
    if value.lstrip(" \n")[:1] in _FORMULA_STARTS:
        value = "'" + value
    return isolate_direction(value)
