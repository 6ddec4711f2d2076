"""Accessibility of a post's text for people who use screen readers.

A screen reader reads ``#varabibliotek`` as one unknown word and ``#VaraBibliotek`` as two; it
spells out words in capitals letter by letter or reads them flatly; it reads every emoji's name
aloud, so a run of them is a long interruption.
"""

from __future__ import annotations

import re
import unicodedata

_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
# A word of two or more letters in capitals (digits and hyphens may join it: "COVID-19").
_WORD = re.compile(r"[^\W\d_][\w-]*")

# Inside one emoji: joiners, variation selectors and skin tones do not start a new one.
_JOINING = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}
_SKIN_TONES = {chr(code) for code in range(0x1F3FB, 0x1F400)}


def hashtags_not_in_camel_case(text: str) -> list[str]:
    """Hashtags of more than one word written all in small letters (``#varabibliotek``).

    A hashtag of one plain word (``#vara``, ``#bibliotek``) is left alone: there are no word
    boundaries to mark. Only tags longer than ``ONE_WORD`` letters are judged to be several words.
    """
    return [f"#{tag}" for tag in _HASHTAG.findall(text) if tag.islower() and len(tag) > ONE_WORD]


# A Swedish word in a hashtag rarely passes ten letters; longer all-lowercase tags join words.
ONE_WORD = 10


def _is_capital_word(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def capitals_runs(text: str, *, at_least: int = 3) -> list[str]:
    """Passages of ``at_least`` words in a row written in capitals.

    A single word in capitals is most often an abbreviation (SMHI, EU) and is left alone.
    """
    runs: list[str] = []
    run: list[re.Match[str]] = []
    for match in _WORD.finditer(text):
        if _is_capital_word(match.group()):
            run.append(match)
            continue
        if len(run) >= at_least:
            runs.append(text[run[0].start() : run[-1].end()])
        run = []
    if len(run) >= at_least:
        runs.append(text[run[0].start() : run[-1].end()])
    return runs


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or (unicodedata.category(char) == "So" and code > 0x2000)
    )


def emoji_runs(text: str, *, at_least: int = 3) -> list[str]:
    """Runs of ``at_least`` emoji in a row (spaces between them do not break a run).

    A flag is two regional letters and one emoji; joined and skin-toned emoji count once.
    """
    runs: list[str] = []
    start: int | None = None
    end = 0
    count = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in _JOINING or char in _SKIN_TONES:
            index += 1
            end = index if start is not None else end
            continue
        if _is_emoji(char):
            if start is None:
                start, count = index, 0
            # Two regional indicator letters make one flag.
            is_flag = 0x1F1E6 <= ord(char) <= 0x1F1FF
            if is_flag and index + 1 < len(text) and 0x1F1E6 <= ord(text[index + 1]) <= 0x1F1FF:
                index += 1
            count += 1
            index += 1
            end = index
            continue
        if char.isspace() and start is not None:
            index += 1
            continue
        if start is not None and count >= at_least:
            runs.append(text[start:end])
        start = None
        index += 1
    if start is not None and count >= at_least:
        runs.append(text[start:end])
    return runs
