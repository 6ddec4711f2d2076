"""What a file is, read from its first bytes: the formats an archive accepts as evidence.

A file's name and the type a browser sends are the sender's word; the archive keeps PDF, pictures,
plain text and video, and knows which by their content (their magic numbers).
"""

from __future__ import annotations

from typing import IO

HEAD_BYTES = 8192

_MAGIC: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"ftyp", 4, "video/mp4"),  # MP4, MOV and HEIC share the ISO base media box; see below
    (b"\x1aE\xdf\xa3", 0, "video/webm"),
]
_ISO_BRANDS = {
    b"qt  ": "video/quicktime",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heic",
}


def sniff(head: bytes) -> str | None:
    """The content type of a file beginning with ``head``, or None when it is not one the archive
    accepts (PDF, PNG, JPEG, GIF, WebP, HEIC, MP4, QuickTime, WebM, or UTF-8 text)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, offset, content_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "video/mp4":
                return _ISO_BRANDS.get(head[8:12], content_type)
            return content_type
    return "text/plain" if _is_text(head) else None


def sniff_upload(upload: IO[bytes]) -> str | None:
    """:func:`sniff` on an uploaded file, which is left at its start."""
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return sniff(head)


_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13}) + b"\x7f"


def _is_text(head: bytes) -> bool:
    """UTF-8 without control characters (tabs and line breaks aside): what people write."""
    if not head or any(byte in _CONTROL for byte in head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is still text.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True
