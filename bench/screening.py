"""Screening benchmark: Sigill's engine against Microsoft Presidio on the labelled Swedish comments.

Run: DEBUG=true .venv/bin/python bench/screening.py

Prints precision and recall per finding type and comments per second for both, the share of
clean comments flagged, and, last, one line for the record:
pii_precision=<p> pii_recall=<r> comments_per_s=<n> vs_presidio=<ratio>

Presidio gets recognizers equivalent to Sigill's personal-data detectors (identity numbers with
Luhn and date checks, phone numbers through the same phonenumbers library, e-mail, IBAN, cards,
bankgiro, plusgiro, accounts and Swedish street addresses) and a blank Swedish spaCy pipeline, so
no model is downloaded. Both see the municipality's allow-list. Presidio has no detectors for the
other finding types; those are scored for Sigill only. Both are timed in this run, on this machine.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
# Presidio's e-mail recognizer asks tldextract, which would fetch the public suffix list from the
# network; with no URLs it uses the snapshot shipped inside the package.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

import spacy  # noqa: E402
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry  # noqa: E402
from presidio_analyzer.nlp_engine import SpacyNlpEngine  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    PhoneRecognizer,
    SePersonnummerRecognizer,
)
from stdnum import luhn  # noqa: E402

from sigill.moderation.screening import FindingType, Screener  # noqa: E402
from sigill.moderation.screening.evaluation import (  # noqa: E402
    LabelledComment,
    Score,
    clean_flag_rate,
    load_labelled_set,
    score,
)

Span = tuple[str, int, int]
LABELLED_SET = ROOT / "tests" / "moderation" / "labelled_comments.json"
MIN_SECONDS = 2.0
# Presidio's results below this score are dropped: 0.3 keeps its phone numbers (base score 0.4)
# and drops only the weakest pattern guesses, its best setting on this set.
PRESIDIO_THRESHOLD = 0.3
PRESIDIO_TYPES = {
    "SE_PERSONNUMMER": FindingType.PERSONNUMMER.value,
    "PHONE_NUMBER": FindingType.PHONE.value,
    "EMAIL_ADDRESS": FindingType.EMAIL.value,
    "SE_ADDRESS": FindingType.ADDRESS.value,
    "IBAN_CODE": FindingType.BANK.value,
    "CREDIT_CARD": FindingType.BANK.value,
    "SE_BANK_NUMBER": FindingType.BANK.value,
}


class BlankSwedishNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine on ``spacy.blank("sv")``: a tokenizer, no model to download."""

    def __init__(self) -> None:
        super().__init__(models=[{"lang_code": "sv", "model_name": "blank"}])

    def load(self) -> None:
        # Presidio's own load() leaves ``nlp`` inferred as None; it holds one pipeline per language.
        self.nlp = {"sv": spacy.blank("sv")}  # type: ignore[assignment]


class LuhnPatternRecognizer(PatternRecognizer):
    """A pattern whose digits must pass the Luhn check (bankgiro, plusgiro, accounts)."""

    def validate_result(self, pattern_text: str) -> bool:
        digits = "".join(character for character in pattern_text if character.isdigit())
        return len(digits) >= 2 and luhn.is_valid(digits)


def presidio_analyzer() -> AnalyzerEngine:
    street = (
        r"\b[A-ZÅÄÖ][a-zåäöé]+(?:gatan|vägen|gränd|stigen|torget|allén|backen|platsen|leden|ringen) "
        r"\d{1,4} ?[A-D]?\b(?:, \d{3} ?\d{2} [A-ZÅÄÖ][a-zåäö]+)?"
    )
    recognizers = [
        SePersonnummerRecognizer(supported_language="sv"),
        EmailRecognizer(supported_language="sv"),
        PhoneRecognizer(supported_language="sv", supported_regions=("SE",)),
        IbanRecognizer(supported_language="sv"),
        CreditCardRecognizer(supported_language="sv"),
        PatternRecognizer(
            supported_entity="SE_ADDRESS",
            supported_language="sv",
            patterns=[Pattern("Swedish street address", street, 0.6)],
        ),
        # Bankgiro, plusgiro and account numbers only after their keyword, as Sigill does.
        LuhnPatternRecognizer(
            supported_entity="SE_BANK_NUMBER",
            supported_language="sv",
            patterns=[
                Pattern("bankgiro", r"(?:bankgiro\w*|\bbg)\W{0,3}\d{3,4}-\d{4}\b", 0.6),
                Pattern("plusgiro", r"(?:plusgiro\w*|\bpg)\W{0,3}\d{1,7}-\d\b", 0.6),
                Pattern("account", r"konto\w*\W{0,3}\d{4}(?:-\d)?[ ,-]*\d[\d -]{5,14}\d\b", 0.6),
            ],
        ),
    ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["sv"])
    nlp_engine = BlankSwedishNlpEngine()
    nlp_engine.load()
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["sv"])


def timed(
    predictors: Sequence[Callable[[str], list[Span]]], texts: Sequence[str]
) -> list[tuple[list[list[Span]], float]]:
    """Each predictor's predictions for ``texts`` and its comments per second.

    The predictors take turns, one pass over the texts each, until every one has run for
    MIN_SECONDS, so that other load on the machine falls on all of them alike. Time is the
    process's CPU time: the work is single-threaded, and waiting for a core is not its cost.
    """
    predictions = [[predict(text) for text in texts] for predict in predictors]  # warm-up
    spent = [0.0] * len(predictors)
    passes = 0
    while min(spent) < MIN_SECONDS or passes == 0:
        for index, predict in enumerate(predictors):
            started = time.process_time()
            for text in texts:
                predict(text)
            spent[index] += time.process_time() - started
        passes += 1
    return [(found, passes * len(texts) / seconds) for found, seconds in zip(predictions, spent, strict=True)]


def print_scores(title: str, scores: dict[str, Score], kinds: Sequence[str]) -> None:
    print(f"\n{title}")
    print(f"  {'type':24} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind in kinds:
        s = scores.get(kind, Score())
        print(
            f"  {kind:24} {s.precision:9.3f} {s.recall:7.3f} "
            f"{s.true_positives:4d} {s.false_positives:4d} {s.false_negatives:4d}"
        )


def main() -> None:
    labelled = load_labelled_set(LABELLED_SET)
    comments: Sequence[LabelledComment] = labelled.comments
    texts = [comment.text for comment in comments]
    allow_list = list(labelled.allow_list)

    screener = Screener(allow_list=allow_list)

    def sigill(text: str) -> list[Span]:
        return [(f.type.value, f.start, f.end) for f in screener.screen(text)]

    analyzer = presidio_analyzer()

    def presidio(text: str) -> list[Span]:
        results = analyzer.analyze(
            text=text, language="sv", score_threshold=PRESIDIO_THRESHOLD, allow_list=allow_list
        )
        return [
            (PRESIDIO_TYPES[r.entity_type], r.start, r.end)
            for r in results
            if r.entity_type in PRESIDIO_TYPES
        ]

    (sigill_predictions, sigill_rate), (presidio_predictions, presidio_rate) = timed(
        [sigill, presidio], texts
    )
    sigill_scores = score(comments, sigill_predictions)
    presidio_scores = score(comments, presidio_predictions)

    clean = sum(1 for comment in comments if not comment.expected)
    print(f"Labelled set: {len(comments)} comments, {clean} of them clean ({LABELLED_SET.relative_to(ROOT)})")
    pii_kinds = ["pii", *(kind.value for kind in FindingType if kind.is_personal_data)]
    other_kinds = [kind.value for kind in FindingType if not kind.is_personal_data]
    print_scores('Sigill, personal data ("pii" pools the pii.* types)', sigill_scores, pii_kinds)
    print_scores("Presidio, personal data", presidio_scores, pii_kinds)
    print_scores("Sigill, other findings (no Presidio equivalent)", sigill_scores, other_kinds)
    print()
    print(
        f"Clean comments flagged: Sigill {clean_flag_rate(comments, sigill_predictions):.1%}, "
        f"Presidio {clean_flag_rate(comments, presidio_predictions):.1%}"
    )
    print(
        f"Throughput (CPU time, interleaved): Sigill {sigill_rate:,.0f} comments/s, "
        f"Presidio {presidio_rate:,.0f} comments/s"
    )
    pii = sigill_scores["pii"]
    print(
        f"pii_precision={pii.precision:.3f} pii_recall={pii.recall:.3f} "
        f"comments_per_s={sigill_rate:.0f} vs_presidio={sigill_rate / presidio_rate:.1f}"
    )


if __name__ == "__main__":
    main()
