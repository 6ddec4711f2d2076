"""Capture is idempotent, versions changed texts, and records removals without deleting anything."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from sigill.archive import services
from sigill.archive.capture import Author
from sigill.archive.models import ArchiveEvent, Attachment, Item, ItemFact, ItemVersion, SearchEntry
from sigill.registry.models import Account
from tests.archive.conftest import comment, picture, post


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ArchiveEvent, Item, ItemVersion, Attachment, ItemFact, SearchEntry)
    }


def test_a_batch_stores_items_versions_attachments_and_one_chain_event(library: Account) -> None:
    batch = [
        post(library, "post-1", "Nu har biblioteket öppet på söndagar!", attachments=(picture(),)),
        comment(library, "c-1", "Äntligen! Tack."),
        comment(library, "c-2", "Gäller det även sommaren?"),
    ]
    result = services.capture(batch)
    assert (result.items, result.versions, result.attachments) == (3, 3, 1)
    assert counts() == {
        "ArchiveEvent": 1, "Item": 3, "ItemVersion": 3, "Attachment": 1, "ItemFact": 0, "SearchEntry": 3,
    }  # fmt: skip
    item = Item.objects.get(object_id="c-1")
    assert item.platform_id == library.platform_id
    assert item.author_name == "Greta Svensson"
    assert item.parent_object_id == "post-1"
    assert result.event is not None
    assert item.received_at <= result.event.created_at


def test_the_same_batch_twice_changes_nothing(library: Account) -> None:
    batch = [
        post(library, "post-1", "Sagostund i dag.", attachments=(picture(),)),
        comment(library, "c-1", "Kul!"),
    ]
    services.capture(batch)
    before = counts()
    first_received = Item.objects.get(object_id="c-1").received_at
    again = services.capture(batch)
    assert not again.changed
    assert counts() == before
    assert Item.objects.get(object_id="c-1").received_at == first_received


def test_the_same_object_twice_in_one_batch_is_one_item(library: Account) -> None:
    services.capture([comment(library, "c-1", "Hej"), comment(library, "c-1", "Hej")])
    assert Item.objects.count() == 1
    assert ItemVersion.objects.count() == 1


def test_a_changed_text_is_a_new_version_and_the_old_one_stays(library: Account) -> None:
    services.capture([comment(library, "c-1", "Biblioteket stänger kl 18.")])
    services.capture([comment(library, "c-1", "Biblioteket stänger kl 19.", metadata={"likes": 9})])
    item = Item.objects.get()
    assert list(item.versions.values_list("number", "text")) == [
        (1, "Biblioteket stänger kl 18."),
        (2, "Biblioteket stänger kl 19."),
    ]
    assert SearchEntry.objects.get().text == "Biblioteket stänger kl 19."


def test_a_batch_holding_an_edit_is_idempotent_too(library: Account) -> None:
    edited = dt.datetime(2025, 3, 2, tzinfo=dt.UTC)
    batch = [comment(library, "c-1", "Förrst"), comment(library, "c-1", "Först", edited_at=edited)]
    services.capture(batch)
    assert not services.capture(batch).changed
    assert ItemVersion.objects.count() == 2


def test_an_edit_back_to_an_earlier_text_is_a_new_version(library: Account) -> None:
    services.capture([comment(library, "c-1", "A")])
    services.capture([comment(library, "c-1", "B", edited_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC))])
    services.capture([comment(library, "c-1", "A", edited_at=dt.datetime(2025, 3, 3, tzinfo=dt.UTC))])
    assert list(ItemVersion.objects.values_list("text", flat=True)) == ["A", "B", "A"]


def test_changed_counters_alone_are_not_a_new_version(library: Account) -> None:
    services.capture([comment(library, "c-1", "Bra!", metadata={"likes": 1})])
    again = services.capture([comment(library, "c-1", "Bra!", metadata={"likes": 40})])
    assert not again.changed
    assert ItemVersion.objects.count() == 1


def test_a_new_attachment_is_a_new_version_and_files_are_stored_once(library: Account) -> None:
    services.capture([post(library, "p", "Bild", attachments=(picture(),))])
    services.capture([post(library, "p", "Bild", attachments=(picture(), picture("b.png", b"other")))])
    assert ItemVersion.objects.count() == 2
    assert Attachment.objects.count() == 3
    assert Attachment.objects.values("sha256").distinct().count() == 2


def test_an_object_seen_gone_is_marked_removed_and_never_deleted(library: Account) -> None:
    services.capture([comment(library, "c-1", "Ni är dåliga på snöröjning")])
    gone = comment(library, "c-1", "", seen_gone=True)
    result = services.capture([gone])
    assert result.removals == 1
    assert ItemVersion.objects.get().text == "Ni är dåliga på snöröjning"
    fact = ItemFact.objects.get()
    assert fact.fact == ItemFact.Fact.REMOVED_ON_PLATFORM
    assert SearchEntry.objects.get().removed_on_platform_at == fact.at
    assert not services.capture([gone]).changed  # seen gone again: nothing new


def test_an_object_gone_before_it_was_ever_seen_stores_nothing(library: Account) -> None:
    assert not services.capture([comment(library, "never", "", seen_gone=True)]).changed
    assert Item.objects.count() == 0


def test_captured_rows_cannot_be_changed_or_deleted(library: Account) -> None:
    services.capture([comment(library, "c-1", "Original")])
    for statement in (
        "UPDATE archive_itemversion SET text = 'Ändrad'",
        "DELETE FROM archive_item",
        "UPDATE archive_archiveevent SET details = '{}'",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert ItemVersion.objects.get().text == "Original"


def test_a_capture_names_its_platform_id_as_a_string(library: Account) -> None:
    with pytest.raises(ValueError, match="string"):
        dataclasses.replace(comment(library, "x", "y"), platform_id=123)  # type: ignore[arg-type]


def test_a_capture_refuses_a_number_or_a_list_where_text_belongs(library: Account) -> None:
    """Stored, it would be its string; sealed, itself: the seal would not hold."""
    with pytest.raises(ValueError, match="a capture's text must be text"):
        dataclasses.replace(comment(library, "x", "y"), text=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a capture's author display_name must be text"):
        dataclasses.replace(comment(library, "x", "y"), author=Author(display_name=["Sven"]))  # type: ignore[arg-type]


def test_a_capture_for_an_unknown_account_is_refused_whole(library: Account) -> None:
    stray = dataclasses.replace(comment(library, "c-2", "b"), account_id=999_999)
    with pytest.raises(ValueError, match="999999"):
        services.capture([comment(library, "c-1", "a"), stray])
    assert counts()["Item"] == 0
