"""The report's numbers, against a month whose true figures the test knows (conftest ``march``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sigill.connectors.models import CaptureRun, Connection
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from sigill.reports import selectors
from sigill.reports.figures import AccountRow, DecisionCount, Durations, Gap, Report
from sigill.reports.periods import Month
from tests.reports.conftest import H, Moderated, capture, item, moderate, sthlm

pytestmark = pytest.mark.django_db


def row_of(report: Report, account: Account) -> AccountRow:
    return next(row for row in report.accounts if row.account.id == account.pk)


def test_an_accounts_activity_is_counted_by_swedish_month(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    figures = row_of(selectors.monthly(alice, year=2026, month=3), library).figures
    # Posts: 00:30 on 1 March Swedish time counts, 00:30 on 1 April does not, nor February's.
    assert figures.posts_published == 2
    # Comments and replies by others (never the library's own reply), and a direct message.
    assert figures.comments_received == 5
    assert figures.messages_received == 1


def test_share_flagged_is_of_the_cases_opened_in_the_month(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    figures = row_of(selectors.monthly(alice, year=2026, month=3), library).figures
    assert (figures.cases, figures.flagged, figures.flagged_share) == (4, 2, 0.5)


def test_time_to_first_look_and_to_decision_against_the_target(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    row = row_of(selectors.monthly(alice, year=2026, month=3), library)
    # First looks of the cases opened in March: 1, 3 and 6 hours (one case not looked at yet),
    # each well within the 24-hour target.
    assert row.figures.first_look == Durations(
        count=3, median_hours=3.0, p90_hours=6.0, within_target=3, within_target_share=1.0
    )
    # Decisions taken in March: 2, 5, 20 and 48 hours (the last on a case opened in February);
    # the first two by the case's due time. The 90th percentile is the 4th of 4 (nearest rank).
    assert row.figures.decision_time == Durations(
        count=4, median_hours=12.5, p90_hours=48.0, within_target=2, within_target_share=0.5
    )
    assert (row.target_hours, row.weekends_count) == (24, False)


def test_decisions_are_counted_by_act_and_reason(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    figures = row_of(selectors.monthly(alice, year=2026, month=3), library).figures
    assert figures.decisions == 4
    assert sorted(figures.decisions_by_reason, key=lambda d: d.act) == [
        DecisionCount("delete", "personal_attack", 1),
        DecisionCount("forward", "", 1),
        DecisionCount("hide", "spam", 1),
        DecisionCount("keep", "", 1),
    ]


def test_a_forwarded_question_is_counted_with_its_response_time(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    figures = row_of(selectors.monthly(alice, year=2026, month=3), library).figures
    assert (figures.questions_forwarded, figures.questions_answered) == (1, 1)
    assert figures.response_time == Durations(
        count=1, median_hours=30.0, p90_hours=30.0, within_target=1, within_target_share=1.0
    )


def test_compliance_and_reviews_as_they_stood_when_the_month_ended(
    alice: User, library: Account, streets: Account, march: dict[str, Case]
) -> None:
    report = selectors.monthly(alice, year=2026, month=3)
    mine, theirs = row_of(report, library), row_of(report, streets)
    assert mine.compliance_score == 80  # checked on 20 March; the April check is after the month
    assert theirs.compliance_score is None
    assert (mine.review_due, theirs.review_due) == (True, False)
    assert (mine.access_reviews_due, theirs.access_reviews_due) == (1, 0)


def test_a_unit_and_the_total_pool_their_accounts_times(
    alice: User, library: Account, streets: Account, march: dict[str, Case]
) -> None:
    report = selectors.monthly(alice, year=2026, month=3)
    assert [(unit.unit.name, unit.accounts) for unit in report.units if unit.unit] == [
        ("Gata och park", 1),
        ("Vara bibliotek", 1),
    ]
    total = report.total.figures
    assert (total.cases, total.flagged, total.flagged_share) == (5, 3, 0.6)
    # Pooled first looks 1, 2, 3, 6 hours: the median is 2.5 (never the mean of the two medians).
    assert total.first_look == Durations(
        count=4, median_hours=2.5, p90_hours=6.0, within_target=4, within_target_share=1.0
    )
    # Pooled decisions 2, 4, 5, 20, 48 hours: the median is 5; the 90th percentile the 5th of 5.
    assert total.decision_time == Durations(
        count=5, median_hours=5.0, p90_hours=48.0, within_target=3, within_target_share=0.6
    )
    assert (report.total.mean_compliance_score, report.total.reviews_due) == (80.0, 1)


def test_comms_sees_every_question_the_contact_center_received(alice: User, march: dict[str, Case]) -> None:
    inquiries = selectors.monthly(alice, year=2026, month=3).inquiries
    assert inquiries is not None
    assert (inquiries.received, inquiries.answered) == (3, 2)
    assert inquiries.by_source == {"moderation": 1, "eservice": 1, "email": 1}
    # 30 and 50 hours against 48: the median is 40, the 90th percentile the 2nd of 2.
    assert inquiries.response_time == Durations(
        count=2, median_hours=40.0, p90_hours=50.0, within_target=1, within_target_share=0.5
    )


def test_the_trend_shows_the_twelve_months_ending_with_the_report(
    alice: User, march: dict[str, Case]
) -> None:
    trend = selectors.monthly(alice, year=2026, month=3).trend
    assert [(point.year, point.month) for point in trend][0::11] == [(2025, 4), (2026, 3)]
    february, current = trend[-2], trend[-1]
    assert (february.posts_published, february.comments_received, february.cases) == (1, 1, 1)
    assert (current.posts_published, current.comments_received, current.messages_received) == (3, 6, 1)
    assert (current.cases, current.flagged, current.decisions) == (5, 3, 5)


def test_a_unit_manager_sees_only_their_units_accounts_and_no_questions(
    bob: User, gustav: User, library: Account, streets: Account, march: dict[str, Case]
) -> None:
    bobs = selectors.monthly(bob, year=2026, month=3)
    assert [row.account.id for row in bobs.accounts] == [library.pk]
    assert bobs.inquiries is None
    assert bobs.total.figures.cases == 4
    gustavs = selectors.monthly(gustav, year=2026, month=3)
    assert [row.account.id for row in gustavs.accounts] == [streets.pk]


def test_a_report_narrowed_to_a_unit_covers_it_and_the_units_below(
    alice: User, library: Account, march: dict[str, Case], units: dict[str, object]
) -> None:
    report = selectors.monthly(alice, year=2026, month=3, unit=units["bildning"])  # type: ignore[arg-type]
    assert [row.account.id for row in report.accounts] == [library.pk]
    assert report.inquiries is None  # the contact center's questions belong to no unit


def test_an_editor_may_not_read_reports(erik: User, march: dict[str, Case]) -> None:
    with pytest.raises(PermissionDenied):
        selectors.monthly(erik, year=2026, month=3)


def test_the_report_is_plain_data_for_the_api(alice: User, march: dict[str, Case]) -> None:
    data = selectors.monthly(alice, year=2026, month=3).as_dict()
    assert data["total"]["figures"]["decision_time"]["median_hours"] == 5.0
    assert data["accounts"][0]["coverage"]["basis"] == "connectors"
    assert isinstance(data["generated_at"], str)
    assert dt.date.fromisoformat(data["accounts"][1]["next_review_on"]) == dt.date(2026, 3, 15)


def daily_syncs(account: Account, first: int, last: int, *, month: int = 3) -> None:
    """A successful API sync at 06:00 each day from ``first`` to ``last`` of ``month``."""
    Connection.objects.get_or_create(account=account, defaults={"remote_id": "page"})
    CaptureRun.objects.bulk_create(
        CaptureRun(
            account=account, path="api", outcome=CaptureRun.Outcome.SUCCEEDED,
            started_at=sthlm(month, day, 6), finished_at=sthlm(month, day, 6, 1),
        )
        for day in range(first, last + 1)
    )  # fmt: skip


# March 2026 in Sweden has 743 hours: summer time begins on 29 March.
MARCH_HOURS = 743.0


def test_an_account_synced_all_month_is_fully_covered_though_it_was_quiet_for_days(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    daily_syncs(library, 1, 31)  # the library posted and was commented on a few days only
    coverage = row_of(selectors.monthly(alice, year=2026, month=3), library).coverage
    assert (coverage.basis, coverage.days, coverage.hours) == ("connectors", 31, MARCH_HOURS)
    assert (coverage.hours_covered, coverage.covered_share, coverage.gaps) == (MARCH_HOURS, 1.0, [])


def test_the_last_capture_is_the_last_sync_that_read_the_account_though_it_found_nothing_new(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    daily_syncs(library, 1, 20)
    coverage = row_of(selectors.monthly(alice, year=2026, month=3), library).coverage
    assert coverage.last_capture_at == sthlm(3, 20, 6, 1)


def test_a_token_that_expired_mid_month_leaves_a_gap_from_that_moment_with_its_cause(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    daily_syncs(library, 1, 14)
    CaptureRun.objects.create(
        account=library, path="api", outcome=CaptureRun.Outcome.NEEDS_RECONNECT,
        started_at=sthlm(3, 15, 6), finished_at=sthlm(3, 15, 6), error="(190/463) Error validating access token",
    )  # fmt: skip
    report = selectors.monthly(alice, year=2026, month=3)
    coverage = row_of(report, library).coverage
    # From 06:00 on 15 March to the month's end: 16 days and 18 hours, less the hour summer time took.
    assert coverage.gaps == [
        Gap(
            start=sthlm(3, 15, 6),
            end=sthlm(4, 1, 0),
            ongoing=True,
            hours=401.0,
            path="api",
            reason="needs_reconnect",
        )
    ]
    assert coverage.gaps[0].reason_label == "Token har gått ut eller återkallats"
    assert (coverage.hours_covered, coverage.covered_share) == (342.0, 342 / 743)
    assert report.total.accounts_with_gaps == 2  # the streets account has no connection and no capture


def test_an_account_without_a_connection_and_nothing_captured_is_not_covered(
    alice: User, streets: Account, march: dict[str, Case]
) -> None:
    coverage = row_of(selectors.monthly(alice, year=2026, month=3), streets).coverage
    assert coverage.gaps == [
        Gap(
            sthlm(3, 1, 0),
            sthlm(4, 1, 0),
            ongoing=True,
            hours=MARCH_HOURS,
            path="",
            reason="nothing_captured",
        )
    ]
    assert (coverage.hours_covered, coverage.covered_share) == (0.0, 0.0)


def test_coverage_counts_from_when_the_account_went_live_up_to_now(alice: User, library: Account) -> None:
    period = Month.current()
    now = timezone.now()
    Account.objects.filter(pk=library.pk).update(activated_at=period.start)
    Connection.objects.create(account=library, remote_id="page")
    CaptureRun.objects.create(
        account=library,
        path="api",
        outcome=CaptureRun.Outcome.SUCCEEDED,
        started_at=period.start,
        finished_at=now,
    )
    coverage = row_of(selectors.monthly(alice, year=period.year, month=period.month), library).coverage
    assert coverage.days == timezone.localdate().day
    assert period.start + dt.timedelta(hours=coverage.hours) <= timezone.now()
    assert (coverage.covered_share, coverage.gaps) == (1.0, [])


def test_there_is_no_report_for_a_month_that_has_not_begun(alice: User) -> None:
    coming = Month.current().next()
    with pytest.raises(Http404):
        selectors.monthly(alice, year=coming.year, month=coming.month)


def test_a_decision_on_a_round_since_reopened_counts_by_reason_but_not_in_the_times(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    # c-1 was edited after its decision (2 hours after arrival) and opened again on 20 March.
    Case.objects.filter(pk=march["c-1"].pk).update(
        round=2, state=Case.State.OPEN, opened_at=sthlm(3, 20), due_at=sthlm(3, 20, 22)
    )
    figures = row_of(selectors.monthly(alice, year=2026, month=3), library).figures
    assert figures.decisions == 4
    assert figures.decision_time.count == 3  # 5, 20 and 48 hours: the round-1 time is unknown now
    # Its first look (before the new round opened) belongs to round 1, so it is not counted either.
    assert figures.first_look == Durations(
        count=2, median_hours=4.5, p90_hours=6.0, within_target=2, within_target_share=1.0
    )


def test_a_first_look_counts_in_time_by_the_due_time_where_weekends_do_not_count(
    alice: User, library: Account
) -> None:
    """The library's target is 24 hours, weekends not counted: a comment on Friday 6 March at
    20:00 is due on Monday 9 March at 20:00."""
    found = capture(item(library, "fri-1", sthlm(3, 6, 20)), item(library, "fri-2", sthlm(3, 6, 20, 5)))
    moderate(Moderated(found["fri-1"], sthlm(3, 6, 20), looked_after=46 * H), alice)  # Sunday 18:00
    moderate(Moderated(found["fri-2"], sthlm(3, 6, 20, 5), looked_after=73 * H), alice)  # Monday 21:05
    first_look = row_of(selectors.monthly(alice, year=2026, month=3), library).figures.first_look
    assert (first_look.count, first_look.within_target, first_look.within_target_share) == (2, 1, 0.5)
