"""Scoring the screening engine (or any screener) against a labelled set of comments.

The labelled set is a JSON file: ``{"allow_list": [...], "comments": [{"text": ..., "findings":
[[type, substring], ...]}, ...]}``. A substring stands for its first occurrence in the text not
already taken by an earlier label of the same substring. A predicted finding counts as right when
it has the expected type and overlaps the expected span; each expected finding is matched once.
The personal-data score pools the ``pii.*`` types and ignores which of them was named: telling a
coordination number from an identity number is scored per type instead.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from sigill.moderation.screening.findings import FindingType

Span = tuple[str, int, int]
PII = "pii"


@dataclasses.dataclass(frozen=True)
class LabelledComment:
    text: str
    expected: tuple[Span, ...]


@dataclasses.dataclass(frozen=True)
class LabelledSet:
    allow_list: tuple[str, ...]
    comments: tuple[LabelledComment, ...]


@dataclasses.dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def load_labelled_set(path: Path) -> LabelledSet:
    """Read the labelled set; a label whose substring is not in its comment is an error in the set."""
    data = json.loads(path.read_text(encoding="utf-8"))
    comments = []
    for entry in data["comments"]:
        text: str = entry["text"]
        expected: list[Span] = []
        for kind, substring in entry["findings"]:
            FindingType(kind)  # an unknown type is a typo in the set
            taken = [start for _, start, end in expected if text[start:end] == substring]
            start = text.find(substring, max(taken) + 1 if taken else 0)
            if start < 0:
                raise ValueError(f"{substring!r} is not in {text!r}")
            expected.append((kind, start, start + len(substring)))
        comments.append(LabelledComment(text=text, expected=tuple(expected)))
    return LabelledSet(allow_list=tuple(data.get("allow_list", ())), comments=tuple(comments))


def _group(kind: str) -> str:
    return PII if kind.startswith("pii.") else kind


def _match(
    expected: Iterable[Span], predicted: Iterable[Span], scores: dict[str, Score], key: Callable[[str], str]
) -> None:
    unmatched = list(expected)
    for kind, start, end in predicted:
        match = next(
            (span for span in unmatched if key(span[0]) == key(kind) and span[1] < end and start < span[2]),
            None,
        )
        if match is None:
            scores.setdefault(key(kind), Score()).false_positives += 1
        else:
            unmatched.remove(match)
            scores.setdefault(key(kind), Score()).true_positives += 1
    for kind, _, _ in unmatched:
        scores.setdefault(key(kind), Score()).false_negatives += 1


def score(labelled: Iterable[LabelledComment], predictions: Iterable[Iterable[Span]]) -> dict[str, Score]:
    """Precision and recall per finding type, and pooled over personal data under ``"pii"``."""
    scores: dict[str, Score] = {}
    for comment, predicted in zip(labelled, predictions, strict=True):
        spans = list(predicted)
        _match(comment.expected, spans, scores, key=str)
        _match(
            [span for span in comment.expected if _group(span[0]) == PII],
            [span for span in spans if _group(span[0]) == PII],
            scores,
            key=_group,
        )
    return scores


def clean_flag_rate(labelled: Iterable[LabelledComment], predictions: Iterable[Iterable[Span]]) -> float:
    """The share of comments labelled clean that got any finding."""
    clean = [
        bool(list(predicted))
        for comment, predicted in zip(labelled, predictions, strict=True)
        if not comment.expected
    ]
    return sum(clean) / len(clean) if clean else 0.0
