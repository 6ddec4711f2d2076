"""Bluesky (AT Protocol): ``com.atproto.repo.createRecord`` of an ``app.bsky.feed.post`` on the
account's PDS, images uploaded first with ``com.atproto.repo.uploadBlob`` and embedded with their
alternative text; links marked as link facets (byte offsets) so they can be followed. A reply
carries its ``reply`` refs: the answered post's URI and CID (its ``parent``) and its thread's root,
read with ``app.bsky.feed.getPosts``.

The record key is derived from the outbox's row (a TID from the time it was queued and its key),
so a second create of the same post would collide rather than post twice, and finding it is
``com.atproto.repo.getRecord`` of that key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any, ClassVar

import httpx2

from sigill.connectors import http
from sigill.connectors.platforms.bluesky import PDS, post_capture, raise_for_bluesky_error
from sigill.connectors.publish.base import IMAGE, POST, REPLY, Abilities, Account, Post, Published, create

COLLECTION = "app.bsky.feed.post"
# Bluesky counts graphemes; characters are never fewer, so this refuses no text Bluesky would take
# without saying so.
MAX_TEXT = 300
BASE32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
LINK = re.compile(r"https?://[^\s]+[^\s.,;:!?)\]]")
CDN = "https://cdn.bsky.app/img/feed_fullsize/plain"


def record_key(post: Post) -> str:
    """A TID (13 base32-sortable characters: microseconds since 1970, then a 10-bit clock id) from
    when the post was queued and its key: the same for every try of one post."""
    moment = post.created_at or dt.datetime.now(dt.UTC)
    micros = int(moment.timestamp() * 1_000_000)
    clock = int.from_bytes(hashlib.sha256(post.key.encode()).digest()[:2], "big") % 1024
    number = (micros << 10) | clock
    return "".join(BASE32_SORTABLE[(number >> (5 * i)) & 31] for i in reversed(range(13)))


def link_facets(text: str) -> list[dict[str, Any]]:
    facets = []
    for match in LINK.finditer(text):
        start = len(text[: match.start()].encode())
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": start + len(match.group().encode())},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group()}],
            }
        )
    return facets


class BlueskyPublisher:
    slug: ClassVar[str] = "bluesky"
    abilities: ClassVar[Abilities] = Abilities((POST, IMAGE, REPLY), max_text=MAX_TEXT, max_images=4)

    def publish(self, client: httpx2.Client, account: Account, post: Post) -> Published:
        pds = (account.api_base or PDS).rstrip("/")
        created = (post.created_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        record: dict[str, Any] = {
            "$type": COLLECTION,
            "text": post.text,
            "createdAt": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "langs": ["sv"],
        }
        if facets := link_facets(post.text):
            record["facets"] = facets
        if post.media:
            record["embed"] = {
                "$type": "app.bsky.embed.images",
                "images": [{"alt": m.alt_text, "image": self._upload(client, pds, m)} for m in post.media],
            }
        if post.reply_to is not None:
            record["reply"] = self._reply_refs(client, pds, post.reply_to.object_id)
        body = {
            "repo": account.remote_id,
            "collection": COLLECTION,
            "rkey": record_key(post),
            "record": record,
        }
        response = create(client, "POST", f"{pds}/xrpc/com.atproto.repo.createRecord", json=body)
        raise_for_bluesky_error(response)
        made = response.json()
        return self._published(account, made["uri"], made["cid"], record)

    def find(self, client: httpx2.Client, account: Account, post: Post) -> Published | None:
        pds = (account.api_base or PDS).rstrip("/")
        response = client.get(
            f"{pds}/xrpc/com.atproto.repo.getRecord",
            params={"repo": account.remote_id, "collection": COLLECTION, "rkey": record_key(post)},
        )
        if response.status_code == 400 and (http.json_of(response) or {}).get("error") == "RecordNotFound":
            return None
        raise_for_bluesky_error(response)
        found = response.json()
        return self._published(account, found["uri"], found["cid"], found["value"])

    @staticmethod
    def _upload(client: httpx2.Client, pds: str, media: Any) -> dict[str, Any]:
        response = client.post(
            f"{pds}/xrpc/com.atproto.repo.uploadBlob",
            content=media.content,
            headers={"Content-Type": media.content_type},
        )
        raise_for_bluesky_error(response)
        return dict(response.json()["blob"])

    @staticmethod
    def _reply_refs(client: httpx2.Client, pds: str, parent_uri: str) -> dict[str, Any]:
        response = client.get(f"{pds}/xrpc/app.bsky.feed.getPosts", params={"uris": parent_uri})
        raise_for_bluesky_error(response)
        posts = response.json().get("posts", [])
        if not posts:
            raise http.Gone("Bluesky: the answered post is no longer there")
        parent = {"uri": posts[0]["uri"], "cid": posts[0]["cid"]}
        root = ((posts[0].get("record") or {}).get("reply") or {}).get("root") or parent
        return {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent}

    @staticmethod
    def _published(account: Account, uri: str, cid: str, record: dict[str, Any]) -> Published:
        """The post as a feed shows it (a PostView), so the archive holds what a sync captures."""
        did = account.remote_id
        images = (record.get("embed") or {}).get("images", [])
        view = {
            "uri": uri,
            "cid": cid,
            "author": {"did": did},
            "record": record,
            "indexedAt": record["createdAt"],
            "embed": {
                "$type": "app.bsky.embed.images#view",
                "images": [
                    {"fullsize": f"{CDN}/{did}/{i['image']['ref']['$link']}@jpeg", "alt": i.get("alt", "")}
                    for i in images
                ],
            },
        }
        capture = post_capture(view, account_id=account.id, did=did)
        return Published.of(capture)


PUBLISHER = BlueskyPublisher()
