"""X (API v2): the account's posts and the replies in their conversations; hiding replies.

Walk: ``/2/users/:id/tweets`` (``since_id``-free: stopping at the walk's ``since``) → for each
post with replies, ``/2/tweets/search/recent?query=conversation_id:<id>`` (recent search covers
about seven days; older replies need the full-archive tier). Authors of replies come in
``includes.users``. Each edit of a post is a new id listed in ``edit_history_tweet_ids``; the
archive keeps the versions under the first id.
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
    iso_time,
    older_than_since,
    register,
    remote_file,
    since_context,
)

API = "https://api.x.com/2"
TWEET_FIELDS = (
    "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,attachments,entities,"
    "edit_history_tweet_ids,lang,possibly_sensitive,reply_settings,public_metrics"
)
EXPANSIONS = "author_id,attachments.media_keys,referenced_tweets.id,in_reply_to_user_id"
MEDIA_FIELDS = "url,preview_image_url,type,alt_text"
# Remaining calls in the window at which a walk stops and waits for the window's reset.
PAUSE_AT_REMAINING = 1


def raise_for_x_error(response: httpx2.Response) -> None:
    """v2 errors: ``{title,detail,type,status}``; 429 with ``x-rate-limit-reset`` (epoch seconds)."""
    if response.status_code < 400:
        return
    body = http.json_of(response) or {}
    detail = body.get("detail") or body.get("title") if isinstance(body, dict) else ""
    message = f"X: HTTP {response.status_code} {detail or ''}".strip()[:500]
    status = response.status_code
    if status == 429:
        raise http.RateLimited(message, status=status, retry_after=http.retry_after(response.headers))
    if status == 401:
        raise http.TokenRejected(message, status=status)
    http.raise_for_common(response, label=message)


def _users(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["id"]: u for u in body.get("includes", {}).get("users", [])}


def _media(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["media_key"]: m for m in body.get("includes", {}).get("media", [])}


def tweet_capture(
    tweet: dict[str, Any], *, account_id: int, user_id: str, users: dict[str, Any], media: dict[str, Any]
) -> Capture:
    """A post or reply. Edits: the archive item is the first id; the newest text is a new version."""
    history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
    replied_to = next(
        (r["id"] for r in tweet.get("referenced_tweets", []) if r.get("type") == "replied_to"), ""
    )
    conversation = tweet.get("conversation_id", "")
    author_id = tweet.get("author_id", "")
    user = users.get(author_id, {})
    files = []
    for key in (tweet.get("attachments") or {}).get("media_keys", []):
        url = media.get(key, {}).get("url") or media.get(key, {}).get("preview_image_url")
        if url:
            files.append(remote_file(url, fallback_type="image/jpeg"))
    kind = Kind.POST if not replied_to else Kind.COMMENT if replied_to == conversation else Kind.REPLY
    return Capture(
        account_id=account_id,
        platform_id=history[0],
        kind=kind,
        source=Source.API,
        direction=direction(author_id, user_id),
        published_at=iso_time(tweet["created_at"]),
        text=tweet.get("text", ""),
        parent_platform_id=replied_to,
        author=Author(
            platform_id=author_id, display_name=user.get("name", ""), handle=user.get("username", "")
        ),
        url=f"https://x.com/i/web/status/{tweet['id']}",
        attachments=tuple(files),
        metadata={"id": tweet["id"], "edit_history": history, "conversation_id": conversation},
    )


class XConnector:
    slug: ClassVar[str] = "x"
    label: ClassVar[str] = "X"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        params = {
            "max_results": "100",
            "tweet.fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "media.fields": MEDIA_FIELDS,
        }
        return [
            Fetch("tweets", f"{API}/users/{remote_id}/tweets", params=params, context=since_context(since))
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_x_error(response)
        body = response.json()
        users, media = _users(body), _media(body)
        page = Page()
        reached_since = False
        for tweet in body.get("data", []):
            captured = tweet_capture(
                tweet, account_id=account_id, user_id=remote_id, users=users, media=media
            )
            page.captures.append(captured)
            if fetch.step == "tweets":
                reached_since = reached_since or older_than_since(captured.published_at, fetch.context)
                if (
                    tweet.get("public_metrics", {}).get("reply_count")
                    and tweet.get("conversation_id") == tweet["id"]
                ):
                    page.follow.append(_conversation(tweet["id"]))
        token = body.get("meta", {}).get("next_token")
        if token and not reached_since:
            key = "pagination_token" if fetch.step == "tweets" else "next_token"
            page.follow.append(
                Fetch(fetch.step, fetch.url, params={**fetch.params, key: token}, context=fetch.context)
            )
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return http.pause_near_limit(
            response.headers, remaining="x-rate-limit-remaining", at=PAUSE_AT_REMAINING, default=15 * 60.0
        )


def _conversation(conversation_id: str) -> Fetch:
    return Fetch(
        "conversation",
        f"{API}/tweets/search/recent",
        params={
            "query": f"conversation_id:{conversation_id}",
            "max_results": "100",
            "tweet.fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "media.fields": MEDIA_FIELDS,
        },
        context={"parent": conversation_id},
    )


register(XConnector())


# --- Acts for the moderation queue: hide (or unhide) a reply in the account's conversation --------


def _hide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.put(f"{API}/tweets/{target.object_id}/hidden", json={"hidden": True})


def _unhide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.put(f"{API}/tweets/{target.object_id}/hidden", json={"hidden": False})


ACTS = {"hide": _hide, "unhide": _unhide}
raise_for_error = raise_for_x_error
