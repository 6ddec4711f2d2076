"""Secrecy is a sealed fact: a secret flag changed in the search table behind Sigill's back lifts
no restriction, and verify_archive reports it; lifting secrecy by deleting the sealed fact breaks
the chain, or (deleted with its event) is found by the anchored head."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sigill.archive import seal, selectors, services
from sigill.archive.models import Item, ItemFact
from sigill.archive.search import Filters
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.archive.conftest import comment
from tests.archive.test_seal import run_sql, tamper
from tests.conftest import signed_in_client

__all__ = ["tamper"]  # a fixture shared with test_seal

SECRET_TEXT = "Mitt personnummer är 19800101-1234 och jag har en diagnos"


@pytest.fixture
def secret_item(library: Account, dana: User) -> Item:
    services.capture(
        [comment(library, "c-1", SECRET_TEXT), comment(library, "c-2", "Bra jobbat med snöröjningen")]
    )
    item = Item.objects.get(object_id="c-1")
    services.mark_secret(item=item, provision="OSL 25 kap. 1 §", by=dana)
    return item


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_archive", stdout=StringIO(), verbosity=0)
    return str(failure.value)


def searched_by(user: User, text: str) -> set[str]:
    page = selectors.search_for(user, filters=Filters(text=text))
    return {hit.item.object_id for hit in page.hits}


def test_a_secret_flag_set_back_to_false_is_reported_and_still_restricts(
    secret_item: Item, bob: User, erik: User, dana: User
) -> None:
    run_sql("UPDATE archive_searchentry SET secret = %s WHERE item_id = %s", [False, secret_item.pk])
    message = verify_fails()
    assert f"item {secret_item.pk}: the search index says it is not secret" in message
    assert "the flag was changed in the database" in message
    # The item stays withheld from those who may not see secrets, in search and on its page.
    assert searched_by(bob, "personnummer") == set()
    assert searched_by(erik, "personnummer") == set()
    assert signed_in_client(bob).get(secret_item.get_absolute_url()).status_code == 404
    response = signed_in_client(bob).get(reverse("archive:search"), {"q": "personnummer"})
    assert "19800101-1234" not in response.content.decode()
    # The registrar still finds it, shown as secret.
    assert searched_by(dana, "personnummer") == {"c-1"}
    page = signed_in_client(dana).get(secret_item.get_absolute_url()).content.decode()
    assert '<span class="badge badge--urgent">Sekretess</span>' in page


def test_a_secret_flag_set_without_a_sealed_fact_is_reported(secret_item: Item) -> None:
    other = Item.objects.get(object_id="c-2")
    run_sql("UPDATE archive_searchentry SET secret = %s WHERE item_id = %s", [True, other.pk])
    assert f"item {other.pk}: the search index marks it secret, but no sealed fact does" in verify_fails()


def test_a_removal_on_the_platform_erased_from_the_index_is_reported(library: Account) -> None:
    services.capture([comment(library, "c-1", "Hej")])
    services.capture([comment(library, "c-1", "", seen_gone=True)])
    item = Item.objects.get()
    run_sql("UPDATE archive_searchentry SET removed_on_platform_at = NULL WHERE item_id = %s", [item.pk])
    assert f"item {item.pk}: the search index says it is not removed on the platform" in verify_fails()


def test_an_item_deleted_from_the_search_index_is_reported(secret_item: Item) -> None:
    other = Item.objects.get(object_id="c-2")
    run_sql("DELETE FROM archive_searchentry WHERE item_id = %s", [other.pk])
    assert f"item {other.pk}: missing from the search index" in verify_fails()


def test_the_sealed_secret_fact_deleted_is_reported_by_the_chain(secret_item: Item, tamper: None) -> None:
    run_sql("DELETE FROM archive_itemfact WHERE fact = %s", [ItemFact.Fact.MARKED_SECRET.value])
    run_sql("UPDATE archive_searchentry SET secret = %s WHERE item_id = %s", [False, secret_item.pk])
    assert "removed or inserted" in verify_fails()


def test_the_sealed_secret_fact_deleted_with_its_event_is_found_by_the_anchor(
    secret_item: Item, tamper: None, bob: User
) -> None:
    seal.anchor_head()
    fact = ItemFact.objects.get(fact=ItemFact.Fact.MARKED_SECRET)
    run_sql("DELETE FROM archive_itemfact WHERE id = %s", [fact.pk])
    run_sql("DELETE FROM archive_archiveevent WHERE id = %s", [fact.event_id])
    run_sql("UPDATE archive_searchentry SET secret = %s WHERE item_id = %s", [False, secret_item.pk])
    assert seal.verify().ok  # the chain alone holds: its last link is simply gone
    message = verify_fails()
    assert "1 event is missing after link 1" in message


def test_a_direct_message_turned_into_a_comment_in_the_index_is_reported(library: Account) -> None:
    """Search hides a direct message from people outside its account by the index's kind: a kind
    changed there is reported, as is an item moved to another account."""
    services.capture([comment(library, "c-1", "Hej")])
    item = Item.objects.get(object_id="c-1")
    run_sql("UPDATE archive_searchentry SET kind = 'message' WHERE item_id = %s", [item.pk])
    assert f"item {item.pk}: the search index gives it another account or kind" in verify_fails()


def test_an_item_moved_to_another_account_in_the_index_is_reported(
    library: Account, streets: Account
) -> None:
    services.capture([comment(library, "c-1", "Hej")])
    item = Item.objects.get(object_id="c-1")
    run_sql("UPDATE archive_searchentry SET account_id = %s WHERE item_id = %s", [streets.pk, item.pk])
    assert f"item {item.pk}: the search index gives it another account or kind" in verify_fails()
