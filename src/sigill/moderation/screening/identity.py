"""Swedish identity numbers (personnummer) and coordination numbers (samordningsnummer)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from sigill.moderation.screening import contact
from sigill.moderation.screening.findings import Finding, FindingType
from sigill.moderation.screening.numbers import digits_of, is_reference_number, passes_luhn, words_before

DETECTOR = "identity_number"

# 10 or 12 digits: an optional century, the date in pairs, an optional "-" or "+" (or en dash) and
# the four last digits, with single spaces allowed between the groups ("19811228-9874",
# "811228 - 9874", "81 12 28-98 74"). The look-arounds keep the match from starting or ending inside a longer
# number, a date like "2023-04-15", or a reference like "2023/0451".
#
# Each pattern in this package begins with the character a match starts with and only then looks
# behind it: a pattern that begins with a look-behind makes the regular expression engine try
# every position of the text, one that begins with a character set lets it skip to candidates.
_NOT_INSIDE = r"(?<![\w/.,+-].)(?<!\d .)"  # the character before, and no digit and space before that
# (The leading look-ahead adds nothing to what matches, as every branch starts with a digit, but
# lets the engine skip to digits instead of trying every branch at every position.)
_CANDIDATE = re.compile(
    rf"(?=\d)(?:(?P<century>(?:1{_NOT_INSIDE}9|2{_NOT_INSIDE}0) ?)(?P<date>\d{{2}} ?\d{{2}} ?\d{{2}})"
    rf"|(?P<short_date>\d{_NOT_INSIDE}\d ?\d{{2}} ?\d{{2}}))"
    r"(?P<sep> ?[-+–] ?| )?(?P<serial>\d{2} ?\d{2})"
    r"(?![\w/-]|[.,:]\d| ?[-+–]?\d)"
)
_KEYWORD = re.compile(r"(?:personnummer|personnr|pnr|samordningsnummer|födelsenummer)\W*$", re.IGNORECASE)


def find_identity_numbers(text: str) -> Iterator[Finding]:
    """Identity and coordination numbers with a real date and a correct check digit."""
    for match in _CANDIDATE.finditer(text):
        kind = _kind_of(match)
        if kind is None or is_reference_number(text, match.start()) or _looks_like_phone(text, match):
            continue
        if kind is FindingType.SAMORDNINGSNUMMER:
            explanation = "Ser ut som ett samordningsnummer (datumet och kontrollsiffran stämmer)."
        else:
            explanation = "Ser ut som ett personnummer (datumet och kontrollsiffran stämmer)."
        confidence = 0.99 if match.group("sep") or match.group("century") else 0.93
        yield Finding.of_match(match, kind, confidence, explanation, DETECTOR)


def _date_of(match: re.Match[str]) -> str:
    return match.group("date") or match.group("short_date")


def _kind_of(match: re.Match[str]) -> FindingType | None:
    """Which kind of number the candidate is, or None when its date or check digit is wrong."""
    digits = digits_of(_date_of(match) + match.group("serial"))
    century = digits_of(match.group("century") or "")
    if not passes_luhn(digits):
        return None
    year, month, day = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    # A coordination number is an identity number whose day has 60 added to it.
    kind = FindingType.PERSONNUMMER
    if day > 60:
        kind, day = FindingType.SAMORDNINGSNUMMER, day - 60
    full_year = int(century) * 100 + year if century else 2000 + year
    try:
        datetime.date(full_year, month, day)
    except ValueError:
        # Without a century, 29 February may belong to a leap year a hundred years back.
        if not (century == "" and month == 2 and day == 29 and year % 4 == 0):
            return None
    return kind


def _looks_like_phone(text: str, match: re.Match[str]) -> bool:
    """Ten bare digits starting with 0 are read as a phone number unless a keyword says otherwise.

    Six digits and four, split by a separator or a space, are the identity number's own shape.
    """
    if match.group("century") or match.group("sep"):
        return False
    if _KEYWORD.search(words_before(text, match.start())):
        return False
    return _date_of(match).startswith("0") and contact.is_swedish_phone(match.group())
