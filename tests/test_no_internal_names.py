"""No page shows staff the code's own names: snake_case identifiers, commands, file paths.

Every page the permission matrix lets someone see is read in Swedish; its visible text (not its
markup, scripts or addresses) must not hold a name only a developer knows.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from sigill.core import heartbeat
from sigill.organisation.models import Unit
from sigill.registry import services
from tests.conftest import signed_in_client
from tests.test_permission_matrix import PERSON_FOR_ROLE, STAFF, TABLE, comms_user, erik_user

pytestmark = pytest.mark.django_db

INTERNAL = re.compile(
    r"\b[a-z]+(?:_[a-z]+)+\b"  # snake_case: threat_verb, allow_list, needs_reconnect
    r"|manage\.py|\bdocs/\S+|\bdjango\.\w+"  # commands, documentation paths, Django's modules
)
PAGES = sorted(
    name
    for name, row in TABLE.items()
    if row.method == "get" and not row.api and any(row.expect[role] == 200 for role in STAFF)
)


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or code samples."""

    HIDDEN = {"script", "style", "code", "pre", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.mark.parametrize("url_name", PAGES)
def test_no_page_shows_a_name_from_the_code(
    url_name: str, request: pytest.FixtureRequest, units: dict[str, Unit]
) -> None:
    for person in PERSON_FOR_ROLE.values():
        request.getfixturevalue(person)
    services.assign_editor(
        account=request.getfixturevalue("library_account"), user=erik_user(), by=comms_user()
    )
    request.getfixturevalue("submitted")
    heartbeat.beat()
    row = TABLE[url_name]
    role = next(role for role in STAFF if row.expect[role] == 200)
    response = signed_in_client(request.getfixturevalue(PERSON_FOR_ROLE[role])).get(
        reverse(url_name, kwargs=row.kwargs())
    )
    if not response["Content-Type"].startswith("text/html"):
        return
    found = sorted(set(INTERNAL.findall(visible_text(response.content.decode()))))
    assert found == [], f"{url_name} shows {found}"
