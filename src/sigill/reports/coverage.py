"""Capture coverage per account for a report period, from the connectors' record of every capture
run (:func:`sigill.connectors.selectors.coverage_of_many`): the time the account was live in the
period, less the gaps in which its records may be missing (an expired token, a failing sync, a
platform outage, or, without a working API sync, the time since anything was last captured).
A quiet day with a working sync is covered.
"""

from __future__ import annotations

import datetime as dt

from sigill.connectors import selectors as connectors_selectors
from sigill.registry.models import Account
from sigill.reports import stats
from sigill.reports.figures import Coverage, Gap
from sigill.reports.periods import STOCKHOLM, Month

BASIS = "connectors"


def coverage_of(accounts: list[Account], period: Month, *, now: dt.datetime) -> dict[int, Coverage]:
    # In UTC: the difference of two times in one zone is by the wall clock, blind to summer time.
    until = max(min(period.end, now), period.start).astimezone(dt.UTC)
    found = connectors_selectors.coverage_of_many(
        accounts, since=period.start.astimezone(dt.UTC), until=until
    )
    return {account.pk: _coverage(account, found[account.pk], period, until) for account in accounts}


def _coverage(
    account: Account, found: connectors_selectors.Coverage, period: Month, until: dt.datetime
) -> Coverage:
    live = max(period.start, account.activated_at or period.start).astimezone(dt.UTC)
    messages = _messages_gap(account, found)
    if live >= until:
        return Coverage(BASIS, 0, 0.0, 0.0, None, [], _last_capture(found), messages)
    hours = stats.hours(until - live)
    covered = hours - stats.hours(found.uncovered(since=live, until=until))
    gaps = [
        Gap(
            start=max(gap.start, live),
            end=min(gap.end or until, until),
            ongoing=gap.end is None or gap.end > until,
            hours=stats.hours(min(gap.end or until, until) - max(gap.start, live)),
            path=gap.path,
            reason=gap.reason,
        )
        for gap in found.gaps
        if (gap.end is None or gap.end > live) and gap.start < until
    ]
    last_day = (until - dt.timedelta(microseconds=1)).astimezone(STOCKHOLM).date()
    days = (last_day - live.astimezone(STOCKHOLM).date()).days + 1
    return Coverage(BASIS, days, hours, covered, covered / hours, gaps, _last_capture(found), messages)


def _messages_gap(account: Account, found: connectors_selectors.Coverage) -> str:
    """Why the account's direct messages are not captured by API: its platform gives no access, or
    its newest API sync was refused them; "" when they are captured."""
    if not account.platform.captures_messages_by_api:
        return "no_api"
    return "refused" if connectors_selectors.messages_refused(found.runs) else ""


def _last_capture(found: connectors_selectors.Coverage) -> dt.datetime | None:
    """When the account was last captured: the newest item, or a capture run that succeeded
    (a sync that found nothing new has still read the account)."""
    times = [found.last_capture_at, *(path.last_success for path in found.paths)]
    return max((time for time in times if time is not None), default=None)
