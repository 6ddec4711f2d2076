"""A threat arrives on a Saturday evening. Erik is on call that week: he alone gets the alert by
e-mail (and the channel gets its post), follows the alert's link, and reports the threat to the
police and hides it on Facebook in one decision. axe-core finds nothing, wide and narrow.

Facebook is pytest-httpx2's router answering the Graph API's documented endpoint; the Teams or
Slack channel is a local HTTP server; the e-mail goes through Django's e-mail backend."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import Browser, expect

from sigill.alerts import services as alert_services
from sigill.moderation.models import Decision
from sigill.organisation.models import Unit, User
from tests.alerts.conftest import (  # noqa: F401  (fixtures)
    SATURDAY_EVENING,
    WEEK_OF_THE_SATURDAY,
    Channel,
    _media_and_tasks,
    channel,
    clock,
)
from tests.archive.conftest import comment
from tests.browser.test_applications import _close_contexts, signed_in_page  # noqa: F401  (fixture)
from tests.browser.test_report_and_remove import GRAPH, accessible_wide_and_narrow
from tests.connectors.conftest import PAGE_ID, connect
from tests.moderation.conftest import arrive


def test_the_editor_on_call_gets_the_alert_and_reports_and_removes_the_threat_in_one_decision(
    browser: Browser,
    live_server: Any,
    alice: User,
    bob: User,
    erik: User,
    units: dict[str, Unit],
    httpx2_mock: Any,
    channel: Channel,  # noqa: F811
    clock: Callable[[dt.datetime], None],  # noqa: F811
    axe: Axe,
) -> None:
    for person in (alice, erik):
        person.email = f"{person.username}@vara.example"
        person.save(update_fields=["email"])
    account = connect(
        "facebook", "facebook.com/varakommun", PAGE_ID, alice=alice, erik=erik, bob=bob, units=units
    )
    hide = httpx2_mock.post(f"{GRAPH}/c-lordag").respond(json={"success": True})
    alert_services.assign_week(week_start=WEEK_OF_THE_SATURDAY, person=erik, by=alice)
    clock(SATURDAY_EVENING)

    [case] = arrive(comment(account, "c-lordag", "Jag vet var du bor och i kväll kommer jag hem till dig."))

    assert [message.to for message in mail.outbox] == [["erik@vara.example"]], "only the person on call"
    [posted] = channel.messages
    assert "Erik" in posted["text"]
    link = re.search(r"https?://\S+/moderation/\S+", str(mail.outbox[0].body))
    assert link is not None
    path = "/" + link.group().split("/", 3)[3]

    editor = signed_in_page(browser, live_server.url, erik)
    editor.goto(live_server.url + path)
    expect(editor.get_by_text("Kommentaren kan vara olaglig: Olaga hot.")).to_be_visible()
    accessible_wide_and_narrow(axe, editor)

    editor.get_by_label("Polisanmäl ett hot").check()
    expect(editor.get_by_label("Dölj den också på plattformen")).to_be_checked()
    editor.get_by_label("Anteckning").fill("Polisanmält av jouren.")
    editor.get_by_role("button", name="Spara beslutet").click()

    expect(editor.get_by_text("Utfört på plattformen.", exact=True)).to_be_visible()
    expect(editor.get_by_role("link", name="Ladda ner bevisunderlaget (PDF)")).to_be_visible()
    accessible_wide_and_narrow(axe, editor)
    assert hide.calls.last.request.content == b"is_hidden=true"
    decision = Decision.objects.get(case=case)
    assert (decision.act, decision.removal, decision.decided_by) == ("report_threat", "hide", erik)
