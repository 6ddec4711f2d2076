"""The registrar searches the archive and reads an item's page in the browser; both are accessible."""

from __future__ import annotations

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

from sigill.archive import services
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.archive.conftest import comment, make_library, picture, post
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import current_code


@pytest.fixture
def library(
    transactional_db: None, alice: User, erik: User, bob: User, units: dict[str, Unit], tmp_path: Path
) -> Iterator[Account]:
    # The platform catalogue comes from a data migration, which an earlier transactional test's
    # flush may have emptied: load it again (it is idempotent).
    import_module("sigill.registry.migrations.0002_platform_catalogue").load(django_apps, None)
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield make_library(alice, erik, bob, units)


def test_the_registrar_searches_and_reads_an_item_with_its_versions(
    page: Page, live_server, library: Account, dana: User, axe: Axe, screenshots: Path
) -> None:
    services.capture(
        [post(library, "p-1", "Nu har biblioteket öppet på söndagar!", attachments=(picture(),))]
    )
    services.capture(
        [
            comment(library, "c-1", "Gäller det även biblioteken i Kvänum?", parent_platform_id="p-1"),
            comment(library, "c-2", '<script>alert("x")</script> \u202eLRT', parent_platform_id="p-1"),
        ]
    )
    services.capture(
        [
            comment(
                library, "c-1", "Gäller det även biblioteken i Kvänum och Tråvad?", parent_platform_id="p-1"
            )
        ]
    )
    sign_in(page, live_server.url, "dana")
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=dana)))
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Arkiv").click()
    expect(page.get_by_role("heading", name="Arkiv", exact=True)).to_be_visible()
    page.get_by_label("Ord").fill("bibliotek")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.locator("mark", has_text="biblioteken")).to_be_visible()
    page.screenshot(path=screenshots / "archive-search.png", full_page=True)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Greta Svensson").first.click()
    expect(page.get_by_role("heading", name="2 versioner")).to_be_visible()
    expect(page.locator("ins", has_text="och Tråvad?")).to_be_visible()
    page.screenshot(path=screenshots / "archive-item.png", full_page=True)
    assert_accessible(axe, page)


def test_an_editor_captures_by_hand(page: Page, live_server, library: Account, erik: User, axe: Axe) -> None:
    sign_in(page, live_server.url, "erik")
    page.goto(live_server.url + reverse("archive:manual_capture"))
    expect(page.get_by_role("heading", name="Samla in manuellt")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Samla in till arkivet").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(axe, page)
