"""The checks of a draft as Sigill runs them: screening, accessibility, readability, sender rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sigill.compliance import selectors as compliance
from sigill.moderation import selectors as moderation
from sigill.publishing.abilities import abilities_of
from sigill.publishing.checks import Finding
from sigill.publishing.checks.post import Hit, Media, Post, Sender, can_be_overridden, check_post, with_link


@dataclass
class TargetReview:
    """The findings for one account of a draft, and which of them comms overrode."""

    account: Any
    text: str
    limit: int | None
    findings: list[Finding]
    note: Any = ""
    overridden: dict[str, Any] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.text)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.count > self.limit

    @property
    def blocking(self) -> list[Finding]:
        return [
            finding
            for finding in self.findings
            if finding.blocks and finding.fingerprint not in self.overridden
        ]

    def rows(self) -> list[tuple[Finding, Any, bool]]:
        """(finding, its override or None, whether comms may override it) per finding."""
        return [
            (finding, self.overridden.get(finding.fingerprint), can_be_overridden(finding))
            for finding in self.findings
        ]


@dataclass
class DraftReview:
    targets: list[TargetReview]

    @property
    def blocked(self) -> bool:
        return any(target.blocking for target in self.targets)


def sender_of(account: Any) -> Sender:
    check = compliance.latest_check(account)
    return Sender(
        is_active=account.status == "active", profile_passed=None if check is None else check.passed
    )


def review_text(
    *,
    account: Any,
    text: str,
    first_comment: str = "",
    link: str = "",
    media: Iterable[Media] = (),
    overrides: dict[str, Any] | None = None,
) -> TargetReview:
    """The checks of one account's text as it would be published (with the draft's link)."""
    text = with_link(text, link)
    abilities = abilities_of(account.platform.slug)
    post = Post(
        text,
        first_comment,
        abilities.text_limit,
        abilities.first_comment,
        tuple(media),
        abilities.can_publish,
    )
    hits = [Hit(found.type, found.excerpt) for found in moderation.screen_text(f"{text}\n{first_comment}")]
    findings = check_post(post, hits=hits, sender=sender_of(account))
    return TargetReview(account, text, abilities.text_limit, findings, abilities.note, overrides or {})


def media_facts(draft: Any) -> list[Media]:
    return [
        Media(item.kind, item.alt_text, bool(item.captions), item.no_captions_reason)
        for item in draft.media.all()
    ]


def review_draft(draft: Any) -> DraftReview:
    overrides = {override.fingerprint: override for override in draft.overrides.select_related("by")}
    media = media_facts(draft)
    return DraftReview(
        [
            review_text(
                account=target.account,
                text=target.text,
                first_comment=target.first_comment,
                link=draft.link,
                media=media,
                overrides=overrides,
            )
            for target in draft.targets.select_related("account__platform")
        ]
    )
