"""The screening engine: every detector over one comment, and the allow-list."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

from sigill.moderation.screening import rules
from sigill.moderation.screening.addresses import find_addresses
from sigill.moderation.screening.bank import find_bank_numbers, find_short_bank_numbers
from sigill.moderation.screening.classifier import Model, SentenceClassifier, default_model, rule_findings
from sigill.moderation.screening.contact import find_email_addresses, find_phone_numbers, phone_key
from sigill.moderation.screening.findings import Finding, FindingType, without_overlaps
from sigill.moderation.screening.identity import find_identity_numbers
from sigill.moderation.screening.lexicon import Lexicon, LexiconMatcher
from sigill.moderation.screening.wordlists import DEFAULT_LEXICONS, VERSION

# Which number detectors can find anything, by how many digits the longest number in the text has:
# identity numbers have ten or more, phone numbers seven or more, card numbers thirteen or more;
# plusgiro numbers ("4711-8") and house numbers may be short. Most comments have no digit at all,
# and then none needs to run.
_DETECTORS_BY_DIGITS: tuple[tuple[int, tuple[Callable[[str], Iterator[Finding]], ...]], ...] = (
    (10, (find_identity_numbers, find_phone_numbers, find_bank_numbers, find_addresses)),
    (7, (find_phone_numbers, find_short_bank_numbers, find_addresses)),
    (1, (find_short_bank_numbers, find_addresses)),
)
_DIGIT = re.compile(r"\d")
# A number as people write it is digits with up to three separators between any two; a number of at
# least n digits holds n such digits in a row, which one search finds without a Python loop.
_SEPARATED_DIGITS = r"\d(?:[ ().+–-]{{0,3}}\d){{{}}}"
_AT_LEAST = tuple(
    (digits, re.compile(_SEPARATED_DIGITS.format(digits - 1)), detectors)
    for digits, detectors in _DETECTORS_BY_DIGITS
    if digits > 1
)
_SEPARATORS = re.compile(r"[\W_]+")


def _number_detectors(text: str) -> tuple[Callable[[str], Iterator[Finding]], ...]:
    # A comment without a digit (most) costs one search; one with digits at most one more per tier.
    if not _DIGIT.search(text):
        return ()
    for _digits, pattern, detectors in _AT_LEAST:
        if pattern.search(text):
            return detectors
    return _DETECTORS_BY_DIGITS[-1][1]


def _key(text: str) -> str:
    """A form of contact details that ignores case, spacing and punctuation."""
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def _blanked(text: str, findings: list[Finding]) -> str:
    """``text`` with the findings' spans blanked out, so "bygglov@vara.se" is no word "bygglov"."""
    for finding in findings:
        text = text[: finding.start] + " " * (finding.end - finding.start) + text[finding.end :]
    return text


def _same_passage(one: Finding, other: Finding) -> bool:
    return one.type is other.type and one.start < other.end and other.start < one.end


class AllowList:
    """Public contact details that are no one's personal data: the municipality's own.

    An entry allows a finding that is the same detail however it is written ("0512-310 00" allows
    "0512 31000"), or that starts with it ("Torggatan 19" allows "Torggatan 19, 534 30 Vara").
    """

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self._keys = {key for entry in entries if (key := _key(entry))}
        self._prefixes = tuple(key + " " for key in self._keys)
        self._phones = {phone_key(entry) for entry in entries if any(map(str.isdigit, entry))}

    def allows(self, finding: Finding, text: str) -> bool:
        """Whether ``finding`` in ``text`` is one of the allowed contact details."""
        if not self._keys or not finding.type.is_personal_data:
            return False
        found = text[finding.start : finding.end]
        if finding.type is FindingType.PHONE and phone_key(found) in self._phones:
            return True
        key = _key(found)
        return key in self._keys or key.startswith(self._prefixes)


class Screener:
    """Screens comments with one set of word lists and one allow-list, both built once."""

    def __init__(
        self,
        lexicons: Iterable[Lexicon] = DEFAULT_LEXICONS,
        allow_list: Iterable[str] = (),
        model: Model | None = None,
    ) -> None:
        self.lexicons = tuple(lexicons)
        self._matcher = LexiconMatcher(self.lexicons, context=rules.CONTEXT_LEXICONS)
        self._allow_list = AllowList(allow_list)
        self._classifier = SentenceClassifier(model or default_model())
        self._edited = frozenset(lexicon.name for lexicon in self.lexicons if lexicon.version != VERSION)

    def screen(self, text: str) -> list[Finding]:
        """Every finding in ``text``, in reading order; findings of one type never overlap."""
        findings: list[Finding] = []
        for detect in _number_detectors(text):
            findings.extend(detect(text))
        emails = list(find_email_addresses(text))
        findings.extend(emails)
        if findings:
            findings = [finding for finding in findings if not self._allow_list.allows(finding, text)]
        doc = self._matcher.read(_blanked(text, emails) if emails else text)
        # What a sentence says (threats, hate, cases, ...) is the model's to judge; the shipped word
        # lists' rules are among the evidence it weighs. A list communications has edited speaks for
        # itself too: comms added its terms because they must be flagged.
        # The rules run once: their findings are the model's evidence, and comms' lists' verdicts.
        ruled = rule_findings(doc)
        judged = list(self._classifier.findings(doc, ruled))
        if self._edited and doc.hits and not self._edited.isdisjoint(doc.hits):
            listed = [f for f in ruled if f.lexicon in self._edited]
            # Where comms' list and the model say the same, the finding names comms' list, so that
            # a moderator's "this is wrong" is counted against the list that made it.
            judged = [f for f in judged if not any(_same_passage(f, other) for other in listed)] + listed
        findings.extend(judged)
        return without_overlaps(findings) if len(findings) > 1 else findings


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
