"""The engine's shortcuts change how fast it is, never what it finds: each is checked against the
plain way of doing the same thing, on the labelled set and on any input."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
import phonenumbers
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from sigill.moderation.screening import (
    Finding,
    bank,
    classifier,
    constructions,
    contact,
    numbers,
    rules,
    screener,
)
from sigill.moderation.screening.contact import is_swedish_phone, phone_key
from sigill.moderation.screening.evaluation import corpus_files, load_corpus, load_labelled_set
from sigill.moderation.screening.lexicon import LexiconMatcher
from sigill.moderation.screening.wordlists import DEFAULT_LEXICONS
from tests.moderation.test_labelled_set import LABELLED_SET
from tests.moderation.test_screening_properties import _TEXT

# Words that make the constructions' patterns fire and nearly fire.
_CONSTRUCTION_PIECES = [
    "invandrare",
    "muslimer",
    "alla",
    "dessa",
    "är",
    "parasiter",
    "ska",
    "döda",
    "skjuta",
    "jag",
    "vi",
    "dig",
    "borde",
    "någon",
    "hem",
    "till",
    "dom",
    "judar",
    "sjuka",
    "ut",
    "med",
    "kniv",
]
_NUMBER = re.compile(r"\d(?:[ ().+–-]{0,3}\d)*")
_NOT_DIGITS = re.compile(r"\D+")


def number_detectors_the_plain_way(text: str) -> tuple[Callable[[str], Iterator[Finding]], ...]:
    """Which number detectors run: by the digits of the longest number, counted number by number."""
    if not re.search(r"\d", text):
        return ()
    longest = max(len(_NOT_DIGITS.sub("", number)) for number in _NUMBER.findall(text))
    return next(found for digits, found in screener._DETECTORS_BY_DIGITS if longest >= digits)


def number_findings_the_plain_way(text: str) -> list[Finding]:
    """What the number detectors find, every bank number kind (cards too) looked for in any text."""
    plain = [
        bank.find_bank_numbers if detect is bank.find_short_bank_numbers else detect
        for detect in number_detectors_the_plain_way(text)
    ]
    return [finding for detect in plain for finding in detect(text)]


def number_findings(text: str) -> list[Finding]:
    return [finding for detect in screener._number_detectors(text) for finding in detect(text)]


def test_the_number_detectors_chosen_for_the_labelled_set_find_what_the_plain_way_finds() -> None:
    for comment in load_labelled_set(LABELLED_SET).comments:
        assert screener._number_detectors(comment.text) == number_detectors_the_plain_way(comment.text)
        assert number_findings(comment.text) == number_findings_the_plain_way(comment.text)


_CARDS_AND_NUMBERS = st.sampled_from(
    [
        "4571 5260 1815 9082",
        "4571526018159082",
        "5500-0000-0000-0004",
        "kort ",
        "konto ",
        "bg ",
        " ",
        "-",
        "7",
    ]
)


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        _TEXT,
        st.from_regex(r"[0-9 ().+–-]{0,40}", fullmatch=True),
        st.lists(_CARDS_AND_NUMBERS, max_size=8).map("".join),
    )
)
def test_the_number_detectors_chosen_find_what_the_plain_way_finds_for_any_text(text: str) -> None:
    assert screener._number_detectors(text) == number_detectors_the_plain_way(text)
    assert number_findings(text) == number_findings_the_plain_way(text)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"0[1-9][0-9 -]{4,14}[0-9]", fullmatch=True))
def test_a_kept_swedish_phone_validation_answers_as_phonenumbers_does(candidate: str) -> None:
    national = phone_key(candidate)
    assume(national.startswith("0") and national[1:].isdigit())
    expected = phonenumbers.is_valid_number(
        phonenumbers.PhoneNumber(country_code=46, national_number=int(national[1:]))
    )
    assert is_swedish_phone(candidate) == expected
    assert is_swedish_phone(candidate) == expected  # the second answer comes from memory


_EMAIL_PIECES = st.sampled_from(["anna", "(at)", "[AT]", " at ", "@", "example", ".se", "(", ")", "]", " "])


@settings(max_examples=400, deadline=None)
@given(st.one_of(_TEXT, st.lists(_EMAIL_PIECES, max_size=12).map("".join)))
def test_e_mail_addresses_are_found_as_the_plain_way_finds_them(text: str) -> None:
    """The plain way lower-cases every comment before it looks for "(at)" or "[at]"."""
    lowered = text.lower()
    plain = (
        []
        if "@" not in text and "at)" not in lowered and "at]" not in lowered
        else [(m.start(), m.end()) for m in contact._EMAIL.finditer(text)]
    )
    assert [(f.start, f.end) for f in contact.find_email_addresses(text)] == plain


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.from_regex(r"[0-9]{0,20}", fullmatch=True), st.text(max_size=20), st.just("")))
def test_the_luhn_check_answers_as_python_stdnums(digits: str) -> None:
    assert numbers.passes_luhn(digits) == luhn.is_valid(digits)


def test_the_luhn_check_answers_as_python_stdnums_for_known_numbers() -> None:
    for digits in [
        "8112289874",
        "191212121212",
        "4571526018159082",
        "5500000000000004",
        "47118",
        "٨١١٢٢٨٩٨٧٤",
    ]:
        assert numbers.passes_luhn(digits) == luhn.is_valid(digits)
    assert numbers.passes_luhn("8112289874") and not numbers.passes_luhn("8112289875")


def _development_sentences() -> list[str]:
    texts = [comment.text for comment in load_corpus(corpus_files(test=False)).comments]
    texts += [comment.text for comment in load_labelled_set(LABELLED_SET).comments]
    return [text[start:end] for text in texts for start, end in classifier.sentence_spans(text)]


def test_the_constructions_found_with_the_group_shortcut_are_those_every_pattern_finds() -> None:
    for sentence in _development_sentences():
        folded = classifier._unmasked(sentence).translate(classifier._FOLD)
        assert constructions.constructions(folded) == constructions.constructions_the_plain_way(folded)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_TEXT, st.lists(st.sampled_from(_CONSTRUCTION_PIECES), max_size=10).map(" ".join)))
def test_the_constructions_found_with_the_group_shortcut_are_those_every_pattern_finds_for_any_text(
    text: str,
) -> None:
    folded = classifier._unmasked(text).translate(classifier._FOLD)
    assert constructions.constructions(folded) == constructions.constructions_the_plain_way(folded)


def test_a_sentence_scored_from_its_remembered_words_scores_as_its_features_do() -> None:
    """The development comments and the labelled set, read as the screener reads them: each
    sentence's scores from the words' remembered rows equal those of its features, one by one."""
    model = classifier.default_model()
    matcher = LexiconMatcher(DEFAULT_LEXICONS, context=rules.CONTEXT_LEXICONS)
    texts = [comment.text for comment in load_corpus(corpus_files(test=False)).comments]
    texts += [comment.text for comment in load_labelled_set(LABELLED_SET).comments]
    for text in texts:
        doc = matcher.read(text)
        for _start, _end, words, whole in classifier._read_sentences(doc, None):
            features = classifier._words_features(words) | whole
            assert np.allclose(model.sentence_scores(words, whole), model.scores(features), atol=1e-9)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_a_sentence_scored_from_its_remembered_words_scores_as_its_features_do_for_any_text(
    text: str,
) -> None:
    model = classifier.default_model()
    words, whole = classifier._sentence_parts(text)
    features = classifier._words_features(words) | whole
    assert np.allclose(model.sentence_scores(words, whole), model.scores(features), atol=1e-9)
