"""Scoring the screening engine (or any screener) against a labelled set of comments.

The labelled set is a JSON file: ``{"allow_list": [...], "comments": [{"text": ..., "findings":
[[type, substring], ...]}, ...]}``. A substring stands for its first occurrence in the text not
already taken by an earlier label of the same substring and type. A predicted finding counts as right when
it has the expected type and overlaps the expected span; each expected finding is matched once.
The personal-data score pools the ``pii.*`` types and ignores which of them was named: telling a
coordination number from an identity number is scored per type instead; the sensitive-data score
pools the ``sensitive.*`` types the same way.

The screening corpus (``data/screening/``) holds one JSON Lines file per writer, one comment per
line in the same shape; ``load_corpus`` reads a split of it.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from sigill.moderation.screening.findings import FindingType

Span = tuple[str, int, int]
CORPUS = Path(__file__).resolve().parents[4] / "data" / "screening"
# The frozen test split: these writers' comments are scored, never trained or tuned on.
TEST_WRITERS = ("c", "d")
# The municipality's own contact details, as the corpus's writers were given them (WRITING.md).
CORPUS_ALLOW_LIST = (
    "0512-310 00",
    "kontaktcenter@vara.se",
    "Torggatan 19, 534 30 Vara",
    "bygglov@vara.se",
    "0512-313 30",
)
PII = "pii"
SENSITIVE = "sensitive"


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
    return LabelledSet(
        allow_list=tuple(data.get("allow_list", ())), comments=tuple(_labelled(data["comments"]))
    )


def writer_of(path: Path) -> str:
    return path.stem.removeprefix("writer_")


def corpus_files(*, test: bool) -> list[Path]:
    """The writers' files of the test split, or of the development split."""
    return [
        path for path in sorted(CORPUS.glob("writer_*.jsonl")) if (writer_of(path) in TEST_WRITERS) == test
    ]


def load_corpus(paths: Iterable[Path], allow_list: Iterable[str] = ()) -> LabelledSet:
    """Read writers' JSON Lines files of the screening corpus as one labelled set."""
    entries = [
        json.loads(line)
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return LabelledSet(allow_list=tuple(allow_list), comments=tuple(_labelled(entries)))


def _labelled(entries: Iterable[dict]) -> Iterable[LabelledComment]:
    for entry in entries:
        # Writers' tools compose "é" as one character or two; a label and its text are read alike.
        text: str = unicodedata.normalize("NFC", entry["text"])
        expected: list[Span] = []
        for kind, written in entry["findings"]:
            substring = unicodedata.normalize("NFC", written)
            FindingType(kind)  # an unknown type is a typo in the set
            # Two labels of one substring and one type are two occurrences; of two types, one place.
            taken = [start for k, start, end in expected if k == kind and text[start:end] == substring]
            start = text.find(substring, max(taken) + 1 if taken else 0)
            if start < 0:
                raise ValueError(f"{substring!r} is not in {text!r}")
            expected.append((kind, start, start + len(substring)))
        yield LabelledComment(text=text, expected=tuple(expected))


def _group(kind: str) -> str:
    if kind.startswith("pii."):
        return PII
    return SENSITIVE if kind.startswith("sensitive.") else kind


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
    """Precision and recall per finding type, pooled over personal data under ``"pii"`` and over
    sensitive data under ``"sensitive"``."""
    scores: dict[str, Score] = {}
    for comment, predicted in zip(labelled, predictions, strict=True):
        spans = list(predicted)
        _match(comment.expected, spans, scores, key=str)
        for pool in (PII, SENSITIVE):
            _match(
                [span for span in comment.expected if _group(span[0]) == pool],
                [span for span in spans if _group(span[0]) == pool],
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
