"""Bluesky's "Export my data": the account's repository as a CAR file (see :mod:`.car`).

The repository's commit names the account (``did``) and the root of its Merkle search tree, whose
keys are ``<collection>/<record key>``; the account's posts are the ``app.bsky.feed.post`` records,
each at ``at://<did>/app.bsky.feed.post/<record key>``, the id the API connector gives them. Images
are blobs, which the repository export does not hold: their references are kept in the metadata.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sigill.archive.capture import Kind
from sigill.connectors.base import iso_time
from sigill.connectors.exports.formats.car import CarError, Link, decode, read_car
from sigill.connectors.exports.formats.common import Found, Skipped, drawn_up
from sigill.connectors.exports.source import ExportRefused, ExportSource, Member

POST = "app.bsky.feed.post"


def _walk(blocks: dict[bytes, bytes], node_cid: Link) -> Iterator[tuple[str, Link]]:
    """The (key, record link) pairs of the tree under ``node_cid``, in key order."""
    node = decode(_block(blocks, node_cid))
    if isinstance(node.get("l"), Link):
        yield from _walk(blocks, node["l"])
    key = b""
    for entry in node.get("e") or []:
        key = key[: entry["p"]] + entry["k"]
        yield key.decode(), entry["v"]
        if isinstance(entry.get("t"), Link):
            yield from _walk(blocks, entry["t"])


def _block(blocks: dict[bytes, bytes], link: Link) -> bytes:
    try:
        return blocks[link.cid]
    except KeyError:
        raise CarError(f"the block {link} is missing: the file is incomplete") from None


def bluesky_repository(source: ExportSource, member: Member, account_id: int) -> Iterator[Found]:
    try:
        roots, blocks = read_car(source.read(member))
        commit = decode(_block(blocks, roots[0])) if roots else {}
        did = commit.get("did", "")
        if not did or not isinstance(commit.get("data"), Link):
            raise CarError("its root is not a repository commit (no did, no data)")
        records = list(_walk(blocks, commit["data"]))
        posts = [(key, decode(_block(blocks, link))) for key, link in records if key.startswith(f"{POST}/")]
    except (CarError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ExportRefused(
            _("%(file)s: the repository file cannot be read (%(error)s); nothing from the export was stored.")
            % {"file": member.path, "error": exc}
        ) from exc
    for key, record in posts:
        yield _post(did, key, record, account_id, f"{member.path}: {key}")


def _post(did: str, key: str, record: dict[str, Any], account_id: int, where: str) -> Found:
    if not record.get("createdAt"):
        return Skipped(gettext_noop("an entry without a time"), where)
    reply = record.get("reply") or {}
    parent = (reply.get("parent") or {}).get("uri", "")
    root = (reply.get("root") or {}).get("uri", "")
    embed = record.get("embed") or {}
    images = embed.get("images") or (embed.get("media") or {}).get("images") or []
    rkey = key.rsplit("/", 1)[-1]
    return drawn_up(
        account_id,
        platform_id=f"at://{did}/{key}",
        kind=Kind.POST if not parent else Kind.COMMENT if parent == root else Kind.REPLY,
        published_at=iso_time(record["createdAt"]),
        text=record.get("text", ""),
        parent_platform_id=parent,
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
        metadata={
            "langs": record.get("langs") or [],
            "images": [
                {"alt": image.get("alt", ""), "blob": str((image.get("image") or {}).get("ref", ""))}
                for image in images
                if isinstance(image, dict)
            ],
            "link": (embed.get("external") or {}).get("uri", ""),
            "quotes": ((embed.get("record") or {}).get("uri", "")),
        },
    )
