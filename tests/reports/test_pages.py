"""The report pages, downloads and who may open them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from sigill.core.models import AuditEntry
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from sigill.reports.periods import Month
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db
MARCH = {"year": 2026, "month": 3}


def test_the_reports_start_at_last_month(alice: User) -> None:
    response = signed_in_client(alice).get(reverse("reports:index"))
    last = Month.current().previous()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:month", kwargs={"year": last.year, "month": last.month})


def test_choosing_a_month_and_a_unit_shows_that_report(alice: User, library: Account) -> None:
    last = Month.current().previous()
    response = signed_in_client(alice).get(reverse("reports:index"), {"month": last.iso, "unit": "bildning"})
    assert response.status_code == 302
    assert response["Location"].endswith("?unit=bildning")


def test_comms_reads_the_months_figures_with_charts_and_tables(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    response = signed_in_client(alice).get(reverse("reports:month", kwargs=MARCH))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rapport för mars 2026" in page
    assert page.count('src="data:image/svg+xml;base64,') == len(response.context["charts"]) == 4
    # The pooled median time to decision, in Swedish, in the summary and the tables.
    assert "5,0\u00a0h" in page
    assert "12,5\u00a0h" in page  # the library's own median
    assert "Frågor till kontaktcenter" in page  # comms sees the contact center's questions


def test_a_unit_manager_reads_only_their_units_report(
    bob: User, library: Account, streets: Account, march: dict[str, Case]
) -> None:
    response = signed_in_client(bob).get(reverse("reports:month", kwargs=MARCH))
    page = response.content.decode()
    assert "Vara bibliotek" in page
    assert "Gata och park" not in page
    assert "Frågor till kontaktcenter" not in page


def test_a_unit_outside_the_readers_accounts_is_not_found(bob: User, streets: Account) -> None:
    response = signed_in_client(bob).get(reverse("reports:month", kwargs=MARCH), {"unit": "gata-park"})
    assert response.status_code == 404


def test_a_month_that_has_not_begun_is_not_found(alice: User) -> None:
    coming = Month.current().next()
    response = signed_in_client(alice).get(
        reverse("reports:month", kwargs={"year": coming.year, "month": coming.month})
    )
    assert response.status_code == 404


def test_an_accounts_report_shows_its_figures(alice: User, library: Account, march: dict[str, Case]) -> None:
    response = signed_in_client(alice).get(reverse("reports:account", kwargs={**MARCH, "slug": library.slug}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vara bibliotek: rapport för mars 2026" in page
    assert "80" in page and "kontrollerad 2026-03-20" in page


def test_a_unit_manager_cannot_open_another_units_account(
    bob: User, streets: Account, march: dict[str, Case]
) -> None:
    response = signed_in_client(bob).get(reverse("reports:account", kwargs={**MARCH, "slug": streets.slug}))
    assert response.status_code == 404


def test_the_csv_has_a_row_per_account_unit_and_total_with_the_true_figures(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    response = signed_in_client(alice).get(reverse("reports:csv", kwargs=MARCH))
    assert response["Content-Disposition"] == 'attachment; filename="sigill-report-2026-03.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["level"], row["account"] or row["unit"]) for row in rows] == [
        ("account", "Gata och park"),
        ("account", "Vara bibliotek"),
        ("unit", "Gata och park"),
        ("unit", "Vara bibliotek"),
        ("total", ""),
    ]
    library_row, total = rows[1], rows[-1]
    assert library_row["decision_median_hours"] == "12.50"
    assert library_row["decisions:hide:spam"] == "1"
    assert library_row["compliance_score"] == "80"
    assert (total["cases"], total["flagged"], total["flagged_share"]) == ("5", "3", "0.600")
    assert (total["decision_median_hours"], total["decision_p90_hours"]) == ("5.00", "48.00")
    assert AuditEntry.objects.filter(act="reports.exported", actor=alice).count() == 1


def test_the_pdf_is_a_pdf_and_its_download_is_audited(alice: User, march: dict[str, Case]) -> None:
    response = signed_in_client(alice).get(reverse("reports:pdf", kwargs=MARCH))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    entry = AuditEntry.objects.get(act="reports.exported")
    assert entry.details == {"month": "2026-03", "unit": None, "format": "pdf", "accounts": 2}


@pytest.mark.parametrize(
    ("person", "sees"), [("alice", True), ("bob", True), ("erik", False), ("dana", False)]
)
def test_the_reports_menu_entry_is_for_comms_and_unit_managers(
    person: str, sees: bool, request: pytest.FixtureRequest
) -> None:
    response = signed_in_client(request.getfixturevalue(person)).get(reverse("core:home"))
    menu = [item["label"] for item in response.context["navigation"]]
    assert ("Rapporter" in menu) is sees


def test_the_csv_isolates_a_unit_name_with_an_override_and_defuses_a_formula(
    alice: User, library: Account, march: dict[str, Case]
) -> None:
    library.unit.name = "=Bibliotek \u202eabc"
    library.unit.save(update_fields=["name"])
    response = signed_in_client(alice).get(reverse("reports:csv", kwargs=MARCH))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "\u2068'=Bibliotek \u202eabc\u2069" in [row["unit"] for row in rows]
