"""X (API v2): ``POST /2/tweets``, images uploaded first through ``POST /2/media/upload`` with
their alternative text set by ``POST /2/media/metadata``; a reply names the answered post in
``reply.in_reply_to_tweet_id``.

X has no idempotency key. The answer gives the new id only: the post is read back
(``/2/tweets/:id``) with the fields a sync reads. Finding a post: the account's posts since it was
queued (``/2/users/:id/tweets``), one with the same text (links aside: X shortens them) answering
the same post.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import httpx2

from sigill.connectors.platforms.x import (
    API,
    EXPANSIONS,
    MEDIA_FIELDS,
    TWEET_FIELDS,
    _media,
    _users,
    raise_for_x_error,
    tweet_capture,
)
from sigill.connectors.publish.base import (
    IMAGE,
    POST,
    REPLY,
    Abilities,
    Account,
    Post,
    Published,
    create,
    same_text,
)

# X counts every link as 23 characters; the limit here counts them as written, so it may refuse
# a text X would take, never the other way round.
MAX_TEXT = 280
CLOCK_MARGIN = dt.timedelta(minutes=5)
READ = {"tweet.fields": TWEET_FIELDS, "expansions": EXPANSIONS, "media.fields": MEDIA_FIELDS}


class XPublisher:
    slug: ClassVar[str] = "x"
    abilities: ClassVar[Abilities] = Abilities((POST, IMAGE, REPLY), max_text=MAX_TEXT, max_images=4)

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        body: dict[str, Any] = {"text": post.text}
        if post.media:
            body["media"] = {"media_ids": [self._upload(client, media) for media in post.media]}
        if post.reply_to is not None:
            body["reply"] = {"in_reply_to_tweet_id": post.reply_to.object_id}
        response = create(client, "POST", f"{API}/tweets", json=body)
        raise_for_x_error(response)
        response = client.get(f"{API}/tweets/{response.json()['data']['id']}", params=READ)
        raise_for_x_error(response)
        read = response.json()
        return self._published(read["data"], read, account)

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        since = (post.created_at or dt.datetime.now(dt.UTC)) - CLOCK_MARGIN
        response = client.get(
            f"{API}/users/{account.remote_id}/tweets",
            params={**READ, "max_results": "100", "start_time": since.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        raise_for_x_error(response)
        body = response.json()
        answered = post.reply_to.object_id if post.reply_to is not None else ""
        for tweet in body.get("data", []):
            replied_to = next(
                (r["id"] for r in tweet.get("referenced_tweets", []) if r.get("type") == "replied_to"), ""
            )
            if replied_to == answered and same_text(tweet.get("text", ""), post.text):
                return self._published(tweet, body, account)
        return None

    @staticmethod
    def _upload(client: httpx2.Client, media: Any) -> str:
        response = client.post(
            f"{API}/media/upload",
            files={"media": ("image", media.content, media.content_type)},
            data={"media_category": "tweet_image", "media_type": media.content_type},
        )
        raise_for_x_error(response)
        media_id = str(response.json()["data"]["id"])
        described = client.post(
            f"{API}/media/metadata", json={"id": media_id, "metadata": {"alt_text": {"text": media.alt_text}}}
        )
        raise_for_x_error(described)
        return media_id

    @staticmethod
    def _published(tweet: dict[str, Any], body: dict[str, Any], account: Account) -> Published:
        capture = tweet_capture(
            tweet, account_id=account.id, user_id=account.remote_id, users=_users(body), media=_media(body)
        )
        return Published.of(capture)


PUBLISHER = XPublisher()
