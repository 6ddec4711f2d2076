"""Small text helpers for a Swedish interface."""

from __future__ import annotations

# Swedish sorts å, ä, ö after z, in that order; code points put ä before å. The three are mapped
# to the three characters that follow "z" in ASCII.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def swedish_sort_key(text: str) -> str:
    """A key that sorts text as a Swedish reader expects: case-insensitive, å ä ö after z."""
    return text.casefold().translate(_SWEDISH_ORDER)


def csv_safe(value: object) -> object:
    """Defuse spreadsheet formulas: a CSV cell starting with = + - @ is shown as text."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value
