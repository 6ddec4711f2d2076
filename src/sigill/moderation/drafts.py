"""Drafts: the pre-publication check (what screening finds in a draft post, and accessibility
hints), and the drafted reply a moderator starts from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sigill.moderation import engine
from sigill.moderation.screening import Finding

_HASHTAG = re.compile(r"#(\w{2,})")
# A word of three or more letters, any alphabet's (É and Ø too); it is shouted when all are capitals.
_WORD = re.compile(r"\b[^\W\d_]{3,}\b")
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


def _belongs_to_previous(char: str) -> bool:
    """Joiners, variation selectors, keycaps, skin tones and flag tags: part of the emoji before."""
    code = ord(char)
    return char in "\u200d\ufe0f\u20e3" or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF  # two of them make one flag


def _emoji_runs(text: str) -> list[str]:
    """Runs of at least ``_EMOJI_RUN`` emoji as a reader sees them: "👍🏽" or "👨‍👩‍👧" or "🇸🇪" is
    one emoji (a screen reader reads one name), and spaces between emoji keep the run going."""
    runs: list[str] = []
    start, end, count = -1, 0, 0
    joined = half_flag = False
    for index, char in enumerate(text):
        if _belongs_to_previous(char):
            if start >= 0:
                end, joined = index + 1, char == "\u200d"
        elif _is_emoji(char):
            if start < 0:
                start, count = index, 0
            regional = _is_regional_indicator(char)
            if joined or (regional and half_flag):
                half_flag = False
            else:
                count, half_flag = count + 1, regional
            end, joined = index + 1, False
        elif not (char.isspace() and start >= 0):
            if count >= _EMOJI_RUN:
                runs.append(text[start:end])
            start, count, joined, half_flag = -1, 0, False, False
    if start >= 0 and count >= _EMOJI_RUN:
        runs.append(text[start:end])
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
    shouted = [word for word in _WORD.findall(text) if word.isupper()]
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


def reply_draft(*, author: str, is_question: bool, moderator: str, account: str) -> str:
    """A reply to start from: a greeting by first name, thanks for the comment or the question (the
    answer follows it), and a signature naming the person and the account, so the sender is clear."""
    first_name = author.split()[0].lstrip("@") if author.strip() else ""
    greeting = _("Hi %(name)s!") % {"name": first_name} if first_name else _("Hi!")
    thanks = _("Thank you for your question.") if is_question else _("Thank you for your comment.")
    signed_by = ", ".join(part for part in (moderator.strip(), account.strip()) if part)
    return "\n\n".join([greeting, thanks, _("Kind regards") + ("\n" + signed_by if signed_by else "")])
