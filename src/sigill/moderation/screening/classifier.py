"""A trained linear model that reads what a sentence says: threats, hate, harassment, cases and more.

The word lists find what they list; residents write what no list foresaw ("det vore synd om bilen
började brinna", "d0da", "jag vet vilken skola din unge går på"). This model was trained on the
development split of a corpus of Swedish comments written by people who never saw the engine
(``data/screening/``, ``scripts/train_screening.py``); its test split is never trained on.

Each sentence becomes a set of features: its words as written and with å, ä and ö folded (people
often leave them out), their lemmas, word pairs, the letter sequences inside words (so a misspelt
or obfuscated word shares most of its features with the right one), the word lists it hits and
the word list rules' findings, the Swedish constructions of threats, incitement and contempt it
holds (``constructions.py``; apart when quoted), those of its neighbours and of the whole comment,
and a few marks of form (a question mark, a mention, a link). A label's score is a weighted
sum over the features, scaled by the feature count, plus a bias: a logistic regression, read from a
small NumPy file. Nothing is downloaded; inference is one lookup per feature and one sum per
sentence.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from sigill.moderation.screening import rules
from sigill.moderation.screening.constructions import constructions
from sigill.moderation.screening.findings import Finding, FindingType
from sigill.moderation.screening.lexicon import LemmaText, lemma_of

MODEL_FILE = Path(__file__).with_name("model.npz")
DETECTOR = "model"

_SENTENCE_END = re.compile(r"[.!?…]+(?=\s)|\n")
_WORD = re.compile(r"\w+")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
# Digits and signs people put in a word to slip past a filter: "d0da", "h0ra", "j*vla".
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_MASKED_WORD = re.compile(r"[a-zåäö]\w*[*#@$0-9][\w*#@$]*")
_URL = re.compile(r"https?://|www\.|\.(?:com|se|nu|io|net)\b", re.IGNORECASE)
_MENTION = re.compile(r"@\w")
_CHAR_NGRAMS = (3, 4, 5)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The character ranges of ``text``'s sentences (a text without a stop is one sentence).

    A sentence ends at a stop followed by a blank, or at a line break: the dots inside
    "www.vara.se" or "kl. 14.30" end nothing.
    """
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    spans = []
    start = 0
    for end in [*ends, len(text)]:
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    return spans


def _unmasked(sentence: str) -> str:
    """The sentence lower-cased, "d0da" and "j*vla" read as "doda" and "jvla" (letter sequences do the rest)."""
    return _MASKED_WORD.sub(lambda match: match.group().translate(_LEET).replace("*", ""), sentence.lower())


def _word_features(word: str, folded: str) -> list[str]:
    """The features one word lends its sentence: itself, its lemma and its letter sequences."""
    features = [f"w:{word}", f"l:{lemma_of(word)}"]
    padded = f" {folded} "
    for size in _CHAR_NGRAMS:
        features.extend(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    return features


def _sentence_parts(
    sentence: str,
    lexicon_names: Iterable[str] = (),
    rule_kinds: Iterable[str] = (),
    quoted: Iterable[tuple[int, int]] = (),
) -> tuple[list[str], set[str]]:
    """A sentence's words (lower-cased, unmasked) and its whole-construction features (see _WHOLE):
    together they make its features (sentence_features)."""
    unmasked = _unmasked(sentence)
    words = _WORD.findall(unmasked)
    whole = {f"x:{name}" for name in lexicon_names}
    whole.update(f"r:{kind}" for kind in rule_kinds)
    own = unmasked
    for start, end in quoted:
        own = own[:start] + " " * (end - start) + own[end:]
        whole.add("m:quote")
        whole.update(f"gq:{name}" for name in constructions(unmasked[start:end].translate(_FOLD)))
    whole.update(f"g:{name}" for name in constructions(own.translate(_FOLD)))
    if "?" in sentence:
        whole.add("m:question_mark")
    if _MENTION.search(sentence):
        whole.add("m:mention")
    if _URL.search(sentence):
        whole.add("m:link")
    # Shouting: over 70 % of more than 8 letters upper case. Counting the upper-case characters
    # first (in C) spares counting letters in the many sentences with five or fewer.
    if sum(map(str.isupper, sentence)) > 5:
        letters = [character for character in sentence if character.isalpha()]
        if len(letters) > 8 and sum(character.isupper() for character in letters) > 0.7 * len(letters):
            whole.add("m:shouting")
    if not words:
        whole.add("m:no_words")
    return words, whole


def _words_features(words: list[str]) -> set[str]:
    """The word features of a sentence's words: each word's own, and the pairs of folded words."""
    folded = [word.translate(_FOLD) for word in words]
    features = {
        feature for word, fold in zip(words, folded, strict=True) for feature in _word_features(word, fold)
    }
    features.update(f"b:{first}_{second}" for first, second in itertools.pairwise(folded))
    return features


def sentence_features(
    sentence: str,
    lexicon_names: Iterable[str] = (),
    rule_kinds: Iterable[str] = (),
    quoted: Iterable[tuple[int, int]] = (),
) -> set[str]:
    """The features of one sentence, the same when training and when screening.

    ``lexicon_names`` are the word lists with a hit in the sentence, ``rule_kinds`` the kinds of the
    word list rules' findings that overlap it: what the hand-written rules see becomes evidence the
    model weighs, not the last word. ``quoted`` are the sentence's quoted passages: a threat quoted
    to complain about it ("han skrev 'jag ska döda dig'") is told from one made.
    """
    words, whole = _sentence_parts(sentence, lexicon_names, rule_kinds, quoted)
    return _words_features(words) | whole


# Quoted passages, in the quotation marks Swedish and English writers use.
_QUOTED = re.compile(r"'[^'\n]{3,}'|\"[^\"\n]{3,}\"|”[^”\n]{3,}”|“[^”\n]{3,}”|«[^»\n]{3,}»|‘[^’\n]{3,}’")
# The evidence a sentence lends its neighbours: constructions and the word list rules' findings.
_CONTEXT = ("g:", "r:")
_CONTEXT_LISTS = frozenset().union(*rules.CONTEXT_LEXICONS)


def rule_findings(doc: LemmaText) -> list[Finding]:
    """The word list rules' findings in a read comment (none can fire without a hit or a "?")."""
    return list(rules.apply(doc)) if doc.hits or "?" in doc.text else []


def _read_sentences(
    doc: LemmaText, ruled: list[Finding] | None
) -> list[tuple[int, int, list[str], set[str]]]:
    """Each sentence of a read comment as ``(start, end, words, whole-construction features)``,
    the whole-construction features including those lent by its neighbours and the comment."""
    text = doc.text
    quoted = [match.span() for match in _QUOTED.finditer(text)]
    # The trigger lists' hits: the context lists (pronouns, people) the rules read on demand are
    # not features, whether or not the rules have read them yet.
    hits = [
        (name, *doc.span(hit.first, hit.last))
        for name, found in doc.hits.items()
        if name not in _CONTEXT_LISTS
        for hit in found
    ]
    ruled = rule_findings(doc) if ruled is None else ruled
    findings = [(f.type.value, f.start, f.end) for f in ruled]
    own = []
    for start, end in sentence_spans(text):
        inside = [(max(s, start) - start, min(e, end) - start) for s, e in quoted if s < end and start < e]
        names: set[str] = set()
        kinds: set[str] = set()
        extra: set[str] = set()
        for collected, prefix, items in ((names, "xq:", hits), (kinds, "rq:", findings)):
            for name, s, e in items:
                if s < end and start < e:
                    if any(start + qs <= s and e <= start + qe for qs, qe in inside):
                        extra.add(prefix + name)
                    else:
                        collected.add(name)
        words, whole = _sentence_parts(text[start:end], names, kinds, inside)
        whole |= extra
        lent = [feature for feature in whole if feature.startswith(_CONTEXT)]
        own.append((start, end, words, whole, lent))
    comment_wide = {f"k:{feature}" for *_, lent in own for feature in lent}
    sentences = []
    for i, (start, end, words, whole, _) in enumerate(own):
        whole |= comment_wide
        if i > 0:
            whole.update(f"p:{feature}" for feature in own[i - 1][4])
        if i + 1 < len(own):
            whole.update(f"n:{feature}" for feature in own[i + 1][4])
        sentences.append((start, end, words, whole))
    return sentences


def comment_sentences(doc: LemmaText, ruled: list[Finding] | None = None) -> list[tuple[int, int, set[str]]]:
    """Each sentence of a read comment, with its features: ``(start, end, features)``.

    A sentence also carries the constructions of its neighbours and of the whole comment: "Tänk
    på det." is a threat after "Vi vet var du bor", and nothing on its own. Word list hits and rule
    findings inside a quotation are features of their own ("xq:", "rq:").
    """
    return [
        (start, end, _words_features(words) | whole)
        for start, end, words, whole in _read_sentences(doc, ruled)
    ]


# Evidence that stands for a whole construction (a word list's hit, a rule's finding, a grammar
# pattern, a mark of form) counts in full; words and letter sequences are many per sentence, and
# count scaled by their number, so that a long sentence is not surer than a short one.
_WHOLE = ("g:", "gq:", "r:", "rq:", "x:", "xq:", "m:", "k:", "p:", "n:")


def feature_value(feature: str, count: int) -> float:
    """The value of a present feature in a sentence with ``count`` features."""
    return 1.0 if feature.startswith(_WHOLE) else 1 / np.sqrt(count)


class _Words(dict[str, tuple[frozenset[int], frozenset[str], str]]):
    """Each word a sentence may hold and what it lends the sentence's features, worked out once:
    the model's rows of its features, its features the model does not know (they count towards a
    sentence's feature count all the same) and its folded form (for the word pairs).

    Words recur across comments, so nearly every lookup is a hit, served in C by ``__getitem__``.
    Full, it stops learning new words (but still answers them) rather than grow without bound.
    """

    __slots__ = ("_index",)
    LIMIT = 200_000

    def __init__(self, index: dict[str, int]) -> None:
        super().__init__()
        self._index = index

    def __missing__(self, word: str) -> tuple[frozenset[int], frozenset[str], str]:
        folded = word.translate(_FOLD)
        features = _word_features(word, folded)
        index = self._index
        entry = (
            frozenset(index[feature] for feature in features if feature in index),
            frozenset(feature for feature in features if feature not in index),
            folded,
        )
        if len(self) < self.LIMIT:
            self[word] = entry
        return entry


@dataclasses.dataclass(frozen=True)
class Model:
    """Labels, their weights per feature, biases and thresholds, as trained."""

    labels: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray  # one row per feature, one column per label
    bias: np.ndarray
    thresholds: np.ndarray
    version: str
    # The weights in double precision, so that a sum does not depend on the order of its terms.
    _weights: np.ndarray = dataclasses.field(init=False, repr=False, compare=False)
    _words: _Words = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_weights", np.asarray(self.weights, np.float64))
        object.__setattr__(self, "_words", _Words(self.index))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        with np.load(path, allow_pickle=False) as data:
            vocabulary = [str(feature) for feature in data["vocabulary"]]
            return cls(
                labels=tuple(str(label) for label in data["labels"]),
                index={feature: row for row, feature in enumerate(vocabulary)},
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
                thresholds=data["thresholds"].astype(np.float32),
                version=str(data["version"]),
            )

    def _score(self, whole_rows: list[int], other_rows: list[int], count: int) -> np.ndarray:
        """The bias, plus the whole-construction features' weights in full, plus the other
        features' weights scaled by the sentence's feature count (the values feature_value gives)."""
        result = self.bias.astype(np.float64)
        if whole_rows:
            result += self._weights[whole_rows].sum(axis=0)
        if other_rows:
            result += self._weights[other_rows].sum(axis=0) / np.sqrt(count)
        return result

    def scores(self, features: set[str]) -> np.ndarray:
        """Each label's score for one sentence's features (a logit; above its threshold means yes)."""
        index = self.index
        whole = [index[f] for f in features if f.startswith(_WHOLE) and f in index]
        other = [index[f] for f in features if not f.startswith(_WHOLE) and f in index]
        return self._score(whole, other, len(features))

    def sentence_scores(self, words: list[str], whole: set[str]) -> np.ndarray:
        """The same as ``scores(_words_features(words) | whole)``, without building every feature:
        each word's rows come from memory, only the word pairs are looked up."""
        entries = list(map(self._words.__getitem__, words))
        rows: set[int] = set().union(*[entry[0] for entry in entries])
        unknown: set[str] = set().union(*[entry[1] for entry in entries])
        index = self.index
        for first, second in itertools.pairwise([entry[2] for entry in entries]):
            pair = f"b:{first}_{second}"
            row = index.get(pair)
            if row is None:
                unknown.add(pair)
            else:
                rows.add(row)
        whole_rows = [row for row in map(index.get, whole) if row is not None]
        return self._score(whole_rows, list(rows), len(rows) + len(unknown) + len(whole))


@functools.cache
def default_model() -> Model:
    """The model shipped with Sigill, read once."""
    return Model.load()


# The model says whether a sentence holds sensitive data at all ("sensitive", with a threshold),
# and which kind it most likely is (the six kinds' scores, compared with each other only): a kind
# has too few examples to learn a threshold of its own.
SENSITIVE = "sensitive"


class SentenceClassifier:
    """Findings from the trained model, one per sentence and label above its threshold."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._gated = [
            (i, FindingType(label))
            for i, label in enumerate(model.labels)
            if label != SENSITIVE and not label.startswith(SENSITIVE + ".")
        ]
        self._sensitive = model.labels.index(SENSITIVE)
        self._kinds = [
            (i, FindingType(label))
            for i, label in enumerate(model.labels)
            if label.startswith(SENSITIVE + ".")
        ]

    def findings(self, doc: LemmaText, ruled: list[Finding] | None = None) -> Iterator[Finding]:
        """The model's findings in a read comment, each covering the sentences that say it.

        Neighbouring sentences of one kind make one finding: a scam written over three sentences
        is one passage for the moderator, not three.
        """
        open_findings: dict[FindingType, Finding] = {}
        for start, end, words, whole in _read_sentences(doc, ruled):
            found = dict(self._sentence_kinds(self.model.sentence_scores(words, whole)))
            if not found and not open_findings:
                continue  # most sentences
            for kind in list(open_findings):
                if kind not in found:
                    yield open_findings.pop(kind)
            sentence = doc.text[start:end]
            # A finding covers the sentence without the blanks around it.
            start += len(sentence) - len(sentence.lstrip())
            end -= len(sentence) - len(sentence.rstrip())
            for kind, logit in found.items():
                confidence = round(float(1 / (1 + np.exp(-logit))), 3)
                earlier = open_findings.get(kind)
                if earlier is not None:
                    confidence = max(confidence, earlier.confidence)
                open_findings[kind] = Finding(
                    type=kind,
                    start=start if earlier is None else earlier.start,
                    end=end,
                    confidence=confidence,
                    explanation=_EXPLANATIONS[kind],
                    detector=DETECTOR,
                    lexicon=None,
                    lexicon_version=self.model.version,
                )
        yield from open_findings.values()

    def _sentence_kinds(self, scores: np.ndarray) -> list[tuple[FindingType, float]]:
        over = scores > self.model.thresholds
        if not over.any():
            return []
        values, above = scores.tolist(), over.tolist()
        found = [(kind, values[i]) for i, kind in self._gated if above[i]]
        if above[self._sensitive]:
            # The likeliest kind of sensitive data, by the kinds' scores compared with each other.
            _, kind = max(self._kinds, key=lambda pair: values[pair[0]])
            found.append((kind, values[self._sensitive]))
        return found


_EXPLANATIONS = {
    FindingType.THREAT: "Kan vara ett olaga hot. Spara, ta bort och överväg polisanmälan.",
    FindingType.HATE: "Kan vara hets mot folkgrupp. Spara, ta bort och överväg polisanmälan.",
    FindingType.HARASSMENT: "Ser ut som ett personangrepp, vilket kommentarsreglerna inte tillåter.",
    FindingType.SPAM: "Ser ut som reklam, bedrägeri eller skräppost.",
    FindingType.QUESTION: "Ser ut som en fråga som kontaktcenter bör besvara.",
    FindingType.INDIVIDUAL_CASE: "Ser ut som ett enskilt ärende, som hör hemma i ett registrerat ärende.",
    FindingType.HEALTH: "Kan vara känsliga personuppgifter om hälsa som knyts till en person.",
    FindingType.ETHNICITY: "Kan vara känsliga personuppgifter om etniskt ursprung som knyts till en person.",
    FindingType.RELIGION: "Kan vara känsliga personuppgifter om religion som knyts till en person.",
    FindingType.POLITICS: "Kan vara känsliga personuppgifter om politiska åsikter som knyts till en person.",
    FindingType.SEXUALITY: "Kan vara känsliga personuppgifter om sexuell läggning som knyts till en person.",
    FindingType.UNION: "Kan vara känsliga personuppgifter om medlemskap i fackförening som knyts till en person.",
}
