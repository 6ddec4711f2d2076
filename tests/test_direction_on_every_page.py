"""Every page staff can see keeps text from outside isolated for direction (issue 24.4).

Every text field of every row the page could show (platform content, authors, account, unit and
user names, reasons people typed, ...) is given a right-to-left override, and every place the page
shows one must sit inside an element that isolates it: ``<bdi>`` (the ``|bdi`` filter), an element
with ``dir``, or one of the classes the style sheet isolates. Otherwise the override would turn
around whatever the page shows after it on the same line.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models.functions import Concat, Left
from django.urls import reverse

import sigill
from sigill.core import append_only, heartbeat
from sigill.core.text import FSI, PDI
from sigill.organisation.models import Unit
from sigill.registry import services
from tests.conftest import APPEND_ONLY_TABLES, signed_in_client
from tests.test_every_page import PAGES
from tests.test_permission_matrix import PERSON_FOR_ROLE, STAFF, TABLE, comms_user, erik_user

pytestmark = pytest.mark.django_db

RLO = "\u202e"
MARK = f"{RLO}xe"
# Fields that hold codes, keys and digests Sigill itself writes, never text from outside; a page
# showing them needs no isolation, and changing them would break the lookups the pages make.
NOT_TEXT = re.compile(r"(^|_)(hash|digest|key|token|password|secret_hash|act|code|object_id|platform_id"
                      r"|storage_name|content_type|target_type|reference|detector|explanation|sha256|seal|path|type|prev_hash|chain_hash|session_key|persistent_id|state|status|kind|language)$")  # fmt: skip
# Elements whose text is not laid out in a line beside other text, or is not text at all. (A
# page's <title> can hold no <bdi>: its text must be isolated with FSI ... PDI instead.)
SELF_CONTAINED = {"script", "style", "template", "textarea", "option"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def isolating_classes() -> set[str]:
    """The classes the style sheet gives ``unicode-bidi: isolate``."""
    css = (Path(sigill.__file__).parent / "core/static/core/css/sigill.css").read_text()
    rule = re.search(r"([^{}]*)\{\s*unicode-bidi:\s*isolate;", css)
    assert rule, "the style sheet has no unicode-bidi: isolate rule"
    return {selector.strip()[1:] for selector in rule.group(1).split(",") if selector.strip().startswith(".")}


class UnisolatedText(HTMLParser):
    """Collects the text around every override that no isolating element holds."""

    def __init__(self, classes: set[str]) -> None:
        super().__init__()
        self.classes = classes
        self.open: list[bool] = []  # per open element: does it (or an ancestor) isolate
        self.tags: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        values = dict(attrs)
        isolates = (
            tag == "bdi"
            or tag in SELF_CONTAINED
            or "dir" in values
            or bool(self.classes & set((values.get("class") or "").split()))
        )
        self.open.append(isolates or (bool(self.open) and self.open[-1]))
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.tags:
            while self.tags:
                self.open.pop()
                if self.tags.pop() == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self.tags[-1:] == ["title"]:
            if RLO in data and not (
                FSI in data and PDI in data and data.index(FSI) < data.index(RLO) < data.rindex(PDI)
            ):
                self.found.append(f"<title> {data.strip()[:60]!r}")
            return
        if RLO in data and not (self.open and self.open[-1]):
            where = self.tags[-3:] if self.tags else ["(top)"]
            self.found.append(f"<{'><'.join(where)}> {data.strip()[:60]!r}")


def give_every_text_field_an_override() -> None:
    """Append MARK to every text field of every row of Sigill's tables (append-only ones too: the
    triggers are lifted inside the test's transaction, which is rolled back)."""
    for table in APPEND_ONLY_TABLES:
        append_only.unprotect(connection, table)
    for model in apps.get_models():
        if not model.__module__.startswith("sigill.") or model._meta.proxy:
            continue
        changes = {
            field.attname: Concat(
                Left(field.attname, (field.max_length or 10_000) - len(MARK)), models.Value(MARK)
            )
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.EmailField | models.URLField | models.SlugField)
            and not field.choices
            and not field.primary_key
            and not NOT_TEXT.search(field.name)
        }
        if changes:
            model._base_manager.update(**changes)
    for table in APPEND_ONLY_TABLES:
        append_only.protect(connection, table)


def assert_csv_cells_isolated(url_name: str, text: str) -> None:
    """Every CSV cell holding an override is wrapped in FSI ... PDI (core.text.csv_safe); the
    public list and the monthly report are read with data in tests/registry and tests/reports."""
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row if RLO in cell]
    assert [cell for cell in cells if not (cell.startswith(FSI) and cell.endswith(PDI))] == []


@pytest.mark.parametrize("url_name", PAGES)
def test_text_from_outside_is_isolated_on_the_page(
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
    client = signed_in_client(request.getfixturevalue(PERSON_FOR_ROLE[role]))
    url = reverse(url_name, kwargs=row.kwargs())
    give_every_text_field_an_override()
    response = client.get(url)
    if response["Content-Type"].startswith("text/csv"):
        assert_csv_cells_isolated(url_name, response.content.decode("utf-8-sig"))
        return
    if not response["Content-Type"].startswith("text/html"):
        return  # a PDF, JSON or the health check: no page to read
    assert response.status_code == 200, f"{url_name}: {response.status_code}"
    parser = UnisolatedText(isolating_classes())
    parser.feed(response.content.decode())
    assert parser.found == [], f"{url_name} shows text from outside without isolation:\n" + "\n".join(
        parser.found
    )
