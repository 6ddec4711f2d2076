"""Comms find a sign-in wait, see why it holds, and lift it: the page is accessible at both widths."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from sigill.core import sign_in_guard
from sigill.core.models import SignInLock, SignInStage
from sigill.organisation.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import current_code


def guess(username: str, times: int) -> None:
    attempt = sign_in_guard.Attempt(stage=SignInStage.PASSWORD, username=username, address="198.51.100.23")
    for _try in range(times):
        sign_in_guard.record_failure(attempt)


def test_comms_lift_a_wait_on_an_accessible_page(
    page: Page, live_server, alice: User, axe: Axe, screenshots: Path
) -> None:
    guess("Charlie", 5)
    sign_in(page, live_server.url, "alice")
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Väntande inloggningar").click()
    expect(page.get_by_role("heading", name="Väntande inloggningar", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Väntetider som gäller nu")
    expect(table).to_contain_text("charlie")
    page.screenshot(path=screenshots / "sign_in_waits.png", full_page=True)
    assert_accessible(axe, page)

    page.get_by_role("button", name="Häv Användarnamn charlie").click()
    expect(page.get_by_text("Väntetiden är hävd.")).to_be_visible()
    expect(page.get_by_text("Ingen inloggning väntar nu.")).to_be_visible()
    assert SignInLock.objects.get().lifted_by == alice
    assert_accessible(axe, page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("table", name="Väntetider som har upphört")).to_contain_text("Hävd av alice")
    page.screenshot(path=screenshots / "sign_in_waits_phone.png", full_page=True)
    assert_accessible(axe, page)
