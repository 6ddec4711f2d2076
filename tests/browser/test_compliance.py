"""Comms publishes a new guideline version and an editor acknowledges it; the compliance pages,
the public comment-policy page and its report form are accessible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sigill.compliance import services as compliance_services
from sigill.demo import compliance as compliance_demo
from sigill.guidelines import services as guideline_services
from sigill.organisation.models import Role, Unit, User
from sigill.registry.models import Account
from tests.browser.conftest import assert_accessible
from tests.browser.test_registry import sign_in_as_comms
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_person
from tests.registry.fixtures import activate


def test_comms_publishes_version_2_and_an_editor_must_acknowledge_it(
    page: Page,
    browser,
    live_server,
    alice: User,
    erik: User,
    units: dict[str, Unit],
    axe: Axe,
    screenshots: Path,
) -> None:
    ingrid = make_person("ingrid", "Ingrid", "Isaksson", [(units["gata-park"], Role.EDITOR)])
    version_1 = guideline_services.publish_version(
        title="Riktlinje för sociala medier",
        body="# Riktlinje\n\nVersion 1.",
        change_summary="Första versionen.",
        in_force_from=dt.date(2024, 2, 21),
        by=alice,
    )
    for editor in (erik, ingrid):
        guideline_services.acknowledge(version=version_1, by=editor)

    base = live_server.url
    sign_in_as_comms(page, base, alice)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Riktlinje").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Publicera en ny version").click()
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Gäller från").fill(timezone.localdate().isoformat())
    page.get_by_label("Vad som har ändrats").fill("Nytt avsnitt om privata konton.")
    page.get_by_label("Text", exact=True).fill(
        "# Riktlinje\n\n## Privata konton\n\nAnvänd aldrig privata konton."
    )
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_text("Version 2 är publicerad.")).to_be_visible()
    expect(page.get_by_role("heading", name="Privata konton")).to_be_visible()

    # The editor sees the to-do, reads version 2 and acknowledges it.
    editor_page = browser.new_context(locale="sv-SE").new_page()
    sign_in(editor_page, base, "erik")
    # Until he acknowledges, the moderation queue sends him to read the guideline first.
    editor_page.goto(base + reverse("moderation:queue"))
    expect(editor_page.get_by_role("heading", name="Bekräfta riktlinjen först")).to_be_visible()
    assert_accessible(axe, editor_page)
    editor_page.get_by_role("link", name="Läs version 2").click()
    expect(editor_page.get_by_text("Nytt avsnitt om privata konton.")).to_be_visible()
    assert_accessible(axe, editor_page)
    editor_page.get_by_role("button", name="Jag har läst version 2 och följer den").click()
    expect(editor_page.get_by_text("Tack! Du har bekräftat version 2.")).to_be_visible()
    editor_page.goto(base + reverse("core:home"))
    expect(editor_page.get_by_text("Läs och bekräfta riktlinjen")).to_have_count(0)
    editor_page.goto(base + reverse("moderation:queue"))
    expect(editor_page.get_by_role("heading", name="Moderering", exact=True)).to_be_visible()
    editor_page.context.close()

    # Comms' report: Ingrid has not acknowledged yet, Erik has.
    page.goto(base + reverse("guidelines:report"))
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="Ingrid Isaksson")).to_contain_text("Inte ännu")
    expect(rows.filter(has_text="Erik Ek")).not_to_contain_text("Inte ännu")
    page.screenshot(path=screenshots / "guideline-report.png", full_page=True)
    assert_accessible(axe, page)


def test_the_compliance_pages_and_the_policy_page_with_its_report_form_are_accessible(
    page: Page, live_server, alice: User, library_account: Account, axe: Axe, screenshots: Path
) -> None:
    compliance_services.update_municipality(by=alice, changes=compliance_demo.CONTACT)
    account = activate(library_account, alice)
    compliance_services.record_check(
        account=account, by=alice, judgements={}, profile_text="Vara bibliotek. Lästips och evenemang."
    )
    base = live_server.url
    sign_in_as_comms(page, base, alice)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Efterlevnad").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Underkända eller dags för kontroll").click()
    page.get_by_role("link", name="Vara bibliotek (Instagram)").click()
    expect(page.get_by_role("heading", name="Vara bibliotek (Instagram)")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Kontrollera profilen").click()
    page.get_by_role("button", name="Registrera kontrollen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(axe, page)
    for name in ("compliance:templates", "compliance:municipality"):
        page.goto(base + reverse(name))
        assert_accessible(axe, page)
    page.goto(base + reverse("compliance:template_edit", kwargs={"code": "about_short"}))
    assert_accessible(axe, page)

    policy = base + reverse("compliance_public:policy", kwargs={"slug": account.slug})
    page.goto(policy)
    expect(page.get_by_role("heading", name="Inlägg blir allmänna handlingar")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Länk till kommentaren").fill("https://www.instagram.com/p/C3xYz/c/1789")
    page.get_by_label("Bryter mot GDPR: kränkande eller känsliga personuppgifter").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_text("Tack! Vi har tagit emot din anmälan")).to_be_visible()
    page.screenshot(path=screenshots / "policy-page.png", full_page=True)
    assert_accessible(axe, page)
