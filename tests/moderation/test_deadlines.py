"""A case is due after its account's time target, with the clock stopped over weekends if so set."""

from __future__ import annotations

import datetime as dt

import pytest

from sigill.moderation.deadlines import STOCKHOLM, due_after


def sthlm(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("arrived", "hours", "weekends_count", "due"),
    [
        # A Tuesday morning comment with a 24-hour target is due on Wednesday morning.
        (sthlm(2026, 11, 24, 9, 0), 24, False, sthlm(2026, 11, 25, 9, 0)),
        # Friday evening: Saturday and Sunday do not count, so Monday evening.
        (sthlm(2026, 11, 27, 18, 0), 24, False, sthlm(2026, 11, 30, 18, 0)),
        # Arriving on a Saturday, the clock starts on Monday at midnight.
        (sthlm(2026, 11, 28, 12, 0), 8, False, sthlm(2026, 11, 30, 8, 0)),
        # With weekends counted, Friday evening plus 24 hours is Saturday evening.
        (sthlm(2026, 11, 27, 18, 0), 24, True, sthlm(2026, 11, 28, 18, 0)),
        # Over the autumn clock change (25 October 2026) a day has 25 hours of real time.
        (sthlm(2026, 10, 23, 12, 0), 48, True, sthlm(2026, 10, 25, 11, 0)),
        # A week-long target skips both weekend days.
        (sthlm(2026, 11, 23, 10, 0), 120, False, sthlm(2026, 11, 30, 10, 0)),
    ],
)
def test_due_time(arrived: dt.datetime, hours: int, weekends_count: bool, due: dt.datetime) -> None:
    assert due_after(arrived, hours=hours, weekends_count=weekends_count) == due
