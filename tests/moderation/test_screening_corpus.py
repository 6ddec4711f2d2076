"""The screening corpus and the model trained on it: the test split frozen, the model shipped whole.

The figures themselves are printed by bench/screening.py (both splits side by side); these tests
hold what must not drift: the frozen test split, every label readable, and the model's verdicts on
sentences a moderator would check first.
"""

from __future__ import annotations

import hashlib

import pytest

from sigill.moderation.screening import FindingType, Screener
from sigill.moderation.screening.classifier import default_model
from sigill.moderation.screening.evaluation import (
    CORPUS,
    CORPUS_ALLOW_LIST,
    TEST_WRITERS,
    corpus_files,
    load_corpus,
)


def test_the_test_split_is_exactly_as_it_was_frozen() -> None:
    lines = (CORPUS / "test_split.sha256").read_text().splitlines()
    frozen = {name: digest for digest, name in (line.split() for line in lines if line)}
    assert sorted(frozen) == [f"writer_{writer}.jsonl" for writer in TEST_WRITERS]
    for name, digest in frozen.items():
        assert hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() == digest, f"{name} changed"


def test_the_test_split_holds_at_least_a_thousand_comments_and_the_development_split_more() -> None:
    test = load_corpus(corpus_files(test=True))
    development = load_corpus(corpus_files(test=False))
    assert len(test.comments) >= 1000
    assert len(development.comments) + len(test.comments) >= 2500


def test_every_label_of_the_engine_appears_in_both_splits() -> None:
    for split in (True, False):
        labels = {
            kind
            for comment in load_corpus(corpus_files(test=split)).comments
            for kind, *_ in comment.expected
        }
        assert labels == {kind.value for kind in FindingType}


def test_the_model_was_trained_on_the_development_split_only() -> None:
    """The training script reads only the development writers; the shipped model says which version."""
    model = default_model()
    assert set(model.labels) >= {"threat", "hate", "harassment", "individual_case", "sensitive"}
    assert model.version


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(allow_list=CORPUS_ALLOW_LIST)


def kinds(screener: Screener, text: str) -> set[str]:
    return {finding.type.value for finding in screener.screen(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Jag vet var du bor, och en kväll står jag utanför din dörr.",
        "om ni lägger ner skolan så bränner vi ner kommunhuset",
        "Någon borde skjuta den där politikern.",
    ],
)
def test_a_threat_is_found(screener: Screener, text: str) -> None:
    assert "threat" in kinds(screener, text)


@pytest.mark.parametrize(
    "text",
    [
        "Jag dör av skratt när jag ser den nya rondellen.",
        "Kommunalrådet borde avgå, det här är en skandal.",
        "Tack för att ni plogade så tidigt i morse!",
    ],
)
def test_lawful_words_are_left_alone(screener: Screener, text: str) -> None:
    assert kinds(screener, text) == set()


def test_a_model_finding_covers_its_sentence_and_says_so_in_swedish(screener: Screener) -> None:
    text = "Bra att vägen är lagad. Vi vet var du bor, tänk på det."
    threat = next(finding for finding in screener.screen(text) if finding.type is FindingType.THREAT)
    assert text[threat.start : threat.end] == "Vi vet var du bor, tänk på det."
    assert threat.detector == "model"
    assert "hot" in threat.explanation
