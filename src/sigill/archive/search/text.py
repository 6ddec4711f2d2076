"""Words and lemmas: what the search index holds and what a query asks for, the same on every database.

Neither database stems Swedish well enough (PostgreSQL's Swedish stemmer leaves "biblioteket" apart
from "bibliotek"; FTS5 has no stemmer), so the index holds each word *and* its lemma (simplemma),
and a query word matches either its own form or its lemma: "bibliotek" finds "biblioteket" and
"biblioteken", "gata" finds "gatan" and "gator", and the other way round.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import simplemma

# Letters and digits; the underscore and everything else separate words, as in FTS5's unicode61
# tokenizer and PostgreSQL's parser over a space-separated document.
WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 8


# The lemmas of this many recent words are kept: enough for the words a municipality's comments
# use again and again, small in memory (about 16 MB; 200,000 took 65 MB of a worker importing an
# export). A word looked up again after it fell out costs simplemma about 26 µs.
LEMMA_CACHE = 50_000


def lemma(word: str) -> str:
    """The Swedish lemma of a lower-case word (the word itself when simplemma knows none)."""
    if word.isascii() and word.isdigit():
        # A number is its own lemma (simplemma gives numbers back unchanged); kept out of the cache,
        # where every distinct number (an id, a date, a phone number) would push a word out.
        return word
    return _dictionary_lemma(word)


@functools.lru_cache(maxsize=LEMMA_CACHE)
def _dictionary_lemma(word: str) -> str:
    found = simplemma.lemmatize(word, lang="sv").lower()
    return found if WORD.fullmatch(found) else word


forget_lemmas = _dictionary_lemma.cache_clear


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def document(texts: Iterable[str]) -> str:
    """What the index holds for some texts: every distinct word, and every lemma that differs."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            seen.setdefault(word, None)
            seen.setdefault(lemma(word), None)
    return " ".join(seen)


@dataclass(frozen=True)
class Query:
    """A parsed query: every group must match, by any of its forms."""

    groups: tuple[frozenset[str], ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        groups: list[frozenset[str]] = []
        for word in words(text)[:MAX_QUERY_WORDS]:
            group = frozenset({word, lemma(word)})
            if group not in groups:
                groups.append(group)
        return cls(tuple(groups))

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts5(self) -> str:
        """The query in FTS5's syntax; every term is quoted, so no word acts as an operator."""
        return " AND ".join("(" + " OR ".join(f'"{term}"' for term in sorted(g)) + ")" for g in self.groups)

    def tsquery(self) -> str:
        """The query for PostgreSQL's ``to_tsquery('simple', ...)``; every term is quoted."""
        return " & ".join("(" + " | ".join(f"'{term}'" for term in sorted(g)) + ")" for g in self.groups)

    def matches(self, word: str) -> bool:
        """Does ``word`` (as written in a text) match one of the query's forms?"""
        lower = word.lower()
        return any(lower in group or lemma(lower) in group for group in self.groups)


@dataclass(frozen=True)
class Segment:
    """A piece of a snippet; ``hit`` pieces are shown highlighted. Plain text: templates escape it."""

    text: str
    hit: bool = False


def snippet(text: str, query: Query, *, width: int = 30) -> list[Segment]:
    """About ``width`` words of ``text`` around the first hit, with every hit marked."""
    tokens = list(WORD.finditer(text))
    hits = [i for i, token in enumerate(tokens) if query.matches(token.group())]
    if not tokens:
        return [Segment(text)] if text else []
    first = max((hits[0] if hits else 0) - width // 3, 0)
    last = min(first + width, len(tokens)) - 1
    start = tokens[first].start() if first > 0 else 0
    end = tokens[last].end() if last < len(tokens) - 1 else len(text)
    segments: list[Segment] = [Segment("… ")] if first > 0 else []
    position = start
    for index in (i for i in hits if first <= i <= last):
        token = tokens[index]
        if token.start() > position:
            segments.append(Segment(text[position : token.start()]))
        segments.append(Segment(token.group(), hit=True))
        position = token.end()
    if end > position:
        segments.append(Segment(text[position:end]))
    if end < len(text):
        segments.append(Segment(" …"))
    return segments
