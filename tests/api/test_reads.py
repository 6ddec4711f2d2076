"""Reading through the API: each person sees what the pages show them, and nothing more."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from sigill.archive import services as archive_services
from sigill.archive.models import Item
from sigill.guidelines.models import GuidelineVersion
from sigill.inquiries.models import Inquiry
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.api.conftest import api_as
from tests.archive.conftest import comment, post
from tests.moderation.conftest import arrive


def slugs(response: object) -> list[str]:
    return [item["slug"] for item in response.json()["items"]]  # type: ignore[attr-defined]


def test_comms_reads_every_account_and_a_unit_manager_only_those_of_their_units(
    alice: User, bob: User, library: Account, streets: Account
) -> None:
    assert sorted(slugs(api_as(alice).get(reverse("api:accounts")))) == sorted([library.slug, streets.slug])
    assert slugs(api_as(bob).get(reverse("api:accounts"))) == [library.slug]
    response = api_as(bob).get(reverse("api:account", kwargs={"slug": streets.slug}))
    assert response.status_code == 404


def test_an_account_reads_as_the_registry_holds_it(alice: User, library: Account) -> None:
    body = api_as(alice).get(reverse("api:account", kwargs={"slug": library.slug})).json()
    assert body["display_name"] == "Vara bibliotek"
    assert body["platform"] == "facebook"
    assert body["unit"] == "bibliotek"
    assert body["status"] == "active"
    assert body["responsible"] == "erik"
    assert sorted(body["purposes"]) == ["dialogue", "news"]


def test_the_account_list_filters_and_pages(alice: User, library: Account, streets: Account) -> None:
    client = api_as(alice)
    assert slugs(client.get(reverse("api:accounts"), {"q": "gata"})) == [streets.slug]
    page = client.get(reverse("api:accounts"), {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2
    assert len(page["items"]) == 1


def test_an_employee_may_not_list_accounts(charlie: User, library: Account) -> None:
    response = api_as(charlie).get(reverse("api:accounts"))
    assert response.status_code == 403
    assert response.json()["title"] == "Inte tillåtet"


def test_the_public_list_is_the_public_feed_without_a_token(library: Account, streets: Account) -> None:
    api = Client().get(reverse("api:public_accounts"))
    feed = Client().get(reverse("registry_public:json"))
    assert api.status_code == 200
    assert api.json()["accounts"] == feed.json()["accounts"]
    assert api.json()["count"] == 2


def test_archive_search_finds_what_the_person_may_see(
    alice: User, bob: User, library: Account, streets: Account
) -> None:
    archive_services.capture(
        [post(library, "post-1", "Sommar på biblioteket"), post(streets, "post-2", "Sommar på gatorna")]
    )
    found = api_as(alice).get(reverse("api:archive_search"), {"q": "sommar"}).json()
    assert {item["account"] for item in found["items"]} == {library.slug, streets.slug}
    found = api_as(bob).get(reverse("api:archive_search"), {"q": "sommar"}).json()
    assert [item["account"] for item in found["items"]] == [library.slug]


def test_a_secret_item_is_never_shown_to_those_who_may_not_see_it(
    alice: User, bob: User, erik: User, dana: User, library: Account
) -> None:
    archive_services.capture([comment(library, "c-1", "Mitt personnummer är hemligt")])
    item = Item.objects.get()
    archive_services.mark_secret(item=item, provision="OSL 26 kap. 1 §", note="", by=alice)
    url = reverse("api:archive_item", kwargs={"pk": item.pk})
    for person in (bob, erik):
        assert api_as(person).get(url).status_code == 404
        assert api_as(person).get(reverse("api:archive_search")).json()["items"] == []
    for person in (alice, dana):
        body = api_as(person).get(url).json()
        assert body["secret"] is True
        assert [item["id"] for item in api_as(person).get(reverse("api:archive_search")).json()["items"]] == [
            item.pk
        ]


def test_an_item_has_its_versions_and_seals(alice: User, library: Account) -> None:
    archive_services.capture([post(library, "post-1", "Första texten")])
    archive_services.capture([post(library, "post-1", "Ändrad text")])
    item = Item.objects.get()
    body = api_as(alice).get(reverse("api:archive_item", kwargs={"pk": item.pk})).json()
    assert [v["text"] for v in body["versions"]] == ["Första texten", "Ändrad text"]
    assert body["text"] == "Ändrad text"
    assert body["seal"] == item.seal


def test_moderation_cases_list_for_the_editor_of_the_account(
    erik: User, gustav: User, library: Account
) -> None:
    arrive(comment(library, "c-1", "Ring mig på 070-123 45 67"))
    case = Case.objects.get()
    cases = api_as(erik).get(reverse("api:moderation_cases")).json()
    assert [found["id"] for found in cases["items"]] == [case.pk]
    detail = api_as(erik).get(reverse("api:moderation_case", kwargs={"pk": case.pk})).json()
    assert detail["findings"]
    assert detail["text"] == "Ring mig på 070-123 45 67"
    assert api_as(gustav).get(reverse("api:moderation_case", kwargs={"pk": case.pk})).status_code == 404


def test_an_editor_who_has_not_acknowledged_the_guideline_is_refused_as_on_the_pages(
    erik: User, library: Account
) -> None:
    GuidelineVersion.objects.create(
        number=1, title="Riktlinje", body="Text.", change_summary="Första.", in_force_from="2024-01-01"
    )
    response = api_as(erik).get(reverse("api:moderation_cases"))
    assert response.status_code == 403
    assert response.json()["title"] == "Bekräfta riktlinjen först"


def test_an_employee_reads_their_own_inquiries_and_the_contact_center_all(
    charlie: User, frida: User, erik: User
) -> None:
    api_as(charlie).post(
        reverse("api:inquiries_create"),
        {
            "question": "När öppnar simhallen?",
            "asked_where": "Facebook",
            "asked_at": "2026-01-05T10:00:00+01:00",
        },
    )
    inquiry = Inquiry.objects.get()
    assert [i["id"] for i in api_as(charlie).get(reverse("api:inquiries")).json()["items"]] == [inquiry.pk]
    assert [i["id"] for i in api_as(frida).get(reverse("api:inquiries")).json()["items"]] == [inquiry.pk]
    assert api_as(erik).get(reverse("api:inquiries")).json()["items"] == []
    assert api_as(erik).get(reverse("api:inquiry", kwargs={"pk": inquiry.pk})).status_code == 404


def test_a_search_for_a_superscript_digit_finds_nothing_rather_than_failing(frida: User) -> None:
    response = api_as(frida).get(reverse("api:inquiries"), {"q": "²"})
    assert response.status_code == 200
    assert response.json()["items"] == []
