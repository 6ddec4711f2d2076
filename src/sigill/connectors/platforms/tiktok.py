"""TikTok (TikTok API for Business, the Accounts API for an owned business account): the account's
videos and every comment and reply on them, hidden ones too; hiding and showing comments.

The account's platform id is its ``business_id`` (the id the business account's authorisation
returns); the token goes in the ``Access-Token`` header. Walk: ``GET business/video/list/``
(newest first; paging stops at a page whose videos are all older than the walk's ``since``) → ``GET business/comment/list/`` per video with
``status=ALL`` (public and hidden comments) and ``include_replies=true`` (a few replies inline in
``reply_list``) → ``GET business/comment/reply/list/`` for a comment with more replies than came
inline. Every list answers ``{code, message, request_id, data{…, cursor, has_more}}`` and is paged
by passing ``cursor`` back while ``has_more`` is true. Times are UNIX seconds.

The shapes followed are TikTok API for Business v1.3 as its documentation and the python-tiktok
SDK (``pytiktok.business_account_api``, its ``BusinessVideo`` and ``BusinessComment`` models) give
them: a video is ``{item_id, create_time, caption, share_url, thumbnail_url, …}``; a comment is
``{comment_id, video_id, unique_identifier, create_time, text, likes, replies, owner, status,
username, parent_comment_id, reply_list}``, where ``owner`` says the business account wrote it and
``status`` is ``PUBLIC`` or ``HIDDEN``. A top-level comment names its video (or nothing) as its
parent. Errors come with HTTP 200 and a non-zero ``code``; the numbers read here are TikTok's
return codes as the official Business API SDK lists them (``tiktok_code.NumericErrorCodes``).

TikTok comments cannot be edited; a video's caption changed on TikTok is kept as a new version
when Sigill sees it (the API gives no edit time). The API gives no address for a comment: it keeps
its video's ``share_url``. Only a business account can be connected: TikTok gives a personal or
creator account's comments to no API Sigill may use, so those are captured from the account's
data download (only what it wrote) and by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, ClassVar

import httpx2

from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import (
    Fetch,
    Page,
    epoch_seconds,
    older_than_since,
    register,
    remote_file,
    since_context,
)

API = "https://business-api.tiktok.com/open_api/v1.3"
VIDEO_FIELDS = ["item_id", "create_time", "caption", "share_url", "embed_url", "thumbnail_url", "comments"]
VIDEOS_PER_PAGE = "20"  # the documented maximum
COMMENTS_PER_PAGE = "30"  # the documented maximum
# TikTok's return codes (the Business API SDK's NumericErrorCodes).
RATE_CODES = {40100, 40132}
TOKEN_CODES = {40102, 40104, 40105}
GONE_CODES = {40007}
RATE_WAIT_SECONDS = 60.0


def raise_for_tiktok_error(response: httpx2.Response) -> None:
    """Map ``{code, message, request_id}`` (HTTP 200 with a non-zero code, or an HTTP error)."""
    body = http.json_of(response)
    code = body.get("code") if isinstance(body, dict) else None
    if response.status_code >= 400 and not isinstance(code, int):
        http.raise_for_common(response, label="TikTok")
        return
    if not code:
        return
    message = f"TikTok: ({code}) {body.get('message', '')}"[:500]
    status = response.status_code
    if code in RATE_CODES:
        raise http.RateLimited(
            message, status=status, retry_after=http.retry_after(response.headers) or RATE_WAIT_SECONDS
        )
    if code in TOKEN_CODES:
        raise http.TokenRejected(message, status=status)
    if code in GONE_CODES:
        raise http.Gone(message, status=status)
    if code >= 50000:
        raise http.Unavailable(message, status=status)
    raise http.Refused(message, status=status)


def video_capture(video: dict[str, Any], *, account_id: int, business_id: str) -> Capture:
    thumbnail = video.get("thumbnail_url", "")
    return Capture(
        account_id=account_id,
        platform_id=str(video["item_id"]),
        kind=Kind.POST,
        source=Source.API,
        direction=Direction.DRAWN_UP,  # the video list holds only the business account's own videos
        published_at=epoch_seconds(video["create_time"]),
        text=video.get("caption", ""),
        author=Author(platform_id=business_id),
        url=video.get("share_url", ""),
        attachments=(remote_file(thumbnail, fallback_type="image/jpeg"),) if thumbnail else (),
        metadata={"embed_url": video.get("embed_url", ""), "comments": video.get("comments")},
    )


def comment_capture(
    comment: dict[str, Any], *, account_id: int, business_id: str, video_id: str, url: str
) -> Capture:
    parent = str(comment.get("parent_comment_id") or "")
    top_level = parent in ("", video_id)
    own = bool(comment.get("owner"))
    return Capture(
        account_id=account_id,
        platform_id=str(comment["comment_id"]),
        kind=Kind.COMMENT if top_level else Kind.REPLY,
        source=Source.API,
        direction=Direction.DRAWN_UP if own else Direction.RECEIVED,
        published_at=epoch_seconds(comment["create_time"]),
        text=comment.get("text", ""),
        parent_platform_id=video_id if top_level else parent,
        author=Author(
            platform_id=business_id
            if own
            else str(comment.get("unique_identifier") or comment.get("user_id") or ""),
            handle=comment.get("username", ""),
        ),
        url=url,
        metadata={
            "video_id": video_id,
            "status": comment.get("status", ""),
            "pinned": bool(comment.get("pinned")),
        },
    )


def _comments(business_id: str, video_id: str, url: str) -> Fetch:
    return Fetch(
        "comments",
        f"{API}/business/comment/list/",
        params={
            "business_id": business_id,
            "video_id": video_id,
            "include_replies": "true",
            "status": "ALL",
            "sort_field": "create_time",
            "sort_order": "asc",
            "max_count": COMMENTS_PER_PAGE,
        },
        context={"parent": video_id, "url": url},
    )


def _replies(business_id: str, video_id: str, comment_id: str, url: str) -> Fetch:
    return Fetch(
        "replies",
        f"{API}/business/comment/reply/list/",
        params={
            "business_id": business_id,
            "video_id": video_id,
            "comment_id": comment_id,
            "status": "ALL",
            "sort_field": "create_time",
            "sort_order": "asc",
            "max_count": COMMENTS_PER_PAGE,
        },
        context={"parent": comment_id, "video": video_id, "url": url},
    )


class TikTokConnector:
    slug: ClassVar[str] = "tiktok"
    label: ClassVar[str] = "TikTok"

    def headers(self, token: str) -> dict[str, str]:
        return {"Access-Token": token}

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        return [
            Fetch(
                "videos",
                f"{API}/business/video/list/",
                params={
                    "business_id": remote_id,
                    "fields": json.dumps(VIDEO_FIELDS),
                    "max_count": VIDEOS_PER_PAGE,
                },
                context=since_context(since),
            )
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_tiktok_error(response)
        data = response.json().get("data") or {}
        page = Page()
        reached_since = False
        if fetch.step == "videos":
            videos = data.get("videos") or []
            for video in videos:
                captured = video_capture(video, account_id=account_id, business_id=remote_id)
                page.captures.append(captured)
                if video.get("comments") != 0:
                    page.follow.append(_comments(remote_id, captured.platform_id, captured.url))
            # Paging stops at a page whose videos are all older than the walk's since.
            reached_since = bool(videos) and all(
                older_than_since(c.published_at, fetch.context) for c in page.captures
            )
        else:
            video_id = fetch.context.get("video") or fetch.context["parent"]
            url = fetch.context.get("url", "")
            for comment in data.get("comments") or []:
                page.captures.append(
                    comment_capture(
                        comment, account_id=account_id, business_id=remote_id, video_id=video_id, url=url
                    )
                )
                if fetch.step != "comments":
                    continue
                inline = comment.get("reply_list") or []
                page.captures += [
                    comment_capture(
                        r, account_id=account_id, business_id=remote_id, video_id=video_id, url=url
                    )
                    for r in inline
                ]
                if (comment.get("replies") or 0) > len(inline):
                    page.follow.append(_replies(remote_id, video_id, str(comment["comment_id"]), url))
        if data.get("has_more") and data.get("cursor") is not None and not reached_since:
            page.follow.append(
                Fetch(
                    fetch.step,
                    fetch.url,
                    params={**fetch.params, "cursor": str(data["cursor"])},
                    context=fetch.context,
                )
            )
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return None


register(TikTokConnector())


# --- Acts for the moderation queue: hide (or show again) a comment -------------------------------
# business/comment/hide/ needs the comment's video: a comment's parent is its video, a reply's is a
# comment, so the video is read from the address the comment was captured with (its video's
# share_url, ``…/video/<id>``), or else taken to be the parent. Deleting is allowed only for the
# account's own comments (business/comment/delete/), so Sigill offers no delete on TikTok.

VIDEO_IN_URL = re.compile(r"/video/(\d+)")


def _hide(*, hide: bool) -> Any:
    def act(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
        found = VIDEO_IN_URL.search(target.url or "")
        video_id = found.group(1) if found else target.parent_object_id
        if not video_id:
            raise http.Refused("the comment's video is not known")
        return client.post(
            f"{API}/business/comment/hide/",
            json={
                "business_id": connection.remote_id,
                "video_id": video_id,
                "comment_id": target.object_id,
                "action": "HIDE" if hide else "UNHIDE",
            },
        )

    return act


ACTS = {"hide": _hide(hide=True), "unhide": _hide(hide=False)}
raise_for_error = raise_for_tiktok_error
