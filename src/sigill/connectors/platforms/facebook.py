"""Facebook Pages: the Graph API's feed, comments, replies and Messenger conversations; the Page
webhook; hide and delete.

Walk: ``/{page-id}/feed`` (what is new since the last walk) → each post's top-level comments →
the replies of each comment that has any (replies can nest, so replies are walked the same way).
Then the Page's Messenger inbox (Conversations API, needs ``pages_messaging``):
``/{page-id}/conversations?platform=messenger`` (most recently active first, stopping at the walk's
``since``) → each conversation's message list ``/{conversation-id}?fields=messages`` → each
message ``/{message-id}`` (the API gives the details of a conversation's 20 newest messages only,
so a walk reads an inbox at least as often as that many messages arrive). A token without access
to the inbox leaves the messages out and the run says so.
Times are Graph's ``2025-01-14T05:45:00+0000``; webhooks send UNIX seconds. ``from`` is missing
when the token may not see the commenter: such a comment is kept with an anonymous author.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, ClassVar

import httpx2

from sigill.archive.capture import Author, Capture, CapturedFile, Kind, Source
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

GRAPH = "https://graph.facebook.com/v21.0"
POST_FIELDS = "id,message,story,created_time,updated_time,permalink_url,status_type,from,full_picture,attachments,is_hidden"
COMMENT_FIELDS = (
    "id,from,message,created_time,comment_count,like_count,is_hidden,is_private,can_hide,can_remove,"
    "can_reply_privately,attachment,permalink_url,parent"
)
PAGE_SIZE = "50"
# Graph error codes (platforms.md): throttling, token, permission.
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80004}
TOKEN_CODES = {102, 190, 463, 467}
PERMISSION_CODES = {3, 10, *range(200, 300)}
# Usage (in percent of the limit) at which a walk stops and waits rather than be throttled.
USAGE_PAUSE_PERCENT = 95
ATTACHED_MEDIA = {"photo", "album", "video_inline", "video_autoplay", "animated_image_share", "sticker"}


def raise_for_graph_error(response: httpx2.Response, *, label: str = "Facebook") -> None:
    """Map Graph's error envelope ``{error:{code,error_subcode,is_transient,...}}`` to our errors."""
    if response.status_code < 400:
        return
    body = http.json_of(response) or {}
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        http.raise_for_common(response, label=label)
        return
    code, subcode = error.get("code"), error.get("error_subcode")
    message = f"{label}: ({code}{'/' + str(subcode) if subcode else ''}) {error.get('message', '')}"[:500]
    status = response.status_code
    if code in TOKEN_CODES or (
        error.get("type") == "OAuthException" and subcode in {458, 459, 460, 463, 467}
    ):
        raise http.TokenRejected(message, status=status)
    if code in RATE_LIMIT_CODES:
        raise http.RateLimited(message, status=status, retry_after=_regain_seconds(response.headers))
    if (code == 100 and subcode == 33) or status == 404:
        raise http.Gone(message, status=status)
    if code in PERMISSION_CODES:
        raise http.Refused(message, status=status)
    if error.get("is_transient") or code in {1, 2} or status >= 500:
        raise http.Unavailable(message, status=status)
    raise http.Refused(message, status=status)


def _usage(headers: httpx2.Headers) -> list[dict[str, Any]]:
    """The usage reports in ``X-App-Usage`` and ``X-Business-Use-Case-Usage`` (JSON headers)."""
    reports: list[dict[str, Any]] = []
    for name in ("x-app-usage", "x-page-usage", "x-business-use-case-usage"):
        try:
            value = json.loads(headers.get(name, "") or "null")
        except ValueError:
            continue
        if isinstance(value, dict) and "call_count" in value:
            reports.append(value)
        elif isinstance(value, dict):
            reports.extend(r for rows in value.values() if isinstance(rows, list) for r in rows)
    return [r for r in reports if isinstance(r, dict)]


def _regain_seconds(headers: httpx2.Headers) -> float | None:
    minutes = [r.get("estimated_time_to_regain_access") or 0 for r in _usage(headers)]
    return max(minutes) * 60.0 if any(minutes) else http.retry_after(headers)


def usage_pause(headers: httpx2.Headers) -> float | None:
    """Seconds to wait when any usage report is at or above the pause level."""
    for report in _usage(headers):
        if any(
            isinstance(report.get(k), int | float) and report[k] >= USAGE_PAUSE_PERCENT
            for k in ("call_count", "total_time", "total_cputime")
        ):
            return _regain_seconds(headers) or 15 * 60.0
    return None


def _author(data: dict[str, Any] | None) -> Author:
    if not data:
        return Author()
    return Author(platform_id=str(data.get("id", "")), display_name=data.get("name", ""))


def _media(attachments: Iterable[dict[str, Any]]) -> tuple[CapturedFile, ...]:
    files = []
    for attachment in attachments:
        for each in [attachment, *attachment.get("subattachments", {}).get("data", [])]:
            source = each.get("media", {}).get("image", {}).get("src")
            if source and each.get("type") in ATTACHED_MEDIA:
                files.append(remote_file(source, fallback_type="image/jpeg"))
    return tuple(files)


def _links(attachments: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {k: a[k] for k in ("type", "url", "title", "description") if a.get(k)}
        for a in attachments
        if a.get("type") not in ATTACHED_MEDIA
    ]


def post_capture(post: dict[str, Any], *, account_id: int, page_id: str) -> Capture:
    attachments = post.get("attachments", {}).get("data", [])
    author = _author(post.get("from"))
    created, updated = iso_time(post["created_time"]), post.get("updated_time")
    return Capture(
        account_id=account_id,
        platform_id=str(post["id"]),
        kind=Kind.POST,
        source=Source.API,
        direction=direction(author.platform_id, page_id),
        published_at=created,
        text=post.get("message") or post.get("story", ""),
        author=author,
        edited_at=iso_time(updated) if updated and iso_time(updated) > created else None,
        url=post.get("permalink_url", ""),
        attachments=_media(attachments),
        metadata={
            k: v
            for k, v in {"status_type": post.get("status_type"), "links": _links(attachments)}.items()
            if v
        }
        | {"is_hidden": bool(post.get("is_hidden", False))},
    )


def comment_capture(comment: dict[str, Any], *, account_id: int, page_id: str, post_id: str) -> Capture:
    parent = (comment.get("parent") or {}).get("id", "")
    author = _author(comment.get("from"))
    attachment = comment.get("attachment")
    return Capture(
        account_id=account_id,
        platform_id=str(comment["id"]),
        kind=Kind.REPLY if parent else Kind.COMMENT,
        source=Source.API,
        direction=direction(author.platform_id, page_id),
        published_at=iso_time(comment["created_time"]),
        text=comment.get("message", ""),
        parent_platform_id=parent or post_id,
        author=author,
        url=comment.get("permalink_url", ""),
        attachments=_media([attachment]) if attachment else (),
        metadata={
            "is_hidden": bool(comment.get("is_hidden", False)),
            "is_private": bool(comment.get("is_private", False)),
            "links": _links([attachment]) if attachment else [],
        },
    )


def _next(body: dict[str, Any], step: str, context: dict[str, Any]) -> list[Fetch]:
    url = body.get("paging", {}).get("next")
    return [Fetch(step, http.without_token(url), context=context)] if url else []


def _comments_of(object_id: str, *, step: str, post_id: str) -> Fetch:
    return Fetch(
        step,
        f"{GRAPH}/{object_id}/comments",
        params={"fields": COMMENT_FIELDS, "filter": "toplevel", "order": "chronological", "limit": PAGE_SIZE},
        context={"parent": post_id},
    )


# --- Direct messages: the Conversations API (Messenger, and Instagram through the same Graph) -----

MESSAGE_FIELDS = "id,created_time,from,to,message,attachments"


def conversations_of(owner: str, *, platform: str, since: dt.datetime | None) -> Fetch:
    """The inbox of ``owner`` (a Page id, or ``me`` for the token's own account) on ``platform``."""
    return Fetch(
        "conversations",
        f"{GRAPH}/{owner}/conversations",
        params={"platform": platform, "fields": "id,updated_time,link", "limit": "25"},
        context={"messages": True, **since_context(since)},
    )


def _message_files(message: dict[str, Any]) -> tuple[CapturedFile, ...]:
    files = []
    for attached in (message.get("attachments") or {}).get("data", []):
        url = (
            (attached.get("image_data") or {}).get("url")
            or (attached.get("video_data") or {}).get("url")
            or attached.get("file_url")
        )
        if url:
            files.append(
                remote_file(url, fallback_type=attached.get("mime_type") or "application/octet-stream")
            )
    return tuple(files)


def message_capture(message: dict[str, Any], *, account_id: int, owner_id: str, conversation: str) -> Capture:
    """One direct message of a conversation; what the account sent is drawn up, the rest received."""
    sender = message.get("from") or {}
    author = Author(
        platform_id=str(sender.get("id", "")),
        display_name=sender.get("name", ""),
        handle=sender.get("username", ""),
    )
    recipients = (message.get("to") or {}).get("data", [])
    return Capture(
        account_id=account_id,
        platform_id=str(message["id"]),
        kind=Kind.MESSAGE,
        source=Source.API,
        direction=direction(author.platform_id, owner_id),
        published_at=iso_time(message["created_time"]),
        text=message.get("message", ""),
        author=author,
        attachments=_message_files(message),
        metadata={"conversation": conversation, "to": [str(r.get("id", "")) for r in recipients]},
    )


def read_conversations(fetch: Fetch, body: dict[str, Any], *, account_id: int, owner_id: str) -> Page:
    """One answer of an inbox walk: conversations → their message lists → each message."""
    page = Page()
    reached_since = False
    if fetch.step == "message":
        conversation = fetch.context["conversation"]
        page.captures.append(
            message_capture(body, account_id=account_id, owner_id=owner_id, conversation=conversation)
        )
        return page
    if fetch.step == "conversations":
        for conversation in body.get("data", []):
            if older_than_since(iso_time(conversation["updated_time"]), fetch.context):
                reached_since = True
                break
            page.follow.append(
                Fetch(
                    "conversation",
                    f"{GRAPH}/{conversation['id']}",
                    params={"fields": "messages"},
                    context={**fetch.context, "conversation": str(conversation["id"])},
                )
            )
    else:  # a conversation's message list: wrapped in "messages" at first, bare on later pages
        listing = body.get("messages", body)
        body = listing
        for message in listing.get("data", []):
            if older_than_since(iso_time(message["created_time"]), fetch.context):
                reached_since = True
                break
            page.follow.append(
                Fetch(
                    "message",
                    f"{GRAPH}/{message['id']}",
                    params={"fields": MESSAGE_FIELDS},
                    context=fetch.context,
                )
            )
    if (next_url := body.get("paging", {}).get("next")) and not reached_since:
        page.follow.append(Fetch(fetch.step, http.without_token(next_url), context=fetch.context))
    return page


class FacebookConnector:
    slug: ClassVar[str] = "facebook"
    label: ClassVar[str] = "Facebook"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        params = {"fields": POST_FIELDS, "limit": PAGE_SIZE}
        if since is not None:
            params["since"] = str(int(since.timestamp()))
        return [
            Fetch("feed", f"{GRAPH}/{remote_id}/feed", params=params),
            conversations_of(remote_id, platform="messenger", since=since),
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_graph_error(response)
        body = response.json()
        if fetch.context.get("messages"):
            return read_conversations(fetch, body, account_id=account_id, owner_id=remote_id)
        page = Page()
        if fetch.step == "feed":
            for post in body.get("data", []):
                page.captures.append(post_capture(post, account_id=account_id, page_id=remote_id))
                page.follow.append(_comments_of(str(post["id"]), step="comments", post_id=str(post["id"])))
        else:
            post_id = fetch.context["parent"]
            for comment in body.get("data", []):
                page.captures.append(
                    comment_capture(comment, account_id=account_id, page_id=remote_id, post_id=post_id)
                )
                if comment.get("comment_count"):
                    page.follow.append(_comments_of(str(comment["id"]), step="replies", post_id=post_id))
        page.follow += _next(body, fetch.step, fetch.context)
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return usage_pause(response.headers)


register(FacebookConnector())


# --- Webhooks (object=page, field=feed) ------------------------------------------------------------

EDIT_VERBS = {"edited", "edit"}


def webhook_captures(entry: dict[str, Any], *, account_id: int, page_id: str) -> list[Capture]:
    """The captures in one webhook ``entry`` of the Page: comments, replies and posts added, edited,
    hidden or removed. Key order and author style vary by payload generation."""
    captures = []
    entry_time = epoch_seconds(entry.get("time", 0))
    for change in entry.get("changes", []):
        value = change.get("value") or {}
        if change.get("field") != "feed" or value.get("item") not in {
            "comment",
            "post",
            "status",
            "photo",
            "video",
        }:
            continue
        captures.append(_webhook_capture(value, entry_time, account_id=account_id, page_id=page_id))
    return captures


def _webhook_capture(
    value: dict[str, Any], entry_time: dt.datetime, *, account_id: int, page_id: str
) -> Capture:
    sender = value.get("from") or {"id": value.get("sender_id", ""), "name": value.get("sender_name", "")}
    author = _author(sender)
    is_comment = value.get("item") == "comment"
    object_id = str(value.get("comment_id") if is_comment else value.get("post_id"))
    post_id, parent_id = str(value.get("post_id", "")), str(value.get("parent_id", ""))
    verb = value.get("verb", "")
    created = value.get("created_time")
    files = tuple(remote_file(value[k], fallback_type="image/jpeg") for k in ("photo",) if value.get(k))
    return Capture(
        account_id=account_id,
        platform_id=object_id,
        kind=(Kind.COMMENT if parent_id in ("", post_id) else Kind.REPLY) if is_comment else Kind.POST,
        source=Source.WEBHOOK,
        direction=direction(author.platform_id, page_id),
        published_at=epoch_seconds(created) if created else entry_time,
        text=value.get("message", ""),
        parent_platform_id=(parent_id or post_id) if is_comment else "",
        author=author,
        edited_at=entry_time if verb in EDIT_VERBS else None,
        url=(value.get("post") or {}).get("permalink_url", "") if not is_comment else "",
        attachments=files,
        metadata={"verb": verb} | ({"is_hidden": verb == "hide"} if verb in {"hide", "unhide"} else {}),
        seen_gone=verb == "remove",
    )


# --- Acts for the moderation queue: hide, unhide and delete (a Page cannot block by API) ---------


def _hide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.post(f"{GRAPH}/{target.object_id}", data={"is_hidden": "true"})


def _unhide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.post(f"{GRAPH}/{target.object_id}", data={"is_hidden": "false"})


def _delete(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.delete(f"{GRAPH}/{target.object_id}")


ACTS = {"hide": _hide, "unhide": _unhide, "delete": _delete}
raise_for_error = raise_for_graph_error
