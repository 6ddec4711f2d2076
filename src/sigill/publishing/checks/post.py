"""All checks of one post on one account, from facts the caller gathers (still no Django)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from sigill.publishing.checks.accessibility import capitals_runs, emoji_runs, hashtags_not_in_camel_case
from sigill.publishing.checks.findings import Finding, Severity
from sigill.publishing.checks.readability import (
    HARD_LIX,
    LONG_SENTENCE_WORDS,
    lix,
    long_sentences,
    officialese,
    words,
)


@dataclasses.dataclass(frozen=True)
class Hit:
    """A screening finding: its type code (``pii.phone``) and the passage it covers."""

    type: str
    excerpt: str


@dataclasses.dataclass(frozen=True)
class Media:
    kind: str  # "image" or "video"
    alt_text: str
    has_captions: bool = False
    no_captions_reason: str = ""


@dataclasses.dataclass(frozen=True)
class Sender:
    """What the registry and the latest profile check say about the account."""

    is_active: bool
    profile_passed: bool | None  # None: never checked


@dataclasses.dataclass(frozen=True)
class Post:
    text: str
    first_comment: str = ""
    limit: int | None = None
    has_first_comment: bool = True
    media: Sequence[Media] = ()
    # Whether Sigill can publish on the platform at all (its API may not allow posts).
    platform_publishes: bool = True


# Screening findings that keep a post from going out until resolved or overridden by comms.
PERSONAL_DATA_PREFIX = "pii."
# Sensitive data (health, religion, ...) and an individual's case are what secrecy protects.
SECRECY_TYPES_PREFIXES = ("sensitive.", "individual_case")
# Findings a post should not carry but comms need not override.
WARNED_TYPES = frozenset({"threat", "hate", "harassment", "spam"})
# An alternative text this short, or that is a file name, tells a blind reader nothing.
SHORTEST_ALT_TEXT = 10


def screening_findings(hits: Iterable[Hit]) -> list[Finding]:
    found: list[Finding] = []
    for hit in hits:
        if hit.type.startswith(PERSONAL_DATA_PREFIX):
            found.append(Finding("screening.personal_data", Severity.BLOCKS, hit.excerpt))
        elif hit.type.startswith(SECRECY_TYPES_PREFIXES):
            found.append(Finding("screening.secrecy", Severity.BLOCKS, hit.excerpt))
        elif hit.type in WARNED_TYPES:
            found.append(Finding("screening.offensive", Severity.WARNING, hit.excerpt))
    return list(dict.fromkeys(found))


def _alt_text_says_nothing(alt_text: str) -> bool:
    stripped = alt_text.strip()
    return len(stripped) < SHORTEST_ALT_TEXT or ("." in stripped[-5:] and " " not in stripped)


def media_findings(media: Iterable[Media]) -> list[Finding]:
    found: list[Finding] = []
    for item in media:
        if _alt_text_says_nothing(item.alt_text):
            found.append(Finding("accessibility.weak_alt_text", Severity.WARNING, item.alt_text))
        if item.kind == "video" and not item.has_captions:
            found.append(Finding("accessibility.no_captions", Severity.WARNING, item.no_captions_reason))
    return found


def text_findings(text: str) -> list[Finding]:
    found = [
        Finding("accessibility.hashtag_case", Severity.WARNING, tag)
        for tag in hashtags_not_in_camel_case(text)
    ]
    found += [Finding("accessibility.capitals", Severity.WARNING, run) for run in capitals_runs(text)]
    found += [Finding("accessibility.emoji_run", Severity.WARNING, run) for run in emoji_runs(text)]
    found += [
        Finding(
            "readability.long_sentence",
            Severity.ADVICE,
            sentence,
            value=len(words(sentence)),
            limit=LONG_SENTENCE_WORDS,
        )
        for sentence in long_sentences(text)
    ]
    found += [
        Finding("readability.officialese", Severity.ADVICE, f"{word} → {plain}")
        for word, plain in officialese(text)
    ]
    if len(words(text)) >= 20 and (value := lix(text)) > HARD_LIX:
        found.append(Finding("readability.lix", Severity.ADVICE, value=round(value), limit=HARD_LIX))
    return found


def sender_findings(sender: Sender) -> list[Finding]:
    found: list[Finding] = []
    if not sender.is_active:
        found.append(Finding("sender.account_not_active", Severity.BLOCKS))
    if sender.profile_passed is False:
        found.append(Finding("sender.profile_incomplete", Severity.WARNING))
    elif sender.profile_passed is None:
        found.append(Finding("sender.profile_unchecked", Severity.ADVICE))
    return found


def with_link(text: str, link: str) -> str:
    """The text as published: the draft's link after it, unless the text already carries it."""
    if not link or link in text:
        return text
    return f"{text.rstrip()}\n\n{link}"


def check_post(post: Post, *, hits: Iterable[Hit], sender: Sender) -> list[Finding]:
    """Every finding for ``post`` on one account, the most serious first."""
    found = screening_findings(hits)
    whole = f"{post.text}\n{post.first_comment}".strip()
    if not post.platform_publishes:
        found.append(Finding("platform.cannot_publish", Severity.BLOCKS))
    if not post.text.strip():
        found.append(Finding("length.empty", Severity.BLOCKS))
    if post.limit is not None and len(post.text) > post.limit:
        found.append(Finding("length.over_limit", Severity.BLOCKS, value=len(post.text), limit=post.limit))
    if post.first_comment and not post.has_first_comment:
        found.append(Finding("first_comment.unsupported", Severity.WARNING))
    found += media_findings(post.media)
    found += text_findings(whole)
    found += sender_findings(sender)
    return sorted(found, key=lambda finding: -finding.severity)


def can_be_overridden(finding: Finding) -> bool:
    """Only the screening's blocks may be overridden (by comms, with a reason); a text over the
    platform's limit or an account that is not active cannot go out at all."""
    return finding.blocks and finding.code.startswith("screening.")
