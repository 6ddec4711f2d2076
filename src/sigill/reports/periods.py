"""Report periods (calendar months in Swedish time) and Swedish working days.

A month runs from 00:00 on its first day to 00:00 on the next month's first day in
Europe/Stockholm, whatever the clock changes do in between; times in the database are UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import formats, timezone

from sigill.core import holidays

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SATURDAY = 5


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9998:
            raise ValueError(f"no such month: {self.year}-{self.month}")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def current(cls) -> Month:
        return cls.of(timezone.localdate())

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        """00:00 on the first day, Swedish time (an aware datetime)."""
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=STOCKHOLM)

    @property
    def end(self) -> dt.datetime:
        """00:00 on the first day of the next month: the period is [start, end)."""
        return self.next().start

    @property
    def days(self) -> int:
        return self.last_day.day

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def back(self, count: int) -> list[Month]:
        """The ``count`` months ending with this one, oldest first."""
        months = [self]
        while len(months) < count:
            months.append(months[-1].previous())
        return months[::-1]

    @property
    def label(self) -> str:
        """ "March 2026" in the active language."""
        return formats.date_format(self.first_day, "F Y")

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.iso


def swedish_holidays(year: int) -> frozenset[dt.date]:
    """The days off in Sweden besides weekends: the public holidays of the law (1989:253) and the
    eves that are days off in practice (Midsummer Eve, Christmas Eve, New Year's Eve)."""
    return frozenset(holidays.holidays(year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in swedish_holidays(day.year)


def first_working_day(month: Month) -> dt.date:
    day = month.first_day
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
