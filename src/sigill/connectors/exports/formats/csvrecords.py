"""LinkedIn's CSV files as they really are, read record by record without losing one.

LinkedIn writes some messages unquoted even when they run over several lines or hold commas, escapes
quotes inside quoted fields both as ``""`` and as ``\\"``, and wraps each line after the first of a
share's text in doubled quotes. A record of a file whose first column is the date starts with a
line that begins with a date; in any other file a record ends at a line end outside quotes.

A file that is cut off is refused, naming the line: its last record ends inside a quoted field, has
fewer fields than the header, or the file does not end with a line end as every real export does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from sigill.connectors.exports import reading
from sigill.connectors.exports.source import ExportRefused, ExportSource, Member

DATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: UTC)?,")


@dataclass(frozen=True)
class Record:
    line: int  # the line the record starts on, counting the header as line 1
    fields: list[str]


def _scan(text: str) -> tuple[list[str], bool]:
    """The fields of one record (line ends inside it are part of the field they are in), and whether
    it ends outside quotes. Inside quotes ``""`` and ``\\"`` are a quote."""
    fields: list[str] = []
    field: list[str] = []
    quoted = at_start = True
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\" and text[i + 1 : i + 2] == '"':
                field.append('"')
                i += 2
                continue
            if char == '"':
                if text[i + 1 : i + 2] == '"':
                    field.append('"')
                    i += 2
                    continue
                quoted = False
            else:
                field.append(char)
        elif char == ",":
            fields.append("".join(field))
            field, at_start = [], True
            i += 1
            continue
        elif char == '"' and at_start:
            quoted = True
        else:
            field.append(char)
        at_start = False
        i += 1
    fields.append("".join(field))
    return fields, not quoted


def _lines(source: ExportSource, member: Member) -> Iterator[str]:
    with source.open(member) as stream:
        text = io.TextIOWrapper(reading.utf8(stream, label=member.path), encoding="utf-8", newline="")
        try:
            # Bounded like every reader: a line longer than EXPORT_MAX_VALUE_BYTES is refused
            # before it is read whole.
            yield from reading.BoundedLines(text, label=member.path, limit=settings.EXPORT_MAX_VALUE_BYTES)
        except UnicodeDecodeError as exc:
            raise ExportRefused(
                _("%(file)s: the CSV cannot be read (%(error)s).") % {"file": member.path, "error": exc}
            ) from exc


def _cut_off(member: Member, line: int, why: str) -> ExportRefused:
    return ExportRefused(
        _("%(file)s: the file is cut off at line %(line)s (%(why)s); nothing from the export was stored.")
        % {"file": member.path, "line": line, "why": why}
    )


def records(source: ExportSource, member: Member, *, free_text: str) -> tuple[list[str], Iterator[Record]]:
    """The header (names lower-cased) and the records of a LinkedIn CSV file. ``free_text`` names the
    column that may hold unquoted commas: the fields a record has too many are joined back into it."""
    lines = _lines(source, member)
    first = next(lines, "")
    header = [name.strip().lower() for name in next(csv.reader([first]), [])]
    return header, _records(member, header, lines, free_text=free_text)


def _records(member: Member, header: list[str], lines: Iterator[str], *, free_text: str) -> Iterator[Record]:
    dated = bool(header) and header[0] == "date"
    pending: list[str] = []
    start = line_number = 1
    last = ""
    for line_number, line in enumerate(lines, 2):
        last = line
        if pending and _ends_record(pending, line, dated=dated):
            yield _record(member, header, "".join(pending), start, free_text=free_text)
            pending = []
        if not pending:
            start = line_number
            if not line.strip():
                continue  # a blank line between records
        pending.append(line)
    if pending:
        text = "".join(pending)
        fields, closed = _scan(text.rstrip("\r\n"))
        if not closed:
            raise _cut_off(member, start, _("a quoted field never ends"))
        if not last.endswith("\n"):
            raise _cut_off(member, line_number, _("the last line has no line end"))
        if len(fields) < len(header):
            raise _cut_off(member, start, _("the last record has fewer fields than the header"))
        yield _record(member, header, text, start, free_text=free_text)


def _ends_record(pending: list[str], line: str, *, dated: bool) -> bool:
    """Whether ``pending`` is a whole record, given the line that follows it."""
    _fields, closed = _scan("".join(pending))
    if not closed:
        return False
    return bool(DATED.match(line)) if dated else True


def _record(member: Member, header: list[str], text: str, start: int, *, free_text: str) -> Record:
    body = text.rstrip("\r\n")
    if '\\"' not in body:
        # What Python's csv module reads, wherever it reads the record whole: the same text as ever.
        rows = list(csv.reader(io.StringIO(body, newline="")))
        if len(rows) == 1 and len(rows[0]) == len(header):
            return Record(start, rows[0])
    fields, _closed = _scan(body)
    if len(fields) > len(header) and free_text in header:
        at = header.index(free_text)
        extra = len(fields) - len(header)
        fields = [*fields[:at], ",".join(fields[at : at + extra + 1]), *fields[at + extra + 1 :]]
    return Record(start, fields)
