"""Streaming readers for export files: JSON (ijson), the X archive's ``window.YTD`` prefix, CSV.

Every reader checks the encoding first (exports are UTF-8; a UTF-16 file is refused by name, a
UTF-8 byte-order mark is skipped) and turns a parse error into :class:`ExportRefused` naming the
file and where it broke.

Every reader is bounded, so that no shape of file can grow the work past what a real export needs
(the limits are settings, docs/configuration.md): each chunk of JSON is looked over by
:class:`JsonBounds` *before* the parser sees it, and refused when it nests deeper than
``EXPORT_MAX_DEPTH``, holds a value longer than ``EXPORT_MAX_VALUE_BYTES`` or an entry of more than
``EXPORT_MAX_ENTRY_VALUES`` values; a file of more than ``EXPORT_MAX_ENTRIES`` entries is refused
too. CSV lines and fields have the same length limit. (Without them a 392 KB file of nested
arrays grew the parser's memory with the square of its depth, and one long value its time with the
square of its length.)
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import IO, Any

import ijson
from django.conf import settings
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


# How much the JSON parser reads at a time. A value that crosses a chunk's end is scanned again
# from its start when the next chunk comes, so chunks as long as the longest value allowed keep
# that linear.
READ_BYTES = 1024 * 1024

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DELTA = tuple({ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}.get(b, 0) for b in range(256))
# The bytes of a number or a literal (true, false, null): a token made of these ends at anything else.
_BARE = b"0123456789+-.eEtrufalsn"


def _nesting(brackets: bytes, most: int) -> int:
    """How deep the pairs that open and close within ``brackets`` nest (at C speed, counting no
    further than ``most``): a bound that spares the exact count for all but chunks near the limit."""
    passes = 0
    while passes <= most:
        reduced = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(reduced) == len(brackets):
            return passes
        brackets, passes = reduced, passes + 1
    return passes


class JsonBounds:
    """A binary stream that checks the JSON passing through it, a chunk at a time, before the
    parser sees the chunk: nesting depth, the length of each value, and the number of values in
    the entry being read (:meth:`entry_done` starts a new entry). Past a limit it raises
    :class:`ExportRefused` naming the file, the limit and the byte where it was passed.

    It follows strings exactly (escapes never hide a quote), with C-speed operations on each
    chunk, so a normal export is read at the parser's own pace."""

    def __init__(self, stream: IO[bytes], *, label: str) -> None:
        self.stream, self.label = stream, label
        self.max_depth = settings.EXPORT_MAX_DEPTH
        self.max_value = settings.EXPORT_MAX_VALUE_BYTES
        self.max_values = settings.EXPORT_MAX_ENTRY_VALUES
        self.offset = 0  # bytes read before the current chunk
        self.depth = 0
        self.in_string = False
        self.escaped = False  # the last chunk ended inside a string with a lone backslash
        self.run = 0  # bytes of the string, or the number, running on at the end of the last chunk
        self.values = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        if chunk:
            self.offset += len(chunk)
            self._check(chunk)
        return chunk

    def entry_done(self) -> None:
        self.values = 0

    def refuse(self, message: str, limit: int) -> ExportRefused:
        return ExportRefused(
            _("%(file)s: %(problem)s (by byte %(offset)s); the file was not imported.")
            % {"file": self.label, "problem": message % {"limit": f"{limit:,}"}, "offset": f"{self.offset:,}"}
        )

    def _check(self, chunk: bytes) -> None:
        if self.escaped:
            chunk = b"e" + chunk[1:]
        text = _ESCAPE.sub(b"e", chunk) if b"\\" in chunk else chunk  # an escape: one byte of its string
        self.escaped = text.endswith(b"\\")
        parts = text.split(b'"')
        started_inside = self.in_string
        inside = parts[0::2] if started_inside else parts[1::2]
        outside = parts[1::2] if started_inside else parts[0::2]
        ends_inside = started_inside != (len(parts) % 2 == 0)
        lengths = list(map(len, inside))
        if started_inside and lengths:
            lengths[0] += self.run
        if max(lengths, default=0) > self.max_value:
            raise self.refuse(_("a value is longer than the %(limit)s bytes allowed"), self.max_value)
        bare_before = 0 if started_inside else self.run
        self.in_string = ends_inside
        self.run = lengths[-1] if ends_inside else 0
        code = b"".join(outside)
        self._check_bare(parts, started_inside, ends_inside, bare_before)
        brackets = code.translate(None, _NOT_BRACKETS)
        if brackets:
            opens = brackets.count(b"[") + brackets.count(b"{")
            end = self.depth + 2 * opens - len(brackets)
            if (
                max(self.depth, end) + _nesting(brackets, self.max_depth) > self.max_depth
                and self._peak(brackets) > self.max_depth
            ):
                raise self.refuse(
                    _("the JSON nests deeper than the %(limit)s levels allowed"), self.max_depth
                )
            self.depth = end
        # A value after the first in its container follows a comma; a container opens once.
        self.values += code.count(b",") + code.count(b"[") + code.count(b"{")
        if self.values > self.max_values:
            raise self.refuse(_("one entry holds more than the %(limit)s values allowed"), self.max_values)

    def _peak(self, brackets: bytes) -> int:
        return max(accumulate(map(_DELTA.__getitem__, brackets), initial=self.depth))

    def _check_bare(self, parts: list[bytes], started_inside: bool, ends_inside: bool, before: int) -> None:
        """A number (or literal) as long as a long string costs the parser as much."""
        if not started_inside:
            first = parts[0]
            lead = len(first) - len(first.lstrip(_BARE))
            if before + lead > self.max_value:
                raise self.refuse(_("a value is longer than the %(limit)s bytes allowed"), self.max_value)
            if len(parts) == 1 and lead == len(first):
                self.run = before + lead
                return
        if not ends_inside:
            last = parts[-1]
            self.run = len(last) - len(last.rstrip(_BARE))


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
    bounded = JsonBounds(utf8(stream, label=label), label=label)
    try:
        items = ijson.items(bounded, prefix, use_float=True, buf_size=READ_BYTES)
        for count, item in enumerate(items, start=1):
            if count > settings.EXPORT_MAX_ENTRIES:
                raise too_many_entries(label)
            bounded.entry_done()
            yield item
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
    bounded = JsonBounds(utf8(stream, label=label), label=label)
    count = 0
    try:
        events = ijson.parse(bounded, use_float=True, buf_size=READ_BYTES)
        builder: Any = None
        matched = ""
        depth = 0
        for path, event, value in events:
            if builder is None:
                key = path.lower()
                if key in wanted and event in ("start_map", "start_array"):
                    builder, matched, depth = ijson.ObjectBuilder(), wanted[key], 0
                elif key in wanted and event in ("string", "number", "boolean", "null"):
                    bounded.entry_done()
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
                    count += 1
                    if count > settings.EXPORT_MAX_ENTRIES:
                        raise too_many_entries(label)
                    bounded.entry_done()
                    yield matched, builder.value
                    builder = None
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise ExportRefused(
            f"{label}: the JSON is cut off or broken ({exc}); nothing from the export was stored."
        ) from exc


def too_many_entries(label: str) -> ExportRefused:
    return ExportRefused(
        _("%(file)s: holds more than the %(limit)s entries a file may hold; the file was not imported.")
        % {"file": label, "limit": f"{settings.EXPORT_MAX_ENTRIES:,}"}
    )


class BoundedLines:
    """The lines of a text stream, refusing a line longer than ``limit`` characters before it is
    read whole (a file without line ends would otherwise be read into memory at once)."""

    def __init__(self, text: IO[str], *, label: str, limit: int) -> None:
        self.text, self.label, self.limit = text, label, limit
        self.number = 0

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.limit:
            raise ExportRefused(
                _(
                    "%(file)s: line %(line)s is longer than the %(limit)s characters allowed; the file was not imported."
                )
                % {"file": self.label, "line": f"{self.number:,}", "limit": f"{self.limit:,}"}
            )
        return line


def csv_rows(stream: IO[bytes], *, label: str) -> Iterator[dict[str, str]]:
    text = io.TextIOWrapper(utf8(stream, label=label), encoding="utf-8", newline="")
    limit = settings.EXPORT_MAX_VALUE_BYTES
    csv.field_size_limit(limit)  # a quoted field over many lines is held to the same length
    lines = BoundedLines(text, label=label, limit=limit)
    reader = csv.DictReader(lines)
    try:
        for count, row in enumerate(reader, start=1):
            if count > settings.EXPORT_MAX_ENTRIES:
                raise too_many_entries(label)
            if any((value or "").strip() for value in row.values()):
                yield {(k or "").strip(): (v or "") for k, v in row.items()}
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ExportRefused(
            _("%(file)s: the CSV cannot be read at line %(line)s (%(error)s).")
            % {"file": label, "line": f"{lines.number:,}", "error": exc}
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
