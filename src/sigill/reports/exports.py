"""A report as CSV (one row per account, per unit and in total) and as PDF (WeasyPrint)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sigill.compliance.selectors import municipality_name
from sigill.core.text import csv_safe
from sigill.reports import charts, tables
from sigill.reports.figures import AccountRow, Figures, Report, UnitRow
from sigill.reports.periods import Month


def filename(report: Report, extension: str) -> str:
    scope = f"-{report.unit.slug}" if report.unit else ""
    return f"sigill-report-{Month(report.year, report.month).iso}{scope}.{extension}"


def _figure_columns(figures: Figures) -> dict[str, Any]:
    return {
        "posts_published": figures.posts_published,
        "comments_received": figures.comments_received,
        "messages_received": figures.messages_received,
        "cases": figures.cases,
        "flagged": figures.flagged,
        "flagged_share": _number(figures.flagged_share, 3),
        "decisions": figures.decisions,
        "first_look_median_hours": _number(figures.first_look.median_hours),
        "first_look_p90_hours": _number(figures.first_look.p90_hours),
        "first_looked_within_target": figures.first_look.within_target,
        "decision_median_hours": _number(figures.decision_time.median_hours),
        "decision_p90_hours": _number(figures.decision_time.p90_hours),
        "decided_within_target": figures.decision_time.within_target,
        "questions_forwarded": figures.questions_forwarded,
        "questions_answered": figures.questions_answered,
        "response_median_hours": _number(figures.response_time.median_hours),
        "response_p90_hours": _number(figures.response_time.p90_hours),
        **{
            f"decisions:{count.act}" + (f":{count.reason}" if count.reason else ""): count.count
            for count in figures.decisions_by_reason
        },
    }


def _number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _account_columns(row: AccountRow) -> dict[str, Any]:
    return {
        "level": "account",
        "unit": row.account.unit,
        "account": row.account.name,
        "platform": row.account.platform,
        "accounts": 1,
        **_figure_columns(row.figures),
        "target_hours": row.target_hours,
        "days": row.coverage.days,
        "hours": _number(row.coverage.hours, 1),
        "hours_covered": _number(row.coverage.hours_covered, 1),
        "covered_share": _number(row.coverage.covered_share, 4),
        "gaps": len(row.coverage.gaps),
        "compliance_score": "" if row.compliance_score is None else row.compliance_score,
        "reviews_due": int(row.review_due),
        "access_reviews_due": row.access_reviews_due,
    }


def _unit_columns(row: UnitRow) -> dict[str, Any]:
    return {
        "level": "unit" if row.unit else "total",
        "unit": row.unit.name if row.unit else "",
        "account": "",
        "platform": "",
        "accounts": row.accounts,
        **_figure_columns(row.figures),
        "target_hours": "",
        "hours_without_capture": _number(row.hours_without_capture, 1),
        "covered_share": _number(row.covered_share, 4),
        "accounts_with_gaps": row.accounts_with_gaps,
        "compliance_score": _number(row.mean_compliance_score, 1),
        "reviews_due": row.reviews_due,
        "access_reviews_due": row.access_reviews_due,
    }


def as_csv(report: Report) -> bytes:
    """Machine-readable columns (English names, dot decimals), a row per account, unit and total."""
    rows = [
        *(_account_columns(row) for row in report.accounts),
        *(_unit_columns(row) for row in report.units),
        _unit_columns(report.total),
    ]
    columns: dict[str, None] = {"month": None}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n", restval="")
    writer.writeheader()
    month = Month(report.year, report.month).iso
    for row in rows:
        writer.writerow({key: csv_safe(value) for key, value in {"month": month, **row}.items()})
    # A byte order mark lets spreadsheet programs read å, ä and ö right.
    return ("\ufeff" + buffer.getvalue()).encode()


def as_pdf(report: Report) -> bytes:
    """The report as a PDF in Swedish, the municipality's language, with its charts and tables."""
    # Imported here: WeasyPrint loads Pango, which nothing else in a web process needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "reports/pdf.html",
            {
                "report": report,
                "period": Month(report.year, report.month),
                "charts": charts.for_report(report),
                "unit_lines": tables.unit_lines(report),
                "account_lines": tables.account_lines(report, links=False),
                "title": _("Social media report"),
                "municipality_name": municipality_name(),
            },
        )
    # Nothing is fetched from anywhere: the charts are embedded as data, and so is the style.
    fetcher = URLFetcher(allowed_protocols=["data"])
    return bytes(HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf())
