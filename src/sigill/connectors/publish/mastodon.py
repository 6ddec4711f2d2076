"""Mastodon: ``POST /api/v1/statuses`` with an ``Idempotency-Key``, images and videos uploaded
first through ``POST /api/v2/media`` with their description (the alternative text).

A video is processed after upload (HTTP 202, ``url`` null): the status waits until
``GET /api/v1/media/:id`` gives its address. A reply names the answered status in
``in_reply_to_id``. Finding a post: the account's newest statuses, one with the same text (and
the same status answered), made since the post was queued.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, ClassVar

import httpx2

from sigill.connectors.base import html_to_text, iso_time
from sigill.connectors.platforms.mastodon import raise_for_mastodon_error, status_capture
from sigill.connectors.publish.base import (
    IMAGE,
    POST,
    REPLY,
    VIDEO,
    Abilities,
    Account,
    Post,
    Published,
    create,
    same_text,
)

# The default of an instance (mastodon.social, most municipal instances); an instance may allow more.
MAX_TEXT = 500
PROCESSING_WAIT = 2.0
PROCESSING_TRIES = 30
# How far back, before the post was queued, a status found on the platform may be ours (clocks).
CLOCK_MARGIN = dt.timedelta(minutes=5)


class MastodonPublisher:
    slug: ClassVar[str] = "mastodon"
    abilities: ClassVar[Abilities] = Abilities((POST, IMAGE, VIDEO, REPLY), max_text=MAX_TEXT, max_images=4)

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        base = account.api_base.rstrip("/")
        media_ids = [self._upload(client, base, media) for media in post.media]
        body: dict[str, Any] = {"status": post.text, "visibility": "public"}
        if media_ids:
            body["media_ids"] = media_ids
        if post.reply_to is not None:
            body["in_reply_to_id"] = post.reply_to.object_id
        # The instance answers a repeated key with the status it made the first time (for an hour).
        response = create(
            client, "POST", f"{base}/api/v1/statuses", json=body, headers={"Idempotency-Key": post.key}
        )
        raise_for_mastodon_error(response)
        return self._published(response.json(), account, post)

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        base = account.api_base.rstrip("/")
        response = client.get(
            f"{base}/api/v1/accounts/{account.remote_id}/statuses",
            params={"limit": "40", "exclude_reblogs": "true"},
        )
        raise_for_mastodon_error(response)
        answered = post.reply_to.object_id if post.reply_to is not None else None
        since = post.created_at - CLOCK_MARGIN if post.created_at else None
        for status in response.json():
            if since is not None and iso_time(status["created_at"]) < since:
                break  # newest first: the rest is older than the post
            if (status.get("in_reply_to_id") or None) == answered and same_text(
                html_to_text(status.get("content", "")), post.text
            ):
                return self._published(status, account, post)
        return None

    @staticmethod
    def _upload(client: httpx2.Client, base: str, media: Any) -> str:
        files = {"file": ("upload", media.content, media.content_type)}
        response = client.post(f"{base}/api/v2/media", files=files, data={"description": media.alt_text})
        raise_for_mastodon_error(response)
        attachment = response.json()
        for _ in range(PROCESSING_TRIES):
            if response.status_code != 202 and attachment.get("url"):
                break
            time.sleep(PROCESSING_WAIT)
            response = client.get(f"{base}/api/v1/media/{attachment['id']}")
            raise_for_mastodon_error(response)
            attachment = response.json()
        return str(attachment["id"])

    @staticmethod
    def _published(status: dict[str, Any], account: Account, post: Post) -> Published:
        root = post.reply_to.root_object_id if post.reply_to is not None else ""
        capture = status_capture(status, account_id=account.id, own_id=account.remote_id, root_id=root)
        return Published.of(capture)


PUBLISHER = MastodonPublisher()
