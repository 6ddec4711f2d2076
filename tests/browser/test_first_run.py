"""A new installation in the browser: the first comms user opens the link `manage.py setup` printed,
chooses a password and sets up two-factor; the new pages of issue 18 (the welcome page, the
two-factor set-up, the unit pages, the platform log-in pages, the error pages) pass axe at 1280
and at 390 pixels, and fit a phone."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, ViewportSize, expect

from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.browser.conftest import assert_accessible
from tests.browser.test_registry import sign_in_as_comms
from tests.conftest import current_code
from tests.oauth.conftest import live_account

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
NEW_PASSWORD = "ett-långt-nytt-lösenord-2026"


def at_both_widths(page: Page, axe: Axe) -> None:
    """The page passes axe at 1280 pixels, and at 390 it passes too and is no wider than the phone."""
    assert_accessible(axe, page)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    assert_accessible(axe, page)
    page.set_viewport_size(DESKTOP)


def test_the_first_comms_user_gets_in_with_the_link_setup_printed(
    page: Page, live_server: Any, axe: Axe, screenshots: Path
) -> None:
    out = StringIO()
    with override_settings(SIGILL_BASE_URL=live_server.url):
        call_command(
            "setup",
            "--no-input",
            "--name=Vara kommun",
            "--organisation-number=212000-1652",
            "--website=https://www.vara.se",
            "--phone=0512-310 00",
            "--username=karin.lindqvist",
            "--user-email=karin.lindqvist@vara.se",
            "--first-name=Karin",
            stdout=out,
        )
    [link] = re.findall(rf"{re.escape(live_server.url)}/welcome/\S+/", out.getvalue())

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen till Sigill")
    page.screenshot(path=screenshots / "first-run-password.png", full_page=True)
    at_both_widths(page, axe)
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Bekräfta nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet och fortsätt").click()

    # Before anything else: two-factor, with the QR code to scan.
    expect(page.get_by_label("Sexsiffrig kod")).to_be_visible()
    page.screenshot(path=screenshots / "first-run-two-factor.png", full_page=True)
    at_both_widths(page, axe)
    page.goto(live_server.url + reverse("organisation:tree"))
    expect(page.get_by_label("Sexsiffrig kod")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="karin.lindqvist", confirmed=False)
    page.get_by_label("Sexsiffrig kod").fill(current_code(device))
    page.get_by_role("button", name="Aktivera tvåstegsverifiering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    assert TOTPDevice.objects.get(user__username="karin.lindqvist").confirmed


def test_the_unit_and_platform_log_in_pages_pass_axe_on_a_phone(
    page: Page, live_server: Any, alice: User, erik: User, bob: User, units: dict[str, Unit], axe: Axe
) -> None:
    facebook: Account = live_account(
        "facebook",
        "facebook.com/varakommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )
    bluesky: Account = live_account(
        "bluesky",
        "bsky.app/profile/varakommun.bsky.social",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )
    sign_in_as_comms(page, live_server.url, alice)
    for address in [
        reverse("organisation:unit", kwargs={"slug": "kultur-fritid"}),
        reverse("organisation:import"),
        reverse("organisation:group_mappings"),
        reverse("oauth:setup"),
        reverse("oauth:account", kwargs={"slug": facebook.slug}),
        reverse("oauth:account", kwargs={"slug": bluesky.slug}),
    ]:
        page.goto(live_server.url + address)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        at_both_widths(page, axe)


def test_the_error_pages_pass_axe(page: Page, live_server: Any, charlie: User, axe: Axe) -> None:
    response = page.goto(live_server.url + "/finns-inte/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    at_both_widths(page, axe)
