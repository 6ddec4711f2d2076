"""What moderation asks of a platform (hide, delete, block) and who carries it out.

Moderation knows no platform. Each connector registers a :class:`PlatformActor` for its platform's
slug when the app loads (``register("facebook", FacebookActor())``); a decision looks the actor up
with :func:`actor_for`. Where no actor is registered, or the platform's API does not allow the act
(the catalogue's ``api_can_*`` flags), the moderator carries the act out on the platform by hand
and Sigill records that they did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

HIDE = "hide"
DELETE = "delete"
BLOCK = "block"
ACTS = (HIDE, DELETE, BLOCK)


@dataclass(frozen=True)
class Target:
    """The platform object an act is aimed at, as the archive knows it."""

    account_id: int
    platform_slug: str
    object_id: str
    parent_object_id: str = ""
    author_platform_id: str = ""
    url: str = ""


class ActFailed(Exception):
    """The platform refused or could not be reached; ``message`` is shown to the moderator.

    ``retryable`` says whether trying again later may work (a rate limit, an outage) or not (the
    comment is gone, the token was revoked).
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class PlatformActor(Protocol):
    def perform(self, act: str, target: Target) -> None:
        """Carry out ``act`` on the platform, or raise :class:`ActFailed`."""


_actors: dict[str, PlatformActor] = {}


def register(platform_slug: str, actor: PlatformActor) -> None:
    _actors[platform_slug] = actor


def actor_for(platform_slug: str) -> PlatformActor | None:
    return _actors.get(platform_slug)
