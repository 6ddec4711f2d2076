"""The coverage report lists the accounts whose direct messages Sigill does not capture by API:
where the platform gives no access, and where the account's token may not read them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from sigill.reports.periods import Month
from tests.conftest import signed_in_client
from tests.connectors.conftest import PAGE_ID, connect, payload
from tests.connectors.graph import GRAPH, mount_page
from tests.connectors.walks import people, succeeded

__all__ = ["people"]
pytestmark = [pytest.mark.django_db, pytest.mark.httpx2(assert_all_called=False)]


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    """The Page's images go to a temporary folder, never into the repository or var/."""
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


def message_gaps(html: str) -> str:
    start = html.index('id="message-gaps-heading"')
    return html[start : html.index("</ul>", start)]


def test_the_coverage_report_lists_accounts_whose_direct_messages_are_not_captured(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    page = connect("facebook", "facebook.com/varakommun", PAGE_ID, **people)
    connect(
        "linkedin", "linkedin.com/company/vara-kommun", "10293847", display_name="Vara på LinkedIn", **people
    )
    mount_page(httpx2_mock)
    httpx2_mock.get(f"{GRAPH}/{PAGE_ID}/conversations").respond(
        400, json=payload("facebook/graph-api/error_10_messaging_permission.json")
    )
    succeeded(page)
    now = Month.current()
    report = signed_in_client(people["alice"]).get(
        reverse("reports:month", kwargs={"year": now.year, "month": now.month})
    )
    gaps = message_gaps(report.content.decode())
    linkedin = gaps[gaps.index("Vara på LinkedIn") :]
    assert linkedin.split("</li>")[0].endswith(
        "ingen åtkomst till kontots direktmeddelanden: spara dem för hand."
    )
    facebook = gaps[gaps.index("Vara kommun") :].split("</li>")[0]
    assert "token får inte läsa dess direktmeddelanden" in facebook


def test_an_account_whose_messages_are_captured_is_not_listed(
    people: dict[str, Any], httpx2_mock: Any
) -> None:
    page = connect("facebook", "facebook.com/varakommun", PAGE_ID, **people)
    mount_page(httpx2_mock)
    httpx2_mock.get(f"{GRAPH}/{PAGE_ID}/conversations").respond(json={"data": []})
    succeeded(page)
    now = Month.current()
    report = signed_in_client(people["alice"]).get(
        reverse("reports:month", kwargs={"year": now.year, "month": now.month})
    )
    assert 'id="message-gaps-heading"' not in report.content.decode()
