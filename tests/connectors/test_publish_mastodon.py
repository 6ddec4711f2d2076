"""Publishing on Mastodon through the outbox: a post with an image and its alternative text, a reply,
the caller's key queued once, failures retried with back-off, and a post published exactly once
when an attempt's outcome is unknown. Against a local instance in the documented shapes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from sigill.archive import services as archive
from sigill.archive.capture import Author, Direction, Kind
from sigill.archive.models import Item
from sigill.connectors import selectors, services
from sigill.connectors import sync as engine
from sigill.connectors.models import Outgoing
from sigill.connectors.publish import outbox
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.connectors.conftest import JPEG, connect, latest_text
from tests.connectors.fake_mastodon import ACCOUNT, Instance, running_instance
from tests.connectors.residents import a_comment
from tests.moderation.conftest import arrive

TEXT = "Biblioteket har öppet till 20 i kväll.\n\nVälkommen! #VaraBibliotek"


@pytest.fixture
def instance() -> Iterator[Instance]:
    with running_instance() as running:
        yield running


@pytest.fixture
def account(alice: User, erik: User, bob: User, units: dict[str, Unit], instance: Instance) -> Account:
    return connect(
        "mastodon",
        "social.vara-kommun.example/@varakommun",
        ACCOUNT["id"],
        api_base=instance.base,
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
    )


def queue(account: Account, by: User, key: str = "draft:1:account:1:v1", **kwargs: Any) -> Outgoing:
    return services.queue_post(account=account, key=key, text=kwargs.pop("text", TEXT), by=by, **kwargs)


def test_a_post_with_an_image_is_published_with_its_alt_text_and_archived_as_a_drawn_up_record(
    account: Account, erik: User, instance: Instance
) -> None:
    image = services.OutgoingMedia(
        content=JPEG, content_type="image/jpeg", alt_text="Bibliotekets entré i kvällsljus"
    )
    history = {"draft": 1, "versions": [{"number": 1, "author": "erik"}], "approved_by": "bob"}
    outgoing = queue(account, erik, media=[image], record_metadata=history)
    assert outgoing.state == Outgoing.State.QUEUED

    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED

    [status] = instance.own_statuses()
    assert instance.posts_received[0]["key"] == "draft:1:account:1:v1", (
        "the platform's idempotency key is sent"
    )
    assert status["media_attachments"][0]["description"] == "Bibliotekets entré i kvällsljus"
    row = selectors.outgoing_by_keys(["draft:1:account:1:v1", "never"])["draft:1:account:1:v1"]
    assert row.state == Outgoing.State.PUBLISHED and row.attempts == 1 and row.last_error == ""
    assert row.platform_id == status["id"] and row.platform_url == status["url"]
    assert row.published_at is not None
    item = Item.objects.get(account=account, object_id=status["id"])
    assert row.item == item
    assert item.direction == Direction.DRAWN_UP and item.kind == Kind.POST
    version = item.versions.get()
    assert version.metadata["record"] == history
    assert latest_text(item) == TEXT
    assert version.attachments.count() == 1
    assert AuditEntry.objects.filter(act="connectors.outgoing.published").count() == 1

    # A later sync captures the same post: it is the same item, not a second record.
    assert engine.sync(account) is not None
    assert Item.objects.filter(account=account).count() == 1
    assert item.versions.count() == 1


def test_queuing_a_key_again_returns_the_queued_post_and_publishes_it_once(
    account: Account, erik: User, instance: Instance
) -> None:
    first = queue(account, erik, key="draft:7:account:3:v2")
    again = queue(account, erik, key="draft:7:account:3:v2", text="another text")
    assert again.pk == first.pk and Outgoing.objects.count() == 1
    assert AuditEntry.objects.filter(act="connectors.outgoing.queued").count() == 1
    assert outbox.send(first.pk) == Outgoing.State.PUBLISHED
    assert outbox.send(first.pk) == "busy", "a published post is not sent again"
    assert len(instance.own_statuses()) == 1 and len(instance.posts_received) == 1


def test_an_outage_is_retried_with_back_off_and_the_post_appears_once(
    account: Account, erik: User, instance: Instance
) -> None:
    instance.next_posts = [("refuse", 503), ("refuse", 503)]
    outgoing = queue(account, erik)

    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    outgoing.refresh_from_db()
    assert "503" in outgoing.last_error and outgoing.attempts == 1
    assert outgoing.next_try_at is not None
    first_wait = outgoing.next_try_at - timezone.now()
    assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(minutes=1)
    assert outbox.take_due() == [], "not before its back-off has passed"

    assert outbox.take_due(now=timezone.now() + dt.timedelta(minutes=2)) == [outgoing.pk]
    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    outgoing.refresh_from_db()
    assert outgoing.next_try_at - timezone.now() > dt.timedelta(minutes=1, seconds=50), "the wait doubles"

    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert len(instance.own_statuses()) == 1
    outgoing.refresh_from_db()
    assert outgoing.attempts == 3 and outgoing.last_error == ""


def test_a_post_the_platform_made_but_did_not_confirm_is_found_there_and_not_posted_again(
    account: Account, erik: User, instance: Instance
) -> None:
    instance.honour_keys = False  # as after the instance's hour of keeping keys
    instance.next_posts = [("lose", 502)]
    outgoing = queue(account, erik)

    assert outbox.send(outgoing.pk) == Outgoing.State.UNCERTAIN
    assert len(instance.own_statuses()) == 1
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert len(instance.posts_received) == 1, "the second try read the account's posts and posted nothing"
    [status] = instance.own_statuses()
    outgoing.refresh_from_db()
    assert outgoing.platform_id == status["id"]
    assert Item.objects.filter(account=account, object_id=status["id"]).count() == 1


def test_a_refused_post_fails_with_the_platforms_reason_and_is_not_retried(
    account: Account, erik: User, instance: Instance
) -> None:
    instance.next_posts = [("refuse", 422)]
    outgoing = queue(account, erik)
    assert outbox.send(outgoing.pk) == Outgoing.State.FAILED
    outgoing.refresh_from_db()
    assert "422" in outgoing.last_error and outgoing.next_try_at is None
    assert outbox.take_due(now=timezone.now() + dt.timedelta(days=1)) == []
    assert AuditEntry.objects.filter(act="connectors.outgoing.failed").count() == 1

    # Comms mends the cause and tries again: the platform is read first, then the post is made once.
    services.retry_post(key=outgoing.key, by=erik)
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    assert len(instance.own_statuses()) == 1
    with pytest.raises(ValidationError, match="Bara ett inlägg som misslyckades kan försökas igen"):
        services.retry_post(key=outgoing.key, by=erik)


def test_a_reply_to_a_residents_comment_is_published_in_its_thread_and_archived(
    account: Account, erik: User, instance: Instance
) -> None:
    post = instance.add_status("Vattnet är avstängt på Storgatan i dag.")
    resident = {"id": "4242", "username": "anna", "acct": "anna@mastodon.example", "display_name": "Anna"}
    comment = instance.add_status("När kommer vattnet tillbaka?", in_reply_to_id=post["id"], account=resident)
    archive.capture(
        [
            a_comment(
                account,
                comment["id"],
                "När kommer vattnet tillbaka?",
                on=post["id"],
                author=Author(platform_id="4242", handle="anna@mastodon.example"),
            )
        ]
    )
    answered = Item.objects.get(object_id=comment["id"])

    outgoing = queue(
        account, erik, key="case:9:reply", text="Vid 15-tiden enligt VA-avdelningen.", reply_to_item=answered
    )
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED

    reply = instance.statuses[0]
    assert reply["in_reply_to_id"] == comment["id"]
    item = Item.objects.get(object_id=reply["id"])
    assert item.direction == Direction.DRAWN_UP and item.parent_object_id == comment["id"]
    assert item.kind == Kind.REPLY


def test_queue_post_refuses_what_the_platform_cannot_take(account: Account, erik: User) -> None:
    with pytest.raises(ValidationError, match="Mastodon tillåter högst 500 tecken; texten har 501"):
        queue(account, erik, text="x" * 501)
    with pytest.raises(ValidationError, match="Varje bild behöver sin alternativtext"):
        queue(
            account,
            erik,
            media=[services.OutgoingMedia(content=JPEG, content_type="image/jpeg", alt_text=" ")],
        )
    with pytest.raises(ValidationError, match="Sigill kan inte lägga till en första kommentar på Mastodon"):
        queue(account, erik, first_comment="Läs mer på vara.se")
    assert Outgoing.objects.count() == 0


def test_each_platform_says_honestly_what_sigill_can_publish_there(db: Any) -> None:
    mastodon = selectors.publish_abilities("mastodon")
    assert {"post", "image", "reply"} <= mastodon and mastodon.max_text == 500
    youtube = selectors.publish_abilities("youtube")
    assert "post" not in youtube and "communityinlägg" in str(youtube.note)
    assert selectors.publish_abilities("snapchat") == set()


def test_a_reply_decided_in_the_moderation_queue_is_published_on_the_platform_and_shown_on_the_case(
    account: Account, erik: User, instance: Instance, django_capture_on_commit_callbacks: Any
) -> None:
    post = instance.add_status("Simhallen stänger för renovering i mars.")
    resident = {"id": "4243", "username": "bo", "acct": "bo@mastodon.example", "display_name": "Bo"}
    comment = instance.add_status("Var ska skolorna simma då?", in_reply_to_id=post["id"], account=resident)
    [case] = arrive(
        a_comment(
            account,
            comment["id"],
            "Var ska skolorna simma då?",
            on=post["id"],
            author=Author(platform_id="4243", handle="bo@mastodon.example", display_name="Bo"),
        )
    )
    client = signed_in_client(erik)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(
            reverse("moderation:decide", kwargs={"pk": case.pk}),
            {"act": "reply", "reply_text": "Hej Bo! Skolorna simmar i Skara under våren."},
        )
    outgoing = Outgoing.objects.get()
    assert len(queued) == 1, "the reply is queued for the worker when the decision is committed"
    assert outgoing.reply_to_item == case.item and outgoing.record_metadata["moderation"]["case"] == case.pk
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Publiceras: I kö." in page

    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    reply = instance.statuses[0]
    assert reply["in_reply_to_id"] == comment["id"] and "Skolorna simmar i Skara" in reply["content"]
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Publicerat på plattformen och arkiverat som upprättad handling." in page
    assert f'href="{reply["url"]}"' in page
    archived = Item.objects.get(object_id=reply["id"])
    assert archived.direction == Direction.DRAWN_UP and archived.parent_object_id == comment["id"]


def test_a_reply_the_platform_cannot_take_is_refused_with_the_decision(
    account: Account, erik: User, instance: Instance
) -> None:
    comment = instance.add_status(
        "Fråga?", account={"id": "9", "username": "c", "acct": "c", "display_name": "C"}
    )
    [case] = arrive(
        a_comment(account, comment["id"], "Fråga?", on="1", author=Author(platform_id="9", handle="c"))
    )
    response = signed_in_client(erik).post(
        reverse("moderation:decide", kwargs={"pk": case.pk}), {"act": "reply", "reply_text": "x" * 600}
    )
    assert response.status_code == 422
    assert "Mastodon tillåter högst 500 tecken; texten har 600." in response.content.decode()
    assert not Outgoing.objects.exists() and not case.decisions.exists()


def test_a_video_is_posted_once_the_instance_has_processed_it(
    account: Account, erik: User, instance: Instance
) -> None:
    video = services.OutgoingMedia(
        content=b"\x00\x00\x00\x18ftypmp42",
        content_type="video/mp4",
        alt_text="Kommunchefen hälsar välkommen",
    )
    outgoing = queue(account, erik, key="draft:50:video", text="Välkommen till Vara!", media=[video])
    assert outbox.send(outgoing.pk) == Outgoing.State.PUBLISHED
    [status] = instance.own_statuses()
    [attachment] = status["media_attachments"]
    assert attachment["type"] == "video" and attachment["description"] == "Kommunchefen hälsar välkommen"
    assert instance.posts_received[0]["body"]["media_ids"] == [attachment["id"]]


def test_a_fault_of_sigills_leaves_the_post_to_be_checked_on_the_platform_not_held_by_the_worker(
    account: Account, erik: User, instance: Instance
) -> None:
    image = services.OutgoingMedia(content=JPEG, content_type="image/jpeg", alt_text="Torget")
    outgoing = queue(account, erik, media=[image])
    default_storage.delete(outgoing.media[0]["file"])  # the storage lost the file
    with pytest.raises(FileNotFoundError):
        outbox.send(outgoing.pk)
    outgoing.refresh_from_db()
    assert outgoing.state == Outgoing.State.UNCERTAIN and outgoing.worker == ""
    assert "FileNotFoundError" in outgoing.last_error and instance.posts_received == []


def test_a_server_that_does_not_talk_to_the_platforms_keeps_the_post_queued_and_sends_nothing(
    account: Account, erik: User, instance: Instance, settings: Any
) -> None:
    settings.PLATFORM_SYNC = False
    queued = queue(account, erik)
    assert outbox.send(queued.pk) == "off"
    queued.refresh_from_db()
    assert queued.state == Outgoing.State.QUEUED and queued.attempts == 0
    assert instance.posts_received == []
