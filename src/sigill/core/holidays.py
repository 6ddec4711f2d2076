"""Swedish public holidays (allmänna helgdagar, lag 1989:253) and the eves that work as holidays.

Computed here rather than taken from a package: the rules are few and fixed in law (Easter by the
Gregorian computus, Midsummer and All Saints' Day on the Saturday of a given week), and Sigill needs
only this one country. Midsommarafton, julafton and nyårsafton are not public holidays in law, but
the municipality's offices are closed on them, so they count as holidays too. Used by the on-call
rota (alerts) and by the monthly report's first working day (reports).
"""

from __future__ import annotations

import datetime as dt
import functools

SATURDAY = 5


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _saturday_from(first: dt.date) -> dt.date:
    """The Saturday in the seven days starting on ``first``."""
    return first + dt.timedelta(days=(SATURDAY - first.weekday()) % 7)


@functools.cache
def holidays(year: int) -> dict[dt.date, str]:
    """Every holiday of ``year`` with its Swedish name, in date order."""
    easter = easter_sunday(year)
    midsummer_day = _saturday_from(dt.date(year, 6, 20))
    days = {
        dt.date(year, 1, 1): "Nyårsdagen",
        dt.date(year, 1, 6): "Trettondedag jul",
        easter - dt.timedelta(days=2): "Långfredagen",
        easter: "Påskdagen",
        easter + dt.timedelta(days=1): "Annandag påsk",
        dt.date(year, 5, 1): "Första maj",
        easter + dt.timedelta(days=39): "Kristi himmelsfärds dag",
        easter + dt.timedelta(days=49): "Pingstdagen",
        dt.date(year, 6, 6): "Sveriges nationaldag",
        midsummer_day - dt.timedelta(days=1): "Midsommarafton",
        midsummer_day: "Midsommardagen",
        _saturday_from(dt.date(year, 10, 31)): "Alla helgons dag",
        dt.date(year, 12, 24): "Julafton",
        dt.date(year, 12, 25): "Juldagen",
        dt.date(year, 12, 26): "Annandag jul",
        dt.date(year, 12, 31): "Nyårsafton",
    }
    return dict(sorted(days.items()))


def holiday_name(day: dt.date) -> str:
    """The day's holiday name, or "" on an ordinary day."""
    return holidays(day.year).get(day, "")


def is_holiday(day: dt.date) -> bool:
    return day in holidays(day.year)


def is_day_off(day: dt.date) -> bool:
    """A weekend day or a holiday: the offices are closed all day."""
    return day.weekday() >= SATURDAY or is_holiday(day)
