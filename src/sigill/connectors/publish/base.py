"""What a platform's publisher provides, and what the outbox hands it.

A publisher module (``connectors.publish.<platform slug>``) declares ``PUBLISHER``: what the
platform's API lets Sigill publish (:class:`Abilities`), how to publish a post or reply
(:meth:`Publisher.publish`), and how to find one already on the platform
(:meth:`Publisher.find`), which the outbox asks before it posts again after an attempt whose
outcome it does not know. Errors are those of :mod:`sigill.connectors.http`; a failure after the
request that creates the post may have reached the platform is :class:`MaybeSent`.
"""

from __future__ import annotations

import datetime as dt
import pkgutil
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from typing import Any, ClassVar, Protocol

import httpx2
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from sigill.archive.capture import Capture
from sigill.connectors import http

# What a platform may be able to do; ``publish_abilities`` answers with a set of these.
POST = "post"
IMAGE = "image"
VIDEO = "video"
FIRST_COMMENT = "first_comment"
REPLY = "reply"


@dataclass(frozen=True)
class OutgoingMedia:
    """A file to publish with a post: an image (with its alternative text) or a video."""

    content: bytes
    content_type: str  # image/jpeg, image/png, video/mp4, ...
    alt_text: str  # required for images
    captions: bytes | None = None  # SRT or WebVTT for a video
    captions_type: str = ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")


class Abilities(frozenset[str]):
    """What a platform's API lets Sigill publish (``"post" in abilities``), with its limits.

    ``note`` says, for the compose page, what the platform does not allow (YouTube's community
    posts are not in its API).
    """

    max_text: int
    max_images: int
    note: str | Promise
    # A post needs an image or a video (Instagram has no text-only posts).
    needs_media: bool

    def __new__(
        cls,
        abilities: Sequence[str] = (),
        *,
        max_text: int = 0,
        max_images: int = 0,
        note: str | Promise = "",
        needs_media: bool = False,
    ) -> Abilities:
        made = super().__new__(cls, abilities)
        made.max_text, made.max_images, made.note = max_text, max_images, note
        made.needs_media = needs_media
        return made


NOTHING = Abilities(note=gettext_lazy("Sigill cannot publish on this platform through its API."))


@dataclass(frozen=True)
class ReplyTarget:
    """The archived item a reply answers: its platform id, kind, thread and what the platform gave."""

    object_id: str
    kind: str
    parent_object_id: str
    metadata: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    # The thread's first item (the post commented on); the item itself when it is the post.
    root_object_id: str = ""


@dataclass(frozen=True)
class Post:
    """One outgoing post or reply as the worker hands it to the platform's publisher."""

    key: str
    text: str
    media: tuple[OutgoingMedia, ...] = ()
    first_comment: str = ""
    reply_to: ReplyTarget | None = None
    # Not before this moment (less a margin for clocks): where to look when reconciling.
    created_at: dt.datetime | None = None
    # Each file at a public, expiring address of Sigill's, for platforms that fetch media by URL
    # (Instagram, Threads) rather than take an upload.
    media_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Account:
    """The account as a publisher needs it: its archive id, its platform id and API address."""

    id: int
    remote_id: str
    api_base: str


@dataclass(frozen=True)
class Published:
    """The post as the platform has it, and its capture for the archive (drawn up)."""

    platform_id: str
    url: str
    published_at: dt.datetime
    capture: Capture
    first_comment_id: str = ""
    # What else the publishing made (the first comment), captured with the post.
    also: tuple[Capture, ...] = ()
    # The post is out, but its first comment could not be added (the post is not tried again).
    first_comment_error: str = ""

    @classmethod
    def of(cls, capture: Capture, *, url: str = "") -> Published:
        """The post as its capture shows it (``url`` where the platform's object has none)."""
        return cls(
            platform_id=capture.platform_id,
            url=url or capture.url,
            published_at=capture.published_at,
            capture=capture,
        )


class MaybeSent(http.PlatformError):
    """The request that creates the post failed in a way that leaves open whether the platform made
    it (a timeout, a dropped connection, a server error): look before posting again."""


class Publisher(Protocol):
    slug: ClassVar[str]
    abilities: ClassVar[Abilities]

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        """Upload the media, then create the post (through :func:`create`)."""

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        """The post if the platform already has it (the account's recent posts carrying its text)."""


def create(client: httpx2.Client, method: str, url: str, **kwargs: Any) -> httpx2.Response:
    """Make the request that creates a post. Unless the request surely did not reach the platform
    (no connection), a failure is :class:`MaybeSent`: the platform may have made the post."""
    try:
        response = client.request(method, url, **kwargs)
    except (httpx2.ConnectError, httpx2.ConnectTimeout):
        raise
    except httpx2.TransportError as exc:
        raise MaybeSent(f"no answer from the platform ({type(exc).__name__})") from exc
    if response.status_code >= 500:
        raise MaybeSent(f"the platform answered HTTP {response.status_code}", status=response.status_code)
    return response


def with_first_comment(published: Published, comment: Callable[[], Published]) -> Published:
    """``published`` with its first comment, made by ``comment``. The post is out: a first comment
    that fails is reported with it, and the post is not tried again."""
    try:
        made = comment()
    except (http.PlatformError, httpx2.TransportError, KeyError, ValueError) as exc:
        return replace(published, first_comment_error=getattr(exc, "message", "") or type(exc).__name__)
    return replace(published, first_comment_id=made.platform_id, also=(made.capture,))


def same_text(theirs: str, ours: str) -> bool:
    """Whether a post's text on the platform is ours: whitespace aside (platforms trim and fold),
    and links aside (X shortens them and adds one for the media)."""
    return _folded(theirs) == _folded(ours)


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"https?://\S+", " ", text)).strip()


_publishers: dict[str, Publisher] = {}


def publisher_for(platform_slug: str) -> Publisher | None:
    return _publishers.get(platform_slug)


def abilities_of(platform_slug: str) -> Abilities:
    publisher = _publishers.get(platform_slug)
    return publisher.abilities if publisher is not None else _without_publisher.get(platform_slug, NOTHING)


# What the compose page says of a platform Sigill cannot publish on, in the platform's own terms.
_without_publisher = {
    "youtube": Abilities(
        note=gettext_lazy(
            "YouTube's API has no way to publish community posts: publish them in YouTube Studio."
        )
    ),
}


def discover() -> None:
    """Import every platform module of this package and register its ``PUBLISHER``."""
    package = import_module("sigill.connectors.publish")
    for found in pkgutil.iter_modules(package.__path__):
        module = import_module(f"{package.__name__}.{found.name}")
        publisher = getattr(module, "PUBLISHER", None)
        if publisher is not None:
            _publishers[publisher.slug] = publisher
