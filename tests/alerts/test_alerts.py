"""A critical finding or a missed time target alerts the right people once, by e-mail and in the
channel; the rota decides who outside office hours; a flood becomes a digest; a failed webhook is
retried, shown and audited, and its address is never written anywhere."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sigill.alerts import delivery, services
from sigill.alerts.models import Alert, Delivery, Reason
from sigill.core.models import AuditEntry
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.alerts.conftest import SATURDAY_EVENING, TUESDAY_MORNING, WEEK_OF_THE_SATURDAY, Channel
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.moderation.conftest import PERSONNUMMER, arrive

THREAT = "Kommunalrådet borde akta sig. Jag vet var du bor och jag ska döda dig."

pytestmark = pytest.mark.usefixtures("with_email")


def test_a_threat_on_a_saturday_alerts_the_person_on_call_once_by_email_and_in_the_channel(
    library: Account,
    alice: User,
    erik: User,
    channel: Channel,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)
    clock(SATURDAY_EVENING)
    with django_capture_on_commit_callbacks(execute=True):
        [case] = arrive(comment(library, "c-threat", THREAT))
    # The author edits the comment; screening finds the threat again: still one alert.
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-threat", THREAT + " Jag menar det."))

    assert Case.objects.get(pk=case.pk).screened_version == 2
    assert [message.to for message in mail.outbox] == [["erik@vara.example"]]
    [message] = mail.outbox
    link = "http://127.0.0.1:8000" + reverse("moderation:case", kwargs={"pk": case.pk})
    assert message.subject == "Larm: Hot i en kommentar på Vara bibliotek (Facebook)"
    assert link in message.body
    assert "jour" in message.body
    assert "döda" not in message.body, "the comment's text stays in Sigill"
    [posted] = channel.messages
    assert link in posted["text"] and "Erik Ek" in posted["text"]
    assert Alert.objects.get().on_call is True


def test_in_office_hours_the_accounts_editors_and_comms_are_alerted(
    library: Account,
    alice: User,
    erik: User,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)
    clock(TUESDAY_MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-pnr", f"Mitt personnummer är {PERSONNUMMER}, ring mig"))

    assert sorted(message.to[0] for message in mail.outbox) == ["alice@vara.example", "erik@vara.example"]
    assert "Personnummer" in mail.outbox[0].subject
    assert PERSONNUMMER not in mail.outbox[0].body


def test_a_comment_without_a_critical_finding_alerts_nobody(
    library: Account, clock: Callable[[dt.datetime], None], django_capture_on_commit_callbacks
) -> None:
    clock(TUESDAY_MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-spam", "Tjäna pengar hemifrån! Klicka här för ett gratis erbjudande!!!"))
    assert not Alert.objects.exists()
    assert mail.outbox == []


def test_each_person_gets_only_what_they_chose(
    library: Account,
    alice: User,
    erik: User,
    channel: Channel,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    services.set_preferences(
        user=erik,
        by_email=False,
        webhook_mention=True,
        critical_finding=True,
        missed_target=True,
        digest=True,
    )
    services.set_preferences(
        user=alice,
        by_email=True,
        webhook_mention=True,
        critical_finding=False,
        missed_target=True,
        digest=True,
    )
    clock(TUESDAY_MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-threat", THREAT))

    assert mail.outbox == [], "Erik wants no e-mail; Alice no alerts of critical findings"
    [posted] = channel.messages
    assert "Erik Ek" in posted["text"] and "Alice" not in posted["text"]


def test_the_person_on_call_is_told_whatever_they_chose(
    library: Account,
    alice: User,
    erik: User,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    services.set_preferences(
        user=erik,
        by_email=False,
        webhook_mention=False,
        critical_finding=False,
        missed_target=False,
        digest=False,
    )
    services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)
    clock(SATURDAY_EVENING)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-threat", THREAT))
    assert [message.to for message in mail.outbox] == [["erik@vara.example"]]


def test_a_single_day_override_sends_the_alert_to_that_days_person(
    library: Account,
    alice: User,
    erik: User,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)
    services.assign_day(day=SATURDAY_EVENING.date(), person=alice, by=alice)
    clock(SATURDAY_EVENING)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-threat", THREAT))
    assert [message.to for message in mail.outbox] == [["alice@vara.example"]]


@override_settings(ALERTS_FLOOD_COUNT=2, ALERTS_FLOOD_MINUTES=30)
def test_a_flood_of_alerts_is_replaced_by_one_digest(
    library: Account,
    alice: User,
    erik: User,
    channel: Channel,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    clock(TUESDAY_MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        cases = arrive(*(comment(library, f"c-{n}", f"{THREAT} ({n})") for n in range(5)))

    assert len(mail.outbox) == 2 * 2, "the first two alerts go to Alice and Erik one by one"
    assert len(channel.messages) == 2
    digest = Alert.objects.get(reason=Reason.DIGEST)
    assert digest.folded.count() == 3
    assert delivery.send_due_digests(now=TUESDAY_MORNING + dt.timedelta(minutes=10)) == 0

    assert delivery.send_due_digests(now=TUESDAY_MORNING + dt.timedelta(minutes=31)) == 1
    assert delivery.send_due_digests(now=TUESDAY_MORNING + dt.timedelta(minutes=32)) == 0
    digests = mail.outbox[4:]
    assert sorted(message.to[0] for message in digests) == ["alice@vara.example", "erik@vara.example"]
    assert digests[0].subject == "Larmsammanfattning: 3 larm på Vara bibliotek (Facebook)"
    for case in cases[2:]:
        assert reverse("moderation:case", kwargs={"pk": case.pk}) in digests[0].body
    assert len(channel.messages) == 3
    assert AuditEntry.objects.filter(act="alerts.alert.folded").count() == 3


def test_a_missed_time_target_alerts_once(
    library: Account, alice: User, erik: User, django_capture_on_commit_callbacks
) -> None:
    [case] = arrive(comment(library, "c-question", "När öppnar biblioteket på lördag?"))
    Case.objects.filter(pk=case.pk).update(due_at=TUESDAY_MORNING - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_missed_targets(now=TUESDAY_MORNING) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alert_missed_targets(now=TUESDAY_MORNING + dt.timedelta(minutes=1)) == 0

    assert sorted(message.to[0] for message in mail.outbox) == ["alice@vara.example", "erik@vara.example"]
    assert mail.outbox[0].subject == "Larm: tidsmålet missades på Vara bibliotek (Facebook)"
    assert AuditEntry.objects.filter(act="alerts.alert.raised").count() == 1


def test_a_failed_webhook_is_retried_shown_and_audited_and_its_address_is_never_written(
    library: Account,
    alice: User,
    erik: User,
    channel: Channel,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    channel.failures = 1
    clock(TUESDAY_MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        [case] = arrive(comment(library, "c-threat", THREAT))

    webhook = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert (webhook.state, webhook.attempts, webhook.last_error) == (
        Delivery.State.RETRYING,
        1,
        "Kanalen svarade HTTP 503.",
    )
    failure = AuditEntry.objects.get(act="alerts.delivery.failed")
    assert failure.details["channel"] == "webhook" and failure.details["gave_up"] is False
    page = signed_in_client(alice).get(reverse("alerts:list"))
    assert "Misslyckades, försöks igen" in page.content.decode()

    assert delivery.retry_due(now=dt.datetime.now(dt.UTC)) == 0, "not before its next try is due"
    assert delivery.retry_due(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)) == 1
    webhook.refresh_from_db()
    assert (webhook.state, webhook.attempts) == (Delivery.State.SENT, 2)
    assert channel.refused == 1 and len(channel.messages) == 1
    assert len(mail.outbox) == 2, "the e-mails went out the first time and are not sent again"

    secret = "hemlig-nyckel-123"
    assert secret in channel.url
    assert secret not in caplog.text and "127.0.0.1:" not in caplog.text
    assert "alert" in caplog.text, "the failure itself is logged"
    for entry in AuditEntry.objects.all():
        assert secret not in str(entry.details)
    page = signed_in_client(alice).get(reverse("alerts:list"))
    assert secret not in page.content.decode()
    assert reverse("moderation:case", kwargs={"pk": case.pk}) in page.content.decode()


@override_settings(ALERTS_DELIVERY_ATTEMPTS=2)
def test_a_webhook_that_keeps_failing_is_given_up_and_said_so(
    library: Account,
    channel: Channel,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    channel.failures = 5
    clock(TUESDAY_MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-threat", THREAT))
    delivery.retry_due(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))

    webhook = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert (webhook.state, webhook.attempts) == (Delivery.State.FAILED, 2)
    assert [
        entry.details["gave_up"]
        for entry in AuditEntry.objects.filter(act="alerts.delivery.failed").order_by("id")
    ] == [
        False,
        True,
    ]


def test_every_alert_is_audited_in_the_transaction_that_raised_it(
    library: Account, alice: User, erik: User, clock: Callable[[dt.datetime], None]
) -> None:
    clock(TUESDAY_MORNING)
    [case] = arrive(comment(library, "c-threat", THREAT))
    alert = Alert.objects.get()
    entry = AuditEntry.objects.get(act="alerts.alert.raised")
    assert entry.target_id == str(case.pk)
    assert entry.details["alert"] == alert.pk
    assert sorted(entry.details["email_to"]) == ["alice", "erik"]


@override_settings(ALERTS_WEBHOOK_KIND="teams")
def test_a_teams_channel_gets_a_message_card(
    library: Account,
    channel: Channel,
    clock: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks,
) -> None:
    clock(TUESDAY_MORNING)
    with django_capture_on_commit_callbacks(execute=True):
        arrive(comment(library, "c-threat", THREAT))
    [card] = channel.messages
    assert card["@type"] == "MessageCard"
    assert card["title"] == "Larm: Hot i en kommentar på Vara bibliotek (Facebook)"


def test_the_alerts_page_reads_the_same_number_of_queries_for_two_alerts_or_six(
    library: Account,
    alice: User,
    clock: Callable[[dt.datetime], None],
    django_assert_num_queries,
) -> None:
    clock(TUESDAY_MORNING)
    client = signed_in_client(alice)
    arrive(*(comment(library, f"c-{n}", f"{THREAT} ({n})") for n in range(2)))
    client.get(reverse("alerts:list"))
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("alerts:list"))
    arrive(*(comment(library, f"c-more-{n}", f"{THREAT} ({n})") for n in range(4)))
    with django_assert_num_queries(len(two.captured_queries)):
        client.get(reverse("alerts:list"))


def test_an_alert_whose_delivery_task_was_lost_is_sent_by_the_next_round(
    library: Account, alice: User, erik: User, clock: Callable[[dt.datetime], None]
) -> None:
    clock(TUESDAY_MORNING)
    # No commit callbacks run here: the delivery task is never enqueued, as if the queue lost it.
    arrive(comment(library, "c-threat", THREAT))
    assert mail.outbox == []
    assert delivery.deliver_stranded(now=TUESDAY_MORNING + dt.timedelta(minutes=1)) == 0
    assert delivery.deliver_stranded(now=TUESDAY_MORNING + dt.timedelta(minutes=6)) == 1
    assert delivery.deliver_stranded(now=TUESDAY_MORNING + dt.timedelta(minutes=7)) == 0
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@vara.example", "erik@vara.example"]
