"""Direct messages are where individual cases arrive: by default only the account's editors, comms
and the registrar read them, in the queue, the archive, its search, a thread and the API alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from sigill.archive.capture import Author, Direction, Kind
from sigill.archive.models import Item
from sigill.moderation import selectors
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.api.conftest import api_as
from tests.archive.conftest import T0, comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import arrive

pytestmark = pytest.mark.django_db

MESSAGE_TEXT = "Hej, min dotter blir mobbad i skolan och jag vet inte vart jag ska vända mig"


def message(account: Account, platform_id: str, text: str, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "kind": Kind.MESSAGE,
        "parent_platform_id": "",
        "metadata": {"conversation": "t_100"},
        "author": Author(platform_id="u-42", display_name="Karin Lund"),
    }
    return comment(account, platform_id, text, **{**fields, **overrides})


@pytest.fixture
def a_message(library: Account) -> Case:
    [case] = arrive(message(library, "m_1", MESSAGE_TEXT))
    return case


def sees_in_queue(user: User) -> bool:
    page = signed_in_client(user).get(reverse("moderation:queue"))
    assert page.status_code == 200
    return "Karin Lund" in page.content.decode() or "mobbad" in page.content.decode()


def sees_in_search(user: User) -> bool:
    page = signed_in_client(user).get(reverse("archive:search"), {"q": "mobbad"})
    assert page.status_code == 200
    return "vart jag ska" in page.content.decode()


def test_a_message_appears_in_the_queue_of_the_accounts_editor(a_message: Case, erik: User) -> None:
    queue = selectors.queue_for(erik, selectors.QueueFilters())
    assert [case.item.object_id for case in queue.cases] == ["m_1"]
    assert sees_in_queue(erik)
    assert sees_in_search(erik)


def test_a_message_is_hidden_from_a_unit_manager_of_another_unit(a_message: Case, gustav: User) -> None:
    assert not sees_in_queue(gustav)
    assert not sees_in_search(gustav)
    assert (
        signed_in_client(gustav).get(reverse("moderation:case", kwargs={"pk": a_message.pk})).status_code
        == 404
    )
    item = reverse("archive:item", kwargs={"pk": a_message.item_id})
    assert signed_in_client(gustav).get(item).status_code == 404


def test_the_unit_manager_of_the_accounts_own_unit_sees_its_comments_but_not_its_messages(
    library: Account, bob: User
) -> None:
    arrive(message(library, "m_1", MESSAGE_TEXT), comment(library, "c_1", "Tack för sagostunden!"))
    assert [case.item.object_id for case in selectors.queue_for(bob, selectors.QueueFilters()).cases] == [
        "c_1"
    ]
    assert not sees_in_queue(bob)
    assert not sees_in_search(bob)
    message_item = Item.objects.get(object_id="m_1")
    assert (
        signed_in_client(bob).get(reverse("archive:item", kwargs={"pk": message_item.pk})).status_code == 404
    )
    assert api_as(bob).get(reverse("api:archive_item", kwargs={"pk": message_item.pk})).status_code == 404
    found = api_as(bob).get(reverse("api:archive_search"), {"q": "mobbad"}).json()
    assert found["items"] == []
    cases = api_as(bob).get(reverse("api:moderation_cases")).json()["items"]
    assert [c["text"] for c in cases] == ["Tack för sagostunden!"]


def test_an_employee_sees_no_message(a_message: Case, charlie: User) -> None:
    assert not Case.objects.filter(pk__in=selectors.cases_for(charlie)).exists()
    assert (
        signed_in_client(charlie).get(reverse("archive:item", kwargs={"pk": a_message.item_id})).status_code
        == 404
    )


@pytest.mark.parametrize("person", ["alice", "dana"])
def test_comms_and_the_registrar_read_every_message(a_message: Case, person: str, request: Any) -> None:
    user = request.getfixturevalue(person)
    assert sees_in_search(user)
    page = signed_in_client(user).get(reverse("archive:item", kwargs={"pk": a_message.item_id}))
    assert page.status_code == 200 and "mobbad" in page.content.decode()


def test_a_message_thread_shows_the_whole_conversation_oldest_first(library: Account, erik: User) -> None:
    arrive(
        message(library, "m_2", "Jag kan komma på tisdag", published_at=T0 + dt.timedelta(hours=2)),
        message(library, "m_1", MESSAGE_TEXT),
        message(
            library, "m_3", "Välkommen på tisdag klockan 10", direction=Direction.DRAWN_UP,
            author=Author(platform_id="page-1", display_name="Vara bibliotek"),
            published_at=T0 + dt.timedelta(hours=3),
        ),
        message(library, "m_9", "En annan tråd", metadata={"conversation": "t_200"}),
    )  # fmt: skip
    page = signed_in_client(erik).get(
        reverse("archive:item", kwargs={"pk": Item.objects.get(object_id="m_2").pk})
    )
    html = page.content.decode()
    thread = html[html.index('id="thread-heading"') :]
    assert thread.index("mobbad") < thread.index("tisdag") < thread.index("klockan 10")
    assert "En annan tråd" not in thread
