"""YouTube (Data API v3): the channel's uploads, their comment threads and replies;
``comments.setModerationStatus`` for the moderation queue.

The account's platform id is its uploads playlist (``UU…``); the channel id is the same with
``UC``. Walk: ``playlistItems.list`` (stopping at the walk's ``since``) → ``commentThreads.list``
per video with the replies inline → ``comments.list?parentId=`` when a thread has more replies
than came inline. Times are ISO with ``Z`` (with or without milliseconds). A video is kept by its
largest thumbnail (the API gives no video file), as Instagram keeps a video by its cover.

YouTube sends no usage headers; it counts a daily quota per project that resets at midnight
Pacific time. ``quotaExceeded`` waits until then; a short-term ``rateLimitExceeded`` waits what
``Retry-After`` says, or a minute, and the engine's backoff grows from there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import httpx2
from django.utils import timezone

from sigill.archive.capture import Author, Capture, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import (
    Fetch,
    Page,
    direction,
    html_to_text,
    iso_time,
    older_than_since,
    register,
    remote_file,
    since_context,
)

API = "https://www.googleapis.com/youtube/v3"
DAILY_QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
GONE_REASONS = {
    "videoNotFound",
    "commentNotFound",
    "commentThreadNotFound",
    "commentsDisabled",
    "processingFailure",
}
# The daily quota resets at midnight Pacific time.
QUOTA_RESETS_IN = ZoneInfo("America/Los_Angeles")
RATE_WAIT_SECONDS = 60.0
THUMBNAIL_SIZES = ("maxres", "standard", "high", "medium", "default")


def seconds_until_quota_resets(now: dt.datetime | None = None) -> float:
    """Seconds until the next midnight in California, when the project's daily quota is new."""
    local = (now or timezone.now()).astimezone(QUOTA_RESETS_IN)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=QUOTA_RESETS_IN)
    return (midnight - local).total_seconds()


def raise_for_youtube_error(response: httpx2.Response) -> None:
    """Map ``{error:{code,message,errors:[{domain,reason}]}}`` to the engine's errors."""
    if response.status_code < 400:
        return
    body = http.json_of(response) or {}
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        http.raise_for_common(response, label="YouTube")
        return
    reasons = {e.get("reason", "") for e in error.get("errors", []) if isinstance(e, dict)}
    message = f"YouTube: {', '.join(sorted(reasons)) or error.get('code')}: {html_to_text(error.get('message', ''))}"[
        :500
    ]
    status = response.status_code
    if reasons & DAILY_QUOTA_REASONS:
        raise http.RateLimited(message, status=status, retry_after=seconds_until_quota_resets())
    if reasons & RATE_REASONS or status == 429:
        wait = http.retry_after(response.headers) or RATE_WAIT_SECONDS
        raise http.RateLimited(message, status=status, retry_after=wait)
    if status == 401 or reasons & {"authError", "invalidCredentials"}:
        raise http.TokenRejected(message, status=status)
    if status == 404 or reasons & GONE_REASONS:
        raise http.Gone(message, status=status)
    if status >= 500 or reasons & {"backendError"}:
        raise http.Unavailable(message, status=status)
    raise http.Refused(message, status=status)


def channel_of(uploads_playlist: str) -> str:
    return "UC" + uploads_playlist[2:] if uploads_playlist.startswith("UU") else uploads_playlist


def video_capture(item: dict[str, Any], *, account_id: int, channel: str) -> Capture:
    snippet = item["snippet"]
    video_id = snippet["resourceId"]["videoId"]
    published = (item.get("contentDetails") or {}).get("videoPublishedAt") or snippet["publishedAt"]
    thumbnails = snippet.get("thumbnails") or {}
    thumbnail = next((thumbnails[size]["url"] for size in THUMBNAIL_SIZES if size in thumbnails), "")
    return Capture(
        account_id=account_id,
        platform_id=video_id,
        kind=Kind.POST,
        source=Source.API,
        direction=direction(snippet.get("videoOwnerChannelId", channel), channel),
        published_at=iso_time(published),
        text="\n\n".join(part for part in (snippet.get("title", ""), snippet.get("description", "")) if part),
        author=Author(platform_id=channel, display_name=snippet.get("channelTitle", "")),
        url=f"https://www.youtube.com/watch?v={video_id}",
        attachments=(remote_file(thumbnail, fallback_type="image/jpeg"),) if thumbnail else (),
        metadata={"thumbnail": thumbnail},
    )


def comment_capture(comment: dict[str, Any], *, account_id: int, channel: str, video_id: str) -> Capture:
    snippet = comment["snippet"]
    author_id = (snippet.get("authorChannelId") or {}).get("value", "")
    parent = snippet.get("parentId", "")
    published, updated = (
        iso_time(snippet["publishedAt"]),
        iso_time(snippet.get("updatedAt") or snippet["publishedAt"]),
    )
    return Capture(
        account_id=account_id,
        platform_id=comment["id"],
        kind=Kind.REPLY if parent else Kind.COMMENT,
        source=Source.API,
        direction=direction(author_id, channel),
        published_at=published,
        text=snippet.get("textOriginal") or html_to_text(snippet.get("textDisplay", "")),
        parent_platform_id=parent or video_id,
        author=Author(
            platform_id=author_id,
            display_name=snippet.get("authorDisplayName", ""),
            handle=snippet.get("authorDisplayName", "").removeprefix("@"),
        ),
        edited_at=updated if updated > published else None,
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment['id']}",
        metadata={"text_display": snippet.get("textDisplay", "")},
    )


class YouTubeConnector:
    slug: ClassVar[str] = "youtube"
    label: ClassVar[str] = "YouTube"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        return [
            Fetch(
                "uploads",
                f"{API}/playlistItems",
                params={"part": "snippet,contentDetails", "playlistId": remote_id, "maxResults": "50"},
                context=since_context(since),
            )
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_youtube_error(response)
        body = response.json()
        channel = channel_of(remote_id)
        page = Page()
        reached_since = False
        if fetch.step == "uploads":
            for item in body.get("items", []):
                video = video_capture(item, account_id=account_id, channel=channel)
                page.captures.append(video)
                page.follow.append(_threads(video.platform_id))
                reached_since = reached_since or older_than_since(video.published_at, fetch.context)
        elif fetch.step == "threads":
            video_id = fetch.context["parent"]
            for thread in body.get("items", []):
                top = thread["snippet"]["topLevelComment"]
                page.captures.append(
                    comment_capture(top, account_id=account_id, channel=channel, video_id=video_id)
                )
                inline = (thread.get("replies") or {}).get("comments", [])
                page.captures += [
                    comment_capture(r, account_id=account_id, channel=channel, video_id=video_id)
                    for r in inline
                ]
                if thread["snippet"].get("totalReplyCount", 0) > len(inline):
                    page.follow.append(_replies(thread["id"], video_id))
        else:
            video_id = fetch.context["video"]
            page.captures += [
                comment_capture(r, account_id=account_id, channel=channel, video_id=video_id)
                for r in body.get("items", [])
            ]
        if (token := body.get("nextPageToken")) and not reached_since:
            page.follow.append(
                Fetch(
                    fetch.step, fetch.url, params={**fetch.params, "pageToken": token}, context=fetch.context
                )
            )
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return None


def _threads(video_id: str) -> Fetch:
    return Fetch(
        "threads",
        f"{API}/commentThreads",
        params={
            "part": "snippet,replies",
            "videoId": video_id,
            "maxResults": "100",
            "textFormat": "plainText",
        },
        context={"parent": video_id},
    )


def _replies(thread_id: str, video_id: str) -> Fetch:
    return Fetch(
        "replies",
        f"{API}/comments",
        params={"part": "snippet", "parentId": thread_id, "maxResults": "100", "textFormat": "plainText"},
        context={"parent": thread_id, "video": video_id},
    )


register(YouTubeConnector())


# --- Acts for the moderation queue: reject a comment (hides it and its replies), ban its author ---
# comments.delete works only for the comment's own author; "rejected" is how an owner removes.


def _reject(*, ban: bool) -> Any:
    def act(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
        params = {"id": target.object_id, "moderationStatus": "rejected"}
        if ban:
            params["banAuthor"] = "true"
        return client.post(f"{API}/comments/setModerationStatus", params=params)

    return act


ACTS = {"hide": _reject(ban=False), "block": _reject(ban=True)}
raise_for_error = raise_for_youtube_error
