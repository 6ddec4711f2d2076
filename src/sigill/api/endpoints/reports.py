"""Reports: a month's figures per account and per unit, read through ``reports.selectors`` with
the pages' own scoping (comms every account, unit managers their units' accounts, others 403)."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from sigill.api import openapi
from sigill.api.auth import user_of
from sigill.api.fields import Slug
from sigill.api.schemas import ReportOut
from sigill.reports import selectors
from sigill.reports.figures import Report

router = Router(tags=["reports"])

Year = Annotated[int, Field(ge=2000, le=2200)]
MonthNumber = Annotated[int, Field(ge=1, le=12)]


class ReportFilters(Schema):
    unit: Annotated[str, Field(max_length=100, pattern=r"^[-a-zA-Z0-9_]*$")] = Field(
        "", description="Narrow the report to a unit (its short name) and the units below it."
    )


def report_out(report: Report) -> ReportOut:
    return ReportOut.model_validate(report.as_dict())


@router.get(
    "/reports/{year}/{month}", response=ReportOut, url_name="reports_month", openapi_extra=openapi.READ_ONE
)
def get_month(
    request: HttpRequest,
    year: Annotated[Year, Path()],
    month: Annotated[MonthNumber, Path()],
    filters: Query[ReportFilters],
) -> ReportOut:
    """The month's report over the accounts the token's owner may see: a row per account and per
    unit, the total, and for comms the contact center's questions. 404 for a month not begun."""
    user = user_of(request)
    unit = selectors.chosen_unit(user, filters.unit)
    return report_out(selectors.monthly(user, year=year, month=month, unit=unit))


@router.get(
    "/reports/{year}/{month}/accounts/{slug}",
    response=ReportOut,
    url_name="reports_account",
    openapi_extra=openapi.READ_ONE,
)
def get_account_month(
    request: HttpRequest,
    year: Annotated[Year, Path()],
    month: Annotated[MonthNumber, Path()],
    slug: Annotated[Slug, Path()],
) -> ReportOut:
    """One account's report for the month, if the token's owner may read it (404 otherwise)."""
    return report_out(selectors.account_report(user_of(request), slug=slug, year=year, month=month))
