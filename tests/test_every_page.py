"""Every page staff can see, read as a user would and as a prober would.

* Its visible text (not its markup, scripts or code samples), read in Swedish, holds no name only a
  developer knows: snake_case identifiers, commands, documentation paths, Django's modules.
* Asked again with each of its own GET forms' fields (and ``page``) set to values a mistyped link,
  an old bookmark or a prober would send, it answers with a page, never a server error.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from sigill.core import heartbeat
from sigill.organisation.models import Unit
from sigill.registry import services
from tests.conftest import signed_in_client
from tests.test_permission_matrix import PERSON_FOR_ROLE, STAFF, TABLE, comms_user, erik_user

pytestmark = pytest.mark.django_db

PAGES = sorted(
    name
    for name, row in TABLE.items()
    if row.method == "get" and not row.api and any(row.expect[role] == 200 for role in STAFF)
)
INTERNAL = re.compile(
    r"\b[a-z]+(?:_[a-z]+)+\b"  # snake_case: threat_verb, allow_list, needs_reconnect
    r"|manage\.py|\bdocs/\S+|\bdjango\.\w+"  # commands, documentation paths, Django's modules
)
# The platforms' own names that comms ask for in a developer portal or copy from a platform: not ours.
PLATFORM_TERMS = {"pages_messaging", "instagram_manage_messages", "business_id", "threads_basic",
                  "threads_read_replies", "threads_manage_replies"}  # fmt: skip
HOSTILE = [
    "",
    "abc",
    "-1",
    "0",
    "99999999999999999999999",
    "2026-13-45",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "ä" * 3000,
]
GET_FORM = re.compile(r"<form(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.DOTALL | re.IGNORECASE)
FIELD = re.compile(r"<(?:input|select|textarea)[^>]*\sname=\"([^\"]+)\"", re.IGNORECASE)


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


def query_fields(html: str) -> set[str]:
    """The names of the fields of a page's GET forms (its filters and searches), and ``page``."""
    names = {"page"}
    for form in GET_FORM.findall(html):
        names.update(FIELD.findall(form))
    return names - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("url_name", PAGES)
def test_the_page_speaks_to_people_and_survives_hostile_query_strings(
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
    client: Client = signed_in_client(request.getfixturevalue(PERSON_FOR_ROLE[role]))
    url = reverse(url_name, kwargs=row.kwargs())
    first = client.get(url)
    html = first.content.decode() if first["Content-Type"].startswith("text/html") else ""
    found = sorted(set(INTERNAL.findall(visible_text(html))) - PLATFORM_TERMS)
    assert found == [], f"{url_name} shows {found}"
    fields = query_fields(html)
    for value in HOSTILE:
        response = client.get(url, dict.fromkeys(fields, value))
        assert response.status_code < 500, f"{role} GET {url} with {sorted(fields)} = {value!r}"
