"""The inbox in Facebook's and Instagram's downloads: ``messages/<folder>/<thread>/message_<n>.json``
(``inbox``, ``archived_threads``, ``filtered_threads``, ``message_requests``, ``e2ee_cutover``),
each ``{participants, messages: [{sender_name, timestamp_ms, content, photos, videos, files, share}]}``
in Meta's mojibake. The thread's folder (``inbox/elsa_1234567``) is the conversation.

Who the account is comes from the download's profile file; without it, the account is the one
taking part in every thread. A message the account sent is drawn up, any other received.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext_noop

from sigill.archive.capture import Author
from sigill.connectors.base import epoch_ms
from sigill.connectors.exports import reading
from sigill.connectors.exports.formats.common import Found, Skipped, derived_id, export_files, message
from sigill.connectors.exports.source import ExportSource, Member

PROFILE_FILES = ("profile_information.json", "personal_information.json")
MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs")
_owners: weakref.WeakKeyDictionary[ExportSource, str] = weakref.WeakKeyDictionary()


def _thread_files(source: ExportSource) -> list[Member]:
    return [m for m in source.members if m.name.startswith("message_") and "/messages/" in f"/{m.path}"]


def _profile_name(source: ExportSource) -> str:
    for member in source.members:
        if member.name not in PROFILE_FILES:
            continue
        with source.open(member) as stream:
            for profile in reading.json_items(stream, "profile_v2", label=member.path):
                return str(reading.unmojibake(profile).get("name", {}).get("full_name", ""))
        with source.open(member) as stream:
            for user in reading.json_items(stream, "profile_user.item", label=member.path):
                data = reading.unmojibake(user).get("string_map_data", {})
                return str((data.get("Name") or data.get("Username") or {}).get("value", ""))
    return ""


def _owner(source: ExportSource) -> str:
    if source not in _owners:
        owner = _profile_name(source)
        if not owner:
            common: set[str] | None = None
            for member in _thread_files(source):
                with source.open(member) as stream:
                    names = {
                        reading.unmojibake(p.get("name", ""))
                        for p in reading.json_items(stream, "participants.item", label=member.path)
                    }
                common = names if common is None else common & names
            owner = (
                next(iter(common)) if common and len(common) == 1 and len(_thread_files(source)) > 1 else ""
            )
        _owners[source] = owner
    return _owners[source]


def meta_messages(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    owner = _owner(source)
    folder = PurePosixPath(member.path).parent
    conversation = f"{folder.parent.name}/{folder.name}"
    with source.open(member) as stream:
        for position, raw in enumerate(reading.json_items(stream, "messages.item", label=member.path), 1):
            where = f"{member.path}: messages #{position}"
            sent = reading.unmojibake(raw)
            if not sent.get("timestamp_ms"):
                yield Skipped(gettext_noop("an entry without a time"), where)
            elif not owner:
                yield Skipped(
                    gettext_noop("a message whose sender cannot be told: the download has no profile file"),
                    where,
                )
            else:
                yield _message(source, sent, conversation, owner, account_id)


def _message(
    source: ExportSource, sent: dict[str, Any], conversation: str, owner: str, account_id: int
) -> Found:
    uris = [
        m.get("uri", "")
        for key in MEDIA_KEYS
        for m in sent.get(key) or []
        if isinstance(m, dict) and m.get("uri")
    ]
    files, missing = export_files(source, uris)
    sender, text = sent.get("sender_name", ""), sent.get("content", "")
    return message(
        account_id,
        conversation=conversation,
        sent_by_account=sender == owner,
        platform_id=derived_id("meta-export-message", conversation, sent["timestamp_ms"], sender, text),
        published_at=epoch_ms(sent["timestamp_ms"]),
        text=text,
        author=Author(display_name=sender),
        attachments=files,
        metadata={
            "share": (sent.get("share") or {}).get("link", ""),
            "missing_files": missing,
            "unsent": bool(sent.get("is_unsent")),
        },
    )
