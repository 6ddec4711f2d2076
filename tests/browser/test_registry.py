"""Comms registers an account in the browser, activates it, and the public sees it; closing hides it."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, current_code
from tests.registry.fixtures import deposit_login


def sign_in_as_comms(page: Page, base_url: str, alice: User) -> None:
    page.goto(base_url + reverse("core:login"))
    page.get_by_label("Användarnamn").fill("alice")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_label("Sexsiffrig kod").fill(current_code(TOTPDevice.objects.get(user=alice)))
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", name="Välkommen, Alice")).to_be_visible()


def test_comms_registers_activates_and_closes_an_account_and_the_public_list_follows(
    page: Page, live_server, alice: User, erik: User, bob: User, axe: Axe, screenshots: Path
) -> None:
    base = live_server.url
    sign_in_as_comms(page, base, alice)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Konton").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Registrera ett konto").click()

    # A wrong address first: the form says what is wrong, in Swedish, where it is wrong.
    page.get_by_label("Plattform", exact=True).select_option(label="Instagram")
    page.get_by_label("Profiladress").fill("https://www.facebook.com/varabibliotek")
    page.get_by_label("Namn på plattformen").fill("Vara bibliotek")
    page.get_by_label("Ansvarig enhet", exact=True).select_option(label="Vara bibliotek")
    page.get_by_label("Nyheter och information").check()
    page.get_by_label("Syfte", exact=True).fill("Lästips och evenemang på biblioteket.")
    page.get_by_label("Ansvarig person").select_option(label="Erik Ek (erik)")
    page.get_by_label("Ersättare").select_option(label="Bob Berglund (bob)")
    page.get_by_role("button", name="Registrera kontot").click()
    expect(page.get_by_label("Profiladress")).to_have_accessible_description(
        re.compile("Adressen är inte en profil på Instagram.")
    )
    assert_accessible(axe, page)
    page.get_by_label("Profiladress").fill("https://www.instagram.com/VaraBibliotek/")
    page.get_by_role("button", name="Registrera kontot").click()
    expect(page.get_by_text("Kontot är registrerat som planerat.")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_label("Skäl").fill("Ansökan godkänd.")
    page.get_by_role("button", name="Sätt ”Under uppbyggnad”").click()
    # The vault holds back the activation until the login details are deposited.
    expect(page.get_by_text("Innan kontot kan aktiveras:")).to_be_visible()
    deposit_login(Account.objects.get(handle="varabibliotek"), alice)
    page.reload()
    page.get_by_label("Skäl").fill("Profilen är klar.")
    page.get_by_role("button", name="Sätt ”Aktivt”").click()
    expect(page.get_by_text("Kontot är nu ”Aktivt”.")).to_be_visible()
    page.screenshot(path=screenshots / "registry-account.png", full_page=True)

    page.goto(base + reverse("registry_public:list"))
    expect(page.get_by_role("link", name="Vara bibliotek på Instagram", exact=True)).to_have_attribute(
        "href", "https://www.instagram.com/varabibliotek/"
    )
    page.screenshot(path=screenshots / "public-list.png", full_page=True)
    assert_accessible(axe, page)
    for feed in ("registry_public:json", "registry_public:csv", "registry_public:embed"):
        assert "varabibliotek" in page.request.get(base + reverse(feed)).text(), feed
    page.get_by_role("link", name="Regler för kommentarer (Vara bibliotek på Instagram)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Regler för kommentarer: Vara bibliotek på Instagram"
    )

    page.goto(base + reverse("registry:accounts"))
    page.get_by_role("link", name="Vara bibliotek").click()
    page.get_by_label("Skäl").fill("Kontot läggs ner.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sätt ”Avvecklas”").click()
    page.get_by_label("Skäl").fill("Slutarkiverat.")
    page.get_by_role("button", name="Sätt ”Stängt”").click()
    expect(page.get_by_text("Kontot är nu ”Stängt”.")).to_be_visible()
    for feed in (
        "registry_public:list",
        "registry_public:json",
        "registry_public:csv",
        "registry_public:embed",
    ):
        assert "varabibliotek" not in page.request.get(base + reverse(feed)).text(), feed


def test_the_registrys_lists_and_the_public_pages_are_accessible(
    page: Page, live_server, alice: User, erik: User, library_account, axe: Axe, screenshots: Path
) -> None:
    base = live_server.url
    sign_in_as_comms(page, base, alice)
    for name in ("registry:access_review", "registry:reviews_due", "registry:platforms", "registry:import"):
        page.goto(base + reverse(name))
        assert_accessible(axe, page)
    page.goto(base + reverse("registry:platform_edit", kwargs={"slug": "instagram"}))
    assert_accessible(axe, page)
    page.goto(base + reverse("registry:account_review", kwargs={"slug": library_account.slug}))
    page.get_by_role("button", name="Registrera översynen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(axe, page)
    for name in ("core:accessibility", "registry_public:embed", "registry_public:list"):
        page.goto(base + reverse(name))
        assert_accessible(axe, page)
    page.goto(base + reverse("core:accessibility"))
    page.screenshot(path=screenshots / "accessibility.png", full_page=True)
