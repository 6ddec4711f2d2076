"""The e-archive package validates against the METS and PREMIS schemas it carries, and every
checksum in its METS files matches the file it names."""

from __future__ import annotations

import hashlib
import io
import tarfile
import tempfile
from pathlib import Path

import pytest
import xmlschema
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from sigill.archive import services as archive_services
from sigill.archive.models import Attachment, Item
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.records import selectors
from sigill.records.earchive.writer import METS, SCHEMAS, XLINK, write_package
from sigill.records.services import disclosure, retention
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.records.conftest import PERSONNUMMER, capture_thread


def mets_schema() -> xmlschema.XMLSchema:
    # mets.xsd names xlink by URL: point it at the copy beside it, so nothing is fetched.
    return xmlschema.XMLSchema(
        str(SCHEMAS / "mets.xsd"),
        locations=[(XLINK, str(SCHEMAS / "xlink.xsd"))],
        allow="local",
    )


def premis_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "premis.xsd"), allow="local")


def assert_valid_package(root: Path) -> None:
    mets = mets_schema()
    mets_files = [root / "METS.xml", *sorted(root.glob("representations/*/METS.xml"))]
    for mets_file in mets_files:
        mets.validate(str(mets_file))
        tree = etree.parse(str(mets_file))
        base = mets_file.parent
        for element in tree.iter(f"{{{METS}}}file", f"{{{METS}}}mdRef"):
            href = (
                element.find(f"{{{METS}}}FLocat").get(f"{{{XLINK}}}href")
                if element.tag.endswith("file")
                else element.get(f"{{{XLINK}}}href")
            )
            data = (base / href).read_bytes()
            assert hashlib.sha256(data).hexdigest() == element.get("CHECKSUM"), href
            assert len(data) == int(element.get("SIZE")), href
    premis_schema().validate(str(root / "metadata/preservation/premis.xml"))


def test_a_package_validates_and_its_checksums_match(library: Account, dana: User, tmp_path: Path) -> None:
    thread = capture_thread(library)
    archive_services.capture(
        [comment(library, "c-1", "Kommentar nummer 1, ändrad.", parent_platform_id="p-1")]
    )
    archive_services.capture([comment(library, "c-3", "", seen_gone=True, parent_platform_id="p-1")])
    request = disclosure.register_request(
        by=dana, received_at=thread[0].received_at, channel="email", description="x"
    )
    disclosure.add_records(request=request, items=Item.objects.filter(object_id="c-2"), by=dana)
    disclosure.redact(
        record=request.records.get(), passage=PERSONNUMMER, provision="OSL 26 kap. 1 §", by=dana
    )
    call_command("earchive_export", library.slug, "--out", str(tmp_path))
    (root,) = [path for path in tmp_path.iterdir() if path.name.startswith("sigill-")]
    assert_valid_package(root)
    assert len(list(root.glob("representations/rep1-json/data/records/*.json"))) == 10
    assert len(list(root.glob("representations/rep1-json/data/files/*"))) == 1
    premis = (root / "metadata/preservation/premis.xml").read_text()
    for event in ("capture", "modification", "deletion", "redaction"):
        assert f"<premis:eventType>{event}</premis:eventType>" in premis
    assert AuditEntry.objects.filter(act="records.earchive.exported").count() == 1


def test_the_registrar_downloads_a_package_with_the_button(library: Account, dana: User) -> None:
    capture_thread(library, comments=2)
    response = signed_in_client(dana).post(reverse("records:earchive"), {"account": library.pk})
    assert response.status_code == 200
    archive = tarfile.open(fileobj=io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    names = archive.getnames()
    assert any(name.endswith("/METS.xml") and name.count("/") == 1 for name in names)
    assert any(name.endswith("schemas/premis.xsd") for name in names)


def test_only_the_records_to_keep_go_into_an_only_kept_package(
    library: Account, dana: User, tmp_path: Path
) -> None:
    """A platform-wide rule keeps everything for a year; a narrower permanent rule keeps the
    library's posts for good: only the post is kept."""
    capture_thread(library, comments=4)
    retention.create_rule(
        by=dana, name="Facebook", decision="DHP § 1", platform=library.platform, keep_months=12
    )
    retention.create_rule(
        by=dana, name="Inlägg", decision="DHP § 2", account=library, kind="post", permanent=True
    )
    assert set(selectors.records_to_keep(library).values_list("object_id", flat=True)) == {"p-1"}
    summary = write_package(account=library, since=None, until=None, target=tmp_path, only_kept=True)
    assert_valid_package(summary.path)
    assert summary.items == 1
    assert len(list(summary.path.glob("representations/rep1-json/data/records/*.json"))) == 1


def test_the_records_to_keep_are_one_filter_however_many_items_there_are(
    library: Account, dana: User
) -> None:
    """No list of ids goes through Python: the query's parameters do not grow with the archive."""
    retention.create_rule(
        by=dana, name="Kommentarer", decision="DHP § 3", account=library, kind="comment", keep_months=12
    )
    capture_thread(library, comments=2)
    _sql, few = selectors.records_to_keep(library).query.sql_with_params()
    archive_services.capture(
        [comment(library, f"c-more-{n}", f"Fler {n}", parent_platform_id="p-1") for n in range(40)]
    )
    _sql, many = selectors.records_to_keep(library).query.sql_with_params()
    assert len(few) == len(many) < 10
    assert selectors.records_to_keep(library).count() == 1


def test_a_failed_export_leaves_no_temporary_folder(
    library: Account, dana: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored file gone missing stops the export; the half-written package is removed."""
    capture_thread(library, comments=1)
    for attachment in Attachment.objects.all():
        default_storage.delete(attachment.storage_name)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client = signed_in_client(dana)
    client.raise_request_exception = True
    with pytest.raises(FileNotFoundError):
        client.post(reverse("records:earchive"), {"account": library.pk})
    assert not list(tmp_path.glob("sigill-earchive-*"))
