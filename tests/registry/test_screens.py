"""The registry's screens: who sees which accounts, and what comms' forms do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry import services
from sigill.registry.models import Account, AccountReview, EditorAssignment, Platform
from tests.conftest import signed_in_client
from tests.registry.fixtures import account_data, activate

pytestmark = pytest.mark.django_db


@pytest.fixture
def road_account(alice: User, gustav: User, units: dict[str, Unit]) -> Account:
    """Gata och park on Facebook, outside Bob's administration."""
    return services.create_account(
        data=account_data(units["gata-park"], platform="facebook", url="facebook.com/varagataochpark"),
        by=alice,
    )


def listed(user: User) -> set[str]:
    page = signed_in_client(user).get(reverse("registry:accounts"))
    return {account.handle for account in page.context["page"].object_list}


def test_comms_sees_every_account_a_unit_manager_only_their_units(
    alice: User, bob: User, library_account: Account, road_account: Account
) -> None:
    assert listed(alice) == {"varabibliotek", "varagataochpark"}
    assert listed(bob) == {"varabibliotek"}


def test_an_editor_sees_only_the_accounts_they_edit_and_not_after_the_end_date(
    alice: User, erik: User, library_account: Account, road_account: Account
) -> None:
    assert listed(erik) == set()
    services.assign_editor(account=road_account, user=erik, by=alice)
    assert listed(erik) == {"varagataochpark"}
    assignment = EditorAssignment.objects.get(user=erik)
    EditorAssignment.objects.filter(pk=assignment.pk).update(
        valid_from=timezone.localdate() - dt.timedelta(days=10),
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    assert listed(erik) == set()


def test_the_list_filters_by_platform_and_sorts_both_ways(
    alice: User, library_account: Account, road_account: Account
) -> None:
    client = signed_in_client(alice)
    facebook = road_account.platform
    page = client.get(reverse("registry:accounts"), {"platform": facebook.pk})
    assert [account.handle for account in page.context["page"].object_list] == ["varagataochpark"]
    by_platform = client.get(reverse("registry:accounts"), {"sort": "platform"}).context["page"].object_list
    assert [account.handle for account in by_platform] == ["varagataochpark", "varabibliotek"]
    reversed_page = (
        client.get(reverse("registry:accounts"), {"sort": "-platform"}).context["page"].object_list
    )
    assert [account.handle for account in reversed_page] == ["varabibliotek", "varagataochpark"]


def test_the_create_form_explains_a_missing_purpose_in_swedish(alice: User, units: dict[str, Unit]) -> None:
    response = signed_in_client(alice).post(
        reverse("registry:account_create"),
        {
            "platform": "",
            "profile_url": "instagram.com/vara",
            "display_name": "Vara",
            "unit": units["bibliotek"].pk,
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Välj minst ett syftesområde." in text
    assert "Detta fält måste fyllas i." in text
    assert not Account.objects.exists()


def test_a_status_change_without_a_reason_is_refused_on_the_page(
    alice: User, library_account: Account
) -> None:
    response = signed_in_client(alice).post(
        reverse("registry:account_status", kwargs={"slug": library_account.slug}),
        {"to": "setting_up", "reason": ""},
    )
    assert response.status_code == 422
    assert Account.objects.get(pk=library_account.pk).status == Account.Status.PLANNED


def test_the_access_review_confirms_and_revokes_in_bulk(
    alice: User, erik: User, charlie: User, library_account: Account
) -> None:
    keep = services.assign_editor(account=library_account, user=erik, by=alice)
    drop = services.assign_editor(account=library_account, user=charlie, by=alice)
    client = signed_in_client(alice)
    client.post(reverse("registry:access_review"), {"assignment": [keep.pk], "action": "confirm"})
    client.post(reverse("registry:access_review"), {"assignment": [drop.pk], "action": "revoke"})
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert keep.confirmed_at is not None and keep.revoked_at is None
    assert drop.revoked_at is not None
    assert AuditEntry.objects.filter(act="registry.editor.revoked", actor=alice).count() == 1
    assert AuditEntry.objects.filter(act="registry.editor.confirmed", actor=alice).count() == 1


def test_a_review_sets_the_next_review_a_year_ahead(alice: User, library_account: Account) -> None:
    account = activate(library_account, alice)
    Account.objects.filter(pk=account.pk).update(next_review_on=timezone.localdate() - dt.timedelta(days=1))
    client = signed_in_client(alice)
    assert account.handle in client.get(reverse("registry:reviews_due")).content.decode()
    response = client.post(
        reverse("registry:account_review", kwargs={"slug": account.slug}),
        {
            "purpose_met": "yes",
            "is_active": "yes",
            "editors_ok": "no",
            "decision": "change",
            "notes": "Byt redaktör.",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.next_review_on == timezone.localdate() + dt.timedelta(days=365)
    review = AccountReview.objects.get(account=account)
    assert (review.purpose_met, review.editors_ok, review.decision) == (True, False, "change")
    assert account.handle not in client.get(reverse("registry:reviews_due")).content.decode()


def test_comms_is_told_on_the_start_page_when_reviews_are_due(alice: User, library_account: Account) -> None:
    account = activate(library_account, alice)
    Account.objects.filter(pk=account.pk).update(next_review_on=timezone.localdate())
    page = signed_in_client(alice).get(reverse("core:home")).content.decode()
    assert "1 konto ska ses över (årlig översyn)" in page


def test_renaming_a_platform_changes_the_public_list_at_once(
    alice: User, library_account: Account, client
) -> None:
    activate(library_account, alice)
    before = client.get(reverse("registry_public:json"))
    platform = library_account.platform
    services.update_platform(platform=platform, by=alice, changes={"name": "Instagram (Meta)"})
    after = client.get(reverse("registry_public:json"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["accounts"][0]["platform_name"] == "Instagram (Meta)"


def test_comms_cannot_change_what_the_platforms_connector_can_do(alice: User) -> None:
    youtube = Platform.objects.get(slug="youtube")
    abilities = ["captures_comments_by_api", "captures_messages_by_api", "api_can_hide", "api_can_block"]
    before = {name: getattr(youtube, name) for name in abilities}
    form = {
        "name": youtube.name,
        "profile_url_pattern": youtube.profile_url_pattern,
        "profile_url_template": youtube.profile_url_template,
        "profile_text_limit": youtube.profile_text_limit,
        "notes": youtube.notes,
        # Ticked where the connector cannot, left out where it can.
        **{name: "on" for name, able in before.items() if not able},
    }
    client = signed_in_client(alice)
    response = client.post(reverse("registry:platform_edit", kwargs={"slug": "youtube"}), form)
    assert response.status_code == 302
    youtube.refresh_from_db()
    assert {name: getattr(youtube, name) for name in abilities} == before
    page = client.get(reverse("registry:platform_edit", kwargs={"slug": "youtube"})).content.decode()
    assert "Vad Sigill gör på plattformen" in page
