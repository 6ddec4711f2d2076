"""X (API v2): the account's posts and the replies in their conversations; hiding replies.

Walk: ``/2/users/:id/tweets`` (``since_id``-free: stopping at the walk's ``since``) → for each
post with replies, ``/2/tweets/search/recent?query=conversation_id:<id>`` (recent search covers
about seven days; older replies need the full-archive tier). Authors of replies come in
``includes.users``. Each edit of a post is a new id listed in ``edit_history_tweet_ids``, oldest
first; the archive keeps the versions under the first id. An edited post is captured from a lookup
of every id in its history (``/2/tweets?ids=``), oldest first, so the archive holds what was first
published as well as each edit; the archive recognises versions it already has.

Direct messages: ``/2/dm_events`` (``MessageCreate`` events, newest first, stopping at the walk's
``since``; needs a user-context token with ``dm.read``). X keeps DM events for 30 days only, so an
account synced less often than that loses messages. A message's files are on ``ton.twitter.com``,
which only a signed request may read: their media keys are kept, not the files.
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
DM_EVENT_FIELDS = (
    "id,text,event_type,created_at,dm_conversation_id,sender_id,participant_ids,attachments,referenced_tweets"
)
# Recent search finds replies of about the last seven days: a full walk judges younger ones only.
REPLY_SEARCH_WINDOW = dt.timedelta(days=6)
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


def snowflake_time(tweet_id: str) -> dt.datetime:
    """When an X id was made: its top bits count milliseconds since X's epoch (2010-11-04)."""
    return dt.datetime.fromtimestamp(((int(tweet_id) >> 22) + 1288834974657) / 1000, tz=dt.UTC)


def tweet_capture(
    tweet: dict[str, Any], *, account_id: int, user_id: str, users: dict[str, Any], media: dict[str, Any]
) -> Capture:
    """A post or reply, or one version of an edited one. The archive item is the first id of the
    edit history, published when that id was made; a later version was edited at its own time."""
    history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
    created = iso_time(tweet["created_at"])
    edited = tweet["id"] != history[0]
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
        published_at=snowflake_time(history[0]) if edited else created,
        edited_at=created if edited else None,
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
            Fetch("tweets", f"{API}/users/{remote_id}/tweets", params=params, context=since_context(since)),
            Fetch(
                "dm_events",
                f"{API}/dm_events",
                params={
                    "event_types": "MessageCreate",
                    "dm_event.fields": DM_EVENT_FIELDS,
                    "expansions": "sender_id,participant_ids",
                    "user.fields": "name,username",
                    "max_results": "100",
                },
                context={"messages": True, **since_context(since)},
            ),
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_x_error(response)
        body = response.json()
        users, media = _users(body), _media(body)
        if fetch.step == "dm_events":
            return _read_dm_events(fetch, body, account_id=account_id, user_id=remote_id, users=users)
        page = Page()
        tweets = body.get("data", [])
        if fetch.step == "versions":
            order = fetch.context["history"]
            tweets = sorted(tweets, key=lambda t: order.index(t["id"]) if t["id"] in order else len(order))
        reached_since = False
        for tweet in tweets:
            history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
            if fetch.step != "versions" and len(history) > 1:
                page.follow.append(_versions(history))
            else:
                page.captures.append(
                    tweet_capture(tweet, account_id=account_id, user_id=remote_id, users=users, media=media)
                )
            if fetch.step == "tweets":
                moment = iso_time(tweet["created_at"])
                reached_since = reached_since or older_than_since(moment, fetch.context)
                if tweet.get("public_metrics", {}).get("reply_count") and tweet.get("conversation_id") in (
                    tweet["id"],
                    history[0],
                ):
                    page.follow.append(_conversation(tweet["conversation_id"]))
        token = body.get("meta", {}).get("next_token")
        if token and not reached_since:
            key = "pagination_token" if fetch.step == "tweets" else "next_token"
            page.follow.append(
                Fetch(fetch.step, fetch.url, params={**fetch.params, key: token}, context=fetch.context)
            )
        return page

    def reaches(
        self,
        *,
        kind: str,
        published_at: dt.datetime,
        walk_started: dt.datetime,
        oldest_post_seen: dt.datetime | None,
    ) -> bool:
        """Whether a full walk would have found an object that is still on X: a post no older than
        the oldest the timeline listed (it lists the newest 3,200), a reply of the search's week
        no older than that post either. Known limit: a new reply to a post older than the newest
        3,200 is not searched for, and would be judged gone."""
        if kind == Kind.POST:
            return oldest_post_seen is not None and published_at >= oldest_post_seen
        return published_at >= walk_started - REPLY_SEARCH_WINDOW and (
            oldest_post_seen is not None and published_at >= oldest_post_seen
        )

    def pause_after(self, response: httpx2.Response) -> float | None:
        return http.pause_near_limit(
            response.headers, remaining="x-rate-limit-remaining", at=PAUSE_AT_REMAINING, default=15 * 60.0
        )


def dm_capture(event: dict[str, Any], *, account_id: int, user_id: str, users: dict[str, Any]) -> Capture:
    """One direct message (a ``MessageCreate`` event); what the account sent is drawn up."""
    sender_id = str(event.get("sender_id", ""))
    sender = users.get(sender_id, {})
    return Capture(
        account_id=account_id,
        platform_id=str(event["id"]),
        kind=Kind.MESSAGE,
        source=Source.API,
        direction=direction(sender_id, user_id),
        published_at=iso_time(event["created_at"]),
        text=event.get("text", ""),
        author=Author(
            platform_id=sender_id, display_name=sender.get("name", ""), handle=sender.get("username", "")
        ),
        metadata={
            "conversation": str(event.get("dm_conversation_id", "")),
            "participants": [str(p) for p in event.get("participant_ids", [])],
            "media_keys": (event.get("attachments") or {}).get("media_keys", []),
        },
    )


def _read_dm_events(
    fetch: Fetch, body: dict[str, Any], *, account_id: int, user_id: str, users: dict[str, Any]
) -> Page:
    page = Page()
    reached_since = False
    for event in body.get("data", []):
        if event.get("event_type", "MessageCreate") != "MessageCreate":
            continue
        if older_than_since(iso_time(event["created_at"]), fetch.context):
            reached_since = True
            break
        page.captures.append(dm_capture(event, account_id=account_id, user_id=user_id, users=users))
    token = body.get("meta", {}).get("next_token")
    if token and not reached_since:
        page.follow.append(
            Fetch(
                fetch.step,
                fetch.url,
                params={**fetch.params, "pagination_token": token},
                context=fetch.context,
            )
        )
    return page


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


def _versions(history: list[str]) -> Fetch:
    """Every version of an edited post, by its ids (X answers them in any order)."""
    return Fetch(
        "versions",
        f"{API}/tweets",
        params={
            "ids": ",".join(history),
            "tweet.fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "media.fields": MEDIA_FIELDS,
        },
        context={"parent": history[0], "history": history},
    )


register(XConnector())


# --- Acts for the moderation queue: hide (or unhide) a reply in the account's conversation --------


def _hide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.put(f"{API}/tweets/{target.object_id}/hidden", json={"hidden": True})


def _unhide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    return client.put(f"{API}/tweets/{target.object_id}/hidden", json={"hidden": False})


ACTS = {"hide": _hide, "unhide": _unhide}
raise_for_error = raise_for_x_error
