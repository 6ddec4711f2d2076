"""Detectors built on the word lists: what a sentence says, not only which number it holds.

Each rule reads the word list hits of one comment and decides from their company in a sentence:
a health word is sensitive data only near a person ("min son har diabetes"), not as a topic
("föreläsning om diabetes") or inside a compound ("diabetesförbundets"); an insult is harassment
only when aimed at someone; a group word is hate only beside a dehumanising word. Harsh words
about politicians' work ("inkompetent", "borde avgå") are on no list: criticism is lawful.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterator

from sigill.moderation.screening.findings import Finding, FindingType
from sigill.moderation.screening.lexicon import Hit, LemmaText

_SENSITIVE = {
    "health": (FindingType.HEALTH, "hälsa"),
    "ethnicity": (FindingType.ETHNICITY, "etniskt ursprung"),
    "religion": (FindingType.RELIGION, "religion eller övertygelse"),
    "politics": (FindingType.POLITICS, "politiska åsikter"),
    "sexuality": (FindingType.SEXUALITY, "sexuell läggning"),
    "union": (FindingType.UNION, "medlemskap i fackförening"),
}
# Word lists that only qualify a hit of another list; they are matched only when needed.
# Lists one rule reads together are matched together.
CONTEXT_LEXICONS = (
    frozenset({"person", "topic_marker", "case_negative"}),
    frozenset({"target"}),
    frozenset({"group"}),
    frozenset({"question_opener"}),
)
# Pronoun lemmas that make a possessive ("min son" → "jag son"), so a span can take them along.
_POSSESSIVES = frozenset({"jag", "du", "vi", "ni", "han", "hon", "hen", "sin", "de"})


def _finding(
    doc: LemmaText,
    kind: FindingType,
    hits: tuple[Hit, ...],
    confidence: float,
    explanation: str,
    detector: str,
) -> Finding:
    """A finding covering ``hits``; the first names the word list it is counted against."""
    start, end = doc.span(min(hit.first for hit in hits), max(hit.last for hit in hits))
    return Finding(
        type=kind,
        start=start,
        end=end,
        confidence=confidence,
        explanation=explanation,
        detector=detector,
        lexicon=hits[0].lexicon.name,
        lexicon_version=hits[0].lexicon.version,
    )


def _near(doc: LemmaText, hit: Hit, candidates: list[Hit], before: int, after: int) -> Hit | None:
    """The closest candidate in ``hit``'s sentence, up to ``before`` words ahead or ``after`` behind."""
    sentence_of = doc.sentence_of
    sentence = sentence_of[hit.first]
    best: tuple[int, Hit] | None = None
    for other in candidates:
        if sentence_of[other.first] != sentence:
            continue
        if 0 < hit.first - other.last <= before:
            distance = hit.first - other.last
        elif 0 < other.first - hit.last <= after:
            distance = other.first - hit.last
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, other)
    return best[1] if best else None


def _with_possessive(doc: LemmaText, anchor: Hit) -> Hit:
    """``anchor`` widened by one word to the left when that word is a possessive ("min son")."""
    first = anchor.first
    if first > 0 and doc.lemmas[first - 1] in _POSSESSIVES:
        if doc.sentence_of[first - 1] == doc.sentence_of[first]:
            return Hit(anchor.lexicon, anchor.term, first - 1, anchor.last)
    return anchor


def sensitive_data(doc: LemmaText) -> Iterator[Finding]:
    """Special categories of personal data (GDPR art. 9), when tied to a person in the sentence."""
    found = [(hit, kind, what) for name, (kind, what) in _SENSITIVE.items() for hit in doc.hits_of(name)]
    if not found:
        return
    persons = doc.hits_of("person")
    topic_ends = {hit.last for hit in doc.hits_of("topic_marker")}
    for hit, kind, what in found:
        if hit.first - 1 in topic_ends:
            continue
        # Swedish names the person first ("min son har diabetes"); a person named well after
        # the word is usually about something else ("moskén fick bygglov när vår förening").
        anchor = _near(doc, hit, persons, before=8, after=2)
        if anchor is not None:
            yield _finding(
                doc,
                kind,
                (hit, _with_possessive(doc, anchor)),
                0.8,
                f"Känsliga personuppgifter om {what} som knyts till en person.",
                "sensitive_data",
            )


def individual_cases(doc: LemmaText) -> Iterator[Finding]:
    """A person's own matter with social services, school, care or permits."""
    cases = doc.hits_of("individual_case")
    if not cases:
        return
    persons = doc.hits_of("person")
    negative_sentences = {doc.sentence_of[hit.first] for hit in doc.hits_of("case_negative")}
    # One finding per sentence: "fick avslag på sin ansökan om hemtjänst" is one matter.
    by_sentence: dict[int, list[Hit]] = {}
    for hit in cases:
        sentence = doc.sentence_of[hit.first]
        anchor = _near(doc, hit, persons, before=10, after=6)
        if anchor is not None and sentence not in negative_sentences:
            by_sentence.setdefault(sentence, []).extend((hit, _with_possessive(doc, anchor)))
    for hits in by_sentence.values():
        yield _finding(
            doc,
            FindingType.INDIVIDUAL_CASE,
            tuple(hits),
            0.75,
            "Ser ut som en enskild persons ärende. Det bör flyttas till en kanal där det kan registreras.",
            "individual_case",
        )


@dataclasses.dataclass(frozen=True)
class _AloneOrAimed:
    """A rule for words that offend on their own (``alone``), or when aimed at someone or some
    group: a word of ``aimed`` with a word of ``at`` up to ``before`` words ahead or ``after``
    behind it in the sentence."""

    kind: FindingType
    alone: str
    aimed: str
    at: str
    before: int
    after: int
    aimed_confidence: float
    explanation: str

    def __call__(self, doc: LemmaText) -> Iterator[Finding]:
        detector = self.kind.value
        for hit in doc.hits_of(self.alone):
            yield _finding(doc, self.kind, (hit,), 0.85, self.explanation, detector)
        for hit in doc.hits_of(self.aimed):
            other = _near(doc, hit, doc.hits_of(self.at), before=self.before, after=self.after)
            if other is not None:
                yield _finding(
                    doc, self.kind, (hit, other), self.aimed_confidence, self.explanation, detector
                )


# Threats of violence: a threatening phrase, or a violent verb aimed at someone.
threats = _AloneOrAimed(
    FindingType.THREAT, alone="threat", aimed="threat_verb", at="target", before=0, after=2,
    aimed_confidence=0.8, explanation="Kan vara ett olaga hot. Spara, ta bort och överväg polisanmälan.",
)  # fmt: skip
# Hate against a group: a slur, or a group named beside a dehumanising word.
hate = _AloneOrAimed(
    FindingType.HATE, alone="slur", aimed="hate_predicate", at="group", before=12, after=8,
    aimed_confidence=0.8, explanation="Kan vara hets mot folkgrupp. Spara, ta bort och överväg polisanmälan.",
)  # fmt: skip
# Abuse of a person: words that are abuse on their own, or an insult aimed at someone.
harassment = _AloneOrAimed(
    FindingType.HARASSMENT, alone="abuse", aimed="insult", at="target", before=4, after=4,
    aimed_confidence=0.75, explanation="Ser ut som ett personangrepp, vilket kommentarsreglerna inte tillåter.",
)  # fmt: skip


def spam(doc: LemmaText) -> Iterator[Finding]:
    """Spam, scams and ads: one telling phrase, or three different hints."""
    strong = doc.hits_of("spam")
    hints = doc.hits_of("spam_hint")
    if not strong and len({hit.term for hit in hints}) < 3:
        return
    cues = sorted([*strong, *hints], key=lambda hit: hit.first)
    yield _finding(
        doc,
        FindingType.SPAM,
        (strong[0] if strong else cues[0], *cues),
        0.9 if strong else 0.75,
        "Ser ut som skräppost, reklam eller bedrägeri.",
        "spam",
    )


def questions(doc: LemmaText) -> Iterator[Finding]:
    """Questions the contact center should answer: a sentence asking something of the municipality."""
    phrases = doc.hits_of("question_phrase")
    asking = "?" in doc.text
    if not phrases and not asking:
        return
    openers = doc.hits_of("question_opener") if asking else []
    word_starts = doc.word_starts
    for sentence, (start, end) in enumerate(doc.sentences):
        first = bisect.bisect_left(word_starts, start)
        if first == len(word_starts) or word_starts[first] >= end:
            continue  # a sentence without words: "?!" or a blanked-out e-mail address
        sentence_text = doc.text[start:end].rstrip()
        opener = next((hit for hit in openers if first <= hit.first < first + 3), None)
        asked = sentence_text.endswith("?") and opener is not None
        cue = opener if asked else next((h for h in phrases if doc.sentence_of[h.first] == sentence), None)
        if cue is None:
            continue
        yield Finding(
            type=FindingType.QUESTION,
            start=doc.word_spans[first][0],
            end=start + len(sentence_text),
            confidence=0.8 if asked else 0.7,
            explanation="Ser ut som en fråga som kontaktcenter bör besvara.",
            detector="question",
            lexicon=cue.lexicon.name,
            lexicon_version=cue.lexicon.version,
        )


# Each rule with the word lists that can set it off; a rule none of whose lists hit is not run.
RULES: tuple[tuple[Callable[[LemmaText], Iterator[Finding]], frozenset[str]], ...] = (
    (sensitive_data, frozenset(_SENSITIVE)),
    (individual_cases, frozenset({"individual_case"})),
    (threats, frozenset({"threat", "threat_verb"})),
    (hate, frozenset({"slur", "hate_predicate"})),
    (harassment, frozenset({"abuse", "insult"})),
    (spam, frozenset({"spam", "spam_hint"})),
)


def apply(doc: LemmaText) -> Iterator[Finding]:
    """The findings of every rule that one of the comment's word list hits can set off."""
    if doc.hits:
        for rule, triggers in RULES:
            if not triggers.isdisjoint(doc.hits):
                yield from rule(doc)
    if "?" in doc.text or "question_phrase" in doc.hits:
        yield from questions(doc)
