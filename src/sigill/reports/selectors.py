"""The reports: per account and per unit, for one month, over the accounts the reader may see.

``monthly(user, year=..., month=...)`` is the one entry point for pages, exports and the API: it
returns plain data (``figures.Report``). Every other app is read through its selectors, each
asked once for all the report's accounts, so a report costs the same number of queries for five
accounts as for five hundred.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from sigill.archive import selectors as archive_selectors
from sigill.archive.capture import Direction, Kind
from sigill.compliance import selectors as compliance_selectors
from sigill.core.policies import policy_for
from sigill.core.text import swedish_sort_key
from sigill.inquiries import selectors as inquiry_selectors
from sigill.inquiries.models import Inquiry
from sigill.moderation import selectors as moderation_selectors
from sigill.moderation.deadlines import due_after
from sigill.moderation.models import Act, TimeTarget
from sigill.organisation.models import Unit
from sigill.organisation.people import User
from sigill.registry import selectors as registry_selectors
from sigill.registry.models import Account
from sigill.reports import coverage, stats
from sigill.reports.figures import (
    AccountRef,
    AccountRow,
    Durations,
    InquiryFigures,
    Report,
    Tally,
    TrendPoint,
    UnitRef,
    UnitRow,
)
from sigill.reports.models import MonthlyReport
from sigill.reports.periods import STOCKHOLM, Month

# Accounts a report covers: all but those not live yet (planned ones and those being set up
# have nothing to report) and those closed before the month.
NOT_YET_LIVE = (Account.Status.PLANNED, Account.Status.SETTING_UP)
TREND_MONTHS = 12


def may_read(user: User) -> bool:
    return policy_for(MonthlyReport).can(user, "view")


def sees_everything(user: User) -> bool:
    return policy_for(MonthlyReport).can(user, "view_everything")


def monthly_report_sent(period: Month) -> MonthlyReport | None:
    """The record that ``period``'s report went to comms, if it did."""
    return MonthlyReport.objects.filter(year=period.year, month=period.month).first()


def reportable_month(year: int, month: int) -> Month:
    """The month asked for, if a report can be made for it (not in the future); else 404."""
    try:
        period = Month(year, month)
    except ValueError as wrong:
        raise Http404(str(wrong)) from wrong
    if period > Month.current():
        raise Http404("A report is made for a month that has begun.")
    return period


def report_accounts(user: User, *, period: Month, unit: Unit | None = None) -> QuerySet[Account]:
    """The accounts ``user`` may see that were live during ``period`` (in ``unit`` and below)."""
    policy_for(MonthlyReport).require(user, "view")
    accounts = registry_selectors.accounts_for(user, filters={"unit": unit} if unit else None)
    return live_during(accounts, period)


def live_during(accounts: QuerySet[Account], period: Month) -> QuerySet[Account]:
    # Not by activation date: accounts registered when Sigill was installed were live on their
    # platforms long before, and their history may be imported from export files.
    return accounts.exclude(status__in=NOT_YET_LIVE).exclude(
        status=Account.Status.CLOSED, status_changed_at__lt=period.start
    )


def unit_choices(user: User) -> list[Unit]:
    """The units a reader may narrow a report to: those owning an account they may see, and the
    units above them (an administration owns its departments' accounts too), in tree order."""
    policy_for(MonthlyReport).require(user, "view")
    paths = registry_selectors.accounts_for(user).values_list("unit__path", flat=True).distinct()
    ids = {int(part) for path in paths for part in path.strip("/").split("/")}
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def chosen_unit(user: User, slug: str) -> Unit | None:
    """The unit a report is narrowed to, by its slug, among those ``user`` may choose (404 for
    any other); None for an empty slug: the whole report."""
    if not slug:
        return None
    for unit in unit_choices(user):
        if unit.slug == slug:
            return unit
    raise Http404("No such unit among your accounts.")


def monthly(user: User, *, year: int, month: int, unit: Unit | None = None) -> Report:
    """The report for ``year``-``month`` over the accounts ``user`` may see (narrowed to ``unit``
    and the units below it). Comms also gets the contact center's questions."""
    period = reportable_month(year, month)
    accounts = list(report_accounts(user, period=period, unit=unit))
    return build(accounts, period, unit=unit, inquiries=sees_everything(user) and unit is None)


def account_report(user: User, *, slug: str, year: int, month: int) -> Report:
    """The report of one account the reader may see (404 otherwise)."""
    period = reportable_month(year, month)
    accounts = list(report_accounts(user, period=period).filter(slug=slug))
    if not accounts:
        raise Http404("No such account in the reports.")
    return build(accounts, period, unit=None, inquiries=False)


def municipality_report(period: Month) -> Report:
    """Every account's report, as the monthly e-mail sends it to comms."""
    accounts = Account.objects.select_related("platform", "unit", "responsible")
    return build(list(live_during(accounts, period)), period, unit=None, inquiries=True)


def build(accounts: list[Account], period: Month, *, unit: Unit | None, inquiries: bool) -> Report:
    now = timezone.now()
    accounts.sort(key=lambda a: (swedish_sort_key(a.unit.name), swedish_sort_key(a.display_name), a.pk))
    targets = moderation_selectors.time_targets([account.pk for account in accounts])
    tallies = _tallies(accounts, period, targets)
    rows = _account_rows(accounts, tallies, targets, period, now)
    units = _unit_rows(accounts, rows, tallies)
    return Report(
        year=period.year,
        month=period.month,
        generated_at=now,
        unit=UnitRef(unit.pk, unit.slug, unit.name) if unit else None,
        accounts=rows,
        units=units,
        total=_unit_row(None, rows, [tallies[row.account.id] for row in rows]),
        inquiries=_inquiries(period) if inquiries else None,
        trend=_trend([a.pk for a in accounts], period),
        coverage_basis=coverage.BASIS,
    )


def _tallies(accounts: list[Account], period: Month, targets: dict[int, TimeTarget]) -> dict[int, Tally]:
    ids = [account.pk for account in accounts]
    tallies = {pk: Tally() for pk in ids}
    window = {"since": period.start, "until": period.end}
    for pk, counts in archive_selectors.activity_by_account(ids, **window).items():
        tally = tallies[pk]
        tally.posts = counts[(Kind.POST, Direction.DRAWN_UP)]
        tally.comments = counts[(Kind.COMMENT, Direction.RECEIVED)] + counts[(Kind.REPLY, Direction.RECEIVED)]
        tally.messages = counts[(Kind.MESSAGE, Direction.RECEIVED)]
    for case in moderation_selectors.cases_opened(ids, **window):
        tally = tallies[case.account_id]
        tally.cases += 1
        tally.flagged += case.severity > 0
        # A first look before the round opened belongs to an earlier round of a reopened case.
        if case.first_looked_at is not None and case.first_looked_at >= case.opened_at:
            tally.first_look_hours.append(stats.hours(case.first_looked_at - case.opened_at))
            # In time: by the due time the account's target gives, counted as the queue counts it.
            target = targets[case.account_id]
            due = due_after(case.opened_at, hours=target.hours, weekends_count=target.weekends_count)
            tally.first_looked_in_time += case.first_looked_at <= due
    forwarded: dict[str, int] = {}
    for decision in moderation_selectors.decisions_taken(ids, **window):
        tally = tallies[decision.account_id]
        tally.decisions[(decision.act, decision.reason)] += 1
        if decision.opened_at is not None and decision.due_at is not None:
            tally.decision_hours.append(stats.hours(decision.decided_at - decision.opened_at))
            tally.decided_in_time += decision.decided_at <= decision.due_at
        if decision.act == Act.FORWARD:
            tally.forwarded += 1
            forwarded[decision.reference] = decision.account_id
    answers = inquiry_selectors.response_times(source=Inquiry.Source.MODERATION, external_ids=forwarded)
    for reference, answer in answers.items():
        if answer.answered_at is not None:
            tally = tallies[forwarded[reference]]
            tally.response_hours.append(stats.hours(answer.answered_at - answer.received_at))
            tally.answered_in_time += answer.answered_at <= answer.due_at
    return tallies


def _account_rows(
    accounts: list[Account],
    tallies: dict[int, Tally],
    targets: dict[int, TimeTarget],
    period: Month,
    now: dt.datetime,
) -> list[AccountRow]:
    ids = [account.pk for account in accounts]
    until = min(period.end, now)
    scores = compliance_selectors.latest_scores(ids, at=period.end)
    editors_due = registry_selectors.access_reviews_due(ids, at=until)
    covered = coverage.coverage_of(accounts, period, now=now)
    rows = []
    for account in accounts:
        score = scores.get(account.pk)
        rows.append(
            AccountRow(
                account=AccountRef(
                    id=account.pk,
                    slug=account.slug,
                    name=account.display_name,
                    platform=account.platform.name,
                    unit=account.unit.name,
                    unit_slug=account.unit.slug,
                ),
                figures=tallies[account.pk].figures(),
                target_hours=targets[account.pk].hours,
                weekends_count=targets[account.pk].weekends_count,
                coverage=covered[account.pk],
                compliance_score=score.score if score else None,
                compliance_checked_at=score.checked_at if score else None,
                review_due=account.status != Account.Status.CLOSED
                and account.next_review_on is not None
                and account.next_review_on <= period.last_day,
                next_review_on=account.next_review_on,
                access_reviews_due=editors_due.get(account.pk, 0),
            )
        )
    return rows


def _unit_rows(accounts: list[Account], rows: list[AccountRow], tallies: dict[int, Tally]) -> list[UnitRow]:
    by_unit: dict[int, list[AccountRow]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for account, row in zip(accounts, rows, strict=True):
        by_unit[account.unit_id].append(row)
        units[account.unit_id] = account.unit
    return [
        _unit_row(units[pk], members, [tallies[row.account.id] for row in members])
        for pk, members in by_unit.items()
    ]


def _unit_row(unit: Unit | None, rows: list[AccountRow], tallies: list[Tally]) -> UnitRow:
    pooled = Tally()
    for tally in tallies:
        pooled.add(tally)
    scores = [row.compliance_score for row in rows if row.compliance_score is not None]
    return UnitRow(
        unit=UnitRef(unit.pk, unit.slug, unit.name) if unit else None,
        accounts=len(rows),
        figures=pooled.figures(),
        accounts_with_gaps=sum(bool(row.coverage.gaps) for row in rows),
        hours_without_capture=sum(row.coverage.hours - row.coverage.hours_covered for row in rows),
        covered_share=_pooled_share(rows),
        mean_compliance_score=sum(scores) / len(scores) if scores else None,
        reviews_due=sum(row.review_due for row in rows),
        access_reviews_due=sum(row.access_reviews_due for row in rows),
    )


def _pooled_share(rows: list[AccountRow]) -> float | None:
    live = sum(row.coverage.hours for row in rows)
    return sum(row.coverage.hours_covered for row in rows) / live if live else None


def _inquiries(period: Month) -> InquiryFigures:
    received = inquiry_selectors.received_between(since=period.start, until=period.end)
    by_source: dict[str, int] = {}
    answered_hours = []
    in_time = 0
    for inquiry in received:
        by_source[inquiry.source] = by_source.get(inquiry.source, 0) + 1
        if inquiry.answered_at is not None:
            answered_hours.append(stats.hours(inquiry.answered_at - inquiry.received_at))
            in_time += inquiry.answered_at <= inquiry.due_at
    return InquiryFigures(
        received=len(received),
        by_source=by_source,
        answered=len(answered_hours),
        response_time=Durations.of(answered_hours, within_target=in_time),
        target_hours=settings.INQUIRY_RESPONSE_HOURS,
    )


def _trend(ids: list[int], period: Month) -> list[TrendPoint]:
    months = period.back(TREND_MONTHS)
    since, until = months[0].start, period.end
    activity = archive_selectors.activity_by_month(ids, since=since, until=until, tz=STOCKHOLM)
    cases = moderation_selectors.cases_by_month(ids, since=since, until=until, tz=STOCKHOLM)
    points = []
    for month in months:
        counts = activity.get(month.first_day)
        moderated = cases.get(month.first_day)
        points.append(
            TrendPoint(
                year=month.year,
                month=month.month,
                posts_published=counts[(Kind.POST, Direction.DRAWN_UP)] if counts else 0,
                comments_received=(
                    counts[(Kind.COMMENT, Direction.RECEIVED)] + counts[(Kind.REPLY, Direction.RECEIVED)]
                    if counts
                    else 0
                ),
                messages_received=counts[(Kind.MESSAGE, Direction.RECEIVED)] if counts else 0,
                cases=moderated.cases if moderated else 0,
                flagged=moderated.flagged if moderated else 0,
                decisions=moderated.decisions if moderated else 0,
            )
        )
    return points
