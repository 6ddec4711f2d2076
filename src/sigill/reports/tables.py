"""The rows of a report page's tables: accounts, units and the total side by side."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sigill.reports.figures import AccountRow, Figures, Report, UnitRow


@dataclass(frozen=True)
class Line:
    label: str
    detail: str  # the platform of an account, the number of accounts of a unit
    url: str
    figures: Figures
    target_hours: int | None
    gaps: int  # accounts with a gap (an account: 1 or 0)
    covered_share: float | None
    compliance_score: float | None
    reviews_due: int
    access_reviews_due: int
    is_total: bool = False


def account_lines(report: Report, *, links: bool = True) -> list[Line]:
    """A line per account, linking to the account's report (not in the PDF, which has no site)."""
    return [_account_line(report, row, links) for row in report.accounts]


def _account_line(report: Report, row: AccountRow, link: bool) -> Line:
    kwargs = {"year": report.year, "month": report.month, "slug": row.account.slug}
    url = reverse("reports:account", kwargs=kwargs) if link else ""
    return Line(
        label=row.account.name,
        detail=row.account.platform,
        url=url,
        figures=row.figures,
        target_hours=row.target_hours,
        gaps=int(bool(row.coverage.gaps)),
        covered_share=row.coverage.covered_share,
        compliance_score=row.compliance_score,
        reviews_due=int(row.review_due),
        access_reviews_due=row.access_reviews_due,
    )


def unit_lines(report: Report) -> list[Line]:
    return [*(_unit_line(row) for row in report.units), _unit_line(report.total)]


def _unit_line(row: UnitRow) -> Line:
    return Line(
        label=row.unit.name if row.unit else _("All accounts"),
        detail=ngettext("%(count)d account", "%(count)d accounts", row.accounts) % {"count": row.accounts},
        url="",
        figures=row.figures,
        target_hours=None,
        gaps=row.accounts_with_gaps,
        covered_share=row.covered_share,
        compliance_score=row.mean_compliance_score,
        reviews_due=row.reviews_due,
        access_reviews_due=row.access_reviews_due,
        is_total=row.unit is None,
    )
