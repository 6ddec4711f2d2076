"""The screening engine against the labelled set: the personal-data targets hold, so regressions fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from sigill.moderation.screening import FindingType, Screener
from sigill.moderation.screening.evaluation import LabelledSet, clean_flag_rate, load_labelled_set, score

LABELLED_SET = Path(__file__).with_name("labelled_comments.json")


@pytest.fixture(scope="module")
def labelled() -> LabelledSet:
    return load_labelled_set(LABELLED_SET)


@pytest.fixture(scope="module")
def predictions(labelled: LabelledSet) -> list[list[tuple[str, int, int]]]:
    screener = Screener(allow_list=labelled.allow_list)
    return [[(f.type.value, f.start, f.end) for f in screener.screen(c.text)] for c in labelled.comments]


def test_the_labelled_set_is_large_and_half_clean(labelled: LabelledSet) -> None:
    clean = [comment for comment in labelled.comments if not comment.expected]
    assert len(labelled.comments) >= 200
    assert len(clean) >= 80


def test_personal_data_is_found_with_precision_and_recall_of_at_least_097(
    labelled: LabelledSet, predictions: list[list[tuple[str, int, int]]]
) -> None:
    pii = score(labelled.comments, predictions)["pii"]
    assert pii.precision >= 0.97, pii
    assert pii.recall >= 0.97, pii


def test_at_most_five_percent_of_clean_comments_are_flagged(
    labelled: LabelledSet, predictions: list[list[tuple[str, int, int]]]
) -> None:
    assert clean_flag_rate(labelled.comments, predictions) <= 0.05


def test_every_type_is_in_the_set_and_found_more_often_than_not(
    labelled: LabelledSet, predictions: list[list[tuple[str, int, int]]]
) -> None:
    """A floor, not a target: it catches a word list or rule that stopped working altogether."""
    scores = score(labelled.comments, predictions)
    for kind in FindingType:
        assert kind.value in scores, kind
        assert scores[kind.value].recall >= 0.5, (kind, scores[kind.value])
        assert scores[kind.value].precision >= 0.5, (kind, scores[kind.value])
