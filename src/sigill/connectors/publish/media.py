"""The files of outgoing posts: kept in the default storage until published, and served at a
signed, expiring address to the platforms that fetch media by URL (Instagram, Threads)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from sigill.connectors.models import Outgoing
from sigill.connectors.publish.base import OutgoingMedia

STORAGE_FOLDER = "outgoing"
# How long the public address of a file to publish answers (a platform fetches it at once).
MEDIA_URL_VALID = dt.timedelta(days=2)
MEDIA_SALT = "sigill.connectors.outgoing_media"


def store(media: OutgoingMedia) -> dict[str, Any]:
    """Keep a file in the default storage until it is published (and as the draft's copy)."""

    def save(content: bytes) -> str:
        name = f"{STORAGE_FOLDER}/{hashlib.sha256(content).hexdigest()}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        return name

    return {
        "file": save(media.content),
        "content_type": media.content_type,
        "alt_text": media.alt_text,
        "size": len(media.content),
        "captions_file": save(media.captions) if media.captions else "",
        "captions_type": media.captions_type,
    }


def media_of(outgoing: Outgoing) -> tuple[OutgoingMedia, ...]:
    def read(name: str) -> bytes:
        with default_storage.open(name, "rb") as stored:
            return bytes(stored.read())

    return tuple(
        OutgoingMedia(
            content=read(m["file"]),
            content_type=m["content_type"],
            alt_text=m["alt_text"],
            captions=read(m["captions_file"]) if m.get("captions_file") else None,
            captions_type=m.get("captions_type", ""),
        )
        for m in outgoing.media
    )


def media_url(outgoing: Outgoing, number: int) -> str:
    """The public address of one of the post's files while it is being published (Instagram and
    Threads fetch media by URL): signed, and valid for :data:`MEDIA_URL_VALID` only."""
    token = signing.dumps([outgoing.pk, number], salt=MEDIA_SALT)
    return settings.SIGILL_BASE_URL.rstrip("/") + reverse(
        "connectors:outgoing_media", kwargs={"token": token}
    )


def open_media(token: str) -> tuple[bytes, str] | None:
    """The file a :func:`media_url` names, while its post is not yet published or given up."""
    try:
        pk, number = signing.loads(token, salt=MEDIA_SALT, max_age=MEDIA_URL_VALID)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    outgoing = Outgoing.objects.filter(
        pk=pk, state__in=[Outgoing.State.QUEUED, Outgoing.State.SENDING, Outgoing.State.UNCERTAIN]
    ).first()
    if outgoing is None or not 0 <= number < len(outgoing.media):
        return None
    stored = outgoing.media[number]
    with default_storage.open(stored["file"], "rb") as handle:
        return bytes(handle.read()), stored["content_type"]
