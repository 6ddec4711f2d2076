"""Bluesky's repository export (a CAR file) and Mastodon's account archive (outbox.json)."""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item
from sigill.connectors.exports.importing import import_export
from sigill.connectors.exports.source import ExportRefused
from sigill.organisation.models import Unit, User
from tests.connectors.conftest import JPEG, archived, latest_text
from tests.connectors.exportfiles import export_account, skipped_places, write

DID = "did:plc:vara7kommun2xq4rde3s5t6u"


class Cid(bytes):
    """A CID v1 (DAG-CBOR, sha2-256) of a block."""

    @classmethod
    def of(cls, block: bytes) -> Cid:
        return cls(b"\x01\x71\x12\x20" + hashlib.sha256(block).digest())


def cbor(value: Any) -> bytes:
    """DAG-CBOR as the AT Protocol writes it (map keys sorted by length, then bytes)."""

    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | info]) + n.to_bytes(size, "big")
        raise ValueError(n)

    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, Cid):
        return b"\xd8\x2a" + head(2, len(value) + 1) + b"\x00" + value
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
    return head(5, len(keys)) + b"".join(cbor(k) + cbor(value[k]) for k in keys)


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append(n & 0x7F | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def car(records: dict[str, dict[str, Any]]) -> bytes:
    """A repository CAR: a commit, a two-level search tree over ``records`` and the records."""
    blocks: list[bytes] = []

    def put(value: Any) -> Cid:
        block = cbor(value)
        blocks.append(block)
        return Cid.of(block)

    keys = sorted(records)
    links = {key: put(records[key]) for key in keys}

    def entries(part: list[str]) -> list[dict[str, Any]]:
        found, previous = [], b""
        for key in part:
            raw = key.encode()
            shared = next(
                (i for i, (a, b) in enumerate(zip(previous, raw, strict=False)) if a != b),
                min(len(previous), len(raw)),
            )
            found.append({"p": shared, "k": raw[shared:], "v": links[key], "t": None})
            previous = raw
        return found

    left = put({"l": None, "e": entries(keys[:1])})
    top = entries(keys[1:2])
    top[0]["t"] = put({"l": None, "e": entries(keys[2:])})
    root = put({"l": left, "e": top})
    commit = put(
        {"did": DID, "version": 3, "data": root, "rev": "3lbq2x7ab4c2d", "prev": None, "sig": b"\x01" * 64}
    )
    header = cbor({"roots": [commit], "version": 1})
    body = b"".join(varint(len(Cid.of(b)) + len(b)) + Cid.of(b) + b for b in blocks)
    return varint(len(header)) + header + body


POSTS: dict[str, dict[str, Any]] = {
    "app.bsky.feed.post/3lbq2aaaaaa2a": {
        "$type": "app.bsky.feed.post",
        "text": "Snöröjningen pågår i hela Vara ❄️ #vinter",
        "createdAt": "2025-01-14T05:50:00.000Z",
        "langs": ["sv"],
        "embed": {
            "$type": "app.bsky.embed.images",
            "images": [
                {
                    "alt": "Plogbil på torget",
                    "image": {"$type": "blob", "ref": Cid.of(JPEG), "mimeType": "image/jpeg", "size": 160},
                }
            ],
        },
    },
    "app.bsky.feed.post/3lbq2bbbbbb2b": {
        "$type": "app.bsky.feed.post",
        "text": "Ja, gång- och cykelvägar först!",
        "createdAt": "2025-01-14T07:15:00.000Z",
        "reply": {
            "root": {"uri": "at://did:plc:elsa/app.bsky.feed.post/3lbq1", "cid": "bafyrei"},
            "parent": {"uri": "at://did:plc:elsa/app.bsky.feed.post/3lbq1", "cid": "bafyrei"},
        },
    },
    "app.bsky.feed.like/3lbq2cccccc2c": {
        "$type": "app.bsky.feed.like",
        "subject": {"uri": "at://did:plc:elsa/app.bsky.feed.post/3lbq1", "cid": "bafyrei"},
        "createdAt": "2025-01-14T07:16:00.000Z",
    },
    "app.bsky.feed.post/3lbq2dddddd2d": {"$type": "app.bsky.feed.post", "text": "Utan tid"},
}


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals' wording is checked in English here; the pages show them in Swedish."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


def test_a_bluesky_repository_export_is_read_without_any_library(
    people: dict[str, Any], tmp_path: Path
) -> None:
    account = export_account("bluesky", "bsky.app/profile/varakommun.bsky.social", **people)
    write(tmp_path, "varakommun.car", car(POSTS))
    run = import_export(account=account, location=tmp_path / "varakommun.car", by=people["alice"])
    items = archived(account)
    post = items[f"at://{DID}/app.bsky.feed.post/3lbq2aaaaaa2a"]
    assert latest_text(post) == "Snöröjningen pågår i hela Vara ❄️ #vinter" and post.kind == Kind.POST
    assert post.versions.get().metadata["images"] == [
        {"alt": "Plogbil på torget", "blob": post.versions.get().metadata["images"][0]["blob"]}
    ]
    assert post.versions.get().metadata["images"][0]["blob"].startswith("bafyrei")
    reply = items[f"at://{DID}/app.bsky.feed.post/3lbq2bbbbbb2b"]
    assert (
        reply.kind == Kind.COMMENT and reply.parent_object_id == "at://did:plc:elsa/app.bsky.feed.post/3lbq1"
    )
    assert len(items) == 2, "likes are not posts"
    assert skipped_places(run) == {
        "an entry without a time": ["varakommun.car: app.bsky.feed.post/3lbq2dddddd2d"]
    }


def test_a_cut_off_repository_file_is_refused(people: dict[str, Any], tmp_path: Path) -> None:
    account = export_account("bluesky", "bsky.app/profile/varakommun.bsky.social", **people)
    whole = car(POSTS)
    write(tmp_path, "repo.car", whole[: len(whole) - 40])
    with pytest.raises(ExportRefused, match=r"repo\.car: the repository file cannot be read"):
        import_export(account=account, location=tmp_path / "repo.car", by=people["alice"])
    assert not Item.objects.filter(account=account).exists()


ACTOR = "https://social.vara.se/users/varakommun"


def activity(number: int, note: dict[str, Any], kind: str = "Create") -> dict[str, Any]:
    return {
        "id": f"{ACTOR}/statuses/{number}/activity",
        "type": kind,
        "actor": ACTOR,
        "published": note.get("published", "2025-01-14T05:50:00Z"),
        "to": note.get("to", []),
        "cc": note.get("cc", []),
        "object": note,
    }


def note(number: int, content: str, **more: Any) -> dict[str, Any]:
    return {
        "id": f"{ACTOR}/statuses/{number}",
        "type": "Note",
        "summary": None,
        "inReplyTo": None,
        "published": "2025-01-14T05:50:00Z",
        "url": f"https://social.vara.se/@varakommun/{number}",
        "attributedTo": ACTOR,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [f"{ACTOR}/followers"],
        "sensitive": False,
        "content": content,
        "attachment": [],
        "tag": [],
        **more,
    }


def test_a_mastodon_archive_with_media_edits_replies_and_direct_messages(
    people: dict[str, Any], tmp_path: Path
) -> None:
    account = export_account("mastodon", "social.vara.se/@varakommun", **people)
    outbox = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": 5,
        "orderedItems": [
            activity(
                113000000000000001,
                note(
                    113000000000000001,
                    "<p>Biblioteket öppnar kl. 10 &amp; stänger kl. 19.</p><p>Välkommen!</p>",
                    updated="2025-01-14T06:02:00Z",
                    attachment=[
                        {
                            "type": "Document",
                            "mediaType": "image/jpeg",
                            "url": "/media_attachments/files/113/000/000/000/000/001/original/bibliotek.jpg",
                            "name": "Bibliotekets entré",
                        }
                    ],
                ),
            ),
            activity(
                113000000000000002,
                note(
                    113000000000000002,
                    '<p><span class="h-card"><a href="https://mastodon.nu/@elsa">@elsa</a></span> Ja, även på lördagar.</p>',
                    summary="Öppettider",
                    inReplyTo="https://mastodon.nu/users/elsa/statuses/55",
                ),
            ),
            activity(
                113000000000000003,
                note(
                    113000000000000003,
                    "<p>@elsa Vi har tagit emot din fråga om bygglovet.</p>",
                    to=["https://mastodon.nu/users/elsa"],
                    cc=[],
                    conversation="tag:social.vara.se,2025-01-14:objectId=991:objectType=Conversation",
                ),
            ),
            {
                **activity(113000000000000004, {}, "Announce"),
                "object": "https://mastodon.nu/users/elsa/statuses/56",
            },
        ],
    }
    write(tmp_path, "outbox.json", json.dumps(outbox, ensure_ascii=False))
    write(tmp_path, "media_attachments/files/113/000/000/000/000/001/original/bibliotek.jpg", JPEG)
    run = import_export(account=account, location=tmp_path, by=people["alice"])
    items = archived(account)
    post = items["113000000000000001"]
    assert latest_text(post) == "Biblioteket öppnar kl. 10 & stänger kl. 19.\n\nVälkommen!"
    version = post.versions.get()
    assert version.edited_at is not None and version.attachments.count() == 1
    reply = items["113000000000000002"]
    assert reply.kind == Kind.REPLY and latest_text(reply).startswith("Öppettider\n\n@elsa Ja")
    assert reply.parent_object_id == "https://mastodon.nu/users/elsa/statuses/55"
    direct = items["113000000000000003"]
    assert direct.kind == Kind.MESSAGE and direct.direction == Direction.DRAWN_UP
    assert direct.versions.get().metadata["conversation"].startswith("tag:social.vara.se")
    assert skipped_places(run) == {"a boost of another account's post": ["outbox.json: orderedItems #4"]}
