"""What every export reader shares: the skipped-entry record, stable derived ids, the export's own
media files as attachments, and captures of what the account drew up or received."""

from __future__ import annotations

import hashlib
import io
import mimetypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sigill.archive.capture import Author, Capture, CapturedFile, Direction, Kind, Source
from sigill.connectors.exports.source import ExportSource, Member


@dataclass(frozen=True)
class Skipped:
    """An entry an export holds that is not imported: why (a ``gettext_noop`` text, translated where
    it is shown) and where (the file and its line or entry), so the run's report lists each one."""

    reason: str
    where: str = ""


Found = Capture | Skipped
Parser = Callable[[ExportSource, Member, int], Iterator[Found]]


class MemberFile(io.BytesIO):
    """An export's media file, read from the export only when the archive stores it."""

    def __init__(self, source: ExportSource, member: Member) -> None:
        super().__init__()
        self.source, self.member = source, member

    def read(self, size: int | None = -1) -> bytes:
        return self.source.read(self.member)


def derived_id(prefix: str, *parts: Any) -> str:
    """A stable id for an export entry that has none: the same entry in any download gives the same id."""
    return f"{prefix}-" + hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def export_file(source: ExportSource, uri: str) -> CapturedFile | None:
    """The export's own copy of a media file it names, or None when the download lacks it."""
    member = source.find(uri) if uri else None
    if member is None:
        return None
    content_type = mimetypes.guess_type(member.name)[0] or "application/octet-stream"
    return CapturedFile(name=member.name, content_type=content_type, content=MemberFile(source, member))


def export_files(source: ExportSource, uris: list[str]) -> tuple[tuple[CapturedFile, ...], list[str]]:
    """The files the export holds for ``uris``, and the uris it lacks (kept in the item's metadata)."""
    found, missing = [], []
    for uri in uris:
        captured = export_file(source, uri)
        if captured is None:
            missing.append(uri)
        else:
            found.append(captured)
    return tuple(found), missing


def drawn_up(account_id: int, **fields: Any) -> Capture:
    """What the account itself wrote, as its export holds it (upprättad)."""
    return Capture(account_id=account_id, source=Source.EXPORT, direction=Direction.DRAWN_UP, **fields)


def message(
    account_id: int,
    *,
    conversation: str,
    sent_by_account: bool,
    metadata: dict[str, Any] | None = None,
    **fields: Any,
) -> Capture:
    """A direct message from an export: drawn up when the account sent it, received when others did;
    its conversation's id in ``metadata["conversation"]`` (the message views thread on it)."""
    return Capture(
        account_id=account_id,
        source=Source.EXPORT,
        kind=Kind.MESSAGE,
        direction=Direction.DRAWN_UP if sent_by_account else Direction.RECEIVED,
        metadata={**(metadata or {}), "conversation": conversation},
        **fields,
    )


__all__ = ["Author", "Capture", "Found", "Kind", "MemberFile", "Parser", "Skipped", "derived_id"]
