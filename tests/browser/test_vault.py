"""Comms opens the vault in a real browser: the pages are accessible, and a revealed password hides itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from sigill.organisation.models import Unit, User
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import current_code
from tests.vault.conftest import SECRETS, deposit, library_account_for, platform_catalogue  # noqa: F401

pytestmark = pytest.mark.usefixtures("platform_catalogue")


def test_comms_reveals_a_password_that_hides_itself_and_the_vault_pages_are_accessible(
    page: Page,
    live_server,
    alice: User,
    erik: User,
    bob: User,
    units: dict[str, Unit],
    axe: Axe,
    screenshots: Path,
) -> None:
    account = library_account_for(units, alice)
    deposit(account, alice)
    sign_in(page, live_server.url, "alice")
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Fortsätt").click()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Valv").click()
    expect(page.get_by_role("heading", name="Valv", exact=True)).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Vara bibliotek").click()
    expect(page.get_by_role("heading", name="Inloggningsuppgifter")).to_be_visible()
    page.screenshot(path=screenshots / "vault-account.png", full_page=True)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Lämna en inloggningsuppgift").click()
    page.get_by_role("button", name="Skapa ett lösenord").click()
    expect(page.locator("#generated-password")).to_be_visible()
    page.get_by_role("button", name="Använd det här lösenordet").click()
    assert len(page.locator("#id_password").input_value()) == 24
    assert_accessible(axe, page)

    page.goto(live_server.url + reverse("vault:account", kwargs={"slug": account.slug}))
    page.get_by_role("link", name="Visa uppgift eller kod – Sidan").click()
    expect(page.get_by_role("heading", name="Visa ”Sidan”")).to_be_visible()
    assert_accessible(axe, page)
    with override_settings(VAULT_REVEAL_SECONDS=3):
        page.get_by_label("Varför behöver du det?").first.fill("Lägger upp krisinformation")
        page.get_by_role("button", name="Visa", exact=True).click()
        secret = page.get_by_text(SECRETS["password"])
        expect(secret).to_be_visible()
        assert_accessible(axe, page)
        page.screenshot(path=screenshots / "vault-revealed.png", full_page=True)
        expect(secret).to_have_count(0, timeout=6000)
    expect(page.get_by_text("Dold igen")).to_be_visible()

    page.locator("#code-reason").fill("Loggar in på Instagram")
    page.get_by_role("button", name="Visa aktuell kod").click()
    expect(page.locator(".totp-code")).to_have_text(re.compile(r"^\d{6}$"))
    assert_accessible(axe, page)

    for name in ("vault:rotation_due", "vault:deputies", "vault:export"):
        page.goto(live_server.url + reverse(name))
        assert_accessible(axe, page)
