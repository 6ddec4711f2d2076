"""A person signs in through the real browser, and the pages they meet are accessible."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from sigill.organisation.models import User
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, current_code


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("core:login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_comms_signs_in_with_two_factor_and_sees_the_start_page(
    page: Page,
    live_server,
    alice: User,
    axe: Axe,
    screenshots: Path,
) -> None:
    page.goto(live_server.url + reverse("core:login"))
    expect(page.get_by_role("heading", name="Logga in i Sigill")).to_be_visible()
    page.screenshot(path=screenshots / "login.png", full_page=True)
    assert_accessible(axe, page)

    sign_in(page, live_server.url, "alice")
    expect(page.get_by_role("heading", name="Skriv din kod")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Sexsiffrig kod").fill("000000")
    page.get_by_role("button", name="Fortsätt").click()
    code_input = page.get_by_label("Sexsiffrig kod")
    expect(code_input).to_have_attribute("aria-invalid", "true")
    expect(code_input).to_have_accessible_description(re.compile("Koden stämmer inte"))

    # After a wrong code django-otp makes the next try wait a second.
    page.wait_for_timeout(1100)
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", name="Välkommen, Alice")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Granskningslogg")
    ).to_be_visible()
    page.screenshot(path=screenshots / "start.png", full_page=True)
    assert_accessible(axe, page)


def test_an_employee_signs_in_and_the_start_page_works_on_a_phone(
    page: Page,
    live_server,
    charlie: User,
    axe: Axe,
    screenshots: Path,
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server.url, "charlie")
    expect(page.get_by_role("heading", name="Välkommen, Charlie")).to_be_visible()
    expect(page.get_by_role("link", name="Granskningslogg")).to_have_count(0)
    page.screenshot(path=screenshots / "start-phone.png", full_page=True)
    assert_accessible(axe, page)


def test_the_audit_log_and_the_organisation_are_accessible(
    page: Page,
    live_server,
    alice: User,
    bob: User,
    axe: Axe,
    screenshots: Path,
) -> None:
    sign_in(page, live_server.url, "alice")
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("link", name="Granskningslogg").click()
    expect(page.get_by_role("heading", name="Granskningslogg")).to_be_visible()
    expect(page.get_by_role("cell", name="core.auth.two_factor_passed")).to_be_visible()
    page.screenshot(path=screenshots / "audit.png", full_page=True)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Bildningsförvaltningen").click()
    expect(page.get_by_role("heading", name="Bildningsförvaltningen")).to_be_visible()
    page.screenshot(path=screenshots / "unit.png", full_page=True)
    assert_accessible(axe, page)


def test_the_interface_switches_to_english(page: Page, live_server, charlie: User) -> None:
    sign_in(page, live_server.url, "charlie")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.get_by_role("heading", name="Welcome, Charlie")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
