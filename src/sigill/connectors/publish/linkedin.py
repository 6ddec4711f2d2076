"""LinkedIn organisation pages (Posts API, versioned REST): ``POST /rest/posts`` as the
organisation, with the ``LinkedIn-Version`` header every request of the connector carries. Images
are registered first (``POST /rest/images?action=initializeUpload``), their bytes put to the
upload address, and named in the post's ``content`` with their ``altText``. The commentary is in
LinkedIn's "little text" format: reserved characters escaped, hashtags as ``{hashtag|\\#|tag}``.
A reply is a comment as the organisation (``POST /rest/socialActions/{urn}/comments``), on the post
or, with ``parentComment``, on a comment.

LinkedIn has no idempotency key. The answer names the new post in ``x-restli-id``; the post is read
back with the fields a sync reads. Finding a post: the organisation's newest posts (a reply: the
answered object's comments), one by the organisation with the same text, made since it was queued.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar
from urllib.parse import quote

import httpx2

from sigill.archive.capture import Kind
from sigill.connectors.base import epoch_ms
from sigill.connectors.platforms.linkedin import (
    HOST,
    comment_capture,
    image_urns,
    little_text,
    organisation_urn,
    post_capture,
    raise_for_linkedin_error,
)
from sigill.connectors.publish.base import (
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
)

MAX_TEXT = 3000
CLOCK_MARGIN = dt.timedelta(minutes=5)
RESERVED = re.compile(r"([\\|{}@\[\]()<>*_~])")
HASHTAG = re.compile(r"#(\w+)")


def commentary(text: str) -> str:
    """``text`` in the little text format: reserved characters escaped, hashtags as hashtags."""
    return HASHTAG.sub(r"{hashtag|\\#|\1}", RESERVED.sub(r"\\\1", text))


def _urn_path(urn: str) -> str:
    return quote(urn, safe="")


class LinkedInPublisher:
    slug: ClassVar[str] = "linkedin"
    abilities: ClassVar[Abilities] = Abilities((POST, IMAGE, REPLY), max_text=MAX_TEXT, max_images=20)

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        org = organisation_urn(account.remote_id)
        if post.reply_to is not None:
            return self._comment(client, account, post.text, post.reply_to)
        body: dict[str, Any] = {
            "author": org,
            "commentary": commentary(post.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        images = [{"id": self._upload(client, org, m.content), "altText": m.alt_text} for m in post.media]
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        response = create(client, "POST", f"{HOST}/rest/posts", json=body)
        raise_for_linkedin_error(response)
        urn = response.headers.get("x-restli-id") or (response.json() or {})["id"]
        read = client.get(f"{HOST}/rest/posts/{_urn_path(urn)}")
        raise_for_linkedin_error(read)
        return self._published(client, account, read.json())

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        org = organisation_urn(account.remote_id)
        since = (post.created_at or dt.datetime.now(dt.UTC)) - CLOCK_MARGIN
        if post.reply_to is not None:
            response = client.get(
                f"{HOST}/rest/socialActions/{_urn_path(post.reply_to.object_id)}/comments",
                params={"count": "50"},
            )
            raise_for_linkedin_error(response)
            for comment in response.json().get("elements", []):
                if (
                    comment.get("actor") == org
                    and epoch_ms(comment["created"]["time"]) >= since
                    and same_text((comment.get("message") or {}).get("text", ""), post.text)
                ):
                    return self._comment_published(comment, account, post.reply_to)
            return None
        response = client.get(
            f"{HOST}/rest/posts", params={"q": "author", "author": org, "count": "20", "sortBy": "CREATED"}
        )
        raise_for_linkedin_error(response)
        for found in response.json().get("elements", []):
            if epoch_ms(found["createdAt"]) >= since and same_text(
                little_text(found.get("commentary", "")), post.text
            ):
                return self._published(client, account, found)
        return None

    @staticmethod
    def _upload(client: httpx2.Client, org: str, content: bytes) -> str:
        response = client.post(
            f"{HOST}/rest/images",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": org}},
        )
        raise_for_linkedin_error(response)
        value = response.json()["value"]
        put = client.put(value["uploadUrl"], content=content)
        raise_for_linkedin_error(put)
        return str(value["image"])

    def _comment(self, client: httpx2.Client, account: Account, text: str, target: ReplyTarget) -> Published:
        body: dict[str, Any] = {"actor": organisation_urn(account.remote_id), "message": {"text": text}}
        if target.kind == Kind.POST:
            body["object"] = target.object_id
        else:
            # A comment's URN names the activity it is on: urn:li:comment:(urn:li:activity:…,<id>).
            body["object"] = re.sub(r"^urn:li:comment:\((.+),\d+\)$", r"\1", target.object_id)
            body["parentComment"] = target.object_id
        response = create(
            client, "POST", f"{HOST}/rest/socialActions/{_urn_path(target.object_id)}/comments", json=body
        )
        raise_for_linkedin_error(response)
        return self._comment_published(response.json(), account, target)

    @staticmethod
    def _comment_published(comment: dict[str, Any], account: Account, target: ReplyTarget) -> Published:
        kind = Kind.COMMENT if target.kind == Kind.POST else Kind.REPLY
        capture = comment_capture(
            comment,
            account_id=account.id,
            org=organisation_urn(account.remote_id),
            parent=target.object_id,
            kind=kind,
        )
        return Published.of(capture, url=f"https://www.linkedin.com/feed/update/{target.root_object_id}/")

    @staticmethod
    def _published(client: httpx2.Client, account: Account, found: dict[str, Any]) -> Published:
        images: dict[str, Any] = {}
        if urns := image_urns(found):
            ids = ",".join(_urn_path(urn) for urn in urns)
            response = client.get(f"{HOST}/rest/images?ids=List({ids})")
            if response.status_code not in (403, 404):
                raise_for_linkedin_error(response)
                images = response.json().get("results") or {}
        capture = post_capture(
            found, account_id=account.id, org=organisation_urn(account.remote_id), images=images
        )
        return Published.of(capture)


PUBLISHER = LinkedInPublisher()
