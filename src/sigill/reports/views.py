"""The report pages: a month's report over the reader's accounts, one account's report, and the
same report as CSV and PDF."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from sigill.core.policies import policy_for
from sigill.organisation.models import Unit
from sigill.organisation.people import SignedInRequest
from sigill.reports import charts, exports, selectors, services, tables
from sigill.reports.forms import PeriodForm
from sigill.reports.models import MonthlyReport
from sigill.reports.periods import Month


def _month_url(name: str, period: Month, unit: Unit | None = None) -> str:
    url = reverse(name, kwargs={"year": period.year, "month": period.month})
    return url + ("?" + urlencode({"unit": unit.slug}) if unit else "")


def _unit(request: SignedInRequest) -> Unit | None:
    """The unit the report is narrowed to (``?unit=slug``), among those the reader may choose."""
    return selectors.chosen_unit(request.user, request.GET.get("unit", ""))


@require_safe
@login_required
def index(request: SignedInRequest) -> HttpResponse:
    """The month and unit chosen in the form, or last month (the latest complete one)."""
    policy_for(MonthlyReport).require(request.user, "view")
    form = PeriodForm(request.GET or None, units=selectors.unit_choices(request.user))
    if form.is_valid():
        return redirect(_month_url("reports:month", form.period(), form.cleaned_data["unit"]))
    return redirect(_month_url("reports:month", Month.current().previous()))


@require_safe
@login_required
def month(request: SignedInRequest, year: int, month: int) -> HttpResponse:
    unit = _unit(request)
    report = selectors.monthly(request.user, year=year, month=month, unit=unit)
    period = Month(year, month)
    form = PeriodForm(initial={"month": period.iso, "unit": unit}, units=selectors.unit_choices(request.user))
    context = {
        "report": report,
        "period": period,
        "charts": charts.for_report(report),
        "unit_lines": tables.unit_lines(report),
        "account_lines": tables.account_lines(report),
        "gaps": [row for row in report.accounts if row.coverage.gaps],
        "message_gaps": [row for row in report.accounts if row.coverage.messages],
        "form": form,
        "csv_url": _month_url("reports:csv", period, unit),
        "pdf_url": _month_url("reports:pdf", period, unit),
        "previous_url": _month_url("reports:month", period.previous(), unit),
        "next_url": _month_url("reports:month", period.next(), unit) if period < Month.current() else None,
    }
    return render(request, "reports/month.html", context)


@require_safe
@login_required
def account(request: SignedInRequest, year: int, month: int, slug: str) -> HttpResponse:
    report = selectors.account_report(request.user, slug=slug, year=year, month=month)
    period = Month(year, month)
    row = report.accounts[0]
    shown = [charts.trend(report)]
    if row.figures.decisions_by_reason:
        shown.append(charts.decisions_by_reason(row.figures))
    context = {
        "report": report,
        "row": row,
        "period": period,
        "charts": shown,
        "month_url": _month_url("reports:month", period),
        "previous_url": reverse(
            "reports:account",
            kwargs={"year": period.previous().year, "month": period.previous().month, "slug": slug},
        ),
        "next_url": reverse(
            "reports:account", kwargs={"year": period.next().year, "month": period.next().month, "slug": slug}
        )
        if period < Month.current()
        else None,
    }
    return render(request, "reports/account.html", context)


def _download(request: SignedInRequest, year: int, month: int, kind: str, content_type: str) -> HttpResponse:
    report = selectors.monthly(request.user, year=year, month=month, unit=_unit(request))
    content = services.export(report=report, kind=kind, by=request.user)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, kind)}"'
    return response


@require_safe
@login_required
def csv(request: SignedInRequest, year: int, month: int) -> HttpResponse:
    return _download(request, year, month, "csv", "text/csv; charset=utf-8")


@require_safe
@login_required
def pdf(request: SignedInRequest, year: int, month: int) -> HttpResponse:
    return _download(request, year, month, "pdf", "application/pdf")
