"""Reading a CAR v1 file (content-addressed archive) of DAG-CBOR blocks, with the standard library.

Bluesky's "Export my data" (``com.atproto.sync.getRepo``) is a CAR v1 file: a varint-length-prefixed
DAG-CBOR header ``{version: 1, roots: [CID]}``, then blocks, each a varint length followed by the
block's CID and its bytes. DAG-CBOR is CBOR limited to definite lengths, with links to other blocks
as tag 42 (a byte string: 0x00 and the CID). No library is needed for that much.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from typing import Any


class CarError(ValueError):
    """The file is not a whole CAR v1 file of DAG-CBOR blocks; the message says where it broke."""


@dataclass(frozen=True)
class Link:
    """A DAG-CBOR link (tag 42): the CID's bytes."""

    cid: bytes

    def __str__(self) -> str:
        """The CID as its base32 multibase string (``bafy…``), as the AT Protocol writes it."""
        return "b" + base64.b32encode(self.cid).decode().lower().rstrip("=")


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data):
            raise CarError(f"a length runs past the end of the file at byte {at}")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise CarError(f"a length is malformed at byte {at}")


def _cid_end(data: bytes, at: int) -> int:
    """Where the CID starting at ``at`` ends (CID v1: version, codec, multihash code, length, digest)."""
    if data[at : at + 2] == b"\x12\x20":  # CID v0: a bare sha2-256 multihash
        return at + 34
    _version, at = _varint(data, at)
    _codec, at = _varint(data, at)
    _hash, at = _varint(data, at)
    length, at = _varint(data, at)
    return at + length


def read_car(data: bytes) -> tuple[list[Link], dict[bytes, bytes]]:
    """The roots and the blocks (by CID bytes) of a CAR v1 file; :class:`CarError` if it is not whole."""
    length, at = _varint(data, 0)
    header = decode(data[at : at + length])
    if not isinstance(header, dict) or header.get("version") != 1:
        raise CarError("the header is not that of a CAR version 1 file")
    at += length
    blocks: dict[bytes, bytes] = {}
    while at < len(data):
        length, start = _varint(data, at)
        end = start + length
        if end > len(data):
            raise CarError(f"the block at byte {at} runs past the end of the file: the file is cut off")
        cid_end = _cid_end(data, start)
        blocks[data[start:cid_end]] = data[cid_end:end]
        at = end
    return [r for r in header.get("roots", []) if isinstance(r, Link)], blocks


def decode(data: bytes) -> Any:
    value, at = _item(data, 0)
    if at != len(data):
        raise CarError("a block holds bytes after its value")
    return value


def _item(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise CarError("a block ends in the middle of a value")
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], at
        sizes = {25: (2, ">e"), 26: (4, ">f"), 27: (8, ">d")}
        if info in sizes:
            size, layout = sizes[info]
            return struct.unpack(layout, data[at : at + size])[0], at + size
        raise CarError(f"unknown CBOR simple value {info}")
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise CarError("indefinite lengths are not DAG-CBOR")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        if len(raw) != argument:
            raise CarError("a block ends in the middle of a string")
        return (raw if major == 2 else raw.decode("utf-8")), at + argument
    if major == 4:
        values = []
        for _ in range(argument):
            value, at = _item(data, at)
            values.append(value)
        return values, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _item(data, at)
            mapping[key], at = _item(data, at)
        return mapping, at
    value, at = _item(data, at)  # major 6: a tag
    if argument == 42 and isinstance(value, bytes) and value[:1] == b"\x00":
        return Link(value[1:]), at
    return value, at
