"""Phone numbers (Swedish and international, any spacing) and e-mail addresses."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import phonenumbers

from sigill.moderation.screening.findings import Finding, FindingType
from sigill.moderation.screening.numbers import digits_of, is_reference_number

# A phone number as people write it: "+46 70-123 45 67", "0046 70 1234567", "(0512) 310 00",
# "070-123 45 67", "070.123.45.67" (dots only in that grouped form, so "08.00" stays a time). A Swedish number written without a country code starts with 0; a bare number
# without one ("12 500 kr") is a price or an amount, never a phone number.
# (Each branch starts with its first character and looks behind it only then; see identity.py.)
_NOT_INSIDE = r"(?<![\w/.,+-].)(?<!\d .)"
_CANDIDATE = re.compile(
    rf"(?:\+{_NOT_INSIDE}[\d ()–-]{{5,20}}\d"
    rf"|0{_NOT_INSIDE}0[\d ()–-]{{5,20}}\d"
    rf"|\({_NOT_INSIDE}0[\d ()–-]{{5,20}}\d"
    rf"|0{_NOT_INSIDE}[\d ()–-]{{5,20}}\d"
    rf"|0{_NOT_INSIDE}\d{{2,3}}(?:\.\d{{2,3}}){{2,3}})"
    r"(?![\w/]|[.,:]\d|[-–]\d)"
)
# Dates written with hyphens are dates, whatever phonenumbers thinks of their digits.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{2,4}")
_EMAIL = re.compile(
    r"[A-Za-z0-9](?<![\w.%+-].)[A-Za-z0-9._%+-]*"
    r"(?:@| ?[\[(]at[\])] ?)"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@-])",
    re.IGNORECASE,
)


def is_swedish_phone(candidate: str) -> bool:
    """The string is a valid phone number, read as Swedish unless it carries a country code."""
    national = phone_key(candidate)
    if national.startswith("0") and national[1:].isdigit():
        return _is_valid_swedish(national)
    try:
        number = phonenumbers.parse(candidate, "SE")
    except phonenumbers.NumberParseException:
        return False
    # A foreign number written with its country code is read as a number if it could be one:
    # the other countries' number plans change faster than a shipped copy of them.
    foreign = candidate.lstrip().startswith(("+", "00")) and number.country_code != 46
    return phonenumbers.is_valid_number(number) or (foreign and phonenumbers.is_possible_number(number))


@functools.lru_cache(maxsize=65_536)
def _is_valid_swedish(national: str) -> bool:
    """Whether the national digits ("0701234567") make a valid Swedish number; kept, as one
    number (a switchboard, a helpline) recurs across many comments."""
    # A Swedish number needs no parsing: its national digits are known, and building the number
    # directly skips the slowest part of phonenumbers.
    number = phonenumbers.PhoneNumber(country_code=46, national_number=int(national[1:]))
    return phonenumbers.is_valid_number(number)


def phone_key(text: str) -> str:
    """A phone number's digits as dialled within Sweden ("+46 70-1" and "0046 701" give "0701").

    Cheaper than parsing it again, and enough to compare two ways of writing one number.
    """
    written, digits = text.lstrip(), digits_of(text)
    # Sweden's country code is written "+46" (two digits) or "0046" (four); a trunk "(0)" may follow.
    for prefix, country_digits in (("+46", 2), ("0046", 4)):
        if written.startswith(prefix):
            return "0" + digits[country_digits:].lstrip("0")
    return ("+" if written.startswith(("+", "00")) else "") + digits.removeprefix("00")


def find_phone_numbers(text: str) -> Iterator[Finding]:
    """Valid phone numbers; a trailing group that makes the number invalid is left out."""
    for match in _CANDIDATE.finditer(text):
        start, candidate = match.start(), match.group()
        if _DATE.fullmatch(candidate) or is_reference_number(text, start) or len(digits_of(candidate)) < 7:
            continue
        number = _longest_valid_prefix(candidate)
        if number is None:
            continue
        international = candidate.startswith(("+", "00")) and not candidate.startswith(("+46", "0046"))
        yield Finding(
            type=FindingType.PHONE,
            start=start,
            end=start + len(number),
            confidence=0.9 if international else 0.95,
            explanation="Ser ut som ett telefonnummer"
            + (" från ett annat land." if international else ".")
            + " Det kan peka ut en enskild person.",
            detector="phone_number",
        )


def _longest_valid_prefix(candidate: str) -> str | None:
    """The candidate, or it without one or two trailing groups ("070-123 45 67 2 gånger")."""
    for _ in range(3):
        candidate = candidate.rstrip(" ()-")
        if is_swedish_phone(candidate):
            return candidate
        if " " not in candidate:
            return None
        candidate = candidate.rsplit(" ", 1)[0]
    return None


def find_email_addresses(text: str) -> Iterator[Finding]:
    """E-mail addresses, also the "namn (at) exempel.se" way of writing them."""
    if "@" not in text:
        # "(at)" and "[at]" need their closing bracket: most comments have none, and need no
        # lower-casing to rule the spelled-out forms out.
        if ")" not in text and "]" not in text:
            return
        lowered = text.lower()
        if "at)" not in lowered and "at]" not in lowered:
            return
    for match in _EMAIL.finditer(text):
        yield Finding.of_match(
            match,
            FindingType.EMAIL,
            0.99 if "@" in match.group() else 0.9,
            "Ser ut som en e-postadress. Den kan peka ut en enskild person.",
            "email_address",
        )
