"""Erik answers a resident's comment from its case page: the reply waits in the outbox, is
published on the platform (a local Mastodon instance), and the case page says so, accessibly and
within a phone's width."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from playwright.sync_api import Browser, expect

from sigill.archive.capture import Author
from sigill.connectors.models import Outgoing
from sigill.connectors.publish import outbox
from sigill.moderation import services
from sigill.organisation.models import Unit, User
from tests.browser.conftest import assert_accessible
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)
from tests.connectors.conftest import connect
from tests.connectors.fake_mastodon import ACCOUNT, running_instance
from tests.connectors.residents import a_comment
from tests.moderation.conftest import arrive


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def test_a_reply_from_the_case_page_is_published_and_the_page_says_so(
    browser: Browser, live_server, alice: User, bob: User, erik: User, units: dict[str, Unit], axe: Axe
) -> None:
    with running_instance() as instance:
        account = connect(
            "mastodon",
            "social.vara-kommun.example/@varakommun",
            ACCOUNT["id"],
            api_base=instance.base,
            alice=alice,
            erik=erik,
            bob=bob,
            units=units,
        )
        resident = {"id": "77", "username": "cia", "acct": "cia@mastodon.example", "display_name": "Cia"}
        comment = instance.add_status("Hur anmäler jag en trasig gatlampa?", account=resident)
        [case] = arrive(
            a_comment(
                account,
                comment["id"],
                "Hur anmäler jag en trasig gatlampa?",
                on="113825159577605136",
                author=Author(platform_id="77", handle="cia@mastodon.example", display_name="Cia"),
            )
        )
        services.decide(
            case=case,
            choice=services.Choice(
                act="reply", reply_text="Hej Cia! Gör en felanmälan på vara.se/felanmalan."
            ),
            by=erik,
        )
        editor = signed_in_page(browser, live_server.url, erik)
        editor.goto(live_server.url + case.get_absolute_url())
        expect(editor.get_by_text("Publiceras: I kö.")).to_be_visible()
        assert_accessible(axe, editor)

        assert outbox.send(Outgoing.objects.get().pk) == Outgoing.State.PUBLISHED
        editor.reload()
        expect(
            editor.get_by_text("Publicerat på plattformen och arkiverat som upprättad handling.")
        ).to_be_visible()
        expect(editor.get_by_role("link", name="Öppna svaret på plattformen")).to_have_attribute(
            "href", instance.statuses[0]["url"]
        )
        assert_accessible(axe, editor)
        editor.set_viewport_size({"width": 390, "height": 900})
        editor.reload()
        assert editor.evaluate("document.documentElement.scrollWidth") <= 390
