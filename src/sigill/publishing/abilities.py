"""What each platform lets a post carry, as the connectors say (``connectors.selectors``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from sigill.connectors.selectors import publish_abilities


@dataclass(frozen=True)
class Abilities:
    can_publish: bool
    text_limit: int | None
    first_comment: bool
    image: bool
    video: bool
    note: str | Promise = ""


def abilities_of(platform_slug: str) -> Abilities:
    found = publish_abilities(platform_slug)
    return Abilities(
        can_publish="post" in found,
        text_limit=found.max_text or None,
        first_comment="first_comment" in found,
        image="image" in found,
        video="video" in found,
        note=found.note,
    )
