"""Threads (the Threads API on graph.threads.net): the account's posts and every reply in their
conversations; hiding and showing replies for the moderation queue.

The account's platform id is its Threads user id; the token is a Threads user access token with
``threads_basic`` and ``threads_read_replies`` (and ``threads_manage_replies`` to hide).
Walk: ``/{threads-user-id}/threads`` (newest first, stopping at the walk's ``since``) → for each post
with replies, ``/{media-id}/conversation`` (every reply at any depth, flattened, oldest first with
``reverse=false``); a reply names its thread's first post in ``root_post`` and the post or reply it
answers in ``replied_to``, so the tree is rebuilt from those. Lists are paged the Graph way
(``paging.cursors.after``, and ``paging.next`` when Threads gives it); a page without data ends
the list. Times are Graph's ``2025-01-14T05:45:00+0000``.

The shapes followed are those of Meta's Threads API documentation: "Retrieve Threads Media Objects"
(``GET /{threads-user-id}/threads``), "Retrieve Media Replies and Conversations"
(``GET /{media-id}/conversation``) and "Reply Management" (``POST /{reply-id}/manage_reply``).
Errors come in the Graph envelope (``{error:{message,type,code,error_subcode}}``) and are read as
Facebook's are.

Edits: the Threads API gives no edit time, and no earlier text. A post or reply whose text has
changed since Sigill last captured it is kept as a new version (the archive compares the text); its
edit time is unknown, and the version's capture time says when Sigill saw it. A repost of someone
else's post (``REPOST_FACADE``) is not the account's content and is not captured. Threads sends
no usage headers Sigill reads: a throttled request waits what the error says.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import httpx2
from django.utils.translation import gettext as _

from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import (
    Fetch,
    Page,
    iso_time,
    older_than_since,
    register,
    remote_file,
    since_context,
)
from sigill.connectors.platforms.facebook import raise_for_graph_error

API = "https://graph.threads.net/v1.0"
POST_FIELDS = (
    "id,media_product_type,media_type,media_url,permalink,owner,username,text,timestamp,shortcode,"
    "thumbnail_url,children{id,media_type,media_url,thumbnail_url},is_quote_post,has_replies"
)
REPLY_FIELDS = (
    "id,text,username,permalink,timestamp,media_product_type,media_type,media_url,shortcode,"
    "thumbnail_url,has_replies,root_post,replied_to,is_reply,is_reply_owned_by_me,hide_status"
)
PAGE_SIZE = "50"
NOT_THE_ACCOUNTS = {"REPOST_FACADE"}


def raise_for_threads_error(response: httpx2.Response) -> None:
    raise_for_graph_error(response, label="Threads")


def _files(media: dict[str, Any]) -> tuple[Any, ...]:
    """The images of a post or reply (a video is kept by its thumbnail; the post links to it)."""
    parts = (media.get("children") or {}).get("data") or [media]
    files = []
    for part in parts:
        url = part.get("thumbnail_url") if part.get("media_type") == "VIDEO" else part.get("media_url")
        if url:
            files.append(remote_file(url, fallback_type="image/jpeg"))
    return tuple(files)


def _id_of(reference: Any) -> str:
    """``root_post`` and ``replied_to`` come as ``{"id": …}``."""
    return str(reference.get("id", "")) if isinstance(reference, dict) else str(reference or "")


def post_capture(post: dict[str, Any], *, account_id: int, user_id: str) -> Capture:
    return Capture(
        account_id=account_id,
        platform_id=str(post["id"]),
        kind=Kind.POST,
        source=Source.API,
        direction=Direction.DRAWN_UP,  # the user's own threads list holds only what it posted
        published_at=iso_time(post["timestamp"]),
        text=post.get("text", ""),
        author=Author(platform_id=user_id, handle=post.get("username", "")),
        url=post.get("permalink", ""),
        attachments=_files(post),
        metadata={
            "media_type": post.get("media_type", ""),
            "shortcode": post.get("shortcode", ""),
            "is_quote_post": bool(post.get("is_quote_post", False)),
            "video_url": post.get("media_url", "") if post.get("media_type") == "VIDEO" else "",
        },
    )


def reply_capture(reply: dict[str, Any], *, account_id: int, user_id: str, root_id: str) -> Capture:
    """A reply in a post's conversation: a comment when it answers the post, a reply when it
    answers another reply. Threads names a reply's author by username only."""
    parent = _id_of(reply.get("replied_to")) or root_id
    own = bool(reply.get("is_reply_owned_by_me"))
    return Capture(
        account_id=account_id,
        platform_id=str(reply["id"]),
        kind=Kind.COMMENT if parent == root_id else Kind.REPLY,
        source=Source.API,
        direction=Direction.DRAWN_UP if own else Direction.RECEIVED,
        published_at=iso_time(reply["timestamp"]),
        text=reply.get("text", ""),
        parent_platform_id=parent,
        author=Author(platform_id=user_id if own else "", handle=reply.get("username", "")),
        url=reply.get("permalink", ""),
        attachments=_files(reply),
        metadata={
            "media_type": reply.get("media_type", ""),
            "root_post": _id_of(reply.get("root_post")) or root_id,
            "hide_status": reply.get("hide_status", ""),
        },
    )


def _conversation(post_id: str) -> Fetch:
    return Fetch(
        "conversation",
        f"{API}/{post_id}/conversation",
        params={"fields": REPLY_FIELDS, "reverse": "false", "limit": PAGE_SIZE},
        context={"parent": post_id},
    )


def _next(fetch: Fetch, body: dict[str, Any]) -> Fetch | None:
    """The list's next page: ``paging.next`` when given, else the ``after`` cursor."""
    if not body.get("data"):
        return None
    paging = body.get("paging") or {}
    if paging.get("next"):
        return Fetch(fetch.step, http.without_token(paging["next"]), context=fetch.context)
    after = (paging.get("cursors") or {}).get("after")
    if not after:
        return None
    return Fetch(fetch.step, fetch.url, params={**fetch.params, "after": after}, context=fetch.context)


class ThreadsConnector:
    slug: ClassVar[str] = "threads"
    label: ClassVar[str] = "Threads"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        return [
            Fetch(
                "threads",
                f"{API}/{remote_id}/threads",
                params={"fields": POST_FIELDS, "limit": PAGE_SIZE},
                context=since_context(since),
            )
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_threads_error(response)
        body = response.json()
        page = Page()
        reached_since = False
        if fetch.step == "conversation":
            root = fetch.context["parent"]
            page.captures = [
                reply_capture(reply, account_id=account_id, user_id=remote_id, root_id=root)
                for reply in body.get("data", [])
            ]
        else:
            for post in body.get("data", []):
                reached_since = reached_since or older_than_since(iso_time(post["timestamp"]), fetch.context)
                if post.get("media_type") in NOT_THE_ACCOUNTS:
                    continue
                page.captures.append(post_capture(post, account_id=account_id, user_id=remote_id))
                if post.get("has_replies", True):
                    page.follow.append(_conversation(str(post["id"])))
        if not reached_since and (following := _next(fetch, body)):
            page.follow.append(following)
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return None


register(ThreadsConnector())


# --- Acts for the moderation queue: hide (or show again) a reply ---------------------------------
# manage_reply hides a top-level reply (a reply to the post) and with it every reply beneath it; a
# reply deeper down cannot be hidden on its own, so Sigill asks Threads where the reply sits first
# and says so instead of sending a request Threads refuses.


def _manage(*, hide: bool) -> Any:
    def act(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
        place = client.get(f"{API}/{target.object_id}", params={"fields": "id,root_post,replied_to"})
        raise_for_threads_error(place)
        where = place.json()
        root, parent = _id_of(where.get("root_post")), _id_of(where.get("replied_to"))
        if root and parent and parent != root:
            raise http.Refused(
                _(
                    "Threads can hide only a reply to the post itself: hide the reply this one answers, "
                    "which hides the replies beneath it too"
                )
            )
        return client.post(
            f"{API}/{target.object_id}/manage_reply", data={"hide": "true" if hide else "false"}
        )

    return act


ACTS = {"hide": _manage(hide=True), "unhide": _manage(hide=False)}
raise_for_error = raise_for_threads_error
