"""Three people in the browser: Charlie forwards a question, Frida (contact center) answers and
closes it, Dana (registrar) finds it among the inquiries with its full history and registers it."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Browser, expect

from sigill.core.models import AuditEntry
from sigill.inquiries.models import Inquiry
from sigill.organisation.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)


def test_forward_answer_close_and_find_it_as_a_record(
    browser: Browser,
    live_server,
    charlie: User,
    frida: User,
    dana: User,
    axe: Axe,
    screenshots: Path,
) -> None:
    base = live_server.url

    employee = signed_in_page(browser, base, charlie)
    employee.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Frågor").click()
    employee.get_by_role("link", name="Vidarebefordra en fråga").click()
    assert_accessible(axe, employee)
    employee.get_by_role("button", name="Vidarebefordra frågan").click()
    expect(employee.get_by_role("alert")).to_contain_text("Frågan")
    assert_accessible(axe, employee)
    employee.get_by_label("Var ställdes frågan?").fill("Kommentar på min privata Facebooksida")
    employee.get_by_label("Frågan", exact=True).fill("När plogas Storgatan i Vara?")
    employee.get_by_label("Frågeställarens kontaktuppgift").fill("anna@example.se")
    employee.get_by_role("button", name="Vidarebefordra frågan").click()
    expect(employee.get_by_text("Tack. Frågan är vidarebefordrad till kontaktcenter.")).to_be_visible()
    inquiry = Inquiry.objects.get()

    center = signed_in_page(browser, base, frida)
    expect(center.get_by_role("link", name="1 öppen fråga väntar på svar")).to_be_visible()
    center.get_by_role("link", name="1 öppen fråga väntar på svar").click()
    expect(center.get_by_role("heading", name="Kontaktcenters kö")).to_be_visible()
    expect(center.get_by_role("cell", name=re.compile("kvar"))).to_be_visible()
    assert_accessible(axe, center)
    center.get_by_role("link", name=str(inquiry)).click()
    assert_accessible(axe, center)
    center.get_by_role("combobox", name="Tilldela").select_option(label="Frida Fors (frida)")
    center.get_by_role("button", name="Tilldela").click()
    expect(center.get_by_text("Frågan är tilldelad.")).to_be_visible()
    center.get_by_role("textbox", name="Svar", exact=True).fill("Storgatan plogas i dag före kl. 15.")
    center.get_by_role("button", name="Spara svaret").click()
    expect(center.get_by_text("Svaret är sparat.")).to_be_visible()
    center.get_by_role("button", name="Avsluta frågan").click()
    expect(center.get_by_text("Frågan är avslutad.")).to_be_visible()
    assert_accessible(axe, center)

    registrar = signed_in_page(browser, base, dana)
    registrar.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Frågor").click()
    registrar.get_by_label("Sök").fill("Storgatan")
    registrar.get_by_label("Läge").select_option(label="Avslutad")
    registrar.get_by_role("button", name="Sök").click()
    assert_accessible(axe, registrar)
    registrar.get_by_role("link", name=str(inquiry)).click()
    history = registrar.get_by_role("list").filter(has_text="Inkommen")
    for step in ("Inkommen", "Tilldelad", "Besvarad", "Avslutad"):
        expect(history.get_by_text(step, exact=True)).to_be_visible()
    registrar.get_by_role("button", name="Skicka till diariet").click()
    expect(registrar.get_by_text("Frågan är skickad till diariet.")).to_be_visible()
    registrar.screenshot(path=screenshots / "inquiry-registered.png", full_page=True)

    acts = list(
        AuditEntry.objects.filter(target_type="inquiries.inquiry", target_id=str(inquiry.pk))
        .order_by("id")
        .values_list("act", "actor__username")
    )
    assert acts == [
        ("inquiries.inquiry.received", "charlie"),
        ("inquiries.inquiry.assigned", "frida"),
        ("inquiries.inquiry.answered", "frida"),
        ("inquiries.inquiry.closed", "frida"),
        ("inquiries.inquiry.sent_to_records", "dana"),
    ]
    (sent,) = mail.outbox
    assert sent.attachments[0][0] == f"inquiry-{inquiry.pk}.json"
