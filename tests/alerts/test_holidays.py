"""Swedish public holidays, computed: Easter-based days, Midsummer, All Saints' Day and the eves."""

from __future__ import annotations

import datetime as dt

import pytest

from sigill.core.holidays import easter_sunday, holiday_name, holidays, is_day_off


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2026, 4, 3), "Långfredagen"),
        (dt.date(2026, 4, 6), "Annandag påsk"),
        (dt.date(2026, 5, 14), "Kristi himmelsfärds dag"),
        (dt.date(2026, 5, 24), "Pingstdagen"),
        (dt.date(2026, 6, 19), "Midsommarafton"),
        (dt.date(2026, 6, 20), "Midsommardagen"),
        (dt.date(2026, 10, 31), "Alla helgons dag"),
        (dt.date(2025, 11, 1), "Alla helgons dag"),
        (dt.date(2025, 6, 20), "Midsommarafton"),
        (dt.date(2027, 3, 26), "Långfredagen"),
        (dt.date(2026, 6, 6), "Sveriges nationaldag"),
        (dt.date(2026, 12, 24), "Julafton"),
    ],
)
def test_it_names_the_swedish_holidays(day: dt.date, name: str) -> None:
    assert holiday_name(day) == name
    assert is_day_off(day)


def test_easter_falls_on_the_known_sundays() -> None:
    assert [easter_sunday(year) for year in (2024, 2025, 2026, 2027, 2038)] == [
        dt.date(2024, 3, 31),
        dt.date(2025, 4, 20),
        dt.date(2026, 4, 5),
        dt.date(2027, 3, 28),
        dt.date(2038, 4, 25),
    ]


def test_a_year_has_sixteen_days_off_besides_weekends_and_an_ordinary_tuesday_is_none() -> None:
    assert len(holidays(2026)) == 16
    assert holiday_name(dt.date(2026, 12, 8)) == ""
    assert not is_day_off(dt.date(2026, 12, 8))
    assert is_day_off(dt.date(2026, 12, 12)), "a Saturday"
