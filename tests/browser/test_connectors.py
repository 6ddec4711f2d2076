"""Erik uploads his library page's Facebook export, watches it import and reads the report and the
account's coverage; every page passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from sigill.archive.models import Item
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.archive.conftest import make_library
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.connectors.conftest import FIXTURES


@pytest.fixture
def library(
    transactional_db: None, alice: User, erik: User, bob: User, units: dict[str, Unit], tmp_path: Path
) -> Iterator[Account]:
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(MEDIA_ROOT=tmp_path / "media", TASKS=immediate):
        yield make_library(alice, erik, bob, units)


def test_an_editor_uploads_an_export_and_reads_what_was_imported(
    page: Page, live_server, library: Account, erik: User, axe: Axe, screenshots: Path
) -> None:
    sign_in(page, live_server.url, "erik")
    page.goto(live_server.url + reverse("connectors:import"))
    expect(page.get_by_role("heading", name="Importera en exportfil")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Konto").select_option(str(library.pk))
    page.get_by_label("Exportfil").set_input_files(
        str(FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip")
    )
    page.get_by_role("button", name="Ladda upp och importera").click()
    expect(page.get_by_role("heading", name="Lyckades")).to_be_visible()
    expect(page.get_by_text("Nya poster")).to_be_visible()
    page.screenshot(path=str(screenshots / "connectors-import-run.png"), full_page=True)
    assert_accessible(axe, page)
    assert Item.objects.filter(account=library, source="export").exists()
    page.get_by_role("link", name=f"{library.display_name} ({library.platform.name})").click()
    expect(page.get_by_role("heading", name="Täckning")).to_be_visible()
    expect(page.get_by_role("cell", name="Exportfil").first).to_be_visible()
    assert_accessible(axe, page)


RECORD_UPLOAD_PROGRESS = """() => {
    const bar = document.getElementById("upload-progress");
    const status = document.getElementById("upload-status");
    new MutationObserver(() => {
        const seen = JSON.parse(sessionStorage.getItem("upload-progress") || "[]");
        seen.push({hidden: bar.hidden, value: bar.value, max: bar.max, status: status.textContent});
        sessionStorage.setItem("upload-progress", JSON.stringify(seen));
    }).observe(bar, {attributes: true});
}"""


def test_the_upload_shows_its_progress_until_the_import_page_follows(
    page: Page, live_server, library: Account, erik: User
) -> None:
    sign_in(page, live_server.url, "erik")
    page.goto(live_server.url + reverse("connectors:import"))
    progress = page.locator("#upload-progress")
    expect(progress).to_be_hidden()
    # What the bar showed is kept in the tab's session storage, which outlives the page it was on.
    page.evaluate(RECORD_UPLOAD_PROGRESS)
    page.get_by_label("Konto").select_option(str(library.pk))
    page.get_by_label("Exportfil").set_input_files(
        str(FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip")
    )
    page.get_by_role("button", name="Ladda upp och importera").click()
    expect(page.get_by_role("heading", name="Lyckades")).to_be_visible()
    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('upload-progress') || '[]')")
    assert seen and seen[0]["hidden"] is False, seen
    size = (FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip").stat().st_size
    assert seen[-1]["max"] > size and seen[-1]["value"] == seen[-1]["max"], "the whole form was sent"
    assert seen[-1]["status"] == "100 %"


def test_a_hostile_upload_is_refused_with_the_reason_on_the_page(
    page: Page, live_server, library: Account, erik: User, axe: Axe
) -> None:
    sign_in(page, live_server.url, "erik")
    page.goto(live_server.url + reverse("connectors:import"))
    page.get_by_label("Konto").select_option(str(library.pk))
    page.get_by_label("Exportfil").set_input_files(str(FIXTURES / "hostile/zip_slip.zip"))
    page.get_by_role("button", name="Ladda upp och importera").click()
    expect(page.get_by_role("alert")).to_contain_text("pekar utanför exporten")
    assert_accessible(axe, page)
