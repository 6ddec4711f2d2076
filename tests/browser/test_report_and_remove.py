"""A threat arrives on Vara kommun's Facebook Page; Erik (editor) opens its case, reports it to the
police and hides it in one decision; the page shows it done on the platform, after the saved copy
verified, with the evidence bundle to hand on. axe-core finds nothing, wide and narrow.

The platform is pytest-httpx2's router answering Facebook's documented endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from sigill.archive.models import ItemVersion
from sigill.moderation.models import Decision, PlatformAct
from sigill.organisation.models import Unit, User
from tests.archive.conftest import comment
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)
from tests.connectors.conftest import PAGE_ID, connect
from tests.moderation.conftest import arrive

GRAPH = "https://graph.facebook.com/v21.0"


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def accessible_wide_and_narrow(axe: Axe, page: Page) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(axe, page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_threat_is_reported_and_hidden_in_one_decision(
    browser: Browser,
    live_server: Any,
    alice: User,
    bob: User,
    erik: User,
    units: dict[str, Unit],
    httpx2_mock: Any,
    axe: Axe,
    screenshots: Path,
) -> None:
    page_account = connect(
        "facebook", "facebook.com/varakommun", PAGE_ID, alice=alice, erik=erik, bob=bob, units=units
    )
    hide = httpx2_mock.post(f"{GRAPH}/c-threat").respond(json={"success": True})
    [case] = arrive(comment(page_account, "c-threat", "Jag vet var du bor, akta dig"))

    editor = signed_in_page(browser, live_server.url, erik)
    editor.goto(live_server.url + case.get_absolute_url())
    expect(editor.get_by_text("Kommentaren kan vara olaglig: Olaga hot.")).to_be_visible()
    accessible_wide_and_narrow(axe, editor)
    editor.screenshot(path=screenshots / "moderation-threat-to-decide.png", full_page=True)

    editor.get_by_label("Polisanmäl ett hot").check()
    expect(editor.get_by_label("Dölj den också på plattformen")).to_be_checked()
    expect(editor.get_by_label("Skäl")).to_have_value("olaga_hot")
    editor.get_by_label("Anteckning").fill("Polisanmält i dag.")
    editor.get_by_role("button", name="Spara beslutet").click()

    expect(editor.get_by_text("Utfört på plattformen.", exact=True)).to_be_visible()
    expect(editor.get_by_role("heading", name="På plattformen: Dölj på plattformen")).to_be_visible()
    expect(editor.get_by_role("link", name="Ladda ner bevisunderlaget (PDF)")).to_be_visible()
    accessible_wide_and_narrow(axe, editor)
    editor.screenshot(path=screenshots / "moderation-reported-and-hidden.png", full_page=True)

    assert hide.calls.last.request.content == b"is_hidden=true"
    decision = Decision.objects.get(case=case)
    assert (decision.act, decision.removal) == ("report_threat", "hide")
    [attempt] = decision.platform_acts.all()
    assert attempt.outcome == PlatformAct.Outcome.DONE
    assert attempt.verified_seal == ItemVersion.objects.get(item=case.item).seal
