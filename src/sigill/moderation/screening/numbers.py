"""Helpers shared by the detectors of numbers: check digits and the words written before a number."""

from __future__ import annotations

import re

# A number right after one of these words is an order, invoice or case reference, not personal
# data, even when its digits happen to pass a check (OCR references carry a Luhn digit by design).
# (The look-ahead for the words' first letters adds nothing to what matches, but lets the engine
# skip the positions where no word can start: twice as fast, and every number runs it.)
_REFERENCE_WORDS = re.compile(
    r"(?=[ofkädrab])\b(?:order|faktura|ocr|kundn|ärende|dnr|diarie|ref|artikel|orgnr|organisationsn|bokning"
    r"|beställning)\w*[\s.:#-]*$",
    re.IGNORECASE,
)
_LOOKBEHIND = 40


_NOT_DIGITS = re.compile(r"\D+")


def digits_of(text: str) -> str:
    """The digits of ``text``, separators dropped."""
    return _NOT_DIGITS.sub("", text)


def words_before(text: str, start: int, width: int = _LOOKBEHIND) -> str:
    """The text just before ``start``: where a keyword saying what a number is would stand."""
    return text[max(0, start - width) : start]


def is_reference_number(text: str, start: int) -> bool:
    """The number at ``start`` follows a word that makes it an order, invoice or case reference."""
    return _REFERENCE_WORDS.search(words_before(text, start, 30)) is not None


# Each digit doubled, with the digits of the result added (7 -> 14 -> 5), as the Luhn check does.
_LUHN_DOUBLED = {str(digit): sum(divmod(2 * digit, 10)) for digit in range(10)}.__getitem__


def passes_luhn(digits: str) -> bool:
    """The Luhn (mod 10) check used by identity numbers, cards, bankgiro and plusgiro.

    The same answers as python-stdnum's ``luhn.is_valid`` (tests compare them), in a third of
    the time: every comment with a number runs it, often more than once. Only ASCII digits count;
    other digits ("٨") fail, as they do in stdnum.
    """
    if not (digits.isascii() and digits.isdigit()):
        return False
    # From the right: the check digit and every second digit as they are, the others doubled.
    return (sum(map(int, digits[-1::-2])) + sum(map(_LUHN_DOUBLED, digits[-2::-2]))) % 10 == 0


def passes_mod11(digits: str) -> bool:
    """The mod 11 check of Swedish bank accounts: weights 1, 2, ..., 10 repeating from the right."""
    total = sum(int(digit) * (position % 10 + 1) for position, digit in enumerate(reversed(digits)))
    return total % 11 == 0
