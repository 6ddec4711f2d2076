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
from typing import NamedTuple

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


class Hit(NamedTuple):
    """A term of ``lexicon`` covering the words ``first`` to ``last`` (inclusive).

    A named tuple: a comment yields several, and tuples are the cheapest objects to build.
    """

    lexicon: Lexicon
    term: str
    first: int
    last: int


_new_tuple = tuple.__new__


class LemmaText:
    """A comment cut into words and sentences, with the word list hits found in it.

    Word ``i`` spans ``word_spans[i]`` of the text, has the lemma ``lemmas[i]`` and stands in sentence
    ``sentence_of[i]``; ``sentences`` holds each sentence's character range. Parallel lists rather
    than an object per word, and the offsets worked out only when a rule asks for them: most
    comments hit no word list, and reading a comment is the engine's hottest loop.
    """

    __slots__ = (
        "_context",
        "_line",
        "_sentence_of",
        "_sentences",
        "_source",
        "_word_spans",
        "_word_starts",
        "hits",
        "lemmas",
        "text",
    )

    def __init__(
        self,
        text: str,
        source: str,
        lemmas: list[str],
        line: str,
        hits: dict[str, list[Hit]],
        context: dict[str, _Automaton],
    ) -> None:
        self.text = text
        self.lemmas = lemmas
        self.hits = hits
        self._line = line
        self._source = source
        self._context = context
        self._sentences: list[tuple[int, int]] | None = None
        self._word_spans: list[tuple[int, int]] | None = None
        self._word_starts: list[int] | None = None
        self._sentence_of: list[int] | None = None

    # Worked out on first use and kept. (Not functools.cached_property, which takes a lock on
    # every first access in Python 3.11: a cost that shows in the engine's hottest loop.)

    @property
    def sentences(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            starts = [match.start() for match in _SENTENCE.finditer(self.text)] or [0]
            self._sentences = list(zip(starts, [*starts[1:], len(self.text)], strict=True))
        return self._sentences

    @property
    def word_spans(self) -> list[tuple[int, int]]:
        if self._word_spans is None:
            # The same pattern over the same string as the words were found with: the same words.
            self._word_spans = [match.span() for match in _WORD.finditer(self._source)]
        return self._word_spans

    @property
    def sentence_of(self) -> list[int]:
        if self._sentence_of is None:
            if len(self.sentences) == 1:
                self._sentence_of = [0] * len(self.lemmas)
            else:
                # Word i stands in the sentence whose start is the last at or before its own. The
                # first sentence starts at or before the first word (a word is no sentence end), so
                # counting the later sentence starts at or before a word gives its sentence.
                later_starts = [start for start, _ in self.sentences[1:]]
                self._sentence_of = list(
                    map(functools.partial(bisect.bisect_right, later_starts), self.word_starts)
                )
        return self._sentence_of

    @property
    def word_starts(self) -> list[int]:
        """Where each word starts."""
        if self._word_starts is None:
            self._word_starts = [start for start, _ in self.word_spans]
        return self._word_starts

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets covering words ``first`` to ``last``."""
        return self.word_spans[first][0], self.word_spans[last][1]

    def hits_of(self, name: str) -> list[Hit]:
        """The hits of the word list ``name``; context lists are matched on first use only."""
        found = self.hits.get(name)
        if found is not None:
            return found
        automaton = self._context.get(name)
        if automaton is None:
            return []
        found_in_group = automaton.hits(self._line)
        for other in automaton.names:
            self.hits[other] = found_in_group.get(other, [])
        return self.hits[name]


class _Lemmas(dict[str, str]):
    """Lower-cased words and their Swedish lemmas, looked up as they come.

    A comment's words repeat across comments, so nearly every lookup is a hit. A dict whose
    ``__missing__`` asks simplemma serves a hit in C (``map(lemmas.__getitem__, words)``), where an
    ``lru_cache`` wrapper costs a Python call per word. Full, it stops learning new words (but
    still answers them) rather than grow without bound.
    """

    __slots__ = ()
    LIMIT = 200_000

    def __missing__(self, word: str) -> str:
        # A lemma never contains the space that separates words in the lemma line.
        lemma = simplemma.lemmatize(word, lang="sv").replace(" ", "_")
        if len(self) < self.LIMIT:
            self[word] = lemma
        return lemma


_LEMMAS = _Lemmas()
lemma_of = _LEMMAS.__getitem__
"""The Swedish lemma of a lower-cased word."""


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


class _Automaton:
    """One Aho-Corasick automaton over the lemma line, for a set of word lists."""

    def __init__(self, lexicons: Iterable[Lexicon]) -> None:
        self.names = frozenset(lexicon.name for lexicon in lexicons)
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, Lexicon, str, int, int]]] = {}
        for lexicon in lexicons:
            for term in lexicon.terms:
                keys, length = _term_keys(term)
                for key in keys:
                    # A whole-word key ends on the space after its last word; a prefix key inside it.
                    back = 1 if key.endswith(" ") else 0
                    values = entries.setdefault(key, [])
                    # Two forms of a word with one lemma ("döda", "dödar") would report one hit twice.
                    if all(name != lexicon.name for name, *_ in values):
                        values.append((lexicon.name, lexicon, term, length, back))
        for key, values in entries.items():
            self._automaton.add_word(key, values)
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()

    def hits(self, line: str) -> dict[str, list[Hit]]:
        """The hits in a lemma line: the lemmas joined by single spaces, with one before and after."""
        hits: dict[str, list[Hit]] = {}
        if self._empty:
            return hits
        count = line.count
        for end, values in self._automaton.iter(line):
            for name, lexicon, term, length, back in values:
                # Every word in the line has one space before it: the spaces up to the match's
                # last character count the words up to and including the last one matched.
                last = count(" ", 0, end + 1 - back) - 1
                # tuple.__new__ builds the named tuple without the Python-level Hit.__new__.
                hit = _new_tuple(Hit, (lexicon, term, last - length + 1, last))
                found = hits.get(name)
                if found is None:
                    hits[name] = [hit]
                else:
                    found.append(hit)
        return hits


class LexiconMatcher:
    """Finds every term of the given word lists in a text, built once per set of word lists.

    The ``context`` word lists (pronouns, people, question words) hold the commonest words of
    the language and matter only beside a hit of another list. They come in groups, the lists one
    rule reads together; each group gets an automaton of its own, run only when a rule asks for
    one of its lists.
    """

    def __init__(self, lexicons: Iterable[Lexicon], context: Iterable[frozenset[str]] = ()) -> None:
        lexicons = list(lexicons)
        groups = list(context)
        in_context = frozenset().union(*groups)
        self._triggers = _Automaton([lexicon for lexicon in lexicons if lexicon.name not in in_context])
        self._context: dict[str, _Automaton] = {}
        for group in groups:
            automaton = _Automaton([lexicon for lexicon in lexicons if lexicon.name in group])
            self._context.update(dict.fromkeys(automaton.names, automaton))

    def read(self, text: str) -> LemmaText:
        """Cut ``text`` into words and find every term of the trigger word lists in it."""
        # Lower-casing the whole text at once is faster than word by word, and keeps offsets
        # as long as no character changes length when lower-cased (as "İ" does).
        lowered = text.lower()
        if len(lowered) == len(text):
            source, words = lowered, _WORD.findall(lowered)
        else:
            source, words = text, [word.lower() for word in _WORD.findall(text)]
        lemmas = list(map(lemma_of, words))
        line = " " + " ".join(lemmas) + " "
        return LemmaText(text, source, lemmas, line, self._triggers.hits(line), self._context)
