"""Streaming readers for export files: JSON (ijson), the X archive's ``window.YTD`` prefix, CSV.

Every reader checks the encoding first (exports are UTF-8; a UTF-16 file is refused by name, a
UTF-8 byte-order mark is skipped) and turns a parse error into :class:`ExportRefused` naming the
file and where it broke.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

import ijson
from django.utils.translation import gettext as _

from sigill.connectors.exports.source import ExportRefused


class _Stream(io.RawIOBase):
    """A binary stream that starts after ``skip`` leading bytes were consumed from ``head``."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        chunk = self.rest.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def broken_json(label: str, error: Exception) -> str:
    return _("%(file)s: the JSON is cut off or broken (%(error)s); nothing from the export was stored.") % {
        "file": label,
        "error": error,
    }


def utf8(stream: IO[bytes], *, label: str, skip_to: bytes | None = None) -> IO[bytes]:
    """``stream`` checked to be UTF-8 (BOM dropped); with ``skip_to``, from that byte on."""
    head = stream.read(64 * 1024)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:200]:
        raise ExportRefused(
            f"{label}: the file is UTF-16, not UTF-8 as platform exports are; it was not read."
        )
    head = head.removeprefix(codecs.BOM_UTF8)
    if skip_to is not None:
        at = head.find(skip_to)
        if at < 0:
            raise ExportRefused(
                _("%(file)s: the file does not start as an X archive file (window.YTD… = [).")
                % {"file": label}
            )
        head = head[at:]
    return io.BufferedReader(_Stream(head, stream), buffer_size=64 * 1024)


def json_items(stream: IO[bytes], prefix: str, *, label: str) -> Iterator[Any]:
    """The items at ``prefix`` (ijson syntax, e.g. ``item`` or ``comments_v2.item``), streamed."""
    try:
        yield from ijson.items(utf8(stream, label=label), prefix, use_float=True)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise ExportRefused(
            f"{label}: the JSON is cut off or broken ({exc}); nothing from the export was stored."
        ) from exc


def json_items_any_case(
    stream: IO[bytes], prefixes: Iterable[str], *, label: str
) -> Iterator[tuple[str, Any]]:
    """(prefix, item) for items whose path matches one of ``prefixes`` ignoring case (TikTok's keys
    change case between downloads)."""
    wanted = {p.lower(): p for p in prefixes}
    try:
        events = ijson.parse(utf8(stream, label=label), use_float=True)
        builder: Any = None
        matched = ""
        depth = 0
        for path, event, value in events:
            if builder is None:
                key = path.lower()
                if key in wanted and event in ("start_map", "start_array"):
                    builder, matched, depth = ijson.ObjectBuilder(), wanted[key], 0
                elif key in wanted and event in ("string", "number", "boolean", "null"):
                    yield wanted[key], value
                    continue
                else:
                    continue
            builder.event(event, value)
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 0:
                    yield matched, builder.value
                    builder = None
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise ExportRefused(
            f"{label}: the JSON is cut off or broken ({exc}); nothing from the export was stored."
        ) from exc


def csv_rows(stream: IO[bytes], *, label: str) -> Iterator[dict[str, str]]:
    text = io.TextIOWrapper(utf8(stream, label=label), encoding="utf-8", newline="")
    try:
        for row in csv.DictReader(text):
            if any((value or "").strip() for value in row.values()):
                yield {(k or "").strip(): (v or "") for k, v in row.items()}
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ExportRefused(
            _("%(file)s: the CSV cannot be read (%(error)s).") % {"file": label, "error": exc}
        ) from exc


def unmojibake(value: Any) -> Any:
    """Meta's exports write each UTF-8 byte as its own ``\\u00XX``: undo that, keys and values alike;
    a string that is not such mojibake (newer, clean exports) is kept as it is."""
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [unmojibake(v) for v in value]
    if isinstance(value, dict):
        return {unmojibake(k): unmojibake(v) for k, v in value.items()}
    return value
