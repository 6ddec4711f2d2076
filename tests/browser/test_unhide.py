"""Erik hid a comment by mistake; on its case page he shows it again, and the hide stays in the
case's history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from playwright.sync_api import Browser, expect

from sigill.moderation import services
from sigill.organisation.models import Unit, User
from tests.archive.conftest import comment, make_library
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)
from tests.moderation.conftest import PlatformRecorder, arrive, facebook_platform  # noqa: F401


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def test_a_comment_hidden_by_mistake_is_shown_again_from_its_case_page(
    browser: Browser,
    live_server,
    alice: User,
    bob: User,
    erik: User,
    units: dict[str, Unit],
    facebook_platform: PlatformRecorder,  # noqa: F811
    axe: Axe,
) -> None:
    library = make_library(alice, erik, bob, units)
    [case] = arrive(comment(library, "c-1", "Köp billiga klockor på www.example.com nu"))
    hide = services.decide(case=case, choice=services.Choice(act="hide", reason="spam"), by=erik)
    services.carry_out(decision=hide, by=erik)

    editor = signed_in_page(browser, live_server.url, erik)
    editor.goto(live_server.url + case.get_absolute_url())
    assert_accessible(axe, editor)
    editor.get_by_role("button", name="Visa igen på plattformen").click()
    expect(
        editor.get_by_text("Utfört på plattformen, efter att den sparade kopian verifierats")
    ).to_be_visible()
    expect(editor.get_by_role("heading", name="Tidigare beslut")).to_be_visible()
    expect(editor.get_by_role("button", name="Visa igen på plattformen")).to_have_count(0)
    assert_accessible(axe, editor)
    assert [act for act, _target, _verified in facebook_platform.calls] == ["hide", "unhide"]
