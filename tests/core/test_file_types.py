"""Files are known by their first bytes: the formats an archive accepts, and nothing else."""

from __future__ import annotations

import pytest

from sigill.core.file_types import sniff


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00", "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00", "video/quicktime"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
        (b"\x1aE\xdf\xa3\x9fB\x86\x81", "video/webm"),
        ("Hej! Här är texten från storyn.".encode(), "text/plain"),
        ("Skärmbild".encode()[:-1] + "ä".encode()[:1], "text/plain"),  # cut inside a character
    ],
)
def test_a_format_the_archive_keeps_is_known_by_its_content(head: bytes, content_type: str) -> None:
    assert sniff(head) == content_type


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00\x03\x00",  # a Windows program
        b"\x7fELF\x02\x01\x01",  # a Linux program
        b"PK\x03\x04\x14\x00",  # a zip (or an Office file)
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # an old Office file
        b"",
        b"text with a \x00 byte",
        b"\xff\xfe\x00\x00latin",
    ],
)
def test_anything_else_is_refused(head: bytes) -> None:
    assert sniff(head) is None
