"""TikTok's "Download your data" (``user_data_tiktok.json``, older ``user_data.json``): the account's
posts (and its recently deleted ones), its comments and its direct messages.

Empty lists are ``null``, key casing changes between downloads, placeholders are ``"N/A"`` and
``"None"``, dates have no zone (read as UTC). A current download links a post by a signed, expiring
download address without the video id: such a post's id is derived from its time (a post is made
once a second at most), so a new download of the same account adds no item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from sigill.archive.capture import Author, Kind
from sigill.connectors.base import naive_utc
from sigill.connectors.exports import reading
from sigill.connectors.exports.formats.common import Found, Skipped, derived_id, drawn_up, message
from sigill.connectors.exports.source import ExportSource, Member

PLACEHOLDERS = {"N/A", "None", "null", ""}
POSTS = "Post.Posts.VideoList"
DELETED = "Post.Recently Deleted Posts.PostList"
COMMENTS = "Comment.Comments.CommentsList"
CHATS = "Direct Message.Direct Messages.ChatHistory"
CHAT_WITH = re.compile(r"^Chat History with (.*?):?$")


def _field(entry: dict[str, Any], name: str) -> str:
    value = next((v for k, v in entry.items() if k.lower() == name.lower()), "")
    return "" if value is None or str(value) in PLACEHOLDERS else str(value)


def video_id(link: str) -> str:
    """The video id a share link carries (``…/video/7515029384756102938/``); "" for a download link."""
    match = re.search(r"/(?:video|v)/(\d{15,})", link)
    return match.group(1) if match else ""


def tiktok_data(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        found = reading.json_items_any_case(stream, (POSTS, DELETED, COMMENTS, CHATS), label=member.path)
        for where, entries in found:
            if where == CHATS:
                yield from _chats(entries or {}, account_id, member.path)
                continue
            for position, entry in enumerate(entries or [], 1):
                place = f"{member.path}: {where} #{position}"
                if not isinstance(entry, dict) or not _field(entry, "date"):
                    yield Skipped(gettext_noop("an entry without a date"), place)
                elif where == COMMENTS:
                    yield _comment(entry, account_id)
                else:
                    yield _post(entry, account_id, deleted=where == DELETED)


def _post(entry: dict[str, Any], account_id: int, *, deleted: bool) -> Found:
    date, link = _field(entry, "date"), _field(entry, "link")
    known = video_id(link)
    return drawn_up(
        account_id,
        platform_id=known or derived_id("tt-export-post", date),
        kind=Kind.POST,
        published_at=naive_utc(date),
        text=_field(entry, "title"),
        # A download link expires within days: it is kept with the capture, not as the address.
        url=link if known else "",
        metadata={
            key: _field(entry, key)
            for key in ("Likes", "Sound", "Location", "WhoCanView", "DeletedDate")
            if _field(entry, key)
        }
        | ({} if known or not link else {"download_link": link}),
        seen_gone=deleted,
    )


def _comment(entry: dict[str, Any], account_id: int) -> Found:
    date, text = _field(entry, "date"), _field(entry, "comment")
    return drawn_up(
        account_id,
        platform_id=derived_id("tt-export-comment", date, text),
        kind=Kind.COMMENT,
        published_at=naive_utc(date),
        text=text,
        parent_platform_id=video_id(_field(entry, "originalPostUrl")),
        metadata={"post": _field(entry, "originalPostUrl")} if _field(entry, "originalPostUrl") else {},
    )


def _chats(chats: dict[str, Any], account_id: int, path: str) -> Iterator[Found]:
    """Each chat is keyed "Chat History with <name>:"; what <name> did not send, the account sent."""
    for key, messages in chats.items():
        match = CHAT_WITH.match(key.strip())
        partner = match.group(1) if match else key
        for position, entry in enumerate(messages or [], 1):
            date, sender = _field(entry, "date"), _field(entry, "from")
            if not date:
                yield Skipped(gettext_noop("an entry without a date"), f"{path}: {key} #{position}")
                continue
            text = _field(entry, "content")
            yield message(
                account_id,
                conversation=f"tiktok-chat:{partner}",
                sent_by_account=sender != partner,
                platform_id=derived_id("tt-export-message", partner, date, sender, text),
                published_at=naive_utc(date),
                text=text,
                author=Author(handle=sender),
            )
