"""Bank accounts, bankgiro, plusgiro, IBAN and card numbers, each checked by its check digits."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from stdnum import iban

from sigill.moderation.screening.findings import Finding, FindingType
from sigill.moderation.screening.numbers import (
    digits_of,
    is_reference_number,
    passes_luhn,
    passes_mod11,
    words_before,
)

DETECTOR = "bank_number"

_END = r"(?![\w/-]|[.,]\d)"
# Card numbers: 13 to 19 digits, grouped as the issuer likes, issued under a prefix from 2 to 6 (Mastercard, Visa,
# Amex, Discover, ...), Luhn-checked. Numbers starting with 0 or 1 are phone numbers or references.
# (Each pattern starts with its first character and looks behind it only then; see identity.py.)
_CARD = re.compile(rf"[2-6](?<![\w-].)(?<!\d .)\d{{3}}(?:[ -]?\d){{9,15}}{_END}")
_IBAN = re.compile(r"[A-Z](?<!\w.)[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?!\w)")
# Bankgiro, plusgiro and account numbers are short and their checks are weak (one number in ten
# passes by chance), so they count only after a word that says what they are.
# Thirteen digits with at most one space or hyphen between any two. Tried only where such a chain of
# digits starts (no digit, or digit and separator, just before): a longer chain holds thirteen from
# its start whenever it holds them anywhere, and starting at every digit of a long number would
# walk the rest of it again each time.
_THIRTEEN_DIGITS = re.compile(r"\d(?<!\d.)(?<!\d[ -].)(?:[ -]?\d){12}")
_IBAN_START = re.compile(r"[A-Z][A-Z]\d\d")
_BANKGIRO = re.compile(rf"\d(?<![\w-].)\d{{2,3}}-\d{{4}}{_END}")
_PLUSGIRO = re.compile(rf"\d(?<![\w-].)\d{{0,6}}-\d{_END}")
_ACCOUNT = re.compile(
    rf"(?P<clearing>\d(?<![\w-].)\d{{3}}(?:-\d)?)[ ,-]*(?P<account>\d[\d -]{{5,14}}\d){_END}"
)
_BANKGIRO_WORD = re.compile(r"\b(?:bankgiro\w*|bg)\b", re.IGNORECASE)
_PLUSGIRO_WORD = re.compile(r"\b(?:plusgiro\w*|postgiro\w*|pg)\b", re.IGNORECASE)
_ACCOUNT_WORD = re.compile(r"(?:konto|clearing)", re.IGNORECASE)
# Words that say the next number is where money goes: then a number shaped like an account counts
# even when its check digit fails. People mistype their own account numbers, and a resident who
# posts "sätt in på Swedbank 8214-9, 723 445 108-2" has posted an account number either way.
_MONEY_WORD = re.compile(
    r"(?:konto|clearing|iban|swedbank|nordea|handelsbanken|\bseb\b|danske|ica.?banken|"
    r"länsförsäkringar|skandia|sparbank|swish|sätt(?:a)? in|betala (?:tillbaka )?till)",
    re.IGNORECASE,
)
_LOOSE_ACCOUNT = re.compile(
    rf"(?:\b[A-Z]{{2}}\d{{2}}(?: ?\d{{4}}){{4,6}}(?: ?\d{{1,3}})?|\d(?<![\w-].)\d{{3}}(?:-\d)?[ ,-]{{0,3}}"
    rf"(?:konto\w*[ :]*)?\d[\d -]{{4,14}}\d|\b\d(?:[ -]?\d){{8,15}}){_END}",
    re.IGNORECASE,
)
_MONEY_HINTS = (
    "konto",
    "clearing",
    "iban",
    "bank",
    "nordea",
    "seb",
    "danske",
    "skandia",
    "swish",
    "sätt",
    "till",
)


def find_bank_numbers(text: str) -> Iterator[Finding]:
    """Every kind of bank number in ``text``."""
    # Cards have 13 digits or more; few comments have that many, and a quick look for them
    # spares the full pattern.
    if _THIRTEEN_DIGITS.search(text):
        yield from _cards(text)
    yield from find_short_bank_numbers(text)


def find_short_bank_numbers(text: str) -> Iterator[Finding]:
    """Every kind of bank number but cards: what a text whose numbers are shorter than a card
    number can hold (the screener knows the length of the longest number already)."""
    # An IBAN starts with two capitals and two digits; few comments have that, and a quick look
    # for it spares the full pattern.
    if _IBAN_START.search(text):
        yield from _ibans(text)
    # Most comments name none of the keywords, and then the number patterns need not run.
    lowered = text.lower()
    if "bg" in lowered or "bankgiro" in lowered:
        yield from _after_keyword(text, _BANKGIRO, _BANKGIRO_WORD, "ett bankgironummer", _giro_check)
    if "pg" in lowered or "giro" in lowered:
        yield from _after_keyword(text, _PLUSGIRO, _PLUSGIRO_WORD, "ett plusgironummer", _giro_check)
    if "konto" in lowered or "clearing" in lowered:
        yield from _after_keyword(text, _ACCOUNT, _ACCOUNT_WORD, "ett bankkontonummer", _is_account)
    if any(hint in lowered for hint in _MONEY_HINTS):
        yield from _loose_accounts(text)


def _finding(match: re.Match[str], what: str, confidence: float) -> Finding:
    return Finding.of_match(
        match, FindingType.BANK, confidence, f"Ser ut som {what} (kontrollsiffran stämmer).", DETECTOR
    )


def _cards(text: str) -> Iterator[Finding]:
    for match in _CARD.finditer(text):
        digits = digits_of(match.group())
        if passes_luhn(digits) and not is_reference_number(text, match.start()):
            yield _finding(match, "ett kortnummer", 0.97)


def _ibans(text: str) -> Iterator[Finding]:
    for match in _IBAN.finditer(text):
        if iban.is_valid(match.group()):
            yield _finding(match, "ett IBAN-kontonummer", 0.99)


def _after_keyword(
    text: str,
    pattern: re.Pattern[str],
    keyword: re.Pattern[str],
    what: str,
    check: Callable[[re.Match[str]], bool],
) -> Iterator[Finding]:
    for match in pattern.finditer(text):
        if keyword.search(words_before(text, match.start())) and check(match):
            yield _finding(match, what, 0.9)


def _loose_accounts(text: str) -> Iterator[Finding]:
    """Account-shaped numbers right after a word about where money goes, checked or not."""
    for match in _LOOSE_ACCOUNT.finditer(text):
        before = words_before(text, match.start(), 30)
        if _MONEY_WORD.search(before) and not is_reference_number(text, match.start()):
            yield Finding.of_match(
                match,
                FindingType.BANK,
                0.7,
                "Ser ut som ett kontonummer dit pengar ska sättas in.",
                DETECTOR,
            )


def _giro_check(match: re.Match[str]) -> bool:
    """Bankgiro and plusgiro numbers end in a Luhn check digit."""
    return passes_luhn(digits_of(match.group()))


def _is_account(match: re.Match[str]) -> bool:
    """A Swedish account number passes one of the banks' checks.

    Depending on the bank, the check digit covers the account number alone (mod 10 or, with nine
    digits, mod 11), or the clearing number's last three or all four digits and the account number
    (mod 11). Which rule applies depends on the bank; any of them passing is enough here.
    """
    clearing = digits_of(match.group("clearing"))[:4]
    account = digits_of(match.group("account"))
    return (
        passes_luhn(account)
        or (len(account) == 9 and passes_mod11(account))
        or (len(account) == 7 and (passes_mod11(clearing[1:] + account) or passes_mod11(clearing + account)))
    )
