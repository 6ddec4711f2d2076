"""The platform-neutral capture: what a connector (or a person, for manual capture) saw on a platform.

Connectors parse their platform's payloads into :class:`Capture` objects and hand a batch of them
to :func:`sigill.archive.services.capture`. Nothing here knows any platform.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigill.core.holdable import holdable

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


# Text from outside is normalised on the way in (sigill.core.holdable): what no database or XML can
# hold is replaced by U+FFFD, and the capture's metadata records what was replaced
# (``replaced_characters``), so SQLite and PostgreSQL store the same.
REPLACED_KEY = "replaced_characters"


def _holdable_data(value: Any, replaced: Counter[str]) -> Any:
    if isinstance(value, str):
        return holdable(value, replaced)
    if isinstance(value, list | tuple):
        return [_holdable_data(v, replaced) for v in value]
    if isinstance(value, dict):
        return {holdable(str(k), replaced): _holdable_data(v, replaced) for k, v in value.items()}
    return value


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
        self._normalise()
        if not isinstance(self.platform_id, str) or not self.platform_id:
            raise ValueError("a capture needs the platform's id as a non-empty string")
        # A number or a list where text belongs (a payload in an unknown shape) would be stored
        # as its string but sealed as itself, and the seal would not hold.
        texts = {name: getattr(self, name) for name in ("text", "parent_platform_id", "url")}
        if isinstance(self.author, Author):
            texts.update(
                {
                    f"author {name}": getattr(self.author, name)
                    for name in ("platform_id", "display_name", "handle")
                }
            )
        else:
            texts["author"] = self.author
        if wrong := [name for name, value in texts.items() if not isinstance(value, str)]:
            raise ValueError(f"a capture's {', '.join(wrong)} must be text")
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

    def _normalise(self) -> None:
        """Replace what no database or XML can hold in every text field (the attachments' names
        too), and record it."""
        replaced: Counter[str] = Counter()
        for name in ("platform_id", "text", "parent_platform_id", "url"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, holdable(value, replaced))
        author = self.author
        if not isinstance(author, Author):
            return self._normalise_metadata(replaced)
        fields = {name: getattr(author, name) for name in ("platform_id", "display_name", "handle")}
        fields = {name: holdable(v, replaced) if isinstance(v, str) else v for name, v in fields.items()}
        if any(fields[name] != getattr(author, name) for name in fields):
            object.__setattr__(self, "author", replace(author, **fields))
        files = [
            (file, holdable(str(file.name), replaced), holdable(str(file.content_type), replaced))
            for file in self.attachments
        ]
        if any((name, kind) != (file.name, file.content_type) for file, name, kind in files):
            kept = tuple(replace(file, name=name, content_type=kind) for file, name, kind in files)
            object.__setattr__(self, "attachments", kept)
        self._normalise_metadata(replaced)

    def _normalise_metadata(self, replaced: Counter[str]) -> None:
        metadata = _holdable_data(self.metadata, replaced)
        if replaced:
            metadata[REPLACED_KEY] = dict(sorted(replaced.items()))
            object.__setattr__(self, "metadata", metadata)
