"""Handing approved posts to the connectors at their time: once per account and version, with the
draft's history in the record, and never while a check blocks them. Against the local Mastodon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone

from sigill.archive.models import Item
from sigill.connectors.models import Outgoing
from sigill.connectors.publish import outbox
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.publishing import services
from sigill.publishing.models import Draft
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.connectors.conftest import connect
from tests.connectors.fake_mastodon import ACCOUNT, Instance, running_instance

TEXT = "Biblioteket har öppet till 20 i kväll. Välkommen! #VaraBibliotek"


@pytest.fixture
def instance() -> Iterator[Instance]:
    with running_instance() as running:
        yield running


@pytest.fixture
def mastodon(alice: User, erik: User, bob: User, units: dict[str, Unit], instance: Instance) -> Account:
    """Vara kommun on a Mastodon server, connected; Erik edits it and posts need Alice's approval."""
    account = connect(
        "mastodon", "social.vara-kommun.example/@varakommun", ACCOUNT["id"],
        api_base=instance.base, alice=alice, erik=erik, bob=bob, units=units,
    )  # fmt: skip
    services.set_approval_rule(account=account, approver="comms", by=alice)
    return account


def approved(
    account: Account, erik: User, alice: User, text: str = TEXT, *, at: dt.datetime | None = None
) -> Draft:
    draft = services.create_draft(title="Kvällsöppet", accounts=[account], text=text, by=erik)
    services.reschedule(draft=draft, at=at or timezone.now() - dt.timedelta(minutes=1), by=erik)
    draft = services.submit(draft=draft, by=erik)
    return services.approve(draft=draft, by=alice, note="Bra.")


def test_an_approved_post_is_handed_over_at_its_time_and_published_once_with_its_history(
    alice: User, erik: User, mastodon: Account, instance: Instance
) -> None:
    draft = approved(mastodon, erik, alice)
    later = approved(mastodon, erik, alice, at=timezone.now() + dt.timedelta(hours=2))

    assert services.hand_over_due() == 1
    assert services.hand_over_due() == 0  # already handed over: nothing is queued twice
    [outgoing] = Outgoing.objects.all()
    assert outgoing.key == f"draft:{draft.pk}:account:{mastodon.pk}:v1"
    assert Draft.objects.get(pk=later.pk).state == Draft.State.APPROVED

    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [status] = instance.own_statuses()
    assert "Biblioteket har öppet till 20 i kväll." in status["content"]
    record = Item.objects.get(account=mastodon, object_id=status["id"]).versions.get().metadata["record"]
    assert record["approval"]["approved_by"] == "alice"
    assert [version["author"] for version in record["versions"]] == ["erik"]
    assert [event["act"] for event in record["review"]] == ["rescheduled", "submitted", "approved"]

    page = signed_in_client(erik).get(draft.get_absolute_url()).content.decode()
    assert "Publicerad" in page and status["url"] in page


def test_a_blocked_post_is_not_handed_over_and_its_reason_is_shown_and_audited_once(
    alice: User, erik: User, mastodon: Account
) -> None:
    draft = approved(mastodon, erik, alice, "Ring Kalle på 070-123 45 67 om cykeln.")
    assert services.hand_over_due() == 0
    assert services.hand_over_due() == 0
    draft.refresh_from_db()
    assert (draft.state, draft.handover_error) == (Draft.State.APPROVED, "En kontroll stoppar inlägget.")
    assert not Outgoing.objects.exists()
    assert AuditEntry.objects.filter(act="publishing.draft.handover_failed").count() == 1
    assert (
        "Det gick inte att lämna över"
        in signed_in_client(erik).get(draft.get_absolute_url()).content.decode()
    )


def test_an_editor_publishes_an_approved_post_now_with_its_link_after_the_text(
    alice: User, erik: User, mastodon: Account
) -> None:
    draft = approved(mastodon, erik, alice, at=timezone.now() + dt.timedelta(days=3))
    [target] = draft.targets.all()
    draft = services.save_draft(
        draft=draft, title=draft.title, link="https://vara.se/bibliotek", scheduled_at=draft.scheduled_at,
        texts={target.account_id: services.TargetText(TEXT)}, by=erik,
    )  # fmt: skip
    draft = services.approve(draft=services.submit(draft=draft, by=erik), by=alice)
    response = signed_in_client(erik).post(reverse("publishing:publish_now", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Draft.State.HANDED_OVER
    outgoing = Outgoing.objects.get()
    assert outgoing.key == f"draft:{draft.pk}:account:{mastodon.pk}:v2"
    assert outgoing.text == f"{TEXT}\n\nhttps://vara.se/bibliotek"


def test_a_post_not_yet_approved_is_never_handed_over(erik: User, mastodon: Account) -> None:
    draft = services.create_draft(title="Utkast", accounts=[mastodon], text=TEXT, by=erik)
    services.reschedule(draft=draft, at=timezone.now() - dt.timedelta(minutes=5), by=erik)
    services.submit(draft=draft, by=erik)
    assert services.hand_over_due() == 0
    assert not Outgoing.objects.exists()
