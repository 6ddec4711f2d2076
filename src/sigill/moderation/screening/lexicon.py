"""Word lists matched on lemmas: one Aho-Corasick pass over a comment finds every listed term.

A comment is cut into words; each word is replaced by its lemma (simplemma, Swedish), and the
lemmas are joined by single spaces into a "lemma line". Every term of every word list is
lemmatised the same way once, when the matcher is built, and put into one automaton with a space
on each side. Because the lemma line has a space between and around all words, a key can only
match whole words: "hot" does not fire inside "hotell", nor "diabetes" inside
"diabetesförbundets". A term ending in "*" is a prefix ("cancer*" matches "cancerbeskedet") and
is matched with the leading space only.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable

import ahocorasick
import simplemma

_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclasses.dataclass(frozen=True, slots=True)
class Lexicon:
    """A named, versioned word list. Terms are words or phrases; "word*" matches any word starting so."""

    name: str
    version: str
    terms: tuple[str, ...]

    @classmethod
    def from_text(cls, name: str, version: str, text: str) -> Lexicon:
        """A word list from terms separated by commas or line breaks, as an editor writes them."""
        terms = (term.strip() for term in re.split(r"[,\n]", text))
        return cls(name=name, version=version, terms=tuple(term for term in terms if term))


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    lemma: str
    sentence: int


@dataclasses.dataclass(frozen=True, slots=True)
class Hit:
    """A term of ``lexicon`` covering the tokens ``first`` to ``last`` (inclusive)."""

    lexicon: Lexicon
    term: str
    first: int
    last: int


@dataclasses.dataclass(frozen=True, slots=True)
class LemmaText:
    """A comment cut into words and sentences, with the word list hits found in it."""

    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int]]
    hits: dict[str, list[Hit]]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets covering tokens ``first`` to ``last``."""
        return self.tokens[first].start, self.tokens[last].end


@functools.lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """The Swedish lemma of a lower-cased word; cached, as a comment's words repeat across comments."""
    # A lemma never contains the space that separates words in the lemma line.
    return simplemma.lemmatize(word, lang="sv").replace(" ", "_")


def _term_keys(term: str) -> tuple[set[str], int]:
    """The automaton keys of a term and how many words it spans (no keys for an empty term).

    The term's own words are a key beside their lemmas: simplemma's lemmas are not always lemmas
    of themselves ("grannen" gives "granne", but "granne" gives "grann"), so a term written in its
    base form must also match a text word whose lemma is that base form.
    """
    words = _WORD.findall(term.casefold())
    if not words:
        return set(), 0
    if term.rstrip().endswith("*"):
        *head, prefix = words
        return {" " + " ".join([*variant, prefix]) for variant in (map(lemma_of, head), head)}, len(words)
    return {" " + " ".join(variant) + " " for variant in (map(lemma_of, words), words)}, len(words)


class LexiconMatcher:
    """Finds every term of the given word lists in a text, built once per set of word lists."""

    def __init__(self, lexicons: Iterable[Lexicon]) -> None:
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[Lexicon, str, int, int]]] = {}
        for lexicon in lexicons:
            for term in lexicon.terms:
                keys, length = _term_keys(term)
                for key in keys:
                    # A whole-word key ends on the space after its last word; a prefix key inside it.
                    back = 1 if key.endswith(" ") else 0
                    values = entries.setdefault(key, [])
                    # Two forms of a word with one lemma ("döda", "dödar") would report one hit twice.
                    if all(known.name != lexicon.name for known, *_ in values):
                        values.append((lexicon, term, length, back))
        for line_key, values in entries.items():
            self._automaton.add_word(line_key, values)
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()

    def read(self, text: str) -> LemmaText:
        """Cut ``text`` into words and sentences and find every term in it."""
        sentence_starts = [match.start() for match in _SENTENCE.finditer(text)] or [0]
        sentences = [
            (start, sentence_starts[index + 1] if index + 1 < len(sentence_starts) else len(text))
            for index, start in enumerate(sentence_starts)
        ]
        tokens = [
            Token(
                match.start(),
                match.end(),
                lemma_of(match.group().casefold()),
                bisect.bisect_right(sentence_starts, match.start()) - 1,
            )
            for match in _WORD.finditer(text)
        ]
        return LemmaText(text, tokens, sentences, self._hits(tokens))

    def _hits(self, tokens: list[Token]) -> dict[str, list[Hit]]:
        hits: dict[str, list[Hit]] = {}
        if self._empty or not tokens:
            return hits
        line_starts: list[int] = []
        position = 0
        for token in tokens:
            line_starts.append(position)
            position += len(token.lemma) + 1
        line = " " + " ".join(token.lemma for token in tokens) + " "
        for end, values in self._automaton.iter(line):
            for lexicon, term, length, back in values:
                last = bisect.bisect_right(line_starts, end - back) - 1
                first = last - length + 1
                if first >= 0:
                    hits.setdefault(lexicon.name, []).append(Hit(lexicon, term, first, last))
        return hits
