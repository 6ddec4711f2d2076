"""Mastodon's account archive ("Request your archive"): ``outbox.json`` (an ActivityStreams
collection of the account's activities) and ``media_attachments/``.

A ``Create`` of a ``Note`` is a status: the same id the API gives it (the last part of its URI), its
content warning before the text as the API connector writes it, ``updated`` as its edit time, its
media from the archive's own files. A status addressed only to the people it mentions (neither
public, nor to followers) is a direct message the account sent. A boost (``Announce``) is someone
else's post: listed as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop

from sigill.archive.capture import Kind
from sigill.connectors.base import html_to_text, iso_time
from sigill.connectors.exports import reading
from sigill.connectors.exports.formats.common import Found, Skipped, drawn_up, export_files, message
from sigill.connectors.exports.source import ExportSource, Member

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _local_id(uri: str, actor: str) -> str:
    """A status's id as its own instance's API gives it: the last part of a local status URI."""
    if actor and uri.startswith(f"{actor}/statuses/"):
        return uri.rsplit("/", 1)[-1]
    return uri


def _addressed(note: dict[str, Any]) -> list[str]:
    return [a for key in ("to", "cc") for a in (note.get(key) or []) if isinstance(a, str)]


def mastodon_outbox(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        entries = reading.json_items(stream, "orderedItems.item", label=member.path)
        for position, activity in enumerate(entries, 1):
            where = f"{member.path}: orderedItems #{position}"
            note = activity.get("object") if isinstance(activity, dict) else None
            if activity.get("type") == "Announce":
                yield Skipped(gettext_noop("a boost of another account's post"), where)
            elif activity.get("type") != "Create" or not isinstance(note, dict) or not note.get("published"):
                yield Skipped(gettext_noop("an activity that is not a post"), where)
            else:
                yield _status(source, note, str(activity.get("actor", "")), account_id)


def _status(source: ExportSource, note: dict[str, Any], actor: str, account_id: int) -> Found:
    text = html_to_text(note.get("content") or "")
    if note.get("summary"):
        text = f"{note['summary']}\n\n{text}"
    media = [a for a in note.get("attachment") or [] if isinstance(a, dict) and a.get("url")]
    files, missing = export_files(source, [urlsplit(str(a["url"])).path.lstrip("/") for a in media])
    parent = _local_id(str(note.get("inReplyTo") or ""), actor)
    addressed = _addressed(note)
    fields: dict[str, Any] = {
        "platform_id": _local_id(str(note["id"]), actor),
        "published_at": iso_time(note["published"]),
        "edited_at": iso_time(note["updated"]) if note.get("updated") else None,
        "text": text,
        "parent_platform_id": parent,
        "url": str(note.get("url") or note["id"]),
        "attachments": files,
    }
    metadata = {
        "uri": note["id"],
        "sensitive": bool(note.get("sensitive")),
        "media_descriptions": [a.get("name") or "" for a in media],
        "missing_files": missing,
    }
    if PUBLIC not in addressed and f"{actor}/followers" not in addressed and addressed:
        conversation = str(note.get("conversation") or note.get("context") or note["id"])
        return message(
            account_id, conversation=conversation, sent_by_account=True, metadata=metadata, **fields
        )
    return drawn_up(account_id, kind=Kind.REPLY if parent else Kind.POST, metadata=metadata, **fields)
