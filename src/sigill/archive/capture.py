"""The platform-neutral capture: what a connector (or a person, for manual capture) saw on a platform.

Connectors parse their platform's payloads into :class:`Capture` objects and hand a batch of them
to :func:`sigill.archive.services.capture`. Nothing here knows any platform.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest platform id the archive stores as it is: every platform's real ids are far shorter
# (a Mastodon status URI or an AT-URI is under 150 characters). A longer "id" (a signed download
# link some exports carry) is stored as its digest, which is as stable as the id itself.
PLATFORM_ID_LENGTH = 500
# The longest address on the platform an item keeps as its address; a longer one (a signed,
# expiring download link) is kept in its metadata only.
URL_LENGTH = 1000


def stored_platform_id(platform_id: str) -> str:
    """``platform_id`` as the archive keys it: itself, or ``sha256:<hex>`` when it is too long."""
    if len(platform_id) <= PLATFORM_ID_LENGTH:
        return platform_id
    return "sha256:" + hashlib.sha256(platform_id.encode()).hexdigest()


class Kind(models.TextChoices):
    POST = "post", _("Post")
    COMMENT = "comment", _("Comment")
    REPLY = "reply", _("Reply")
    MESSAGE = "message", _("Direct message")
    PROFILE = "profile", _("Profile snapshot")


class Source(models.TextChoices):
    API = "api", _("API")
    WEBHOOK = "webhook", _("Webhook")
    EXPORT = "export", _("Export file")
    MANUAL = "manual", _("Manual capture")
    SNAPSHOT = "snapshot", _("Rendered snapshot")


class Direction(models.TextChoices):
    # Legal terms (TF 2 kap.): what others post is received (inkommen); the municipality's own posts
    # and replies are drawn up (upprättad).
    RECEIVED = "received", _("Received")
    DRAWN_UP = "drawn_up", _("Drawn up")


@dataclass(frozen=True)
class Author:
    """The author as the platform shows them."""

    platform_id: str = ""
    display_name: str = ""
    handle: str = ""


@dataclass(frozen=True)
class CapturedFile:
    """An attachment: its bytes, or a path or an open binary stream to read them from."""

    name: str
    content_type: str
    content: bytes | Path | IO[bytes]

    def read(self) -> bytes:
        if isinstance(self.content, bytes):
            return self.content
        if isinstance(self.content, Path):
            return self.content.read_bytes()
        return self.content.read()


@dataclass(frozen=True)
class Capture:
    """One platform object as seen at one moment.

    ``account_id`` is the registry account it was seen on; ``platform_id`` is the platform's own id
    (always a string); ``published_at`` and ``edited_at`` are aware datetimes. ``seen_gone`` says
    that the object was looked for and is no longer on the platform: the archive then records its
    removal and keeps every version. An id longer than :data:`PLATFORM_ID_LENGTH` (the item's own
    or its parent's) is replaced by its digest, the full id kept in ``metadata["platform_id"]``.
    """

    account_id: int
    platform_id: str
    kind: str
    source: str
    direction: str
    published_at: dt.datetime
    text: str = ""
    parent_platform_id: str = ""
    author: Author = field(default_factory=Author)
    edited_at: dt.datetime | None = None
    url: str = ""
    attachments: tuple[CapturedFile, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    seen_gone: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.platform_id, str) or not self.platform_id:
            raise ValueError("a capture needs the platform's id as a non-empty string")
        if len(self.platform_id) > PLATFORM_ID_LENGTH:
            self.metadata.setdefault("platform_id", self.platform_id)
            object.__setattr__(self, "platform_id", stored_platform_id(self.platform_id))
        if len(self.url) > URL_LENGTH:
            self.metadata.setdefault("url", self.url)
            object.__setattr__(self, "url", "")
        if len(self.parent_platform_id) > PLATFORM_ID_LENGTH:
            self.metadata.setdefault("parent_platform_id", self.parent_platform_id)
            object.__setattr__(self, "parent_platform_id", stored_platform_id(self.parent_platform_id))
        for moment in (self.published_at, self.edited_at):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError("capture times must be aware datetimes")
        if self.kind not in Kind.values or self.source not in Source.values:
            raise ValueError(f"unknown kind {self.kind!r} or source {self.source!r}")
        if self.direction not in Direction.values:
            raise ValueError(f"unknown direction {self.direction!r}")
