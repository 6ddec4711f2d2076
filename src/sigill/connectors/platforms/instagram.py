"""Instagram professional accounts: media, comments and their replies (Graph API); the
``comments`` webhook; hide and delete.

Walk: ``/{ig-user-id}/media`` (newest first, stopping at the walk's ``since``) → each media's
comments with their replies inline (one reply level: a reply to a reply is attached to the
top-level comment; more replies than fit inline are read from the reply page's ``next``). A
carousel listed without its children is read on its own (``/{ig-media-id}``), so every image of it
is kept. Then the account's Instagram inbox through the same Conversations API as Facebook's
(``/me/conversations?platform=instagram``, needs ``instagram_manage_messages``): conversations →
message lists → each message. Errors follow the Graph envelope, as Facebook's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import httpx2

from sigill.archive.capture import Author, Capture, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import (
    Fetch,
    Page,
    direction,
    epoch_seconds,
    iso_time,
    older_than_since,
    register,
    remote_file,
    since_context,
)
from sigill.connectors.platforms.facebook import (
    GRAPH,
    conversations_of,
    raise_for_graph_error,
    read_conversations,
    usage_pause,
)

MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,media_url,thumbnail_url,permalink,shortcode,timestamp,"
    "username,owner,is_comment_enabled,children{id,media_type,media_url,thumbnail_url}"
)
REPLY_FIELDS = "id,text,timestamp,username,from,like_count,hidden,parent_id"
COMMENT_FIELDS = (
    f"id,text,timestamp,username,from,like_count,hidden,media,parent_id,replies{{{REPLY_FIELDS}}}"
)


def _files(media: dict[str, Any]) -> tuple[Any, ...]:
    """The images of a media item (a video is kept by its thumbnail; the post links to it)."""
    parts = media.get("children", {}).get("data") or [media]
    files = []
    for part in parts:
        url = part.get("media_url") if part.get("media_type") != "VIDEO" else part.get("thumbnail_url")
        if url:
            files.append(remote_file(url, fallback_type="image/jpeg"))
    return tuple(files)


def media_capture(media: dict[str, Any], *, account_id: int, user_id: str) -> Capture:
    return Capture(
        account_id=account_id,
        platform_id=str(media["id"]),
        kind=Kind.POST,
        source=Source.API,
        direction=direction(str((media.get("owner") or {}).get("id", user_id)), user_id),
        published_at=iso_time(media["timestamp"]),
        text=media.get("caption", ""),
        author=Author(platform_id=user_id, handle=media.get("username", "")),
        url=media.get("permalink", ""),
        attachments=_files(media),
        metadata={
            "media_type": media.get("media_type", ""),
            "media_product_type": media.get("media_product_type", ""),
            "video_url": media.get("media_url", "") if media.get("media_type") == "VIDEO" else "",
        },
    )


def comment_capture(comment: dict[str, Any], *, account_id: int, user_id: str, media_id: str) -> Capture:
    author = comment.get("from") or {}
    parent = str(comment.get("parent_id") or "")
    return Capture(
        account_id=account_id,
        platform_id=str(comment["id"]),
        kind=Kind.REPLY if parent else Kind.COMMENT,
        source=Source.API,
        direction=direction(str(author.get("id", "")), user_id),
        published_at=iso_time(comment["timestamp"]),
        text=comment.get("text", ""),
        parent_platform_id=parent or media_id,
        author=Author(
            platform_id=str(author.get("id", "")),
            handle=comment.get("username") or author.get("username", ""),
        ),
        metadata={"is_hidden": bool(comment.get("hidden", False))},
    )


def _comments_of(media_id: str) -> Fetch:
    return Fetch(
        "comments",
        f"{GRAPH}/{media_id}/comments",
        params={"fields": COMMENT_FIELDS, "limit": "50"},
        context={"parent": media_id},
    )


class InstagramConnector:
    slug: ClassVar[str] = "instagram"
    label: ClassVar[str] = "Instagram"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        return [
            Fetch(
                "media",
                f"{GRAPH}/{remote_id}/media",
                params={"fields": MEDIA_FIELDS, "limit": "50"},
                context=since_context(since),
            ),
            conversations_of("me", platform="instagram", since=since),
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_graph_error(response, label="Instagram")
        body = response.json()
        if fetch.context.get("messages"):
            return read_conversations(fetch, body, account_id=account_id, owner_id=remote_id)
        page = Page()
        reached_since = False
        if fetch.step == "album":
            page.captures.append(media_capture(body, account_id=account_id, user_id=remote_id))
            page.follow.append(_comments_of(str(body["id"])))
            return page
        if fetch.step == "media":
            for media in body.get("data", []):
                reached_since = reached_since or older_than_since(iso_time(media["timestamp"]), fetch.context)
                if media.get("media_type") == "CAROUSEL_ALBUM" and not media.get("children"):
                    page.follow.append(
                        Fetch(
                            "album",
                            f"{GRAPH}/{media['id']}",
                            params={"fields": MEDIA_FIELDS},
                            context={"parent": str(media["id"])},
                        )
                    )
                    continue
                page.captures.append(media_capture(media, account_id=account_id, user_id=remote_id))
                page.follow.append(_comments_of(str(media["id"])))
        else:
            media_id = fetch.context["parent"]
            for comment in body.get("data", []):
                page.captures.append(
                    comment_capture(comment, account_id=account_id, user_id=remote_id, media_id=media_id)
                )
                replies = comment.get("replies") or {}
                for reply in replies.get("data", []):
                    page.captures.append(
                        comment_capture(reply, account_id=account_id, user_id=remote_id, media_id=media_id)
                    )
                if more := replies.get("paging", {}).get("next"):
                    page.follow.append(
                        Fetch("comments", http.without_token(more), context={"parent": media_id})
                    )
        next_url = body.get("paging", {}).get("next")
        if next_url and not reached_since:
            page.follow.append(Fetch(fetch.step, http.without_token(next_url), context=fetch.context))
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return usage_pause(response.headers)


register(InstagramConnector())


def webhook_captures(entry: dict[str, Any], *, account_id: int, user_id: str) -> list[Capture]:
    """Comments in one webhook ``entry`` (``object=instagram``, ``field=comments``)."""
    captures = []
    for change in entry.get("changes", []):
        value = change.get("value") or {}
        if change.get("field") not in {"comments", "live_comments"} or not value.get("id"):
            continue
        author = value.get("from") or {}
        parent = str(value.get("parent_id") or "")
        captures.append(
            Capture(
                account_id=account_id,
                platform_id=str(value["id"]),
                kind=Kind.REPLY if parent else Kind.COMMENT,
                source=Source.WEBHOOK,
                direction=direction(str(author.get("id", "")), user_id),
                published_at=epoch_seconds(entry.get("time", 0)),
                text=value.get("text", ""),
                parent_platform_id=parent or str((value.get("media") or {}).get("id", "")),
                author=Author(platform_id=str(author.get("id", "")), handle=author.get("username", "")),
            )
        )
    return captures


# --- Acts for the moderation queue: hide, unhide and delete comments -----------------------------


def _hide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.post(f"{GRAPH}/{target.object_id}", data={"hide": "true"})


def _unhide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.post(f"{GRAPH}/{target.object_id}", data={"hide": "false"})


def _delete(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.delete(f"{GRAPH}/{target.object_id}")


def raise_for_error(response: httpx2.Response) -> None:
    raise_for_graph_error(response, label="Instagram")


ACTS = {"hide": _hide, "unhide": _unhide, "delete": _delete}
