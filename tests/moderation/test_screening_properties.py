"""Properties that hold for any input: screen() never raises and every span is a real substring."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from sigill.moderation.screening import Finding, screen

# Pieces that make the detectors fire and stumble: digits and separators, Swedish words from the
# word lists, e-mail and street fragments, digits of other scripts, and any Unicode between them.
_PIECES = st.sampled_from(
    [
        "811228-9874",
        "19850374-2341",
        "070-123 45 67",
        "+46 70",
        "0046",
        "(0512)",
        "08.00–17.00",
        "4571 5260 1815 9082",
        "SE45 5000",
        "bankgiro ",
        "konto ",
        "pnr:",
        "@",
        "(at)",
        ".se",
        "Storgatan 12",
        ", 534 31 Vara",
        "min son har diabetes",
        "döda dig",
        "invandrare",
        "parasit",
        "idiot",
        "du",
        "klicka här",
        "gratis",
        "när",
        "?",
        "!",
        ".",
        "\n",
        " ",
        "-",
        "+",
        "–",
        "zigenar",
        "٨١١٢٢٨-٩٨٧٤",  # an identity number in Arabic-Indic digits, which \d also matches
        "٠٧٠-١٢٣ ٤٥ ٦٧",
        "İ",  # lower-cases to two characters
        "undrar",
        "vet var du bor",
        "hemtjänst",
        "ansökan",
        "2023/0451",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=25).map("".join)


def _assert_well_formed(text: str, findings: list[Finding]) -> None:
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end].strip() == text[finding.start : finding.end]
        assert 0.0 < finding.confidence <= 1.0
        assert finding.explanation
    for kind in {finding.type for finding in findings}:
        spans = sorted((f.start, f.end) for f in findings if f.type == kind)
        assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_screen_never_raises_and_every_span_lies_inside_the_text(text: str) -> None:
    _assert_well_formed(text, screen(text))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_screen_copes_with_any_unicode(text: str) -> None:
    _assert_well_formed(text, screen(text))


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(["811228-9874", "070-123 45 67", "anna@example.se", "Storgatan 12"]), st.text(), st.text()
)
def test_a_finding_is_never_a_piece_of_the_offending_substring(needle: str, before: str, after: str) -> None:
    """Pasted between any words, a detail is found whole (an address may take a house letter or a
    postcode along), or not at all when it runs into its neighbours; never cut short."""
    text = f"{before} {needle} {after}"
    spans = [text[f.start : f.end] for f in screen(text) if f.type.is_personal_data]
    assert any(needle in span for span in spans) or not any(span in needle for span in spans)
