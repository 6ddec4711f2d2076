"""A gap in capture longer than the account's own moderation time target is flagged on the start
page of comms and of the account's editors: a comment not captured cannot be moderated in time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from sigill.archive import services as archive
from sigill.archive.capture import Capture, Direction, Kind, Source
from sigill.connectors import selectors
from sigill.connectors.models import Connection
from sigill.core.todo import todos_for
from sigill.moderation import services as moderation
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.archive.conftest import make_live_account


def failing_for(account: Account, hours: float) -> None:
    Connection.objects.filter(account=account).update(
        status=Connection.Status.NEEDS_RECONNECT,
        status_changed_at=timezone.now() - dt.timedelta(hours=hours),
    )


def flagged(user: User, account: Account) -> list[Any]:
    return [t for t in todos_for(user) if account.display_name in t.title]


def tiktok_account(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara bibliotek on TikTok: no API serves its comments, so it is captured by hand or export."""
    return make_live_account(
        alice, units["kommunikation"], url="tiktok.com/@varabibliotek", platform="tiktok",
        editor=erik, display_name="Vara bibliotek på TikTok", responsible=erik, deputy=bob,
    )  # fmt: skip


def captured_by_hand(account: Account) -> None:
    archive.capture(
        [
            Capture(
                account_id=account.pk,
                platform_id="7351029384756102938",
                kind=Kind.COMMENT,
                source=Source.MANUAL,
                direction=Direction.RECEIVED,
                published_at=timezone.now(),
                text="När öppnar sommarläsningen?",
            )
        ]
    )


def test_a_gap_longer_than_the_accounts_own_shorter_target_is_flagged_for_comms_and_its_editor(
    vara_page: Account, alice: User, erik: User, charlie: User
) -> None:
    moderation.set_time_target(account=vara_page, hours=8, weekends_count=True, by=alice)
    failing_for(vara_page, hours=10)
    for person in (alice, erik):
        [todo] = flagged(person, vara_page)
        assert todo.urgent and "behöver anslutas på nytt" in todo.title
    assert not flagged(charlie, vara_page), "Charlie neither works in comms nor edits the Page"


def test_a_broken_connection_within_the_accounts_longer_target_is_shown_but_not_urgent_yet(
    vara_page: Account, alice: User
) -> None:
    moderation.set_time_target(account=vara_page, hours=48, weekends_count=False, by=alice)
    failing_for(vara_page, hours=30)
    [todo] = flagged(alice, vara_page)
    assert not todo.urgent and "behöver anslutas på nytt" in todo.title
    later = timezone.now() + dt.timedelta(hours=19)
    assert [g.account for g in selectors.long_gaps(Account.objects.all(), now=later)] == [vara_page]


def test_a_working_sync_is_not_a_gap_however_long_ago_the_account_was_connected(
    vara_page: Account, alice: User
) -> None:
    Connection.objects.filter(account=vara_page).update(
        status=Connection.Status.OK, status_changed_at=timezone.now() - dt.timedelta(days=90)
    )
    assert not selectors.long_gaps(Account.objects.all())


def test_an_account_captured_only_by_hand_is_flagged_when_nothing_was_captured_within_its_target(
    alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> None:
    tiktok = tiktok_account(alice, erik, bob, units)
    moderation.set_time_target(account=tiktok, hours=24, weekends_count=True, by=alice)
    Account.objects.filter(pk=tiktok.pk).update(activated_at=timezone.now() - dt.timedelta(days=3))
    for person in (alice, erik):
        [todo] = flagged(person, tiktok)
        assert not todo.urgent, "a reminder of a standing duty, not an alarm"
        assert "24" in todo.title
    captured_by_hand(tiktok)
    assert not flagged(alice, tiktok), "captured a moment ago"
    two_days_on = timezone.now() + dt.timedelta(days=2)
    [gap] = selectors.long_gaps(Account.objects.filter(pk=tiktok.pk), now=two_days_on)
    assert gap.connection is None and gap.last_capture is not None and gap.target_hours == 24


def test_a_closed_account_is_never_flagged(vara_page: Account, alice: User) -> None:
    failing_for(vara_page, hours=100)
    Account.objects.filter(pk=vara_page.pk).update(status=Account.Status.CLOSED)
    assert not selectors.long_gaps(Account.objects.all())


def test_several_accounts_captured_only_by_hand_share_one_reminder_on_the_start_page(
    alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> None:
    tiktok = tiktok_account(alice, erik, bob, units)
    snapchat = make_live_account(
        alice, units["kommunikation"], url="snapchat.com/add/varakommun", platform="snapchat",
        display_name="Vara kommun på Snapchat", responsible=erik, deputy=bob,
    )  # fmt: skip
    Account.objects.filter(pk__in=[tiktok.pk, snapchat.pk]).update(
        activated_at=timezone.now() - dt.timedelta(days=3)
    )
    [reminder] = [t for t in todos_for(alice) if t.url == reverse("connectors:overview")]
    assert reminder.count == 2 and not reminder.urgent
    assert "2 konton" in reminder.title
    assert "Vara bibliotek på TikTok" in reminder.detail and "Vara kommun på Snapchat" in reminder.detail
