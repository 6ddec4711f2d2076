"""Months in Swedish time, Swedish working days, and the statistics the reports use."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sigill.connectors.selectors import Coverage
from sigill.connectors.selectors import Gap as ConnectorGap
from sigill.core.holidays import easter_sunday
from sigill.reports import stats
from sigill.reports.periods import Month, first_working_day, is_working_day


def test_a_month_runs_from_midnight_to_midnight_in_swedish_time() -> None:
    march = Month(2026, 3)
    assert march.start.astimezone(dt.UTC) == dt.datetime(2026, 2, 28, 23, 0, tzinfo=dt.UTC)
    # Summer time began on 29 March, so the month ends at 22:00 UTC.
    assert march.end.astimezone(dt.UTC) == dt.datetime(2026, 3, 31, 22, 0, tzinfo=dt.UTC)
    assert (march.days, march.iso) == (31, "2026-03")


def test_months_step_over_the_new_year() -> None:
    assert Month(2025, 12).next() == Month(2026, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 2).back(3) == [Month(2025, 12), Month(2026, 1), Month(2026, 2)]


def test_there_is_no_thirteenth_month() -> None:
    with pytest.raises(ValueError, match="no such month"):
        Month(2026, 13)


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, dt.date(2024, 3, 31)), (2025, dt.date(2025, 4, 20)), (2026, dt.date(2026, 4, 5)),
     (2038, dt.date(2038, 4, 25)), (2285, dt.date(2285, 3, 22))],
)  # fmt: skip
def test_easter_sunday(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("month", "first"),
    [
        (Month(2026, 1), dt.date(2026, 1, 2)),  # New Year's Day is a Thursday
        (Month(2028, 1), dt.date(2028, 1, 3)),  # a Saturday: then Sunday, then Monday
        (Month(2026, 5), dt.date(2026, 5, 4)),  # 1 May is a Friday
        (Month(2024, 4), dt.date(2024, 4, 2)),  # Easter Monday on 1 April
        (Month(2026, 8), dt.date(2026, 8, 3)),  # a Saturday
        (Month(2026, 6), dt.date(2026, 6, 1)),  # an ordinary Monday
        (Month(2027, 1), dt.date(2027, 1, 4)),  # Friday New Year's Day, then a weekend
    ],
)
def test_the_first_working_day_of_the_month(month: Month, first: dt.date) -> None:
    assert first_working_day(month) == first


@pytest.mark.parametrize(
    "day",
    [dt.date(2026, 1, 6), dt.date(2026, 4, 3), dt.date(2026, 5, 14), dt.date(2026, 6, 19),
     dt.date(2026, 12, 24), dt.date(2026, 12, 25), dt.date(2025, 12, 26), dt.date(2025, 12, 31),
     dt.date(2025, 6, 6)],
)  # fmt: skip
def test_swedish_holidays_are_not_working_days(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert stats.median([48.0, 2.0, 20.0, 5.0]) == 12.5
    assert stats.median([]) is None


@pytest.mark.parametrize(
    ("values", "p90"),
    [
        ([7.0], 7.0),
        ([1.0, 2.0], 2.0),
        (list(map(float, range(1, 11))), 9.0),
        (list(map(float, range(1, 12))), 10.0),
    ],
)
def test_the_90th_percentile_is_by_nearest_rank(values: list[float], p90: float) -> None:
    assert stats.percentile(values, 90) == p90


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1))
def test_the_90th_percentile_is_an_observed_value_with_90_percent_at_or_below(values: list[float]) -> None:
    p90 = stats.percentile(values, 90)
    assert p90 in values
    assert sum(v <= p90 for v in values) * 10 >= 9 * len(values)
    assert sum(v < p90 for v in values) * 10 < 9 * len(values)


def test_time_in_overlapping_gaps_counts_once_and_only_within_the_period() -> None:
    march = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    found = Coverage(since=march, until=march + 10 * day)
    found.gaps = [
        ConnectorGap(march - day, march + day, "api", "outage", ""),  # opened in February
        ConnectorGap(march + 3 * day, march + 6 * day, "api", "failed", ""),
        ConnectorGap(march + 5 * day, None, "export", "failed", ""),  # still open, overlapping
    ]
    assert found.uncovered(since=march, until=march + 10 * day) == 1 * day + 7 * day
    assert found.uncovered(since=march + 2 * day, until=march + 4 * day) == day
