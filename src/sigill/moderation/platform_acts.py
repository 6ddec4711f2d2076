"""What moderation asks of a platform (hide, unhide, delete, block) and who carries it out.

Moderation knows no platform. Each connector registers a :class:`PlatformActor` for its platform's
slug when the app loads (``register("facebook", FacebookActor())``); a decision looks the actor up
with :func:`actor_for`. Where no actor is registered, or the platform's API does not allow the act
(the catalogue's ``api_can_*`` flags), the moderator carries the act out on the platform by hand
and Sigill records that they did. Unhide undoes a hide: the catalogue allows it where it allows
hide and does not say the hide is final (``hide_is_final``: YouTube, where a rejected comment
stays rejected), and only an actor that can unhide does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sigill.organisation.people import User

HIDE = "hide"
UNHIDE = "unhide"
DELETE = "delete"
BLOCK = "block"
ACTS = (HIDE, UNHIDE, DELETE, BLOCK)


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
    def can(self, act: str) -> bool:
        """Whether this actor knows how to carry out ``act`` through the platform's API."""

    def perform(self, act: str, target: Target) -> None:
        """Carry out ``act`` on the platform, or raise :class:`ActFailed`."""


_actors: dict[str, PlatformActor] = {}


def register(platform_slug: str, actor: PlatformActor) -> None:
    _actors[platform_slug] = actor


def actor_for(platform_slug: str) -> PlatformActor | None:
    return _actors.get(platform_slug)


def through_api(
    platform_slug: str, act: str, *, catalogue_acts: list[str], hide_is_final: bool = False
) -> bool:
    """Whether Sigill carries ``act`` out through the API: the platform catalogue allows it (unhide
    wherever hide is allowed and not final) and the platform's actor can do it."""
    allowed = (HIDE in catalogue_acts and not hide_is_final) if act == UNHIDE else act in catalogue_acts
    actor = actor_for(platform_slug)
    return allowed and actor is not None and actor.can(act)


# --- Replies: a reply decided in the queue is published on the platform ---------------------------


@dataclass(frozen=True)
class ReplyState:
    """How a published reply stands: its state's label, whether it is out, the last error, and
    its address on the platform once it is."""

    label: str
    published: bool
    failed: bool
    error: str = ""
    url: str = ""


class ReplyPublisher(Protocol):
    def can_reply(self, platform_slug: str) -> bool:
        """Whether Sigill can publish a reply on this platform through its API."""

    def publish_reply(
        self, *, item: Any, text: str, key: str, record_metadata: dict[str, Any], by: User
    ) -> None:
        """Queue ``text`` as a reply to the archived ``item`` (once per ``key``); raises
        ``ValidationError`` with the platform's reason when it cannot take it."""

    def reply_state(self, key: str) -> ReplyState | None:
        """How the reply queued under ``key`` stands; None when none was queued."""


_repliers: list[ReplyPublisher] = []


def register_replier(replier: ReplyPublisher) -> None:
    """Called by the connectors when they load: the one that publishes replies."""
    _repliers[:] = [replier]


def replier() -> ReplyPublisher | None:
    return _repliers[0] if _repliers else None


def reply_key(decision_id: int) -> str:
    """The outbox key of a decision's reply: one reply per decision, however often it is asked."""
    return f"moderation:decision:{decision_id}:reply"
