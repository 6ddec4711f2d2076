"""Train the screening model on the development split of the comment corpus, and write it.

Run: .venv/bin/python scripts/train_screening.py [--check]

Reads ``data/screening/`` (see its README: who wrote the comments, and the split), trains one
logistic regression per label over the sentences of the development split, and picks each label's
threshold from cross-writer predictions: a model trained on one development writer scores the
other's sentences, so the threshold is chosen on phrasing the model has not seen, as the test split
will be. Writes ``src/sigill/moderation/screening/model.npz``. The test split is never read here.

scikit-learn is used only here (the ``bench`` extra); Sigill reads the weights with NumPy alone.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sigill.moderation.screening.classifier import (  # noqa: E402
    MODEL_FILE,
    SENSITIVE,
    Model,
    comment_sentences,
    feature_value,
)
from sigill.moderation.screening.evaluation import (  # noqa: E402
    CORPUS,
    CORPUS_ALLOW_LIST,
    LabelledComment,
    clean_flag_rate,
    corpus_files,
    load_corpus,
    load_labelled_set,
    score,
    writer_of,
)
from sigill.moderation.screening.lexicon import LexiconMatcher  # noqa: E402
from sigill.moderation.screening.rules import CONTEXT_LEXICONS  # noqa: E402
from sigill.moderation.screening.screener import Screener  # noqa: E402
from sigill.moderation.screening.wordlists import DEFAULT_LEXICONS  # noqa: E402

VERSION = "2026.12"
# The project's earlier labelled set (tests/moderation/labelled_comments.json) trains too, as a
# writer of its own; its comments use the municipality's contact details the corpus does.
OWN = "own"
OWN_SET = ROOT / "tests" / "moderation" / "labelled_comments.json"
GATED = ("threat", "hate", "harassment", "individual_case", "spam", "question")
KINDS = (
    "sensitive.health",
    "sensitive.ethnicity",
    "sensitive.religion",
    "sensitive.politics",
    "sensitive.sexuality",
    "sensitive.union",
)
LABELS = (*GATED, SENSITIVE, *KINDS)
# The precision each label's threshold must keep on the held-out writers' sentences: the law's
# categories are held above the 0.85, so that the test split has room.
MIN_PRECISION = {"threat": 0.9, "hate": 0.9, "harassment": 0.88, SENSITIVE: 0.88, "individual_case": 0.85}
DEFAULT_MIN_PRECISION = 0.85
C = 10.0

Sentence = tuple[frozenset[str], set[str]]  # (labels, features)


def development_writers() -> list[str]:
    """The development split's writers; the test split's files are never opened here."""
    return [*(writer_of(path) for path in corpus_files(test=False)), OWN]


def comments_of(writer: str) -> Sequence[LabelledComment]:
    """A development writer's comments; "own" is the project's earlier labelled set."""
    if writer == OWN:
        return load_labelled_set(OWN_SET).comments
    return load_corpus([CORPUS / f"writer_{writer}.jsonl"]).comments


def labelled_sentences(writer: str, matcher: LexiconMatcher) -> list[Sentence]:
    """Each sentence of a writer's comments with the labels whose labelled substring it overlaps."""
    sentences: list[Sentence] = []
    for comment in comments_of(writer):
        for start, end, features in comment_sentences(matcher.read(comment.text)):
            labels = {kind for kind, s, e in comment.expected if s < end and start < e}
            if any(label.startswith(SENSITIVE + ".") for label in labels):
                labels.add(SENSITIVE)
            sentences.append((frozenset(labels), features))
    return sentences


def fit(sentences: Sequence[Sentence], thresholds: np.ndarray | None = None) -> Model:
    """One logistic regression per label over the sentences, as a Model the screener reads."""
    vectorizer = DictVectorizer(dtype=np.float32)
    matrix = vectorizer.fit_transform(
        [
            {feature: feature_value(feature, len(features)) for feature in features}
            for _, features in sentences
        ]
    ).tocsr()
    weights = np.zeros((matrix.shape[1], len(LABELS)), np.float32)
    bias = np.full(len(LABELS), -10.0, np.float32)
    sensitive = np.array([SENSITIVE in labels for labels, _ in sentences])
    for column, label in enumerate(LABELS):
        target = np.array([label in labels for labels, _ in sentences])
        # A kind of sensitive data is told from the other kinds, among sentences that hold any.
        rows = sensitive if label in KINDS else np.ones(len(sentences), bool)
        if target[rows].all() or not target[rows].any():
            continue
        model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        model.fit(matrix[rows], target[rows])
        weights[:, column] = model.coef_[0]
        bias[column] = model.intercept_[0]
    keep = np.abs(weights).max(axis=1) > 1e-3
    vocabulary = vectorizer.get_feature_names_out()[keep]
    return Model(
        labels=LABELS,
        index={str(feature): row for row, feature in enumerate(vocabulary)},
        weights=weights[keep],
        bias=bias,
        thresholds=np.full(len(LABELS), np.inf, np.float32) if thresholds is None else thresholds,
        version=VERSION,
    )


def threshold_for(label: str, scores: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """The lowest threshold whose precision holds the label's floor: (threshold, precision, recall)."""
    floor = MIN_PRECISION.get(label, DEFAULT_MIN_PRECISION)
    best = (float(scores.max()) + 1.0, 1.0, 0.0)
    order = np.argsort(-scores)
    hits = np.cumsum(truth[order])
    for count in range(1, len(order) + 1):
        precision = hits[count - 1] / count
        if precision >= floor and (count == len(order) or scores[order[count]] < scores[order[count - 1]]):
            best = (
                float(scores[order[count - 1]]) - 1e-4,
                float(precision),
                float(hits[count - 1] / max(truth.sum(), 1)),
            )
    return best


def save(model: Model) -> None:
    vocabulary = sorted(model.index, key=model.index.__getitem__)
    np.savez_compressed(
        MODEL_FILE,
        labels=np.array(model.labels),
        vocabulary=np.array(vocabulary),
        weights=model.weights.astype(np.float16),
        bias=model.bias,
        thresholds=model.thresholds,
        version=np.array(model.version),
    )


def print_held_out_comments(folds: dict[str, Model], thresholds: np.ndarray) -> None:
    """Each development writer's comments screened by the whole engine with a model not trained on
    that writer, scored as bench/screening.py scores the test split."""
    predictions: list[list[tuple[str, int, int]]] = []
    labelled: list[LabelledComment] = []
    for held, fold in folds.items():
        model = dataclasses.replace(fold, thresholds=thresholds)
        screener = Screener(allow_list=CORPUS_ALLOW_LIST, model=model)
        comments = comments_of(held)
        labelled.extend(comments)
        predictions.extend(
            [(f.type.value, f.start, f.end) for f in screener.screen(c.text)] for c in comments
        )
    scores = score(labelled, predictions)
    print(
        f"Held-out development comments: {len(labelled)}, clean flagged {clean_flag_rate(labelled, predictions):.1%}"
    )
    flagged = collections.Counter(
        kind
        for comment, predicted in zip(labelled, predictions, strict=True)
        if not comment.expected
        for kind in {span[0] for span in predicted}
    )
    print(f"  clean comments flagged, by kind: {dict(flagged.most_common())}")
    for kind in ("pii", "threat", "hate", "harassment", "sensitive", "individual_case", "spam", "question"):
        found = scores.get(kind)
        if found:
            print(f"  {kind:18} precision {found.precision:.3f}  recall {found.recall:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the held-out writers' figures only")
    arguments = parser.parse_args()

    matcher = LexiconMatcher(DEFAULT_LEXICONS, context=CONTEXT_LEXICONS)
    writers = development_writers()
    by_writer = {writer: labelled_sentences(writer, matcher) for writer in writers}
    # Each writer's sentences scored by a model trained on the other development writers.
    scores: list[np.ndarray] = []
    truth: list[list[bool]] = []
    folds = {}
    for held in writers:
        model = folds[held] = fit(
            [sentence for writer in writers if writer != held for sentence in by_writer[writer]]
        )
        scores.extend(model.scores(features) for _, features in by_writer[held])
        truth.extend([label in labels for label in LABELS] for labels, _ in by_writer[held])
    score_matrix, truth_matrix = np.array(scores), np.array(truth)

    thresholds = np.full(len(LABELS), np.inf, np.float32)
    print(
        f"Development writers {', '.join(writers)}: {len(truth)} sentences, each scored by a model not trained on its writer"
    )
    for column, label in enumerate(LABELS):
        if label in KINDS:
            continue
        threshold, precision, recall = threshold_for(label, score_matrix[:, column], truth_matrix[:, column])
        thresholds[column] = threshold
        print(
            f"  {label:18} threshold {threshold:7.3f}  precision {precision:.3f}  recall {recall:.3f}  (n={truth_matrix[:, column].sum()})"
        )
    print_held_out_comments(folds, thresholds)
    if arguments.check:
        return
    model = fit([sentence for writer in writers for sentence in by_writer[writer]], thresholds)
    save(model)
    print(
        f"Wrote {MODEL_FILE.relative_to(ROOT)}: {len(model.index)} features, {MODEL_FILE.stat().st_size // 1024} KiB"
    )


if __name__ == "__main__":
    main()
