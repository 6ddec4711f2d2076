"""Threads (the Threads API on graph.threads.net): a container, ``POST /{user-id}/threads``
(``media_type`` TEXT or IMAGE, the ``text``, an image's public address in ``image_url`` with its
``alt_text``, and ``reply_to_id`` for a reply), then ``POST /{user-id}/threads_publish`` with its
``creation_id``, which makes the post. Several images are a carousel of item containers.

No idempotency key. Finding a post: the account's newest threads (a reply: its replies), one with
the same text made since the post was queued.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import httpx2

from sigill.connectors.base import iso_time
from sigill.connectors.platforms.threads import (
    API,
    POST_FIELDS,
    REPLY_FIELDS,
    _id_of,
    post_capture,
    raise_for_threads_error,
    reply_capture,
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

MAX_TEXT = 500
CLOCK_MARGIN = dt.timedelta(minutes=5)


class ThreadsPublisher:
    slug: ClassVar[str] = "threads"
    abilities: ClassVar[Abilities] = Abilities((POST, IMAGE, REPLY), max_text=MAX_TEXT, max_images=20)

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        user = account.remote_id
        data: dict[str, str] = {"text": post.text, "media_type": "TEXT"}
        if len(post.media_urls) == 1:
            data |= {
                "media_type": "IMAGE",
                "image_url": post.media_urls[0],
                "alt_text": post.media[0].alt_text,
            }
        elif post.media_urls:
            children = [
                self._container(
                    client,
                    user,
                    {
                        "media_type": "IMAGE",
                        "image_url": url,
                        "alt_text": m.alt_text,
                        "is_carousel_item": "true",
                    },
                )
                for url, m in zip(post.media_urls, post.media, strict=True)
            ]
            data |= {"media_type": "CAROUSEL", "children": ",".join(children)}
        if post.reply_to is not None:
            data["reply_to_id"] = post.reply_to.object_id
        container = self._container(client, user, data)
        response = create(client, "POST", f"{API}/{user}/threads_publish", data={"creation_id": container})
        raise_for_threads_error(response)
        fields = REPLY_FIELDS if post.reply_to is not None else POST_FIELDS
        read = client.get(f"{API}/{response.json()['id']}", params={"fields": fields})
        raise_for_threads_error(read)
        return self._published(read.json(), account, post)

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        since = (post.created_at or dt.datetime.now(dt.UTC)) - CLOCK_MARGIN
        listing, fields = ("replies", REPLY_FIELDS) if post.reply_to is not None else ("threads", POST_FIELDS)
        response = client.get(
            f"{API}/{account.remote_id}/{listing}", params={"fields": fields, "limit": "50"}
        )
        raise_for_threads_error(response)
        answered = post.reply_to.object_id if post.reply_to is not None else ""
        for found in response.json().get("data", []):
            if (
                iso_time(found["timestamp"]) >= since
                and _id_of(found.get("replied_to")) == answered
                and same_text(found.get("text", ""), post.text)
            ):
                return self._published(found, account, post)
        return None

    @staticmethod
    def _container(client: httpx2.Client, user: str, data: dict[str, str]) -> str:
        response = client.post(f"{API}/{user}/threads", data=data)
        raise_for_threads_error(response)
        return str(response.json()["id"])

    @staticmethod
    def _published(found: dict[str, Any], account: Account, post: Post) -> Published:
        if post.reply_to is not None:
            root = _id_of(found.get("root_post")) or post.reply_to.root_object_id
            capture = reply_capture(found, account_id=account.id, user_id=account.remote_id, root_id=root)
        else:
            capture = post_capture(found, account_id=account.id, user_id=account.remote_id)
        return Published.of(capture)


PUBLISHER = ThreadsPublisher()
