"""The installation a backup test backs up, and what must come back from it.

``make_demo_backup`` runs in a separate process against its own database (see test_backup.py):
it loads the demo, adds a captured file, notes the fingerprint, and writes the backup.
``fingerprint`` is computed again on the restored copy and must match.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO
from typing import Any

from django.core.files.storage import default_storage
from django.core.management import call_command

from sigill.archive import services as archive_services
from sigill.archive.capture import Author, Capture, CapturedFile, Direction, Kind, Source
from sigill.archive.models import ArchiveEvent, Attachment, Item, ItemFact, ItemVersion
from sigill.core.models import AuditEntry
from sigill.registry.models import Account
from sigill.vault.models import SEALED_FIELDS, Credential
from sigill.vault.services import open_field

# A tiny PNG (the 8-byte signature and an IHDR chunk): what a screenshot upload starts with.
PICTURE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"sigill"
# NUL, a C0 control, a lone surrogate and U+FFFF: PostgreSQL's text holds none of the first, UTF-8
# none of the third, XML none of them.
ODD_TEXT = "Hej\x00 kommunen\x07! Se \ud800 och \uffff."


def make_demo_backup(destination: str) -> None:
    """Seed the demo with a captured picture, print the fingerprint as JSON, then back up."""
    call_command("seed_demo", stdout=StringIO())
    account = Account.objects.order_by("pk").first()
    assert account is not None
    archive_services.capture(
        [
            Capture(
                account_id=account.pk,
                platform_id="backup-test-1",
                kind=Kind.POST,
                source=Source.MANUAL,
                direction=Direction.DRAWN_UP,
                published_at=dt.datetime(2025, 6, 1, 10, 0, 0, 123456, tzinfo=dt.UTC),
                text="Skärmbild av inlägget om sommarläsningen.",
                author=Author(display_name="Vara kommun"),
                attachments=(CapturedFile("skarmbild.png", "image/png", PICTURE),),
            )
        ]
    )
    # A comment whose text, author, metadata and file name held NUL and other characters no
    # database or XML can hold; it is stored the same (with U+FFFD) on SQLite and PostgreSQL.
    archive_services.capture(
        [
            Capture(
                account_id=account.pk,
                platform_id="backup-test-odd",
                kind=Kind.COMMENT,
                source=Source.EXPORT,
                direction=Direction.RECEIVED,
                published_at=dt.datetime(2025, 6, 2, 8, 30, tzinfo=dt.UTC),
                text=ODD_TEXT,
                author=Author(platform_id="odd\x00author", display_name="Sven\x00 Svensson"),
                metadata={"reactions\x00": {"like": 3, "note": "a\x00b\x1b"}},
                attachments=(CapturedFile("bild\x00.png", "image/png", PICTURE),),
            )
        ]
    )
    print(json.dumps(fingerprint()))  # noqa: T201 (read by the test that started this process)
    call_command("backup", destination, stdout=StringIO())


def odd_item() -> dict[str, Any]:
    """What the archive holds of the comment that arrived with characters no database can hold."""
    version = ItemVersion.objects.select_related("item").get(item__object_id="backup-test-odd")
    return {
        "text": version.text,
        "metadata": version.metadata,
        "author": [version.item.author_platform_id, version.item.author_name],
        "files": list(version.attachments.values_list("name", flat=True)),
    }


def fingerprint() -> dict[str, Any]:
    """Every sealed archive row and audit entry with its seal or hash, every credential's opened
    secrets (as SHA-256, so no secret is printed), and every stored file's own hash."""
    sealed: dict[str, list[list[Any]]] = {
        model.__name__: [[pk, seal] for pk, seal in model.objects.order_by("pk").values_list("pk", "seal")]
        for model in (Item, ItemVersion, Attachment, ItemFact)
    }
    sealed["ArchiveEvent"] = [
        list(row) for row in ArchiveEvent.objects.order_by("pk").values_list("pk", "hash")
    ]
    credentials = {
        str(credential.pk): {name: _sha256(open_field(credential, name).encode()) for name in SEALED_FIELDS}
        for credential in Credential.objects.order_by("pk")
    }
    files = {}
    for sha256 in Attachment.objects.values_list("sha256", flat=True).distinct():
        with default_storage.open(Attachment(sha256=sha256).storage_name, "rb") as stored:
            files[sha256] = _sha256(stored.read())
    return {
        "archive": sealed,
        "audit": [list(row) for row in AuditEntry.objects.order_by("pk").values_list("pk", "act", "hash")],
        "credentials": credentials,
        "files": files,
        "odd": odd_item(),
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
