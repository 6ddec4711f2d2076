"""Disposal under a retention rule removes exactly what the rule governs and whose time is out,
never what is held or requested, and leaves the archive's chain verifiable, disposal included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.capture import Kind
from sigill.archive.models import Attachment, DisposedRow, Item, ItemVersion
from sigill.core import append_only
from sigill.organisation.models import User
from sigill.records import selectors
from sigill.records.models import DisclosureRequest, DisposalRecord, LegalHold, RequestedRecord, RetentionRule
from sigill.records.services import disclosure, retention
from sigill.registry.models import Account
from tests.archive.conftest import comment, picture, post
from tests.conftest import APPEND_ONLY_TABLES

OLD = dt.datetime(2023, 3, 1, 9, 0, tzinfo=dt.UTC)
NEW = timezone.now() - dt.timedelta(days=10)


@pytest.fixture
def archive(library: Account, streets: Account) -> Account:
    """Old and new comments on the library, an old post with a picture, and old comments elsewhere."""
    archive_services.capture(
        [
            post(library, "p-old", "Gammalt inlägg", published_at=OLD, attachments=(picture(),)),
            *[comment(library, f"c-old-{n}", f"Gammal kommentar {n}", published_at=OLD, parent_platform_id="p-old")
              for n in range(6)],
            comment(library, "c-old-5-r", "Svar i tråden", published_at=OLD, parent_platform_id="c-old-5"),
            comment(library, "c-new", "Ny kommentar", published_at=NEW, parent_platform_id="p-old"),
            comment(streets, "s-old", "Gammal kommentar om gatan", published_at=OLD, parent_platform_id="x"),
        ]
    )  # fmt: skip
    archive_services.capture([comment(library, "c-old-0", "Gammal kommentar 0, redigerad", published_at=OLD)])
    return library


def comments_rule(account: Account, by: User, months: int = 24) -> Any:
    return retention.create_rule(
        by=by,
        name="Kommentarer på biblioteket",
        decision="Dokumenthanteringsplan KS 2024:12 § 4.3",
        account=account,
        kind=Kind.COMMENT,
        keep_months=months,
    )


def remaining() -> set[str]:
    return set(Item.objects.values_list("object_id", flat=True))


def test_a_rule_disposes_exactly_the_comments_whose_time_is_out(archive: Account, dana: User) -> None:
    rule = comments_rule(archive, dana)
    planned = retention.preview(rule)
    assert len(planned.item_ids) == 7
    record = retention.dispose(rule=rule, token=planned.token, by=dana)
    assert remaining() == {"p-old", "c-new", "s-old"}
    assert (record.items, record.versions, record.held_back) == (7, 8, 0)
    assert record.by == dana and record.decision.startswith("Dokumenthanteringsplan")
    assert not ItemVersion.objects.filter(text__regex=r"^Gammal kommentar \d").exists()


def test_a_more_specific_permanent_rule_keeps_what_it_governs(
    archive: Account, dana: User, alice: User
) -> None:
    everything = retention.create_rule(by=alice, name="Allt", decision="Beslut 1", keep_months=12)
    retention.create_rule(
        by=alice,
        name="Bibliotekets inlägg",
        decision="Beslut 2",
        account=archive,
        kind=Kind.POST,
        permanent=True,
    )
    planned = retention.preview(everything)
    retention.dispose(rule=everything, token=planned.token, by=dana)
    assert remaining() == {"p-old", "c-new"}


def test_held_and_requested_items_survive(archive: Account, streets: Account, dana: User) -> None:
    retention.place_hold(by=dana, scope=LegalHold.Scope.THREAD, account=archive, thread_root="c-old-5",
                         reason="Polisanmälan")  # fmt: skip
    retention.place_hold(
        by=dana, scope=LegalHold.Scope.SEARCH, search={"text": "kommentar 3"}, reason="Tvist"
    )
    request = disclosure.register_request(
        by=dana, received_at=timezone.now(), channel="email", description="x"
    )
    disclosure.add_records(request=request, items=Item.objects.filter(object_id="c-old-1"), by=dana)
    rule = comments_rule(archive, dana)
    planned = retention.preview(rule)
    assert planned.held_back == 4
    retention.dispose(rule=rule, token=planned.token, by=dana)
    assert remaining() == {"p-old", "c-new", "s-old", "c-old-5", "c-old-5-r", "c-old-3", "c-old-1"}


def test_an_account_hold_stops_everything_on_the_account(archive: Account, dana: User, alice: User) -> None:
    retention.place_hold(by=alice, scope=LegalHold.Scope.ACCOUNT, account=archive, reason="Granskning")
    assert retention.preview(comments_rule(archive, dana)).item_ids == []


def test_a_decided_request_keeps_its_reference_when_its_record_is_disposed(
    archive: Account, dana: User
) -> None:
    request = disclosure.register_request(
        by=dana, received_at=timezone.now(), channel="email", description="x"
    )
    disclosure.add_records(request=request, items=Item.objects.filter(object_id="c-old-1"), by=dana)
    disclosure.disclose(record=request.records.get(), by=dana)
    disclosure.decide(request=request, by=dana)
    rule = comments_rule(archive, dana)
    retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    kept = RequestedRecord.objects.get(request=request)
    assert kept.item is None and kept.reference.startswith("SIG-") and len(kept.seal) == 64
    assert DisclosureRequest.objects.get(pk=request.pk).state == DisclosureRequest.State.DECIDED


def test_verify_archive_passes_after_disposal_and_reports_it(
    archive: Account, dana: User, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = comments_rule(archive, dana)
    retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    call_command("verify_archive")
    out = capsys.readouterr().out
    assert "Disposal at event" in out and "Kommentarer på biblioteket" in out and "by dana" in out
    assert DisposalRecord.objects.count() == 1


def test_the_files_of_disposed_items_are_removed(
    library: Account, dana: User, django_capture_on_commit_callbacks: Any
) -> None:
    archive_services.capture([post(library, "p-1", "Bild", published_at=OLD, attachments=(picture(),))])
    name = Attachment.objects.get().storage_name
    assert default_storage.exists(name)
    rule = retention.create_rule(by=dana, name="Inlägg", decision="Beslut", kind=Kind.POST, keep_months=1)
    with django_capture_on_commit_callbacks(execute=True):
        retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    assert not default_storage.exists(name)


def test_a_stale_preview_is_refused_and_nothing_is_removed(archive: Account, dana: User) -> None:
    rule = comments_rule(archive, dana)
    token = retention.preview(rule).token
    retention.place_hold(
        by=dana, scope=LegalHold.Scope.THREAD, account=archive, thread_root="c-old-2", reason="x"
    )
    with pytest.raises(ValidationError):
        retention.dispose(rule=rule, token=token, by=dana)
    assert len(remaining()) == 10


def test_only_the_registrar_disposes(archive: Account, alice: User) -> None:
    from django.core.exceptions import PermissionDenied

    rule = comments_rule(archive, alice)
    with pytest.raises(PermissionDenied):
        retention.dispose(rule=rule, token=retention.preview(rule).token, by=alice)


def test_without_a_disposal_the_archive_still_refuses_deletes(archive: Account) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(object_id="c-new").delete()


@pytest.fixture
def tamper() -> Iterator[None]:
    for table in APPEND_ONLY_TABLES:
        append_only.unprotect(connection, table)
    yield
    for table in APPEND_ONLY_TABLES:
        append_only.protect(connection, table)


def test_a_row_removed_outside_a_disposal_is_still_found(archive: Account, dana: User, tamper: None) -> None:
    rule = comments_rule(archive, dana)
    retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM archive_searchentry WHERE item_id IN (SELECT id FROM archive_item WHERE object_id = 'c-new')"
        )
        cursor.execute(
            "DELETE FROM archive_itemversion WHERE item_id IN (SELECT id FROM archive_item WHERE object_id = 'c-new')"
        )
    with pytest.raises(CommandError, match="removed or inserted"):
        call_command("verify_archive", verbosity=0)


def test_a_forged_disposal_record_is_found(archive: Account, dana: User, tamper: None) -> None:
    rule = comments_rule(archive, dana)
    retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_disposedrow WHERE id = %s", [DisposedRow.objects.first().pk])  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="removed or inserted"):
        call_command("verify_archive", verbosity=0)


def test_the_registrar_previews_and_confirms_a_disposal_on_the_rule_page(
    archive: Account, dana: User
) -> None:
    from django.urls import reverse

    from tests.conftest import signed_in_client

    rule = comments_rule(archive, dana)
    client = signed_in_client(dana)
    page = client.get(rule.get_absolute_url()).content.decode()
    assert "7 objekt" in page or "7 items" in page
    stale = client.post(reverse("records:rule_dispose", args=[rule.pk]), {"token": "0" * 64})
    assert stale.status_code == 422 and len(remaining()) == 10
    confirmed = client.post(
        reverse("records:rule_dispose", args=[rule.pk]), {"token": retention.preview(rule).token}
    )
    assert confirmed.status_code == 302
    listing = client.get(reverse("records:disposals")).content.decode()
    assert "Dokumenthanteringsplan KS 2024:12" in listing


def test_an_item_another_record_still_refers_to_is_kept_not_a_failed_disposal(
    archive: Account, dana: User
) -> None:
    from sigill.moderation.models import Case

    item = Item.objects.get(object_id="c-old-4")
    Case.objects.create(
        item=item, account=archive, screened_version=1, opened_at=timezone.now(), due_at=timezone.now()
    )
    rule = comments_rule(archive, dana)
    planned = retention.preview(rule)
    assert item.pk not in planned.item_ids and planned.held_back == 1
    retention.dispose(rule=rule, token=planned.token, by=dana)
    assert "c-old-4" in remaining()


def test_a_thread_hold_on_a_post_the_archive_does_not_hold_is_refused(archive: Account, dana: User) -> None:
    with pytest.raises(ValidationError) as refused:
        retention.place_hold(by=dana, scope=LegalHold.Scope.THREAD, account=archive, thread_root="c-old-55",
                             reason="Polisanmälan")  # fmt: skip
    assert "thread_root" in refused.value.message_dict
    assert not LegalHold.objects.exists()


def premis_of(account: Account, folder: Path) -> str:
    from sigill.records.earchive.writer import write_package

    summary = write_package(account=account, since=None, until=None, target=folder)
    return (summary.path / "metadata/preservation/premis.xml").read_text()


def test_a_disposal_is_a_premis_event_only_in_the_packages_of_accounts_it_touched(
    archive: Account, streets: Account, dana: User, tmp_path: Path
) -> None:
    """A rule over every account that disposed of only the streets' comment is no event of the library."""
    rule = retention.create_rule(
        by=dana, name="Gatukommentarer", decision="DHP § 9", platform=streets.platform, kind=Kind.COMMENT,
        keep_months=24,
    )  # fmt: skip
    retention.create_rule(by=dana, name="Biblioteket", decision="DHP § 1", account=archive, permanent=True)
    retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    assert "s-old" not in remaining() and "c-old-1" in remaining()
    event = "<premis:eventType>deletion</premis:eventType>"
    streets_premis = premis_of(streets, tmp_path / "gata")
    assert event in streets_premis and "Disposed of under Gatukommentarer (DHP § 9)" in streets_premis
    assert "Gatukommentarer" not in premis_of(archive, tmp_path / "bibliotek")


def test_an_item_marked_secret_is_a_policy_assignment_in_premis(
    archive: Account, dana: User, tmp_path: Path
) -> None:
    item = Item.objects.get(object_id="c-old-1")
    archive_services.mark_secret(item=item, provision="OSL 26 kap. 1 §", by=dana)
    premis = premis_of(archive, tmp_path)
    assert "<premis:eventType>policy assignment</premis:eventType>" in premis
    assert "information package creation" not in premis


def test_the_database_and_python_agree_on_which_rule_governs_each_item(
    archive: Account, streets: Account, alice: User
) -> None:
    """A disposal finds what a rule governs in the database; a disclosure package names the rule of
    each record in Python. Both read one definition of what a rule covers, and agree on every item."""
    rules_to_make: list[tuple[str, dict[str, Any]]] = [
        ("Allt", {}),
        ("Bibliotekets kommentarer", {"account": archive, "kind": Kind.COMMENT}),
        ("Inlägg", {"kind": Kind.POST, "permanent": True}),
        ("Gatans konto", {"account": streets}),
        ("Plattformens kommentarer", {"platform": streets.platform, "kind": Kind.COMMENT}),
    ]
    for name, narrowed_to in rules_to_make:
        terms: dict[str, Any] = {"keep_months": 12, **narrowed_to}
        if terms.get("permanent"):
            terms.pop("keep_months")
        retention.create_rule(by=alice, name=name, decision=f"Beslut om {name}", **terms)
    rules = list(RetentionRule.objects.all())
    in_python = {
        item.object_id: getattr(selectors.rule_governing(item, rules), "name", None)
        for item in Item.objects.all()
    }
    in_the_database: dict[str, str] = {}
    for rule in rules:
        for object_id in Item.objects.filter(selectors.governed_condition(rule, rules)).values_list(
            "object_id", flat=True
        ):
            assert object_id not in in_the_database, "two rules govern one item"
            in_the_database[object_id] = rule.name
    assert in_the_database == in_python
    assert set(in_python.values()) == {"Bibliotekets kommentarer", "Inlägg", "Gatans konto"}
    kept = set(Item.objects.filter(selectors.kept_condition()).values_list("object_id", flat=True))
    assert kept == {object_id for object_id, name in in_python.items() if name == "Inlägg"}
