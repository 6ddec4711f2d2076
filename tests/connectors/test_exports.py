"""Export files: each platform's download imported into the archive, safely and only once."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sigill.archive.capture import Direction, Kind, Source
from sigill.archive.models import Item
from sigill.connectors.exports.importing import import_export
from sigill.connectors.exports.source import ExportRefused
from sigill.connectors.models import CaptureRun
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.connectors.conftest import FIXTURES, archived, latest_text
from tests.registry.fixtures import account_data, activate


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals' wording is checked in English here; the pages show them in Swedish."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}


def account_on(platform: str, people: dict[str, Any], url: str) -> Account:
    """An active account with no API connection: exports need none."""
    account = registry_services.create_account(
        data=account_data(
            people["units"]["kommunikation"],
            url=url,
            platform=platform,
            display_name="Vara kommun",
            responsible=people["erik"],
            deputy=people["bob"],
        ),
        by=people["alice"],
    )
    return activate(account, people["alice"])


def test_a_facebook_export_zip_is_imported_with_its_mojibake_repaired_and_its_photos(
    people: dict[str, Any], alice: User
) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    run = import_export(
        account=page,
        location=FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip",
        by=alice,
    )
    assert run.outcome == CaptureRun.Outcome.SUCCEEDED and run.items > 0
    items = list(Item.objects.filter(account=page))
    texts = [latest_text(i) for i in items]
    assert any("Snöröjningen är i full gång" in t for t in texts)
    assert not any("Ã" in t for t in texts), "no latin-1 mojibake is left"
    assert {i.source for i in items} == {Source.EXPORT} and {i.direction for i in items} == {
        Direction.DRAWN_UP
    }
    assert any(i.versions.get().attachments.exists() for i in items if i.kind == Kind.POST)
    replies = [i for i in items if i.kind == Kind.REPLY]
    assert replies and any("Åke" in latest_text(i) for i in replies)
    assert run.details["skipped"], "the sticker-only comment and the bare check-in are reported"
    assert AuditEntry.objects.filter(act="connectors.export.imported", actor=alice).count() == 1


def test_importing_the_same_export_twice_adds_nothing(people: dict[str, Any], alice: User) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    export = FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip"
    first = import_export(account=page, location=export, by=alice)
    second = import_export(account=page, location=export, by=alice)
    assert first.items > 0 and (second.items, second.versions) == (0, 0)
    assert second.details["total"] == first.details["total"]


def test_an_unpacked_folder_in_the_old_layout_is_imported_too(
    people: dict[str, Any], alice: User, tmp_path: Path
) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    (tmp_path / "posts").mkdir()
    (tmp_path / "comments").mkdir()
    shutil.copy(FIXTURES / "facebook/dyi-export/your_posts_1.json", tmp_path / "posts/your_posts_1.json")
    shutil.copy(FIXTURES / "facebook/dyi-export/comments.json", tmp_path / "comments/comments.json")
    run = import_export(account=page, location=tmp_path, by=alice)
    assert run.details["found"][Kind.POST] >= 3 and run.details["found"][Kind.COMMENT] >= 1


def test_an_x_archive_with_its_window_ytd_prefix(people: dict[str, Any], alice: User, tmp_path: Path) -> None:
    account = account_on("x", people, "x.com/varakommun")
    shutil.copytree(FIXTURES / "x/archive", tmp_path / "archive")
    import_export(account=account, location=tmp_path / "archive", by=alice)
    items = archived(account)
    edited = items["1935246099870691378"]
    assert edited.versions.count() == 2, "both versions of the edited post, under its first id"
    assert all("&amp;" not in latest_text(i) for i in items.values())
    assert edited.published_at.tzinfo is not None


def test_linkedin_shares_csv_with_its_broken_multiline_quoting(people: dict[str, Any], alice: User) -> None:
    account = account_on("linkedin", people, "linkedin.com/company/vara-kommun")
    import_export(account=account, location=FIXTURES / "linkedin/member-export", by=alice)
    post = archived(account)["urn:li:share:7341288374650192837"]
    text = latest_text(post)
    assert text.startswith("Vi söker sommarvikarier till äldreomsorgen! ☀️\n\n𝗩𝗔𝗗?")
    assert '"gör skillnad på riktigt"' in text and '"\n' not in text
    assert post.published_at == dt.datetime(2025, 6, 19, 7, 2, 41, tzinfo=dt.UTC)


def test_a_tiktok_data_download(people: dict[str, Any], alice: User) -> None:
    account = account_on("tiktok", people, "tiktok.com/@varakommun")
    run = import_export(account=account, location=FIXTURES / "tiktok/data-download", by=alice)
    items = archived(account)
    assert items["7515029384756102938"].kind == Kind.POST
    comments = [i for i in items.values() if i.kind == Kind.COMMENT]
    assert comments and all(c.parent_object_id for c in comments)
    assert run.details["found"][Kind.POST] >= 2


def test_instagram_posts_and_both_comment_layouts(people: dict[str, Any], alice: User) -> None:
    account = account_on("instagram", people, "instagram.com/varakommun")
    run = import_export(account=account, location=FIXTURES / "instagram/dyi-export", by=alice)
    texts = [latest_text(i) for i in Item.objects.filter(account=account)]
    assert any(t.startswith("Nu är sommarlovet här! ☀️") for t in texts)
    assert any(t.startswith("Välkommen till äldreboendet Solgårdens sommarfest") for t in texts)
    assert run.details["found"][Kind.COMMENT] >= 2


def test_youtube_takeout_comments_mapped_by_header_name(
    people: dict[str, Any], alice: User, tmp_path: Path
) -> None:
    account = account_on("youtube", people, "youtube.com/@varakommun")
    folder = tmp_path / "Takeout/YouTube och YouTube Music/kommentarer"
    folder.mkdir(parents=True)
    (folder / "kommentarer.csv").write_text(
        "Channel ID,Comment Create Timestamp,Price,Comment ID,Parent Comment ID,Video ID,Comment Text\n"
        'UCq7v3Xk2bN9pLr4TzW8yH1a,2025-01-15T16:02:11.434647+00:00,,UgxABC,,FY_hTAP1FiM,"{""takeoutSegments"":[{""text"":""Hej! Villagatorna plogas efter 8 cm snö.""}]}"\n'
        'UCq7v3Xk2bN9pLr4TzW8yH1a,2025-01-15T16:05:00+00:00,,UgxABC.r1,UgxABC,FY_hTAP1FiM,"[{""text"":""Tack för frågan, "" },{""text"":""Kerstin!""}]"\n'
        "\n\n",
        encoding="utf-8",
    )
    import_export(account=account, location=tmp_path / "Takeout", by=alice)
    items = archived(account)
    assert latest_text(items["UgxABC"]) == "Hej! Villagatorna plogas efter 8 cm snö."
    assert (
        items["UgxABC.r1"].parent_object_id == "UgxABC"
        and latest_text(items["UgxABC.r1"]) == "Tack för frågan, Kerstin!"
    )


@pytest.mark.parametrize(
    ("hostile", "says"),
    [
        ("zip_slip.zip", "outside the export"),
        ("zip_symlink.zip", "symbolic link"),
        ("zip_bomb.zip", "zip bomb"),
    ],
)
def test_a_hostile_zip_is_refused_with_a_clear_message_and_nothing_is_written(
    people: dict[str, Any], alice: User, hostile: str, says: str
) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    with pytest.raises(ExportRefused) as refused:
        import_export(account=page, location=FIXTURES / "hostile" / hostile, by=alice)
    assert refused.value.message.startswith(hostile) and says in refused.value.message
    assert not Item.objects.exists()
    run = CaptureRun.objects.get(account=page)
    assert run.outcome == CaptureRun.Outcome.REFUSED and says in run.error
    assert AuditEntry.objects.filter(act="connectors.export.refused").count() == 1


@pytest.mark.parametrize(
    ("hostile", "says"),
    [
        ("truncated.json", "cut off or broken"),
        ("utf16le_bom.json", "UTF-16"),
        ("utf16be_nobom.json", "UTF-16"),
    ],
)
def test_a_broken_file_inside_an_export_is_refused_before_anything_is_written(
    people: dict[str, Any], alice: User, tmp_path: Path, hostile: str, says: str
) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    folder = tmp_path / "export/your_facebook_activity"
    (folder / "posts").mkdir(parents=True)
    (folder / "comments_and_reactions").mkdir()
    # A good posts file is read first; the broken comments file must still leave nothing behind.
    shutil.copy(FIXTURES / "facebook/dyi-export/your_posts_1.json", folder / "posts/your_posts_1.json")
    shutil.copy(FIXTURES / "hostile" / hostile, folder / "comments_and_reactions/comments.json")
    with pytest.raises(ExportRefused) as refused:
        import_export(account=page, location=tmp_path / "export", by=alice)
    assert "comments_and_reactions/comments.json" in refused.value.message and says in refused.value.message
    assert not Item.objects.exists()


def test_a_symlink_in_a_folder_export_is_refused(people: dict[str, Any], alice: User, tmp_path: Path) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    (tmp_path / "export").mkdir()
    (tmp_path / "export/your_posts_1.json").symlink_to("/etc/passwd")
    with pytest.raises(ExportRefused, match="symbolic link"):
        import_export(account=page, location=tmp_path / "export", by=alice)


def test_an_export_of_another_platform_is_refused_by_name(people: dict[str, Any], alice: User) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    with pytest.raises(ExportRefused, match="no file Sigill reads from a Facebook export"):
        import_export(account=page, location=FIXTURES / "linkedin/member-export", by=alice)


def test_the_command_imports_and_reports_or_fails_clearly(people: dict[str, Any], capsys: Any) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    call_command("import_export", str(FIXTURES / "facebook/dyi-export"), account=str(page.pk))
    out = capsys.readouterr().out
    assert "new items" in out and "skipped" in out
    with pytest.raises(CommandError, match="zip bomb"):
        call_command("import_export", str(FIXTURES / "hostile/zip_bomb.zip"), account=page.slug)


def test_a_zip_member_larger_than_the_limit_is_refused(
    people: dict[str, Any], alice: User, tmp_path: Path, settings: Any
) -> None:
    page = account_on("facebook", people, "facebook.com/varakommun")
    settings.EXPORT_MAX_UNPACKED_BYTES = 1000
    export = tmp_path / "stor.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("your_posts_1.json", "[" + " " * 2000 + "]")
    with pytest.raises(ExportRefused, match="more than the 1,000 allowed"):
        import_export(account=page, location=export, by=alice)
