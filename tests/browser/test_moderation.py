"""A comment with an identity number arrives; Erik (editor) finds it first in the queue and hides it
with a reason; the platform is asked only after the saved copy verified; Dana (registrar) still
finds the record; the decision is audited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Browser, expect

from sigill.compliance import services as compliance_services
from sigill.core.models import AuditEntry
from sigill.moderation.models import PlatformAct
from sigill.organisation.models import Unit, User
from tests.archive.conftest import comment, make_library
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)
from tests.moderation.conftest import PERSONNUMMER, PlatformRecorder, arrive, facebook_platform  # noqa: F401


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def test_an_identity_number_is_hidden_after_the_saved_copy_verifies_and_stays_a_record(
    browser: Browser,
    live_server,
    alice: User,
    bob: User,
    erik: User,
    dana: User,
    units: dict[str, Unit],
    facebook_platform: PlatformRecorder,  # noqa: F811
    axe: Axe,
    screenshots: Path,
) -> None:
    library = make_library(alice, erik, bob, units)
    arrive(
        comment(library, "c-clean", "Tack för en härlig sagostund!"),
        comment(library, "c-pnr", f"Mitt lånekort fungerar inte, mitt personnummer är {PERSONNUMMER}"),
    )
    base = live_server.url

    editor = signed_in_page(browser, base, erik)
    editor.get_by_role("link", name="2 kommentarer väntar på modereringsbeslut").click()
    expect(editor.get_by_role("heading", name="Moderering", exact=True)).to_be_visible()
    first_row = editor.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("lånekort")
    expect(first_row).to_contain_text("Personnummer")
    assert_accessible(axe, editor)
    editor.screenshot(path=screenshots / "moderation-queue.png", full_page=True)

    first_row.get_by_role("link", name=re.compile("lånekort")).click()
    expect(editor.get_by_role("heading", name="Vad granskningen hittade")).to_be_visible()
    assert_accessible(axe, editor)
    # The keyboard: "h" chooses "hide" and moves to the reason.
    editor.keyboard.press("h")
    expect(editor.get_by_label("Dölj på plattformen")).to_be_checked()
    editor.get_by_label("Skäl").select_option(label="Känsliga personuppgifter")
    editor.get_by_role("button", name="Spara beslutet").click()
    expect(
        editor.get_by_text("Utfört på plattformen, efter att den sparade kopian verifierats")
    ).to_be_visible()
    expect(editor.get_by_text("Utfört via plattformens API")).to_be_visible()
    assert_accessible(axe, editor)
    editor.screenshot(path=screenshots / "moderation-decided.png", full_page=True)

    [(act, target, verified_then)] = facebook_platform.calls
    assert (act, target.object_id, verified_then) == ("hide", "c-pnr", True)
    assert PlatformAct.objects.get().verified_seal

    registrar = signed_in_page(browser, base, dana)
    registrar.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Arkiv").click()
    registrar.get_by_label("Ord").fill("lånekort")
    registrar.get_by_role("button", name="Sök", exact=True).click()
    expect(registrar.get_by_text("Mitt lånekort fungerar inte")).to_be_visible()

    decided = AuditEntry.objects.filter(act="moderation.case.decided").get()
    assert (decided.actor, decided.details["act"], decided.details["reason"]) == (
        erik,
        "hide",
        "sensitive_data",
    )
    assert AuditEntry.objects.filter(act="moderation.platform_act", actor=erik).exists()


def test_the_other_moderation_pages_are_accessible(
    browser: Browser, live_server, alice: User, bob: User, erik: User, units: dict[str, Unit], axe: Axe
) -> None:
    library = make_library(alice, erik, bob, units)
    arrive(comment(library, "c-1", "Hur ansöker man om bygglov? Ring mig på 070-123 45 67"))
    base = live_server.url
    comms = signed_in_page(browser, base, alice)
    for name, kwargs in (
        ("moderation:supervision", {}),
        ("moderation:account", {"slug": library.slug}),
        ("moderation:registrations", {}),
        ("moderation:word_lists", {}),
        ("moderation:word_list", {"name": "spam"}),
        ("moderation:check", {}),
    ):
        comms.goto(base + reverse(name, kwargs=kwargs))
        assert_accessible(axe, comms)
    comms.get_by_label("Inlägget", exact=True).fill(
        "VÄLKOMMEN TILL ÖPPET HUS PÅ LÖRDAG! 🎉🎉🎉 #varabibliotek"
    )
    comms.get_by_label("Antal bilder i inlägget").fill("1")
    comms.get_by_role("button", name="Kontrollera").click()
    expect(comms.get_by_text("Skriv hashtaggar med versal i varje ord")).to_be_visible()
    expect(comms.get_by_text("1 av 1 bilder saknar beskrivning")).to_be_visible()
    assert_accessible(axe, comms)


def test_a_residents_report_with_a_long_link_fits_a_phone_screen(
    browser: Browser, live_server, alice: User, bob: User, erik: User, units: dict[str, Unit]
) -> None:
    library = make_library(alice, erik, bob, units)
    compliance_services.report_comment(
        account=library,
        comment_url="https://www.facebook.com/varabibliotek/posts/102400000000000#comment-7700000000000",
        reason="harassment",
        contact="",
        sender_address="192.0.2.9",
    )
    base = live_server.url
    comms = signed_in_page(browser, base, alice)
    comms.set_viewport_size({"width": 390, "height": 900})
    comms.goto(base + reverse("moderation:queue"))
    expect(comms.get_by_role("link", name=re.compile("102400000000000"))).to_be_visible()
    assert comms.evaluate("document.documentElement.scrollWidth") <= 390
