"""Item ids of any length work on SQLite and PostgreSQL alike, and stay stable."""

from __future__ import annotations

import datetime as dt

from sigill.archive import services as archive
from sigill.archive.capture import PLATFORM_ID_LENGTH, Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.organisation.models import Unit, User
from tests.connectors.exportfiles import export_account

WHEN = dt.datetime(2025, 6, 12, 15, 2, 19, tzinfo=dt.UTC)


def a_capture(account_id: int, platform_id: str, *, parent: str = "", url: str = "") -> Capture:
    return Capture(
        account_id=account_id,
        platform_id=platform_id,
        kind=Kind.COMMENT if parent else Kind.POST,
        source=Source.EXPORT,
        direction=Direction.DRAWN_UP,
        published_at=WHEN,
        text="Så sorterar du rätt på ÅVC",
        parent_platform_id=parent,
        url=url,
    )


def test_ids_up_to_500_characters_are_kept_and_longer_ones_stored_as_a_stable_digest(
    alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> None:
    account = export_account("tiktok", "tiktok.com/@varakommun", alice=alice, erik=erik, bob=bob, units=units)
    exact = "7" * PLATFORM_ID_LENGTH
    link = "https://v16m-default.tiktokcdn.com/video/tos/" + "a" * 1700
    captured = archive.capture(
        [
            a_capture(account.pk, exact),
            a_capture(account.pk, link, url=link),
            a_capture(account.pk, "c1", parent=link),
        ],
        actor=alice,
    )
    assert captured.items == 3
    kept = Item.objects.get(account=account, object_id=exact)
    digested = Item.objects.exclude(pk=kept.pk).get(account=account, kind=Kind.POST)
    assert digested.object_id.startswith("sha256:") and len(digested.object_id) == 71
    assert digested.versions.get().metadata == {"platform_id": link, "url": link}
    assert digested.url == "", "an address longer than the column is kept in the metadata"
    assert Item.objects.get(account=account, object_id="c1").parent_object_id == digested.object_id
    again = archive.capture([a_capture(account.pk, link, url=link)], actor=alice)
    assert (again.items, again.versions) == (0, 0)
