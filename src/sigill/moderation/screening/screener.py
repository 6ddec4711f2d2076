"""The screening engine: every detector over one comment, and the allow-list."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import phonenumbers

from sigill.moderation.screening import rules
from sigill.moderation.screening.addresses import find_addresses
from sigill.moderation.screening.bank import find_bank_numbers
from sigill.moderation.screening.contact import find_email_addresses, find_phone_numbers
from sigill.moderation.screening.findings import Finding, without_overlaps
from sigill.moderation.screening.identity import find_identity_numbers
from sigill.moderation.screening.lexicon import Lexicon, LexiconMatcher
from sigill.moderation.screening.wordlists import DEFAULT_LEXICONS

_NUMBER_DETECTORS = (find_identity_numbers, find_phone_numbers, find_bank_numbers, find_addresses)
_HAS_NUMBER = re.compile(r"\d")
_SEPARATORS = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    """A form of contact details that ignores case, spacing and punctuation."""
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def _e164(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _blanked(text: str, findings: list[Finding]) -> str:
    """``text`` with the findings' spans blanked out, so "bygglov@vara.se" is no word "bygglov"."""
    for finding in findings:
        text = text[: finding.start] + " " * (finding.end - finding.start) + text[finding.end :]
    return text


class AllowList:
    """Public contact details that are no one's personal data: the municipality's own.

    An entry allows a finding that is the same detail however it is written ("0512-310 00" allows
    "0512 31000"), or that starts with it ("Torggatan 19" allows "Torggatan 19, 534 30 Vara").
    """

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self._keys = {key for entry in entries if (key := _key(entry))}
        self._phones = {number for entry in entries if (number := _e164(entry)) and _HAS_NUMBER.search(entry)}

    def allows(self, finding_text: str) -> bool:
        key = _key(finding_text)
        if key in self._keys or any(key.startswith(allowed + " ") for allowed in self._keys):
            return True
        return bool(self._phones) and _e164(finding_text) in self._phones


class Screener:
    """Screens comments with one set of word lists and one allow-list, both built once."""

    def __init__(
        self, lexicons: Iterable[Lexicon] = DEFAULT_LEXICONS, allow_list: Iterable[str] = ()
    ) -> None:
        self.lexicons = tuple(lexicons)
        self._matcher = LexiconMatcher(self.lexicons)
        self._allow_list = AllowList(allow_list)

    def screen(self, text: str) -> list[Finding]:
        """Every finding in ``text``, in reading order; findings of one type never overlap."""
        findings: list[Finding] = []
        # Most comments hold no digit at all, and then no number detector needs to run.
        if _HAS_NUMBER.search(text):
            for detect in _NUMBER_DETECTORS:
                findings.extend(detect(text))
        emails = list(find_email_addresses(text))
        findings.extend(emails)
        findings = [
            finding for finding in findings if not self._allow_list.allows(text[finding.start : finding.end])
        ]
        doc = self._matcher.read(_blanked(text, emails))
        for rule in rules.RULES:
            findings.extend(rule(doc))
        return without_overlaps(findings)


@functools.lru_cache(maxsize=8)
def screener_for(lexicons: tuple[Lexicon, ...], allow_list: tuple[str, ...]) -> Screener:
    """A screener per set of word lists and allow-list, kept so its automaton is built once."""
    return Screener(lexicons, allow_list)


def screen(
    text: str, *, lexicons: Iterable[Lexicon] | None = None, allow_list: Iterable[str] = ()
) -> list[Finding]:
    """Screen one comment with the given word lists (the shipped defaults when None)."""
    chosen = DEFAULT_LEXICONS if lexicons is None else tuple(lexicons)
    return screener_for(chosen, tuple(allow_list)).screen(text)
