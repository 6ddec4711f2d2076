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


def sign_in_with_code(page: Page, base_url: str, user: User) -> None:
    sign_in(page, base_url, user.username)
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def demo_like_records(library: Account, dana: User, alice: User) -> dict[str, int]:
    """What the demo shows: rules, a hold, a past disposal, requests in each state, a closure."""
    import datetime as dt

    from sigill.archive import services as archive_services
    from sigill.archive.capture import Kind
    from sigill.archive.models import Item
    from sigill.records.models import DisclosureRequest, LegalHold
    from sigill.records.services import closure, disclosure, retention
    from tests.archive.conftest import comment

    items = capture_thread(library, comments=3)
    old = dt.datetime(2023, 2, 6, 10, 0, tzinfo=dt.UTC)
    archive_services.capture(
        [comment(library, f"c-old-{n}", f"Gammal kommentar {n}", published_at=old, parent_platform_id="x")
         for n in range(3)]
    )  # fmt: skip
    rule = retention.create_rule(
        by=alice, name="Kommentarer på biblioteket", decision="KS 2024/112 avsnitt 4.3", account=library,
        kind=Kind.COMMENT, keep_months=24,
    )  # fmt: skip
    retention.create_rule(
        by=alice, name="Egna inlägg bevaras", decision="KS 2024/112", kind=Kind.POST, permanent=True
    )
    retention.dispose(rule=rule, token=retention.preview(rule).token, by=dana)
    retention.place_hold(by=dana, scope=LegalHold.Scope.THREAD, account=library, thread_root="p-1",
                         reason="Skadeståndsanspråk, dnr KS 2025/311.")  # fmt: skip
    now = items[0].received_at
    decided = disclosure.register_request(
        by=dana, received_at=now, channel="email", description="Lekplatsen."
    )
    disclosure.add_records(request=decided, items=Item.objects.filter(object_id__in=["c-0", "c-1"]), by=dana)
    first, second = decided.records.all()
    disclosure.disclose(record=first, by=dana)
    disclosure.withhold(record=second, reason="OSL 21 kap. 1 §", by=dana)
    disclosure.decide(request=decided, by=dana)
    disclosure.register_request(
        by=dana, received_at=now, channel="letter", kind=DisclosureRequest.Kind.ACCESS,
        description="Registerutdrag.", subject_name="Greta Svensson",
    )  # fmt: skip
    closing = closure.start(account=library, reason="Biblioteket samlar sig på kommunens konto.", by=alice)
    return {"rule": rule.pk, "closure": closing.pk}


def test_every_records_page_passes_axe(
    page: Page, live_server, library: Account, dana: User, alice: User, axe: Axe
) -> None:
    """The registrar's pages and comms' closure pages, with records in them, have no axe violation."""
    made = demo_like_records(library, dana, alice)
    sign_in_with_code(page, live_server.url, dana)
    for url in (
        reverse("records:requests"), reverse("records:requests") + "?state=all", reverse("records:request_create"),
        reverse("records:rules"), reverse("records:rule", args=[made["rule"]]), reverse("records:holds"),
        reverse("records:disposals"), reverse("records:earchive"),
    ):  # fmt: skip
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        assert_accessible(axe, page)
    page.context.clear_cookies()
    sign_in_with_code(page, live_server.url, alice)
    for url in (reverse("records:closures"), reverse("records:closure", args=[made["closure"]])):
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        assert_accessible(axe, page)
