"""For every named person: the API returns an archived item or a moderation case exactly when the
page for it would show it to them, and its lists hold nothing their pages would refuse."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sigill.archive import services as archive_services
from sigill.archive.models import Item
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from sigill.reports.periods import Month
from tests.api.conftest import api_as
from tests.archive.conftest import comment, post
from tests.conftest import signed_in_client
from tests.moderation.conftest import arrive

PEOPLE = ["alice", "bob", "charlie", "dana", "erik", "frida", "gustav"]


@pytest.fixture
def archive(alice: User, library: Account, streets: Account) -> None:
    """Posts and comments on Erik's library (in Bob's administration) and on Gustav's streets
    account; one comment on the library holds secret information."""
    archive_services.capture(
        [post(library, "lib-post", "Sommar på biblioteket"), post(streets, "st-post", "Vägarbete")]
    )
    arrive(
        comment(library, "lib-c1", "Tack för tipset!"),
        comment(library, "lib-secret", "Min son har diagnosen adhd och behöver stöd"),
        comment(streets, "st-c1", "Ring mig på 070-123 45 67 om gropen"),
    )
    archive_services.mark_secret(
        item=Item.objects.get(object_id="lib-secret"), provision="OSL 26 kap. 1 §", note="", by=alice
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_the_api_shows_an_item_exactly_when_the_archive_page_does(
    person: str, request: pytest.FixtureRequest, archive: None
) -> None:
    user: User = request.getfixturevalue(person)
    page, api = signed_in_client(user), api_as(user, scope="read")
    shown_by_page = set()
    for item in Item.objects.all():
        on_page = page.get(reverse("archive:item", kwargs={"pk": item.pk})).status_code
        through_api = api.get(reverse("api:archive_item", kwargs={"pk": item.pk})).status_code
        assert (on_page == 200) == (through_api == 200), f"{person}: item {item.object_id}"
        if on_page == 200:
            shown_by_page.add(item.pk)
    search = api.get(reverse("api:archive_search"))
    found = {hit["id"] for hit in search.json()["items"]} if search.status_code == 200 else set()
    assert found == shown_by_page, person
    assert (search.status_code == 200) == (page.get(reverse("archive:search")).status_code == 200)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_api_shows_a_case_exactly_when_the_case_page_does(
    person: str, request: pytest.FixtureRequest, archive: None
) -> None:
    user: User = request.getfixturevalue(person)
    page, api = signed_in_client(user), api_as(user, scope="read")
    shown_by_page = set()
    for case in Case.objects.select_related("item"):
        on_page = page.get(reverse("moderation:case", kwargs={"pk": case.pk})).status_code
        through_api = api.get(reverse("api:moderation_case", kwargs={"pk": case.pk})).status_code
        assert (on_page == 200) == (through_api == 200), f"{person}: case of {case.item.object_id}"
        if on_page == 200:
            shown_by_page.add(case.pk)
    listed = api.get(reverse("api:moderation_cases"))
    found = {found["id"] for found in listed.json()["items"]} if listed.status_code == 200 else set()
    assert found == shown_by_page, person
    assert (listed.status_code == 200) == (page.get(reverse("moderation:queue")).status_code == 200)


def test_the_secret_comment_is_seen_by_comms_and_the_registrar_only(
    alice: User, bob: User, charlie: User, dana: User, erik: User, frida: User, gustav: User, archive: None
) -> None:
    """The expectation behind the two tests above, spelled out for the secret comment."""
    secret = Item.objects.get(object_id="lib-secret")
    url = reverse("api:archive_item", kwargs={"pk": secret.pk})
    seen = {
        user.username
        for user in (alice, bob, charlie, dana, erik, frida, gustav)
        if api_as(user).get(url).status_code == 200
    }
    assert seen == {"alice", "dana"}


@pytest.mark.parametrize("person", PEOPLE)
def test_the_api_reports_exactly_the_accounts_the_report_page_does(
    person: str, request: pytest.FixtureRequest, archive: None, library: Account, streets: Account
) -> None:
    user: User = request.getfixturevalue(person)
    page, api = signed_in_client(user), api_as(user, scope="read")
    last = Month.current().previous()
    month = {"year": last.year, "month": last.month}
    on_page = page.get(reverse("reports:month", kwargs=month))
    through_api = api.get(reverse("api:reports_month", kwargs=month))
    assert on_page.status_code == through_api.status_code, person
    if on_page.status_code == 200:
        shown = {row.account.slug for row in on_page.context["report"].accounts}
        assert {row["account"]["slug"] for row in through_api.json()["accounts"]} == shown, person
        assert (through_api.json()["inquiries"] is None) == (on_page.context["report"].inquiries is None)
    for account in (library, streets):
        kwargs = {**month, "slug": account.slug}
        page_status = page.get(reverse("reports:account", kwargs=kwargs)).status_code
        api_status = api.get(reverse("api:reports_account", kwargs=kwargs)).status_code
        assert page_status == api_status, f"{person}: {account.slug}"
