"""Dana registers a request, finds ten records, blacks out a personnummer in one, withholds one,
decides, and downloads the PDF: the other records are in it, the number is not. axe-core scans
the review page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.archive.conftest import make_library
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import current_code
from tests.records.conftest import PERSONNUMMER, capture_thread


@pytest.fixture
def library(
    transactional_db: None, alice: User, erik: User, bob: User, units: dict[str, Unit], tmp_path: Path
) -> Iterator[Account]:
    import_module("sigill.registry.migrations.0002_platform_catalogue").load(django_apps, None)
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield make_library(alice, erik, bob, units)


def test_the_registrar_reviews_a_request_and_downloads_the_pdf(
    page: Page, live_server, library: Account, dana: User, axe: Axe, screenshots: Path
) -> None:
    capture_thread(library)
    sign_in(page, live_server.url, "dana")
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=dana)))
    page.get_by_role("button", name="Fortsätt").click()
    page.goto(live_server.url + reverse("records:request_create"))
    page.get_by_label("Vad som begärs").fill("Alla kommentarer om sommarläsningen.")
    page.get_by_role("button", name="Registrera begäran").click()

    page.get_by_label("Avsändare", exact=True).fill("Greta")  # the nine comments ...
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("input[name=item]")).to_have_count(9)
    page.get_by_label("Avsändare", exact=True).fill("")  # ... and, with the post, the whole thread
    page.get_by_role("button", name="Sök", exact=True).click()
    boxes = page.locator("input[name=item]")
    expect(boxes).to_have_count(10)
    for index in range(10):
        boxes.nth(index).check()
    page.get_by_role("button", name="Välj de markerade handlingarna").click()
    expect(page.get_by_role("heading", name="10 valda handlingar")).to_be_visible()
    assert_accessible(axe, page)

    marked = page.locator("article", has_text="Mitt barn har personnummer")
    marked.get_by_label("Avsnitt att maskera").fill(PERSONNUMMER)
    marked.get_by_label("Sekretessbestämmelse").fill("OSL 26 kap. 1 §")
    marked.get_by_role("button", name="Maskera").click()
    expect(page.locator("article", has_text="Mitt barn har").locator(".redactable")).not_to_contain_text(
        PERSONNUMMER
    )
    withheld = page.locator("article", has_text="Kommentar nummer 5 om")
    withheld.get_by_label("Skäl").fill("OSL 21 kap. 1 §")
    withheld.get_by_role("button", name="Lämna inte ut").click()
    while (pending := page.locator("article", has=page.locator(".status--pending"))).count():
        pending.first.get_by_role("button", name="Lämna ut", exact=False).first.click()
    page.screenshot(path=screenshots / "records-review.png", full_page=True)
    assert_accessible(axe, page)

    page.get_by_role("button", name="Besluta och skapa paketet").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Följebrev och handlingar (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert PERSONNUMMER not in text
    for number in (0, 1, 3, 4, 6, 7, 8):
        assert f"Kommentar nummer {number} om" in text
    assert "Kommentar nummer 5" not in text and "kammarrätten" in text
    assert_accessible(axe, page)


def test_a_resident_verifies_a_disclosed_record(
    page: Page, live_server, library: Account, dana: User, axe: Axe
) -> None:
    from sigill.records.models import RequestedRecord
    from sigill.records.services import disclosure

    items = capture_thread(library, comments=1)
    request = disclosure.register_request(
        by=dana, received_at=items[0].received_at, channel="email", description="x"
    )
    disclosure.add_records(request=request, items=items[:1], by=dana)
    record: RequestedRecord = request.records.get()
    page.goto(live_server.url + reverse("records_public:verify"))
    assert_accessible(axe, page)
    page.get_by_label("Referens").fill(record.reference)
    page.get_by_label("Sigill (SHA-256)").fill(record.seal)
    page.get_by_role("button", name="Kontrollera", exact=True).click()
    expect(page.get_by_text("Stämmer", exact=True)).to_be_visible()
    assert_accessible(axe, page)
