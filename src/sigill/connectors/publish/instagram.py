"""Instagram professional accounts (Instagram Graph API, content publishing).

A post is made in two steps: a container, ``POST /{ig-user-id}/media`` with the image's public
address (``image_url``: Instagram fetches the file, from Sigill's signed, expiring address), the
``caption`` and the ``alt_text``; then ``POST /{ig-user-id}/media_publish`` with its
``creation_id``, which makes the post. Several images are a carousel: a container per image
(``is_carousel_item``), then one ``CAROUSEL`` container naming them as ``children``. Instagram has no
text-only posts. The first comment is ``POST /{ig-media-id}/comments``; a reply is
``POST /{ig-comment-id}/replies`` (to a comment) or a comment on the media (to a post).

No idempotency key. Finding a post: the account's newest media, one with the same caption made
since the post was queued (a reply: the answered object's replies or comments, by the account).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import httpx2

from sigill.archive.capture import Kind
from sigill.connectors import http
from sigill.connectors.base import iso_time
from sigill.connectors.platforms.facebook import GRAPH, raise_for_graph_error
from sigill.connectors.platforms.instagram import MEDIA_FIELDS, REPLY_FIELDS, comment_capture, media_capture
from sigill.connectors.publish.base import (
    FIRST_COMMENT,
    IMAGE,
    POST,
    REPLY,
    Abilities,
    Account,
    Post,
    Published,
    ReplyTarget,
    create,
    same_text,
    with_first_comment,
)

MAX_TEXT = 2200
CLOCK_MARGIN = dt.timedelta(minutes=5)
COMMENT_READ = f"{REPLY_FIELDS},media"


class InstagramPublisher:
    slug: ClassVar[str] = "instagram"
    abilities: ClassVar[Abilities] = Abilities(
        (POST, IMAGE, FIRST_COMMENT, REPLY), max_text=MAX_TEXT, max_images=10, needs_media=True
    )

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        if post.reply_to is not None:
            if post.media:
                raise http.Refused("Sigill publishes replies on Instagram as text only")
            return self._reply(client, account, post.text, post.reply_to)
        user = account.remote_id
        if len(post.media_urls) == 1:
            container = self._container(
                client,
                user,
                {"image_url": post.media_urls[0], "alt_text": post.media[0].alt_text, "caption": post.text},
            )
        else:
            children = [
                self._container(
                    client, user, {"image_url": url, "alt_text": m.alt_text, "is_carousel_item": "true"}
                )
                for url, m in zip(post.media_urls, post.media, strict=True)
            ]
            container = self._container(
                client, user, {"media_type": "CAROUSEL", "children": ",".join(children), "caption": post.text}
            )
        response = create(client, "POST", f"{GRAPH}/{user}/media_publish", data={"creation_id": container})
        raise_for_graph_error(response)
        published = self._media(client, account, str(response.json()["id"]))
        if post.first_comment.strip():
            text, on = post.first_comment, published.platform_id
            return with_first_comment(published, lambda: self._first_comment(client, account, on, text))
        return published

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        since = (post.created_at or dt.datetime.now(dt.UTC)) - CLOCK_MARGIN
        if post.reply_to is not None:
            target = post.reply_to
            listing = "comments" if target.kind == Kind.POST else "replies"
            response = client.get(
                f"{GRAPH}/{target.object_id}/{listing}", params={"fields": COMMENT_READ, "limit": "50"}
            )
            raise_for_graph_error(response)
            for comment in response.json().get("data", []):
                mine = str((comment.get("from") or {}).get("id", "")) == account.remote_id
                if (
                    mine
                    and iso_time(comment["timestamp"]) >= since
                    and same_text(comment.get("text", ""), post.text)
                ):
                    return self._comment_published(comment, account, target.root_object_id)
            return None
        response = client.get(
            f"{GRAPH}/{account.remote_id}/media", params={"fields": MEDIA_FIELDS, "limit": "25"}
        )
        raise_for_graph_error(response)
        for media in response.json().get("data", []):
            if iso_time(media["timestamp"]) >= since and same_text(media.get("caption", ""), post.text):
                return self._published(media, account)
        return None

    @staticmethod
    def _container(client: httpx2.Client, user: str, data: dict[str, str]) -> str:
        response = client.post(f"{GRAPH}/{user}/media", data=data)
        raise_for_graph_error(response)
        return str(response.json()["id"])

    def _media(self, client: httpx2.Client, account: Account, media_id: str) -> Published:
        response = client.get(f"{GRAPH}/{media_id}", params={"fields": MEDIA_FIELDS})
        raise_for_graph_error(response)
        return self._published(response.json(), account)

    @staticmethod
    def _published(media: dict[str, Any], account: Account) -> Published:
        capture = media_capture(media, account_id=account.id, user_id=account.remote_id)
        return Published.of(capture)

    def _reply(self, client: httpx2.Client, account: Account, text: str, target: ReplyTarget) -> Published:
        listing = "comments" if target.kind == Kind.POST else "replies"
        response = create(client, "POST", f"{GRAPH}/{target.object_id}/{listing}", data={"message": text})
        raise_for_graph_error(response)
        return self._comment(client, account, str(response.json()["id"]), target.root_object_id)

    def _comment(self, client: httpx2.Client, account: Account, comment_id: str, media_id: str) -> Published:
        response = client.get(f"{GRAPH}/{comment_id}", params={"fields": COMMENT_READ})
        raise_for_graph_error(response)
        return self._comment_published(response.json(), account, media_id)

    @staticmethod
    def _comment_published(comment: dict[str, Any], account: Account, media_id: str) -> Published:
        capture = comment_capture(
            comment, account_id=account.id, user_id=account.remote_id, media_id=media_id
        )
        return Published.of(capture)

    def _first_comment(self, client: httpx2.Client, account: Account, on: str, text: str) -> Published:
        response = client.post(f"{GRAPH}/{on}/comments", data={"message": text})
        raise_for_graph_error(response)
        return self._comment(client, account, str(response.json()["id"]), on)


PUBLISHER = InstagramPublisher()
