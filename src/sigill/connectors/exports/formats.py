"""What each platform's export holds, turned into captures (and the reasons for what is skipped).

Exports hold what the account itself wrote, so everything here is drawn up (upprättad). Where an
export has no ids (Meta's), an item's id is derived from its time and text, so importing the same
export twice adds nothing. Files are found by name, never by a fixed path: layouts change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import mimetypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.utils.translation import gettext_noop

from sigill.archive.capture import Author, Capture, CapturedFile, Direction, Kind, Source
from sigill.connectors.base import epoch_seconds, iso_time, naive_utc
from sigill.connectors.exports import reading
from sigill.connectors.exports.source import ExportSource, Member


@dataclass(frozen=True)
class Skipped:
    reason: str


Found = Capture | Skipped
Parser = Callable[[ExportSource, Member, int], Iterator[Found]]


class MemberFile(io.BytesIO):
    """An export's media file, read from the export only when the archive stores it."""

    def __init__(self, source: ExportSource, member: Member) -> None:
        super().__init__()
        self.source, self.member = source, member

    def read(self, size: int | None = -1) -> bytes:
        return self.source.read(self.member)


def derived_id(prefix: str, *parts: Any) -> str:
    return f"{prefix}-" + hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def _file(source: ExportSource, uri: str) -> CapturedFile | None:
    member = source.find(uri) if uri else None
    if member is None:
        return None
    content_type = mimetypes.guess_type(member.name)[0] or "application/octet-stream"
    return CapturedFile(name=member.name, content_type=content_type, content=MemberFile(source, member))


def _capture(account_id: int, **fields: Any) -> Capture:
    return Capture(account_id=account_id, source=Source.EXPORT, direction=Direction.DRAWN_UP, **fields)


# --- Facebook "Download your information" -------------------------------------------------------

REPLY_TITLE = re.compile(
    r"svarade på|replied to|har svaret på|antwortete|svarede på|a répondu", re.IGNORECASE
)


def facebook_posts(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        for raw_post in reading.json_items(stream, "item", label=member.path):
            post = reading.unmojibake(raw_post)
            texts = [d["post"] for d in post.get("data", []) if isinstance(d, dict) and d.get("post")]
            media = [
                d["media"]
                for attachment in post.get("attachments", [])
                for d in attachment.get("data", [])
                if isinstance(d, dict) and "media" in d
            ]
            links = [
                d["external_context"].get("url", "")
                for attachment in post.get("attachments", [])
                for d in attachment.get("data", [])
                if isinstance(d, dict) and "external_context" in d
            ]
            text = "\n\n".join(texts) or post.get("title", "")
            files = [f for f in (_file(source, m.get("uri", "")) for m in media) if f is not None]
            if not text and not files:
                yield Skipped(
                    gettext_noop("a post without text or files (only a check-in or a status change)")
                )
                continue
            yield _capture(
                account_id,
                platform_id=derived_id("fb-export-post", post["timestamp"], text, len(media)),
                kind=Kind.POST,
                published_at=epoch_seconds(post["timestamp"]),
                text=text,
                attachments=tuple(files),
                metadata={
                    "title": post.get("title", ""),
                    "links": links,
                    "missing_files": len(media) - len(files),
                },
            )


def facebook_comments(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        for raw_entry in reading.json_items(stream, "comments_v2.item", label=member.path):
            yield from _facebook_comment(reading.unmojibake(raw_entry), account_id)


def _facebook_comment(entry: dict[str, Any], account_id: int) -> Iterator[Found]:
    data = [d["comment"] for d in entry.get("data", []) if isinstance(d, dict) and "comment" in d]
    if not data:
        yield Skipped(gettext_noop("a comment without text (a sticker, or removed)"))
        return
    for comment in data:
        title = entry.get("title", "")
        yield _capture(
            account_id,
            platform_id=derived_id(
                "fb-export-comment",
                comment["timestamp"],
                comment.get("comment", ""),
                comment.get("author", ""),
            ),
            kind=Kind.REPLY if REPLY_TITLE.search(title) else Kind.COMMENT,
            published_at=epoch_seconds(comment["timestamp"]),
            text=comment.get("comment", ""),
            author=Author(display_name=comment.get("author", "")),
            metadata={"title": title, "group": comment.get("group", "")},
        )


# --- Instagram "Download your information" ------------------------------------------------------


def instagram_posts(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        for raw_post in reading.json_items(stream, "item", label=member.path):
            post = reading.unmojibake(raw_post)
            media = post.get("media", [])
            if not media:
                yield Skipped(gettext_noop("a post without media"))
                continue
            text = post.get("title") or next((m.get("title") for m in media if m.get("title")), "")
            moment = post.get("creation_timestamp") or media[0]["creation_timestamp"]
            files = [f for f in (_file(source, m.get("uri", "")) for m in media) if f is not None]
            yield _capture(
                account_id,
                platform_id=derived_id("ig-export-post", moment, media[0].get("uri", "")),
                kind=Kind.POST,
                published_at=epoch_seconds(moment),
                text=text,
                attachments=tuple(files),
                metadata={"missing_files": len(media) - len(files)},
            )


def instagram_comments(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        head = stream.read(256).lstrip()
    prefix = "item" if head.startswith(b"[") else "comments_media_comments.item"
    with source.open(member) as stream:
        for raw_entry in reading.json_items(stream, prefix, label=member.path):
            entry = reading.unmojibake(raw_entry)
            if "string_map_data" in entry:
                data = entry["string_map_data"]
                rows = [
                    (
                        data.get("Comment", {}).get("value", ""),
                        data.get("Time", {}).get("timestamp"),
                        data.get("Media Owner", {}).get("value", ""),
                    )
                ]
            else:
                rows = [
                    (s.get("value", ""), s.get("timestamp"), entry.get("title", ""))
                    for s in entry.get("string_list_data", [])
                ]
            for text, moment, owner in rows:
                if not moment:
                    yield Skipped(gettext_noop("a comment without a time"))
                    continue
                yield _capture(
                    account_id,
                    platform_id=derived_id("ig-export-comment", moment, text),
                    kind=Kind.COMMENT,
                    published_at=epoch_seconds(moment),
                    text=text,
                    metadata={"media_owner": owner},
                )


# --- X archive ----------------------------------------------------------------------------------


def x_tweets(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        body = reading.utf8(stream, label=member.path, skip_to=b"[")
        for wrapper in reading.json_items(body, "item", label=member.path):
            yield _tweet(source, wrapper.get("tweet", wrapper), account_id)


def _tweet(source: ExportSource, tweet: dict[str, Any], account_id: int) -> Capture:
    edit = tweet.get("edit_info") or {}
    first = (edit.get("edit") or {}).get("initialTweetId") or (
        (edit.get("initial") or {}).get("editTweetIds") or [None]
    )[0]
    tweet_id = tweet.get("id_str") or tweet["id"]
    parent = tweet.get("in_reply_to_status_id_str", "")
    files = []
    for media in (tweet.get("extended_entities") or tweet.get("entities") or {}).get("media", []):
        url = media.get("media_url_https") or media.get("media_url", "")
        found = _file(source, f"tweets_media/{tweet_id}-{url.rsplit('/', 1)[-1]}") if url else None
        if found is not None:
            files.append(found)
    return _capture(
        account_id,
        platform_id=first or tweet_id,
        kind=Kind.REPLY if parent else Kind.POST,
        published_at=dt.datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y").astimezone(dt.UTC),
        text=html.unescape(tweet.get("full_text", "")),
        parent_platform_id=parent,
        url=f"https://x.com/i/web/status/{tweet_id}",
        attachments=tuple(files),
        metadata={"id": tweet_id, "in_reply_to": tweet.get("in_reply_to_screen_name", "")},
    )


# --- LinkedIn member export -------------------------------------------------------------------


def linkedin_csv(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    shares = member.name.lower().startswith("shares")
    with source.open(member) as stream:
        for row in reading.csv_rows(stream, label=member.path):
            # The export wraps every line after the first of a multi-line text in doubled quotes.
            text = (row.get("ShareCommentary") if shares else row.get("Message", "")) or ""
            text = text.replace('"\n"', "\n")
            link = row.get("ShareLink") or row.get("Link") or ""
            urn = unquote(link.rsplit("/update/", 1)[-1]).strip("/") if "/update/" in link else ""
            if not row.get("Date"):
                yield Skipped(gettext_noop("a row without a date"))
                continue
            yield _capture(
                account_id,
                platform_id=urn
                if shares and urn
                else derived_id("li-export-comment", row["Date"], text, link),
                kind=Kind.POST if shares else Kind.COMMENT,
                published_at=naive_utc(row["Date"]),
                text=text,
                parent_platform_id="" if shares else urn,
                url=link,
                metadata={k: row[k] for k in ("SharedUrl", "MediaUrl", "Visibility") if row.get(k)},
            )


# --- YouTube (Google Takeout) -------------------------------------------------------------------


def youtube_comments(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    with source.open(member) as stream:
        for row in reading.csv_rows(stream, label=member.path):
            if "Comment ID" not in row:
                return
            segments: Any = row.get("Comment Text", "")
            try:
                segments = json.loads(segments)
            except ValueError:
                segments = [{"text": segments}]
            if isinstance(segments, dict):
                segments = segments.get("takeoutSegments", [])
            text = "".join(s.get("text", "") for s in segments if isinstance(s, dict))
            parent = row.get("Parent Comment ID", "")
            yield _capture(
                account_id,
                platform_id=row["Comment ID"],
                kind=Kind.REPLY if parent else Kind.COMMENT,
                published_at=iso_time(row["Comment Create Timestamp"]),
                text=text,
                parent_platform_id=parent or row.get("Video ID", ""),
                url=f"https://www.youtube.com/watch?v={row.get('Video ID', '')}&lc={row['Comment ID']}",
            )


# --- TikTok "Download your data" ----------------------------------------------------------------

PLACEHOLDERS = {"N/A", "None", "null", ""}


def _field(entry: dict[str, Any], name: str) -> str:
    value = next((v for k, v in entry.items() if k.lower() == name.lower()), "")
    return "" if value is None or str(value) in PLACEHOLDERS else str(value)


def _video_id(link: str) -> str:
    match = re.search(r"/video/(\d+)", link)
    return match.group(1) if match else link


def tiktok_data(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    lists = ("Comment.Comments.CommentsList", "Post.Posts.VideoList")
    with source.open(member) as stream:
        for where, entries in reading.json_items_any_case(stream, lists, label=member.path):
            for entry in entries or []:
                date = _field(entry, "date")
                if not date:
                    yield Skipped(gettext_noop("an entry without a date"))
                    continue
                if where.startswith("Post"):
                    link = _field(entry, "link")
                    yield _capture(
                        account_id,
                        platform_id=_video_id(link) or derived_id("tt-export-post", date),
                        kind=Kind.POST,
                        published_at=naive_utc(date),
                        text=_field(entry, "title"),
                        url=link,
                    )
                else:
                    text = _field(entry, "comment")
                    yield _capture(
                        account_id,
                        platform_id=derived_id("tt-export-comment", date, text),
                        kind=Kind.COMMENT,
                        published_at=naive_utc(date),
                        text=text,
                        parent_platform_id=_video_id(_field(entry, "originalPostUrl")),
                    )


# Each platform's files, recognised by name (lower-case).
FORMATS: dict[str, list[tuple[re.Pattern[str], Parser]]] = {
    "facebook": [
        (re.compile(r"your_posts.*\.json"), facebook_posts),
        (re.compile(r"comments\.json"), facebook_comments),
    ],
    "instagram": [
        (re.compile(r"posts_\d+\.json"), instagram_posts),
        (re.compile(r"(post|reels)_comments(_\d+)?\.json"), instagram_comments),
    ],
    "x": [(re.compile(r"tweets?(-part\d+)?\.js"), x_tweets)],
    "linkedin": [(re.compile(r"(shares(_\d+)?|comments)\.csv"), linkedin_csv)],
    "youtube": [(re.compile(r".+\.csv"), youtube_comments)],
    "tiktok": [(re.compile(r"user_data(_tiktok)?\.json"), tiktok_data)],
}


def plan(source: ExportSource, platform_slug: str) -> list[tuple[Member, Parser]]:
    """The export's files this platform's parsers read, in a stable order."""
    found = []
    for member in sorted(source.members, key=lambda m: m.path):
        for pattern, parser in FORMATS.get(platform_slug, []):
            if pattern.fullmatch(member.name.lower()):
                found.append((member, parser))
                break
    return found
