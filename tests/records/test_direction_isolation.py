"""A right-to-left override in a name or a comment stays inside it: in the disclosure PDF and its
CSV (where formula characters are neutralised too), and on the pages."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sigill.core.text import FSI, PDI, csv_safe
from sigill.organisation.models import User
from sigill.records import package
from sigill.records.models import DisclosureRequest
from sigill.records.services import disclosure
from sigill.registry.models import Account
from tests.conftest import signed_in_client
from tests.records.conftest import capture_thread

RLO = "\u202e"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def disclosed_package(request: DisclosureRequest, dana: User, library: Account) -> package.Package:
    items = capture_thread(library, comments=1)
    disclosure.add_records(request=request, items=items, by=dana)
    for record in request.records.all():
        disclosure.disclose(record=record, by=dana)
    return package.build(disclosure.decide(request=request, by=dana))


def test_an_override_in_an_account_name_does_not_reverse_the_rest_of_the_pdf_line(
    open_request: DisclosureRequest, dana: User, library: Account
) -> None:
    library.display_name = f"Biblioteket {RLO}abc"
    library.save(update_fields=["display_name"])
    text = pdf_text(package.as_pdf(disclosed_package(open_request, dana, library)))
    # Isolated: the override turns "abc" around and nothing else; the platform follows in order.
    assert "Biblioteket cba (" in text
    assert ")koobecaF(" not in text and "(Facebook) cba" not in text


def test_csv_cells_are_isolated_for_direction_and_never_start_a_formula(
    open_request: DisclosureRequest, dana: User, library: Account
) -> None:
    library.display_name = f"Biblioteket {RLO}abc"
    library.save(update_fields=["display_name"])
    rows = list(csv.reader(io.StringIO(package.as_csv(disclosed_package(open_request, dana, library)))))
    assert rows[1][rows[0].index("account")] == f"{FSI}Biblioteket {RLO}abc{PDI}"


def test_the_csv_helper_neutralises_every_formula_start_and_leaves_plain_text_alone() -> None:
    for dangerous in ("=1+1", "+46 70", "-2", "@SUM(A1)", "\tcmd", "\rcmd", "  =HYPERLINK()"):
        assert csv_safe(dangerous) == "'" + dangerous
    assert csv_safe("Sommarläsning") == "Sommarläsning"
    assert csv_safe(42) == 42
    assert csv_safe("שלום") == f"{FSI}שלום{PDI}"


def test_a_page_isolates_a_name_with_an_override(alice: User) -> None:
    Client().post(reverse("core:login"), {"username": f"eve{RLO}exe.txt", "password": "wrong-guess"})
    page = signed_in_client(alice).get(reverse("core:audit_log")).content.decode()
    assert f"<bdi>{FSI}eve{RLO}exe.txt{PDI}</bdi>" in page
