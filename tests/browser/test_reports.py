"""Comms and a unit manager read the reports in the browser; axe finds nothing on any report page."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)
from tests.reports.conftest import library, march, streets  # noqa: F401  (fixtures: March 2026's figures)


def test_comms_chooses_a_month_reads_its_charts_and_tables_and_an_accounts_report(
    browser: Browser,
    live_server,
    alice: User,
    library: Account,  # noqa: F811
    march: dict[str, Case],  # noqa: F811
    axe: Axe,
    screenshots: Path,
) -> None:
    page = signed_in_page(browser, live_server.url, alice)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").click()
    assert_accessible(axe, page)
    page.get_by_label("Månad", exact=True).select_option(label="mars 2026")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", name="Rapport för mars 2026", level=1)).to_be_visible()
    # Each chart is an image named by its title, with its numbers in a table beside it.
    expect(page.get_by_role("img", name="Tid till beslut per enhet")).to_be_visible()
    numbers = page.get_by_role("table", name="Siffrorna i diagrammet ”Tid till beslut per enhet”")
    expect(numbers.get_by_role("row", name="Vara bibliotek")).to_contain_text("12,5")
    expect(numbers.get_by_role("row", name="Gata och park")).to_contain_text("4,0")
    totals = page.get_by_role("table", name="Aktivitet och moderering per enhet")
    expect(totals.get_by_role("row", name="Alla konton")).to_contain_text("3 av 5 (60 %)")
    assert_accessible(axe, page)
    page.screenshot(path=screenshots / "report-month.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Hämta som PDF").click()
    assert download.value.suggested_filename == "sigill-report-2026-03.pdf"

    page.get_by_role("table", name="Aktivitet och moderering per konto").get_by_role(
        "link", name="Vara bibliotek"
    ).click()
    expect(page.get_by_role("heading", name="Vara bibliotek: rapport för mars 2026")).to_be_visible()
    expect(page.get_by_text("kontrollerad 2026-03-20")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Föregående månad").click()
    expect(page.get_by_role("heading", name="Vara bibliotek: rapport för februari 2026")).to_be_visible()
    assert_accessible(axe, page)


def test_a_unit_manager_reads_their_units_report(
    browser: Browser,
    live_server,
    bob: User,
    streets: Account,  # noqa: F811
    march: dict[str, Case],  # noqa: F811
    axe: Axe,
) -> None:
    page = signed_in_page(browser, live_server.url, bob)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").click()
    page.get_by_label("Månad", exact=True).select_option(label="mars 2026")
    page.get_by_label("Enhet", exact=True).select_option(label="Vara bibliotek")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Vara bibliotek och enheterna under: 1 konto.")).to_be_visible()
    expect(page.get_by_role("cell", name="Gata och park")).to_have_count(0)
    expect(page.get_by_role("heading", name="Frågor till kontaktcenter")).to_have_count(0)
    assert_accessible(axe, page)
