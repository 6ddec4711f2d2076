"""Meta's "Download your information" exports: Facebook, Instagram and Threads.

Every string is mojibake (each UTF-8 byte written as its own ``\\u00XX``) and repaired here. Meta's
exports carry no ids, so an item's id is derived from its time and content: importing the same or a
newer download again adds nothing. Messages are read in :mod:`.meta_messages`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from sigill.archive.capture import Author, Kind
from sigill.connectors.base import epoch_seconds
from sigill.connectors.exports import reading
from sigill.connectors.exports.formats.common import Found, Skipped, derived_id, drawn_up, export_files
from sigill.connectors.exports.formats.jsonlists import top_level_items
from sigill.connectors.exports.source import ExportSource, Member

REPLY_TITLE = re.compile(
    r"svarade på|replied to|har svaret på|antwortete|svarede på|a répondu", re.IGNORECASE
)


def _dicts(values: Any) -> list[dict[str, Any]]:
    return [v for v in values or [] if isinstance(v, dict)]


# --- Facebook -------------------------------------------------------------------------------------


def facebook_posts(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    """Posts of every kind: text, photos and videos (with or without text, with or without the files
    in the download), link shares, check-ins, life events. Only an entry with nothing in it at all is
    skipped, and named."""
    with source.open(member) as stream:
        for position, raw_post in enumerate(reading.json_items(stream, "item", label=member.path), 1):
            yield _facebook_post(
                source, reading.unmojibake(raw_post), account_id, f"{member.path}: #{position}"
            )


def _facebook_post(source: ExportSource, post: dict[str, Any], account_id: int, where: str) -> Found:
    texts = [d["post"] for d in _dicts(post.get("data")) if d.get("post")]
    pieces = [d for attachment in _dicts(post.get("attachments")) for d in _dicts(attachment.get("data"))]
    media = [d["media"] for d in pieces if isinstance(d.get("media"), dict)]
    links = [
        d["external_context"].get("url", "") for d in pieces if isinstance(d.get("external_context"), dict)
    ]
    places = [d["place"].get("name", "") for d in pieces if isinstance(d.get("place"), dict)]
    other = [d for d in pieces if not {"media", "external_context", "place"} & d.keys()]
    tags = [t.get("name", "") for t in _dicts(post.get("tags"))]
    text = "\n\n".join(texts) or post.get("title", "")
    if "timestamp" not in post:
        return Skipped(gettext_noop("an entry without a time"), where)
    if not (text or media or links or places or other or tags):
        return Skipped(gettext_noop("an entry with nothing in it (no text, files, link or place)"), where)
    files, missing = export_files(source, [m.get("uri", "") for m in media])
    return drawn_up(
        account_id,
        # The same derivation as always (time, text, number of media): earlier imports stay matched.
        platform_id=derived_id("fb-export-post", post["timestamp"], text, len(media)),
        kind=Kind.POST,
        published_at=epoch_seconds(post["timestamp"]),
        text=text,
        attachments=files,
        metadata={
            "title": post.get("title", ""),
            "links": links,
            "places": places,
            "tags": tags,
            "media_descriptions": [m.get("description", "") or m.get("title", "") for m in media],
            "attached": other,
            "missing_files": missing,
        },
    )


def facebook_comments(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    prefix = "group_comments_v2.item" if "group" in member.name.lower() else "comments_v2.item"
    with source.open(member) as stream:
        for position, raw_entry in enumerate(reading.json_items(stream, prefix, label=member.path), 1):
            yield from _facebook_comment(reading.unmojibake(raw_entry), account_id, member.path, position)


def _facebook_comment(entry: dict[str, Any], account_id: int, path: str, position: int) -> Iterator[Found]:
    data = [d["comment"] for d in _dicts(entry.get("data")) if isinstance(d.get("comment"), dict)]
    if not data:
        yield Skipped(gettext_noop("a comment without text (a sticker, or removed)"), f"{path}: #{position}")
        return
    for comment in data:
        title = entry.get("title", "")
        yield drawn_up(
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


# --- Instagram and Threads ------------------------------------------------------------------------


def instagram_posts(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    """Posts (``posts_1.json``), reels (``reels.json``) and stories (``stories.json``): a post is a
    list of media with the caption on the post or on its media; a story is one media."""
    prefix = {"reels.json": "ig-export-reel", "stories.json": "ig-export-story"}.get(
        member.name.lower(), "ig-export-post"
    )
    for where, _position, raw in top_level_items(source, member):
        post = reading.unmojibake(raw)
        media = _dicts(post.get("media")) or ([post] if post.get("uri") else [])
        if not media:
            yield Skipped(gettext_noop("a post without media"), where)
            continue
        text = post.get("title") or next((m.get("title") for m in media if m.get("title")), "")
        moment = post.get("creation_timestamp") or media[0].get("creation_timestamp")
        if not moment:
            yield Skipped(gettext_noop("an entry without a time"), where)
            continue
        files, missing = export_files(source, [m.get("uri", "") for m in media])
        yield drawn_up(
            account_id,
            platform_id=derived_id(prefix, moment, media[0].get("uri", "")),
            kind=Kind.POST,
            published_at=epoch_seconds(moment),
            text=text,
            attachments=files,
            metadata={"missing_files": len(missing)},
        )


def threads_posts(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    """Threads' own posts and replies (``threads_and_replies.json``, key ``text_post_app_text_posts``):
    the Instagram post shape, the text as the title, ``text_app_post.is_reply`` on replies."""
    for where, _position, raw in top_level_items(source, member):
        post = reading.unmojibake(raw)
        media = _dicts(post.get("media"))
        text = post.get("title") or next((m.get("title") for m in media if m.get("title")), "")
        moment = post.get("creation_timestamp") or next(
            (m.get("creation_timestamp") for m in media if m.get("creation_timestamp")), None
        )
        if not moment:
            yield Skipped(gettext_noop("an entry without a time"), where)
            continue
        uris = [m.get("uri", "") for m in media if m.get("uri")]
        if not text and not uris:
            yield Skipped(gettext_noop("an entry with nothing in it (no text, files, link or place)"), where)
            continue
        is_reply = any((m.get("text_app_post") or {}).get("is_reply") for m in media)
        files, missing = export_files(source, uris)
        yield drawn_up(
            account_id,
            platform_id=derived_id("threads-export-post", moment, text, uris[:1]),
            kind=Kind.REPLY if is_reply else Kind.POST,
            published_at=epoch_seconds(moment),
            text=text,
            attachments=files,
            metadata={"missing_files": missing},
        )


def _comment_fields(entry: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(text, time, media owner) of an Instagram comment entry in either layout; the newer layout's
    labels are localized ("Time", "Tijd" ...), so the time is the field with a timestamp."""
    if "string_map_data" in entry:
        data = {k: v for k, v in entry["string_map_data"].items() if isinstance(v, dict)}
        owner = data.pop("Media Owner", {}).get("value", "")
        moment = next((v["timestamp"] for v in data.values() if v.get("timestamp")), None)
        text = data.get("Comment", {}).get("value") or next(
            (v["value"] for v in data.values() if v.get("value") and not v.get("timestamp")), ""
        )
        return [(text, moment, owner)]
    return [
        (s.get("value", ""), s.get("timestamp"), entry.get("title", ""))
        for s in _dicts(entry.get("string_list_data"))
    ]


def instagram_comments(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    """Comments the account wrote on posts, reels and stories, in every layout and key seen."""
    for where, _position, raw in top_level_items(source, member):
        for text, moment, owner in _comment_fields(reading.unmojibake(raw)):
            if not moment:
                yield Skipped(gettext_noop("a comment without a time"), where)
                continue
            yield drawn_up(
                account_id,
                platform_id=derived_id("ig-export-comment", moment, text),
                kind=Kind.COMMENT,
                published_at=epoch_seconds(moment),
                text=text,
                metadata={"media_owner": owner},
            )
