"""X's "Download an archive": ``tweets.js`` (and its parts), ``note-tweet.js`` (the full text of
long posts), ``deleted-tweets.js`` and the direct messages (``direct-messages.js``,
``direct-messages-group.js``), each a JSON array after a ``window.YTD.<name>.part0 =`` prefix."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from sigill.archive.capture import Author, Capture, Kind
from sigill.connectors.base import iso_time
from sigill.connectors.exports import reading
from sigill.connectors.exports.formats.common import (
    Found,
    Skipped,
    drawn_up,
    export_file,
    message,
)
from sigill.connectors.exports.source import ExportSource, Member


def _entries(source: ExportSource, member: Member) -> Iterator[tuple[str, Any]]:
    with source.open(member) as stream:
        body = reading.utf8(stream, label=member.path, skip_to=b"[")
        for position, entry in enumerate(reading.json_items(body, "item", label=member.path), 1):
            yield f"{member.path}: #{position}", entry


def _members(source: ExportSource, *names: str) -> list[Member]:
    return sorted((m for m in source.members if _base(m.name) in names), key=lambda m: m.path)


def _base(name: str) -> str:
    """``tweets-part2.js`` → ``tweets``: an archive splits a large file into numbered parts."""
    stem = name.lower().removesuffix(".js")
    return stem.split("-part", 1)[0]


def _archive_time(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(dt.UTC)


def _notes(source: ExportSource) -> dict[dt.datetime, list[dict[str, Any]]]:
    """The long posts' full texts (``note-tweet.js``) by the second they were written."""
    notes: dict[dt.datetime, list[dict[str, Any]]] = {}
    for member in _members(source, "note-tweet"):
        for _where, entry in _entries(source, member):
            note = entry.get("noteTweet", entry)
            if note.get("createdAt"):
                moment = iso_time(note["createdAt"]).replace(microsecond=0)
                notes.setdefault(moment, []).append(note)
    return notes


def _note_for(tweet_text: str, candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The note whose text a truncated post begins (the post ends in "…" and a link)."""
    start = tweet_text.split("…", 1)[0].split("https://t.co/", 1)[0].strip()[:40]
    for note in candidates:
        if html.unescape((note.get("core") or {}).get("text", "")).startswith(start):
            return note
    return None


def x_tweets(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    notes = _notes(source)
    deleted = _base(member.name) == "deleted-tweets"
    for _where, wrapper in _entries(source, member):
        tweet = wrapper.get("tweet", wrapper)
        moment = _archive_time(tweet["created_at"])
        note = _note_for(html.unescape(tweet.get("full_text", "")), notes.get(moment, []))
        yield _tweet(source, tweet, account_id, note=note, deleted=deleted)


def _tweet(
    source: ExportSource,
    tweet: dict[str, Any],
    account_id: int,
    *,
    note: dict[str, Any] | None,
    deleted: bool,
) -> Capture:
    edit = tweet.get("edit_info") or {}
    first = (edit.get("edit") or {}).get("initialTweetId") or (
        (edit.get("initial") or {}).get("editTweetIds") or [None]
    )[0]
    tweet_id = tweet.get("id_str") or tweet["id"]
    parent = tweet.get("in_reply_to_status_id_str", "")
    files = []
    for media in (tweet.get("extended_entities") or tweet.get("entities") or {}).get("media", []):
        url = media.get("media_url_https") or media.get("media_url", "")
        found = export_file(source, f"tweets_media/{tweet_id}-{url.rsplit('/', 1)[-1]}") if url else None
        if found is None and url and deleted:
            found = export_file(source, f"deleted_tweets_media/{tweet_id}-{url.rsplit('/', 1)[-1]}")
        if found is not None:
            files.append(found)
    text = html.unescape((note.get("core") or {}).get("text", "") if note else tweet.get("full_text", ""))
    metadata: dict[str, Any] = {"id": tweet_id, "in_reply_to": tweet.get("in_reply_to_screen_name", "")}
    if note:
        metadata["note_tweet"] = note.get("noteTweetId", "")
    if deleted:
        metadata["deleted_at"] = tweet.get("deleted_at", "")
    return drawn_up(
        account_id,
        platform_id=first or tweet_id,
        kind=Kind.REPLY if parent else Kind.POST,
        published_at=_archive_time(tweet["created_at"]),
        text=text,
        parent_platform_id=parent,
        url=f"https://x.com/i/web/status/{tweet_id}",
        attachments=tuple(files),
        metadata=metadata,
        seen_gone=deleted,
    )


def x_note_tweets(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    """Long posts whose post is not in the archive's tweet files: kept under the note's own id (a
    note that completes a post is that post's text, read with the post)."""
    posted: dict[dt.datetime, list[str]] = {}
    for tweets in _members(source, "tweets", "tweet", "deleted-tweets"):
        for _where, wrapper in _entries(source, tweets):
            tweet = wrapper.get("tweet", wrapper)
            posted.setdefault(_archive_time(tweet["created_at"]), []).append(
                html.unescape(tweet.get("full_text", ""))
            )
    for where, entry in _entries(source, member):
        note = entry.get("noteTweet", entry)
        if not note.get("createdAt") or not note.get("noteTweetId"):
            yield Skipped(gettext_noop("an entry without a time or an id"), where)
            continue
        moment = iso_time(note["createdAt"])
        if any(_note_for(text, [note]) for text in posted.get(moment.replace(microsecond=0), [])):
            continue
        yield drawn_up(
            account_id,
            platform_id=f"note-{note['noteTweetId']}",
            kind=Kind.POST,
            published_at=moment,
            text=html.unescape((note.get("core") or {}).get("text", "")),
            metadata={"note_tweet": note["noteTweetId"]},
        )


def _owner_id(source: ExportSource) -> str:
    for member in _members(source, "account"):
        for _where, entry in _entries(source, member):
            return str((entry.get("account") or {}).get("accountId", ""))
    return ""


def x_direct_messages(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    """One-to-one and group conversations; the account's own id comes from ``account.js``."""
    owner = _owner_id(source)
    for where, entry in _entries(source, member):
        conversation = entry.get("dmConversation", entry)
        conversation_id = str(conversation.get("conversationId", ""))
        for event in conversation.get("messages") or []:
            sent = (event or {}).get("messageCreate")
            if sent is None:
                continue  # someone joined or left, a name changed: not a message
            if not owner:
                yield Skipped(
                    gettext_noop("a message whose sender cannot be told: the archive has no account.js"),
                    where,
                )
                continue
            files = [
                found
                for url in sent.get("mediaUrls") or []
                if (
                    found := export_file(
                        source, f"direct_messages_media/{sent['id']}-{url.rsplit('/', 1)[-1]}"
                    )
                )
                or (
                    found := export_file(
                        source, f"direct_messages_group_media/{sent['id']}-{url.rsplit('/', 1)[-1]}"
                    )
                )
            ]
            sender = str(sent.get("senderId", ""))
            yield message(
                account_id,
                conversation=conversation_id,
                sent_by_account=sender == owner,
                platform_id=f"dm-{sent['id']}",
                published_at=iso_time(sent["createdAt"]),
                text=html.unescape(sent.get("text", "")),
                author=Author(platform_id=sender),
                attachments=tuple(files),
                metadata={"recipient": str(sent.get("recipientId", "")), "urls": sent.get("urls") or []},
            )
