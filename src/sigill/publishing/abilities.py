"""What each platform lets a post carry, as the publishing pages need it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Abilities:
    can_publish: bool
    text_limit: int | None
    first_comment: bool
    image: bool
    video: bool


# Until the connectors say it themselves (issue 20.5): the platforms' documented post lengths.
_KNOWN: dict[str, Abilities] = {
    "mastodon": Abilities(True, 500, False, True, True),
}


def abilities_of(platform_slug: str) -> Abilities:
    return _KNOWN.get(platform_slug, Abilities(False, None, False, False, False))
