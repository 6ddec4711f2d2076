"""Comms keeps the unit tree in the browser: creates, renames, moves and closes units, imports a file."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from sigill.organisation.models import Unit, User
from tests.browser.conftest import assert_accessible
from tests.browser.test_registry import sign_in_as_comms


def test_comms_builds_and_changes_the_unit_tree(
    page: Page, live_server, alice: User, axe: Axe, screenshots: Path, tmp_path: Path
) -> None:
    sign_in_as_comms(page, live_server.url, alice)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Organisation").click()
    assert_accessible(axe, page)

    # A unit in the wrong place first: the form says why.
    page.get_by_label("Namn", exact=True).fill("Musikskolan")
    page.get_by_label("Kod").fill("musikskolan")
    page.get_by_label("Typ").select_option(label="Förvaltning")
    page.get_by_label("Del av").select_option(label="Kultur och fritid")
    page.get_by_role("button", name="Skapa enhet").click()
    expect(page.get_by_role("alert")).to_contain_text("En förvaltning kan inte placeras under en avdelning.")
    assert_accessible(axe, page)
    page.get_by_label("Typ").select_option(label="Enhet")
    page.get_by_role("button", name="Skapa enhet").click()
    expect(page.get_by_text("Musikskolan är skapad.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Musikskolan")
    assert_accessible(axe, page)

    page.get_by_label("Nytt namn").fill("Kulturskolan")
    page.get_by_role("button", name="Byt namn").click()
    expect(page.get_by_text("Enheten heter nu Kulturskolan.")).to_be_visible()
    page.get_by_label("Del av").select_option(label="Bildningsförvaltningen")
    page.get_by_role("button", name="Flytta", exact=True).click()
    expect(page.get_by_text("Kulturskolan är flyttad.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Du är här")).to_contain_text("Bildningsförvaltningen")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Stäng enheten").click()
    expect(page.get_by_text("Kulturskolan är stängd.")).to_be_visible()
    assert Unit.objects.get(slug="musikskolan").is_closed
    page.screenshot(path=screenshots / "organisation-unit.png", full_page=True)
    assert_accessible(axe, page)

    # Import from a file: a preview first, then the import.
    page.goto(live_server.url + reverse("organisation:import"))
    assert_accessible(axe, page)
    units_file = tmp_path / "units.csv"
    units_file.write_text(
        "code,name,parent_code\nbad code,Fel,\nhemtjanst,Hemtjänsten,okand\n", encoding="utf-8"
    )
    page.get_by_label("Fil med enheter (CSV)").set_input_files(units_file)
    page.get_by_role("button", name="Visa vad importen gör").click()
    expect(page.get_by_role("alert")).to_contain_text("Rad 2: Koden ”bad code” får bara innehålla")
    assert_accessible(axe, page)
    units_file.write_text(
        "code,name,parent_code\nvard,Vård och omsorg,\nhemtjanst,Hemtjänsten,vard\n", encoding="utf-8"
    )
    page.get_by_label("Fil med enheter (CSV)").set_input_files(units_file)
    page.get_by_role("button", name="Visa vad importen gör").click()
    expect(page.get_by_text("2 skapas, 0 byter namn, 0 flyttas, 0 oförändrade.")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Importera enheterna").click()
    expect(page.get_by_text("Enheter importerade: 2 skapade, 0 bytte namn, 0 flyttade.")).to_be_visible()
    expect(page.get_by_role("link", name="Hemtjänsten")).to_be_visible()
    page.screenshot(path=screenshots / "organisation-tree.png", full_page=True)

    page.goto(live_server.url + reverse("organisation:group_mappings"))
    page.get_by_label("Grupp-id").fill("6f1c2d3e-0000-4000-8000-000000000005")
    page.get_by_label("Enhet", exact=True).select_option(label="Hemtjänsten")
    page.get_by_label("Roll").select_option(label="Verksamhetschef")
    page.get_by_role("button", name="Spara kopplingen").click()
    expect(page.get_by_text("Kopplingen är sparad.")).to_be_visible()
    assert_accessible(axe, page)


def test_the_tree_page_fits_a_phone(
    page: Page, live_server, alice: User, axe: Axe, screenshots: Path
) -> None:
    sign_in_as_comms(page, live_server.url, alice)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("organisation:tree"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=screenshots / "organisation-tree-390.png", full_page=True)
    assert_accessible(axe, page)
