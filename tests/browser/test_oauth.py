"""Alice (comms) connects Vara kommun's Facebook Page by logging in with Facebook (the local fake
authorisation server plays Facebook), and reads the platform log-in pages; every page passes axe,
at 1280 and at 390 pixels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from sigill.connectors.models import Connection
from sigill.oauth.models import Grant
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import current_code
from tests.oauth.conftest import fake, live_account  # noqa: F401 - the fake server is a fixture
from tests.oauth.fake_platforms import PAGE_ID, FakePlatforms


@pytest.fixture
def oauth_base_url(live_server: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def kommun_facebook(
    transactional_db: None, alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> Iterator[Account]:
    yield live_account(
        "facebook",
        "facebook.com/varakommun",
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        name="Vara kommun",
    )


def test_comms_connects_a_page_by_logging_in_with_facebook(
    page: Page,
    live_server: Any,
    fake: FakePlatforms,  # noqa: F811 - the fixture imported above
    kommun_facebook: Account,
    alice: User,
    axe: Axe,
    screenshots: Path,
) -> None:
    sign_in(page, live_server.url, "alice")
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", name="Välkommen, Alice")).to_be_visible()

    page.goto(live_server.url + reverse("oauth:account", kwargs={"slug": kommun_facebook.slug}))
    expect(page.get_by_role("heading", name="Inloggning för Vara kommun")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Logga in med Facebook").click()

    expect(page.get_by_text("Vara kommun är anslutet med Facebook")).to_be_visible()
    expect(page.get_by_text(f"Vara kommun ({PAGE_ID})")).to_be_visible()
    page.screenshot(path=str(screenshots / "oauth-account.png"), full_page=True)
    assert_accessible(axe, page)
    assert Connection.objects.get(account=kommun_facebook).remote_id == PAGE_ID
    assert Grant.objects.get(account=kommun_facebook).state == Grant.State.ACTIVE

    page.get_by_role("link", name="Plattformsinloggning").first.click()
    expect(page.get_by_role("heading", name="Plattformsinloggning", level=1)).to_be_visible()
    expect(page.get_by_role("row", name="Facebook Konfigurerad")).to_be_visible()
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots / "oauth-setup-phone.png"), full_page=True)
    assert_accessible(axe, page)
