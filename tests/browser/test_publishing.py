"""Erik writes a post for the library's Mastodon account and is told at once that it carries a phone
number; Alice (comms) lets it stand with a reason; Bob (the unit's manager) approves it; Erik moves it
in the calendar with the date and time form. Every page is clean under axe-core, on a desktop and a
phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from sigill.organisation.models import Unit, User
from sigill.publishing import services
from sigill.publishing.models import Draft
from tests.archive.conftest import make_live_account
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)

TEXT = "Vi har hittat en cykel. Ring Kalle på 070-123 45 67 om den är din."


@pytest.mark.parametrize("width", [1280, 390])
def test_write_check_override_approve_and_move_a_post(
    browser: Browser,
    live_server,
    alice: User,
    bob: User,
    erik: User,
    units: dict[str, Unit],
    axe: Axe,
    width: int,
) -> None:
    library = make_live_account(
        alice, units["bibliotek"], url="social.vara.se/@bibliotek", platform="mastodon",
        editor=erik, responsible=erik, deputy=bob,
    )  # fmt: skip
    services.set_approval_rule(account=library, approver="unit_manager", by=alice)
    base = live_server.url

    editor = signed_in_page(browser, base, erik)
    editor.set_viewport_size({"width": width, "height": 900})
    editor.set_default_timeout(10_000)
    editor.goto(base + reverse("publishing:index"))
    expect(editor.get_by_role("heading", name="Publicering", exact=True)).to_be_visible()
    assert_accessible(axe, editor)
    editor.get_by_role("link", name="Skriv ett inlägg").click()
    assert_accessible(axe, editor)
    editor.get_by_label("Arbetsrubrik").fill("Hittad cykel")
    editor.get_by_label("Vara bibliotek").check()
    editor.locator('textarea[name="text"]').fill("Vi har hittat en cykel.")
    editor.get_by_role("button", name="Spara utkastet").click()
    expect(editor.get_by_role("heading", name="Hittad cykel")).to_be_visible()
    expect(editor.get_by_text("23 av 500 tecken")).to_be_visible()
    assert_accessible(axe, editor)

    # The checks follow the text as it is written (htmx), before anything is saved.
    editor.locator(f'textarea[name="text_{library.pk}"]').fill(TEXT)
    expect(editor.get_by_text(f"{len(TEXT)} av 500 tecken")).to_be_visible()
    expect(editor.get_by_text("Stoppar publicering:")).to_be_visible()
    editor.get_by_role("button", name="Spara som ny version").click()
    expect(editor.get_by_text("Sparat.")).to_be_visible()
    editor.get_by_role("button", name="Skicka för godkännande").click()
    expect(editor.get_by_text("Väntar på godkännande.")).to_be_visible()
    assert_accessible(axe, editor)
    draft = Draft.objects.get()

    comms = signed_in_page(browser, base, alice)
    comms.set_viewport_size({"width": width, "height": 900})
    comms.goto(base + draft.get_absolute_url())
    assert_accessible(axe, comms)
    comms.get_by_label("Varför det får stå kvar").fill("Numret är bibliotekets hittegodstelefon.")
    comms.get_by_role("button", name="Åsidosätt").click()
    expect(comms.get_by_text("Träffen är åsidosatt")).to_be_visible()
    assert_accessible(axe, comms)

    manager = signed_in_page(browser, base, bob)
    manager.set_viewport_size({"width": width, "height": 900})
    manager.goto(base + reverse("publishing:index"))
    manager.get_by_role("region", name="Väntar på ditt godkännande").get_by_role(
        "link", name="Hittad cykel"
    ).click()
    assert_accessible(axe, manager)
    manager.get_by_role("button", name="Godkänn").click()
    expect(manager.get_by_text("Godkänt.", exact=True)).to_be_visible()
    draft.refresh_from_db()
    assert (draft.state, draft.approved_by) == (Draft.State.APPROVED, bob)

    editor.goto(base + reverse("publishing:reschedule", args=[draft.pk]))
    assert_accessible(axe, editor)
    editor.get_by_label("Publiceras").fill("2027-03-09T10:00")
    editor.get_by_role("button", name="Flytta").click()
    editor.goto(base + reverse("publishing:month") + "?year=2027&month=3")
    expect(editor.locator('td[data-day="2027-03-09"]')).to_contain_text("Hittad cykel")
    assert_accessible(axe, editor)
    if width == 1280:  # with a mouse: drag the post to another day; it keeps its time of day
        editor.locator("[data-reschedule]").drag_to(editor.locator('td[data-day="2027-03-12"]'))
        expect(editor.locator('td[data-day="2027-03-12"]')).to_contain_text("Hittad cykel")
        draft.refresh_from_db()
        assert timezone.localtime(draft.scheduled_at).isoformat() == "2027-03-12T10:00:00+01:00"
    editor.goto(base + reverse("publishing:week") + "?day=2027-03-09")
    assert_accessible(axe, editor)
    editor.goto(base + reverse("publishing:history", args=[draft.pk]))
    assert_accessible(axe, editor)
    editor.goto(base + reverse("publishing:feed"))
    editor.get_by_role("button", name="Gör en adress").click()
    expect(editor.get_by_text("Sigill visar den bara en gång")).to_be_visible()
    assert_accessible(axe, editor)
    comms.goto(base + reverse("publishing:rules"))
    assert_accessible(axe, comms)
