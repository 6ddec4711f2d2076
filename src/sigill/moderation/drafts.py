"""The pre-publication check: what screening finds in a draft post, and accessibility hints."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sigill.moderation import engine
from sigill.moderation.screening import Finding

_HASHTAG = re.compile(r"#(\w{2,})")
_SHOUTED_WORD = re.compile(r"\b[A-ZÅÄÖ]{3,}\b")
# A hashtag this long written in one case is several words run together.
_LONG_TAG = 10
_EMOJI_RUN = 3


@dataclass(frozen=True)
class Hint:
    text: str
    excerpt: str = ""


@dataclass(frozen=True)
class DraftReport:
    findings: list[Finding]
    hints: list[Hint]

    @property
    def clean(self) -> bool:
        return not self.findings and not self.hints


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So" or 0x1F000 <= ord(char) <= 0x1FAFF


def _emoji_runs(text: str) -> list[str]:
    runs, current = [], ""
    for char in text:
        if _is_emoji(char):
            current += char
        elif char in "\u200d\ufe0f" and current:  # joiners and variation selectors belong to the emoji
            current += char
        else:
            if sum(map(_is_emoji, current)) >= _EMOJI_RUN:
                runs.append(current)
            current = ""
    if sum(map(_is_emoji, current)) >= _EMOJI_RUN:
        runs.append(current)
    return runs


def accessibility_hints(text: str, *, images: int, alt_texts: list[str]) -> list[Hint]:
    hints = []
    described = len([alt for alt in alt_texts if alt.strip()])
    if images > described:
        hints.append(
            Hint(
                _(
                    "%(missing)d of %(images)d images have no description: screen reader users will not know what they show."
                )
                % {"missing": images - described, "images": images}
            )
        )
    for tag in _HASHTAG.findall(text):
        if len(tag) >= _LONG_TAG and (tag.islower() or tag.isupper()):
            hints.append(
                Hint(
                    _(
                        "Write hashtags in CamelCase so that screen readers read the words: #VaraBibliotek, not #varabibliotek."
                    ),
                    f"#{tag}",
                )
            )
    shouted = _SHOUTED_WORD.findall(text)
    if len(shouted) >= 3:
        hints.append(
            Hint(
                _("Text in capitals is hard to read and is read letter by letter by some screen readers."),
                " ".join(shouted[:5]),
            )
        )
    for run in _emoji_runs(text):
        hints.append(
            Hint(
                _("Several emoji in a row are read aloud one by one by screen readers: use one or two."), run
            )
        )
    return hints


def check_draft(text: str, *, images: int = 0, alt_texts: list[str] | None = None) -> DraftReport:
    return DraftReport(
        findings=engine.screener().screen(text),
        hints=accessibility_hints(text, images=images, alt_texts=alt_texts or []),
    )
