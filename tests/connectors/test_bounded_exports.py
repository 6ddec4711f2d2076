"""Export files of hostile shapes (deep, wide, long, too many entries, duplicate zip members) are
refused with the limit named, before anything is stored and before the work grows."""

from __future__ import annotations

import json
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from sigill.archive import seal
from sigill.archive.models import ArchiveEvent, Item, ItemVersion
from sigill.connectors.exports.importing import import_export
from sigill.connectors.exports.source import ExportRefused
from sigill.connectors.models import CaptureRun
from sigill.organisation.models import Unit, User
from tests.connectors.test_exports import account_on

COMMENTS = "your_facebook_activity/comments_and_reactions/comments.json"


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


def a_comment(index: int, text: str = "Tack för svaret!") -> dict[str, Any]:
    return {
        "timestamp": 1_736_000_000 + index,
        "data": [{"comment": {"timestamp": 1_736_000_000 + index, "comment": text, "author": "Vara kommun"}}],
        "title": "Vara kommun kommenterade ett inlägg.",
    }


def export_with(tmp_path: Path, comments_json: bytes) -> Path:
    target = tmp_path / "export" / COMMENTS
    target.parent.mkdir(parents=True)
    target.write_bytes(comments_json)
    return tmp_path / "export"


def archive_state() -> dict[str, list[Any]]:
    """Every sealed row with its seal, and the chain's links: what a refused file must not change."""
    return {
        "items": list(Item.objects.order_by("pk").values_list("pk", "seal")),
        "versions": list(ItemVersion.objects.order_by("pk").values_list("pk", "text", "seal")),
        "events": list(ArchiveEvent.objects.order_by("pk").values_list("pk", "hash")),
    }


def refused_import(people: dict[str, Any], alice: User, location: Path) -> str:
    """Import the hostile ``location`` into a page that holds an earlier import; it is refused, and
    the archive is as it was (the earlier comment, its seal, the chain) and verifies."""
    page = account_on("facebook", people, "facebook.com/varakommun")
    earlier = location.parent / "earlier"
    export_with(earlier, json.dumps({"comments_v2": [a_comment(0, "Innan")]}).encode())
    import_export(account=page, location=earlier / "export", by=alice)
    before = archive_state()
    assert len(before["items"]) == 1

    with pytest.raises(ExportRefused) as refused:
        import_export(account=page, location=location, by=alice)

    run = CaptureRun.objects.filter(account=page).latest("started_at")
    assert run.outcome == CaptureRun.Outcome.REFUSED and run.error == refused.value.message
    assert archive_state() == before
    assert seal.verify().ok
    return refused.value.message


def test_a_file_nested_200000_levels_deep_is_refused_naming_the_depth_limit(
    people: dict[str, Any], alice: User, tmp_path: Path
) -> None:
    deep = b'{"comments_v2": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    message = refused_import(people, alice, export_with(tmp_path, deep))
    assert COMMENTS in message and "nests deeper than the 64 levels allowed" in message


def test_a_file_nested_within_the_limit_is_read(people: dict[str, Any], alice: User, tmp_path: Path) -> None:
    nested: Any = "djupt"
    for _ in range(50):
        nested = [nested]
    entry = a_comment(1) | {"extra": nested}
    page = account_on("facebook", people, "facebook.com/varakommun")
    run = import_export(
        account=page, location=export_with(tmp_path, json.dumps({"comments_v2": [entry]}).encode()), by=alice
    )
    assert run.outcome == CaptureRun.Outcome.SUCCEEDED and run.items == 1


def test_one_value_longer_than_the_limit_is_refused_naming_it(
    people: dict[str, Any], alice: User, tmp_path: Path, settings: Any
) -> None:
    settings.EXPORT_MAX_VALUE_BYTES = 10_000
    long = json.dumps({"comments_v2": [a_comment(1), a_comment(2, "å" * 20_000)]}).encode()
    message = refused_import(people, alice, export_with(tmp_path, long))
    assert COMMENTS in message and "a value is longer than the 10,000 bytes allowed" in message


def test_a_long_value_made_of_escapes_is_refused_too(
    people: dict[str, Any], alice: User, tmp_path: Path, settings: Any
) -> None:
    settings.EXPORT_MAX_VALUE_BYTES = 10_000
    escaped = (
        b'{"comments_v2": [{"timestamp": 1, "data": [{"comment": {"comment": "' + b'\\"' * 20_000 + b'"}}]}]}'
    )
    message = refused_import(people, alice, export_with(tmp_path, escaped))
    assert "a value is longer than the 10,000 bytes allowed" in message


def test_an_entry_of_a_million_empty_arrays_is_refused_naming_the_limit(
    people: dict[str, Any], alice: User, tmp_path: Path, settings: Any
) -> None:
    settings.EXPORT_MAX_ENTRY_VALUES = 50_000
    wide = b'{"comments_v2": [{"timestamp": 1, "data": [' + b"[]," * 100_000 + b"[]]}]}"
    message = refused_import(people, alice, export_with(tmp_path, wide))
    assert "one entry holds more than the 50,000 values allowed" in message


def test_a_file_of_more_entries_than_allowed_is_refused(
    people: dict[str, Any], alice: User, tmp_path: Path, settings: Any
) -> None:
    settings.EXPORT_MAX_ENTRIES = 3
    many = json.dumps({"comments_v2": [a_comment(i) for i in range(5)]}).encode()
    message = refused_import(people, alice, export_with(tmp_path, many))
    assert "more than the 3 entries a file may hold" in message


def test_a_csv_line_longer_than_the_limit_is_refused_with_its_line(
    people: dict[str, Any], alice: User, tmp_path: Path, settings: Any
) -> None:
    settings.EXPORT_MAX_VALUE_BYTES = 1000
    (tmp_path / "export").mkdir()
    (tmp_path / "export/Shares.csv").write_text(
        "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
        "2025-01-10 09:00:00,https://www.linkedin.com/feed/update/urn:li:share:1,Hej,,,PUBLIC\n"
        "2025-01-11 09:00:00,https://www.linkedin.com/feed/update/urn:li:share:2,"
        + "x" * 5000
        + ",,,PUBLIC\n",
        encoding="utf-8",
    )
    page = account_on("linkedin", people, "linkedin.com/company/varakommun")
    with pytest.raises(
        ExportRefused, match=r"Shares.csv: line 3 is longer than the 1,000 characters allowed"
    ):
        import_export(account=page, location=tmp_path / "export", by=alice)
    assert not Item.objects.exists()


def test_a_zip_with_two_members_of_the_same_name_is_refused(
    people: dict[str, Any], alice: User, tmp_path: Path
) -> None:
    export = tmp_path / "dubbel.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(export, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        archive.writestr(COMMENTS, json.dumps({"comments_v2": [a_comment(1)]}))
        archive.writestr(COMMENTS, json.dumps({"comments_v2": [a_comment(2)]}))
    message = refused_import(people, alice, export)
    assert f"the member “{COMMENTS}” is in the zip twice" in message


def test_nul_and_other_characters_no_database_can_hold_are_replaced_and_recorded(
    people: dict[str, Any], alice: User, tmp_path: Path
) -> None:
    """On PostgreSQL a NUL used to crash the import two thousand items in; now every item is stored,
    the same on both databases, with the replacement recorded in the sealed version."""
    entries = [a_comment(i) for i in range(2500)]
    entries[2100] = a_comment(2100, "Hej\u0000 kommunen\u0007!")
    export = export_with(tmp_path, json.dumps({"comments_v2": entries}).encode())
    page = account_on("facebook", people, "facebook.com/varakommun")
    run = import_export(account=page, location=export, by=alice)
    assert run.outcome == CaptureRun.Outcome.SUCCEEDED and run.items == 2500
    marked = [
        item
        for item in Item.objects.filter(account=page)
        if "replaced_characters" in item.versions.get().metadata
    ]
    assert len(marked) == 1
    version = marked[0].versions.get()
    assert version.text == "Hej\ufffd kommunen\ufffd!"
    assert version.metadata["replaced_characters"] == {"U+0000": 1, "U+0007": 1}
    again = import_export(account=page, location=export, by=alice)
    assert again.items == 0 and again.versions == 0, "the normalised text is the same text next time"
