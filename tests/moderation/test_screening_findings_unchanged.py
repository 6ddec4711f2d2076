"""Speed-ups change how fast the engine is, never what it finds.

``screening_findings_before_speedups.json`` holds what the engine found before the speed-ups
(commit ca22f72): for every comment of the labelled set, the labelled comments joined in pairs,
and 1,500 seeded random texts made of the pieces that make the detectors fire and stumble; each
screened with the shipped word lists, with and without the municipality's allow-list. Every
field of every finding must come out the same.
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from typing import Any

import pytest
import simplemma
from hypothesis import given, settings
from hypothesis import strategies as st

from sigill.moderation.screening import (
    DEFAULT_LEXICONS,
    Finding,
    Screener,
    addresses,
    bank,
    contact,
    identity,
    lexicon,
    numbers,
    rules,
    screener,
)
from sigill.moderation.screening.findings import without_overlaps
from sigill.moderation.screening.lexicon import LexiconMatcher
from tests.moderation.test_screening_properties import _TEXT

RECORDED = Path(__file__).with_name("screening_findings_before_speedups.json")
_DATA: dict[str, Any] = json.loads(RECORDED.read_text(encoding="utf-8"))


def _as_recorded(finding: Finding) -> list[object]:
    return [
        finding.type.value,
        finding.start,
        finding.end,
        finding.confidence,
        _DATA["explanations"].index(finding.explanation),
        finding.detector,
        finding.lexicon,
        finding.lexicon_version,
    ]


@pytest.mark.parametrize("screening", ["default", "allow_list"])
def test_the_engine_finds_exactly_what_it_found_before_the_speed_ups(screening: str) -> None:
    screener = Screener(allow_list=_DATA["allow_list"] if screening == "allow_list" else ())
    differing = [
        case["text"]
        for case in _DATA["cases"]
        if [_as_recorded(finding) for finding in screener.screen(case["text"])] != case[screening]
    ]
    assert len(_DATA["cases"]) == 1920
    assert differing == []


class _FullLemmas(lexicon._Lemmas):
    LIMIT = 0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=15), max_size=5))
def test_the_kept_lemmas_are_simplemmas_whether_learnt_or_not(words: list[str]) -> None:
    for word in words:
        expected = simplemma.lemmatize(word, lang="sv").replace(" ", "_")
        assert lexicon.lemma_of(word) == expected
        assert lexicon.lemma_of(word) == expected  # the second answer comes from memory
    full = _FullLemmas()
    for word in words:
        assert full[word] == simplemma.lemmatize(word, lang="sv").replace(" ", "_")
    assert len(full) == 0


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789 --–a٣.", max_size=45))
def test_thirteen_digits_are_seen_where_the_plain_pattern_sees_them(text: str) -> None:
    plain = re.search(r"\d(?:[ -]?\d){12}", text)
    assert (bank._THIRTEEN_DIGITS.search(text) is None) == (plain is None)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_the_engine_finds_what_every_detector_and_rule_finds_on_their_own_for_any_text(text: str) -> None:
    """The screener's early exits skip only detectors and rules that would find nothing."""
    matcher = LexiconMatcher(DEFAULT_LEXICONS, context=rules.CONTEXT_LEXICONS)
    plain = [
        *identity.find_identity_numbers(text),
        *contact.find_phone_numbers(text),
        *bank.find_bank_numbers(text),
        *addresses.find_addresses(text),
    ]
    emails = list(contact.find_email_addresses(text))
    plain.extend(emails)
    plain.extend(rules.apply(matcher.read(screener._blanked(text, emails))))
    assert Screener().screen(text) == without_overlaps(plain)


def _hits_the_plain_way(automaton: lexicon._Automaton, line: str) -> dict[str, list[lexicon.Hit]]:
    """The automaton's hits as the engine found them before (commit ca22f72)."""
    hits: dict[str, list[lexicon.Hit]] = {}
    if automaton._empty:
        return hits
    for end, values in automaton._automaton.iter(line):
        for name, found_in, term, length, back in values:
            last = line.count(" ", 0, end + 1 - back) - 1
            hits.setdefault(name, []).append(lexicon.Hit(found_in, term, last - length + 1, last))
    return hits


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_a_read_comment_has_the_hits_and_sentences_the_plain_way_gives(text: str) -> None:
    matcher = LexiconMatcher(DEFAULT_LEXICONS, context=rules.CONTEXT_LEXICONS)
    doc = matcher.read(text)
    assert doc.hits == _hits_the_plain_way(matcher._triggers, doc._line)
    for automaton in {*matcher._context.values()}:
        for name, found in _hits_the_plain_way(automaton, doc._line).items():
            assert doc.hits_of(name) == found
    sentence_starts = [start for start, _ in doc.sentences]
    assert doc.sentence_of == [bisect.bisect_right(sentence_starts, start) - 1 for start, _ in doc.word_spans]
    assert all(type(hit) is lexicon.Hit for found in doc.hits.values() for hit in found)


_PLAIN_REFERENCE_WORDS = re.compile(
    r"\b(?:order|faktura|ocr|kundn|ärende|dnr|diarie|ref|artikel|orgnr|organisationsn|bokning"
    r"|beställning)\w*[\s.:#-]*$",
    re.IGNORECASE,
)
_REFERENCE_PIECES = st.sampled_from(
    [
        *("Order", "faktura", "OCR", "kundnr", "ÄRENDE", "dnr", "ref", "bokning", "beställning"),
        *("artikel", "orgnr", "organisationsnummer", "diarie", "x", "ö", " ", ".", ":", "#", "-"),
        *("\n", "K", "ſ", "ı", "İ", "1", "_", "2023"),
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(max_size=30), st.lists(_REFERENCE_PIECES, max_size=8).map("".join)))
def test_reference_words_are_seen_where_the_plain_pattern_sees_them(window: str) -> None:
    plain = _PLAIN_REFERENCE_WORDS.search(window)
    assert (numbers._REFERENCE_WORDS.search(window) is None) == (plain is None)


# The pattern as it was before the look-ahead was added (written out, so that a change to the
# pattern itself cannot change what it is compared with).
_PLAIN_IDENTITY_CANDIDATE = re.compile(
    rf"(?:(?P<century>(?:1{identity._NOT_INSIDE}9|2{identity._NOT_INSIDE}0) ?)(?P<date>\d{{2}} ?\d{{2}} ?\d{{2}})"
    rf"|(?P<short_date>\d{identity._NOT_INSIDE}\d ?\d{{2}} ?\d{{2}}))"
    r"(?P<sep> ?[-+–] ?| )?(?P<serial>\d{2} ?\d{2})"
    r"(?![\w/-]|[.,:]\d| ?[-+–]?\d)"
)


@settings(max_examples=600, deadline=None)
@given(st.one_of(_TEXT, st.from_regex(r"[0-9 +–-]{0,30}", fullmatch=True)))
def test_identity_number_candidates_are_those_the_plain_pattern_finds(text: str) -> None:
    assert identity._CANDIDATE.pattern.startswith(r"(?=\d)")
    assert [match.groupdict() | {"span": match.span()} for match in identity._CANDIDATE.finditer(text)] == [
        match.groupdict() | {"span": match.span()} for match in _PLAIN_IDENTITY_CANDIDATE.finditer(text)
    ]
