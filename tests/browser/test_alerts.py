"""Alice (comms) puts Erik on call for this week on the rota page; Erik sees it on his alerts page
and chooses not to get digests. Both pages are clean under axe-core, on a desktop and a phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser, expect

from sigill.alerts.models import AlertPreference, RotaWeek
from sigill.organisation.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)


@pytest.mark.parametrize("width", [1280, 390])
def test_comms_staffs_the_rota_and_the_editor_sets_his_alerts(
    browser: Browser, live_server, alice: User, erik: User, axe: Axe, width: int
) -> None:
    base = live_server.url
    comms = signed_in_page(browser, base, alice)
    comms.set_viewport_size({"width": width, "height": 900})
    comms.goto(base + reverse("alerts:rota"))
    expect(comms.get_by_role("heading", name="Jourschema", exact=True)).to_be_visible()
    assert_accessible(axe, comms)
    comms.get_by_label("Jour", exact=True).select_option(label="Erik Ek")
    comms.get_by_role("button", name="Spara veckan").click()
    expect(comms.get_by_text("Veckans jourperson är sparad.")).to_be_visible()
    expect(comms.get_by_role("row").nth(1)).to_contain_text("Erik Ek")
    assert_accessible(axe, comms)
    assert RotaWeek.objects.get().person == erik

    editor = signed_in_page(browser, base, erik)
    editor.set_viewport_size({"width": width, "height": 900})
    editor.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Larm").click()
    expect(editor.get_by_role("heading", name="Dina larm", exact=True)).to_be_visible()
    expect(editor.get_by_text("Du har jour de här dagarna de närmaste veckorna:")).to_be_visible()
    assert_accessible(axe, editor)
    editor.get_by_label("Sammanfattningar, när många larm kommer på en gång").uncheck()
    editor.get_by_role("button", name="Spara mina val").click()
    expect(editor.get_by_text("Dina larmval är sparade.")).to_be_visible()
    assert_accessible(axe, editor)
    assert AlertPreference.objects.get(user=erik).digest is False
