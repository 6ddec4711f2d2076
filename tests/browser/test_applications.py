"""Three people in the browser: Charlie applies, Bob (unit manager) anchors, Alice (comms) approves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect

from sigill.organisation.models import User
from sigill.registry.models import Account
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, current_code


def signed_in_page(browser: Browser, base: str, user: User) -> Page:
    page = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}).new_page()
    OPEN_CONTEXTS.append(page.context)
    page.goto(base + reverse("core:login"))
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        page.get_by_label("Sexsiffrig kod").fill(current_code(device))
        page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", name=re.compile("Välkommen"))).to_be_visible()
    return page


OPEN_CONTEXTS: list[BrowserContext] = []


@pytest.fixture(autouse=True)
def _close_contexts() -> Iterator[None]:
    yield
    while OPEN_CONTEXTS:
        OPEN_CONTEXTS.pop().close()


def open_the_application(page: Page, base: str) -> None:
    page.goto(base + reverse("applications:list"))
    page.get_by_role("link", name="Nästegårdsskolan").first.click()


def test_apply_return_resubmit_anchor_approve_with_the_right_mail_to_each(
    browser: Browser, live_server, alice: User, bob: User, charlie: User, axe: Axe, screenshots: Path
) -> None:
    for person in (alice, bob, charlie):
        User.objects.filter(pk=person.pk).update(email=f"{person.username}@vara.example")
    base = live_server.url

    applicant = signed_in_page(browser, base, charlie)
    applicant.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ansökningar").click()
    applicant.get_by_role("link", name="Ansök om ett nytt konto").click()
    assert_accessible(axe, applicant)
    applicant.get_by_label("Plattform").select_option(label="Instagram")
    applicant.get_by_label("Föreslaget namn").fill("Nästegårdsskolan")
    applicant.get_by_role("button", name="Spara som utkast").click()
    expect(applicant.get_by_text("Utkastet är sparat.")).to_be_visible()
    applicant.get_by_role("link", name="Komplettera ansökan").click()
    applicant.get_by_role("button", name="Skicka in ansökan").click()
    expect(applicant.get_by_role("alert")).to_contain_text("Beskriv vem som läser kommentarerna")
    assert_accessible(axe, applicant)
    applicant.get_by_label("Önskat användarnamn eller adress").fill("nastegardsskolan")
    applicant.get_by_label("Ansvarig enhet").select_option(label="Nästegårdsskolan")
    applicant.get_by_label("Nyheter och information").check()
    applicant.get_by_label("Syfte", exact=True).fill("Visar skolans vardag för vårdnadshavare.")
    applicant.get_by_label("Målgrupp").fill("Vårdnadshavare")
    applicant.get_by_label("Innehållsplan").fill("Ett inlägg i veckan.")
    applicant.get_by_label("Vem publicerar").fill("Två lärare.")
    applicant.get_by_label("Timmar per vecka").fill("2")
    applicant.get_by_label("Modereringsplan").fill("Vardagar varje morgon; helger rektor.")
    applicant.get_by_label("Krisplan").fill("Pausas vid kris.")
    applicant.get_by_label("Hur kontot avslutas").fill("Avslutas om ingen publicerar på ett halvår.")
    applicant.get_by_label("Ansvarig person").select_option(label="Charlie Carlsson (charlie)")
    applicant.get_by_label("Ersättare").select_option(label="Bob Berglund (bob)")
    applicant.get_by_role("button", name="Skicka in ansökan").click()
    expect(applicant.get_by_text("Ansökan är inskickad till verksamhetschefen.")).to_be_visible()
    applicant.goto(base + reverse("applications:list"))
    assert_accessible(axe, applicant)

    manager = signed_in_page(browser, base, bob)
    expect(manager.get_by_role("link", name="1 ansökan väntar på ditt beslut")).to_be_visible()
    open_the_application(manager, base)
    assert_accessible(axe, manager)
    manager.get_by_label("Kommentar").fill("Beskriv hur ni skyddar elevernas bilder.")
    manager.get_by_role("button", name="Returnera för komplettering").click()
    expect(manager.get_by_text("Klart: ansökan är nu ”Returnerad för komplettering”.")).to_be_visible()

    open_the_application(applicant, base)
    applicant.get_by_role("link", name="Komplettera ansökan").click()
    expect(applicant.get_by_text("Beskriv hur ni skyddar elevernas bilder.")).to_be_visible()
    applicant.get_by_label("Innehållsplan").fill("Ett inlägg i veckan, utan bilder där elever syns.")
    applicant.get_by_role("button", name="Skicka in ansökan").click()

    open_the_application(manager, base)
    manager.get_by_role("button", name="Förankra").click()
    expect(
        manager.get_by_text("Klart: ansökan är nu ”Förankrad, väntar på kommunikationsavdelningen”.")
    ).to_be_visible()

    comms = signed_in_page(browser, base, alice)
    open_the_application(comms, base)
    comms.get_by_role("button", name="Godkänn").click()
    expect(comms.get_by_text("Klart: ansökan är nu ”Godkänd”.")).to_be_visible()
    expect(comms.get_by_role("heading", name="Checklista för uppstart")).to_be_visible()
    comms.screenshot(path=screenshots / "application-approved.png", full_page=True)
    assert_accessible(axe, comms)

    account = Account.objects.get(handle="nastegardsskolan")
    assert account.status == Account.Status.SETTING_UP
    received = [(message.to[0], message.subject) for message in mail.outbox]
    assert received == [
        ("bob@vara.example", "Ansökan att förankra: Nästegårdsskolan"),
        ("charlie@vara.example", "Din ansökan har returnerats för komplettering: Nästegårdsskolan"),
        ("bob@vara.example", "Ansökan att förankra: Nästegårdsskolan"),
        ("alice@vara.example", "Ansökan att godkänna: Nästegårdsskolan"),
        ("charlie@vara.example", "Din ansökan är godkänd: Nästegårdsskolan"),
    ]
