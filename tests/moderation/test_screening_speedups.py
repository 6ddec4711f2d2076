"""The engine's shortcuts change how fast it is, never what it finds: each is checked against the
plain way of doing the same thing, on the labelled set and on any input."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import phonenumbers
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from sigill.moderation.screening import Finding, bank, contact, numbers, screener
from sigill.moderation.screening.contact import is_swedish_phone, phone_key
from sigill.moderation.screening.evaluation import load_labelled_set
from tests.moderation.test_labelled_set import LABELLED_SET
from tests.moderation.test_screening_properties import _TEXT

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
