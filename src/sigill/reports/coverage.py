"""Capture coverage per account for a report period.

Until the connectors' record of sync runs is available, coverage is read from the archive: the
days on which something was captured for the account. A day without a capture is counted as a
gap, which for a quiet account may only mean that nothing was posted; the report says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sigill.archive import selectors as archive_selectors
from sigill.registry.models import Account
from sigill.reports.figures import Coverage, Gap
from sigill.reports.periods import STOCKHOLM, Month

BASIS = "archive"


def coverage_of(accounts: list[Account], period: Month, *, today: dt.date) -> dict[int, Coverage]:
    ids = [account.pk for account in accounts]
    captured = archive_selectors.capture_days(ids, since=period.start, until=period.end, tz=STOCKHOLM)
    last = archive_selectors.last_captures(ids, before=period.end)
    found = {}
    for account in accounts:
        days = list(_live_days(account, period, today))
        seen = captured.get(account.pk, set())
        found[account.pk] = Coverage(
            basis=BASIS,
            days=len(days),
            days_captured=sum(day in seen for day in days),
            gaps=gaps_in(days, seen),
            last_capture_at=last.get(account.pk),
        )
    return found


def _live_days(account: Account, period: Month, today: dt.date) -> Iterable[dt.date]:
    """The period's days up to today from the day the account went live."""
    first = period.first_day
    if account.activated_at is not None:
        first = max(first, account.activated_at.astimezone(STOCKHOLM).date())
    last = min(period.last_day, today)
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


def gaps_in(days: list[dt.date], captured: set[dt.date]) -> list[Gap]:
    """The runs of consecutive ``days`` without a capture."""
    gaps: list[Gap] = []
    run: list[dt.date] = []
    for day in [*days, None]:
        if day is not None and day not in captured:
            run.append(day)
            continue
        if run:
            gaps.append(Gap(start=run[0], end=run[-1], days=len(run)))
            run = []
    return gaps
