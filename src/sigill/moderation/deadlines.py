"""When a case must be decided: its account's time target counted from when the comment arrived.

Where weekends do not count, the clock stops from Saturday 00:00 to Monday 00:00 in Swedish time,
so a comment arriving on Friday evening with a 24-hour target is due on Monday evening, unless
someone is on call: ``on_call`` names the weekend days on which the clock runs all the same (the
alerts app's rota, for critical cases; see ``watchers.on_call_for``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SATURDAY = 5


def _is_weekend(moment: dt.datetime) -> bool:
    return moment.weekday() >= SATURDAY


def _next_midnight(moment: dt.datetime) -> dt.datetime:
    day = moment.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM)


def due_after(
    start: dt.datetime,
    *,
    hours: int,
    weekends_count: bool,
    on_call: Callable[[dt.date], bool] | None = None,
) -> dt.datetime:
    """``start`` plus ``hours`` of counted time (an aware datetime; the result is in UTC)."""
    if weekends_count:
        return start.astimezone(dt.UTC) + dt.timedelta(hours=hours)
    moment = start.astimezone(STOCKHOLM)
    remaining = dt.timedelta(hours=hours)
    while True:
        midnight = _next_midnight(moment)
        if _is_weekend(moment) and not (on_call is not None and on_call(moment.date())):
            moment = midnight
            continue
        # Wall-clock hours in a day vary at the clock changes; count real elapsed time.
        available = midnight.astimezone(dt.UTC) - moment.astimezone(dt.UTC)
        if remaining <= available:
            return moment.astimezone(dt.UTC) + remaining
        remaining -= available
        moment = midnight
