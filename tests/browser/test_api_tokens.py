"""Charlie creates an API token from the user menu, sees it once, uses it, and revokes it; the
token page has no accessibility violation in any of its states."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser, expect

from sigill.api.models import ApiToken
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)


def test_create_use_and_revoke_a_token(
    browser: Browser, live_server, charlie: User, axe: Axe, screenshots: Path
) -> None:
    base = live_server.url
    page = signed_in_page(browser, base, charlie)
    page.get_by_role("link", name="API-nycklar").click()
    expect(page.get_by_role("heading", name="API-nycklar", level=1)).to_be_visible()
    expect(page.get_by_text("Du har inga API-nycklar.")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Skapa nyckel").click()
    expect(page.get_by_role("alert")).to_contain_text("Namn")
    assert_accessible(axe, page)

    page.get_by_label("Namn").fill("Webbplatsens kontolista")
    page.get_by_label("Behörighet").select_option(label="Läsa")
    page.get_by_label("Giltig i").select_option(label="30 dagar")
    page.get_by_role("button", name="Skapa nyckel").click()
    expect(page.get_by_role("heading", name="Din nya nyckel ”Webbplatsens kontolista”")).to_be_visible()
    secret = page.locator("#new-token").inner_text().strip()
    token = ApiToken.objects.get()
    assert secret.startswith(f"sgl_{token.prefix}_")
    expect(page.get_by_role("cell", name=token.prefix)).to_be_visible()
    page.screenshot(path=str(screenshots / "api-token-created.png"), full_page=True)
    assert_accessible(axe, page)

    api = page.context.request
    used = api.get(base + reverse("api:inquiries"), headers={"Authorization": f"Bearer {secret}"})
    assert used.status == 200
    written = api.post(
        base + reverse("api:inquiries_create"),
        headers={"Authorization": f"Bearer {secret}"},
        data={
            "question": "När öppnar simhallen?",
            "asked_where": "Facebook",
            "asked_at": "2026-01-05T10:00:00+01:00",
        },
    )
    assert written.status == 403
    assert written.headers["content-type"] == "application/problem+json"

    page.goto(base + reverse("api_tokens:list"))
    expect(page.locator("#new-token")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Återkalla – Webbplatsens kontolista").click()
    expect(page.get_by_text("Nyckeln ”Webbplatsens kontolista” är återkallad.")).to_be_visible()
    assert_accessible(axe, page)
    refused = api.get(base + reverse("api:inquiries"), headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401
    assert refused.json()["detail"] == "Nyckeln har återkallats."
    assert set(AuditEntry.objects.filter(act__startswith="api.token").values_list("act", flat=True)) == {
        "api.token.created",
        "api.token.revoked",
        "api.token.refused",
    }
