"""Importing the spreadsheet comms kept before Sigill: every bad row named, nothing half written."""

from __future__ import annotations

import csv
import html
import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry import importing
from sigill.registry.models import Account
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

HEADER = ["Plattform", "Adress", "Namn", "Enhet", "Syfte", "Syftesområden", "Ansvarig", "Ersättare"]


def spreadsheet_rows(count: int = 200) -> list[list[str]]:
    """``count`` valid rows across four platforms, all in Vara bibliotek."""
    platforms = [
        ("Instagram", "instagram.com/vara{n}"),
        ("Facebook", "facebook.com/vara-sida-{n}"),
        ("X", "x.com/vara_{n}"),
        ("TikTok", "tiktok.com/@vara{n}"),
    ]
    rows = []
    for n in range(count):
        name, address = platforms[n % len(platforms)]
        rows.append(
            [
                name,
                address.format(n=n),
                f"Vara konto {n}",
                "Vara bibliotek",
                "Lästips och evenemang.",
                "news, dialogue",
                "erik",
                "bob",
            ]
        )
    return rows


def as_csv(rows: list[list[str]], delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: Client, name: str, content: bytes):
    return client.post(reverse("registry:import"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def comms_client(alice: User, bob: User, erik: User, units: dict[str, Unit]) -> Client:
    return signed_in_client(alice)


def test_three_bad_rows_in_two_hundred_are_each_named_and_nothing_is_written(comms_client: Client) -> None:
    rows = spreadsheet_rows()
    rows[5][0] = "Facebok"  # row 7 in the spreadsheet (the header is row 1)
    rows[7] = [
        "Instagram",
        "facebook.com/inte-instagram",
        "Fel",
        "Vara bibliotek",
        "Syfte",
        "",
        "erik",
        "bob",
    ]  # row 9
    rows[150][3] = "Okänd enhet"  # row 152
    response = upload(comms_client, "konton.csv", as_csv(rows))
    assert response.status_code == 422
    errors = response.context["plan"].errors
    assert errors == [
        "rad 7: okänd plattform 'Facebok'",
        "rad 9: webbadressen är inte en Instagram-profil",
        "rad 152: okänd enhet 'Okänd enhet'",
    ]
    assert "Ingenting har importerats" in response.content.decode()
    assert not Account.objects.exists()


def test_the_fixed_file_imports_two_hundred_accounts_and_again_none(comms_client: Client) -> None:
    content = as_xlsx(spreadsheet_rows())
    preview = upload(comms_client, "konton.xlsx", content)
    assert preview.status_code == 200
    assert len(preview.context["plan"].to_create) == 200
    assert not Account.objects.exists()  # the preview writes nothing
    done = comms_client.post(reverse("registry:import"), {"confirm": "1"})
    assert done.status_code == 302
    assert Account.objects.count() == 200
    assert Account.objects.filter(status=Account.Status.ACTIVE).count() == 200

    again = upload(comms_client, "konton.xlsx", content)
    assert again.context["plan"].to_create == []
    assert len(again.context["plan"].already_registered) == 200
    assert "redan registrerade" in again.content.decode()
    assert Account.objects.count() == 200


def test_a_profile_twice_in_one_file_is_an_error(comms_client: Client) -> None:
    rows = spreadsheet_rows(3)
    rows.append(list(rows[0]))
    response = upload(comms_client, "konton.csv", as_csv(rows, delimiter=","))
    assert response.context["plan"].errors == ["rad 5: samma profil som rad 2"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("konton.pdf", b"%PDF-1.4", "Ladda upp en CSV- eller XLSX-fil."),
        ("konton.xlsx", b"PK\x03\x04 not really a zip", "Filen är inte en läsbar XLSX-fil."),
        ("konton.csv", b"", "Den skickade filen är tom."),
        (
            "konton.csv",
            b"Namn;Adress\nVara;x.com/vara\n",
            "Första raden ska ange kolumnernas namn; saknas: plattform, enhet, syfte.",
        ),
        (
            "konton.csv",
            b"x" * (importing.max_file_bytes() + 1),
            "MB (ACCOUNT_SPREADSHEET_MAX_BYTES).",
        ),
    ],
    ids=["wrong-type", "broken-xlsx", "empty", "missing-columns", "too-large"],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(
    comms_client: Client, name: str, content: bytes, message: str
) -> None:
    response = upload(comms_client, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Account.objects.exists()


def test_a_spreadsheet_that_unpacks_to_gigabytes_is_refused(comms_client: Client) -> None:

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (150 * 1024 * 1024))
    response = upload(comms_client, "bomb.xlsx", buffer.getvalue())
    assert "packas upp till mycket mer" in response.content.decode()


def test_a_windows_spreadsheet_in_cp1252_reads_its_swedish_letters(comms_client: Client) -> None:
    content = as_csv(spreadsheet_rows(2)).decode("utf-8-sig").encode("cp1252")
    response = upload(comms_client, "konton.csv", content)
    assert response.context["plan"].errors == []
    assert len(response.context["plan"].to_create) == 2


def with_sheet(make_sheet: Callable[[bytes], bytes], *, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A one-row spreadsheet whose first sheet is rewritten by ``make_sheet`` (given its XML after
    the declaration) and stored under ``name`` (the workbook's relation points at it)."""
    original = zipfile.ZipFile(io.BytesIO(as_xlsx(spreadsheet_rows()[:1])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as hostile:
        for member in original.infolist():
            content = original.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                hostile.writestr(name, make_sheet(content.split(b"?>", 1)[-1]))
                continue
            if member.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", name.removeprefix("xl/").encode())
            hostile.writestr(member, content)
    return buffer.getvalue()


def billion_laughs(body: bytes) -> bytes:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE worksheet ['
        + entities
        + b"]>"
        + body.replace(b"<sheetData>", b"<sheetData>&lol9;", 1)
    )


def external_entity(body: bytes) -> bytes:
    return b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>' + (
        body.replace(b"<sheetData>", b"<sheetData>&secret;", 1)
    )


def outside_dtd(body: bytes) -> bytes:
    return b'<?xml version="1.0"?>\n<!DOCTYPE worksheet SYSTEM "http://127.0.0.1:9/sheet.dtd">' + body


def plain_dtd(body: bytes) -> bytes:
    return b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ELEMENT worksheet ANY>]>' + body


def laughs_in_utf16(body: bytes) -> bytes:
    """The same bomb in UTF-16, which no search for the bytes "<!DOCTYPE" finds."""
    return (
        billion_laughs(body)
        .decode()
        .replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')
        .encode("utf-16")
    )


@pytest.mark.parametrize(
    ("make_sheet", "name", "message"),
    [
        (billion_laughs, "xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml definierar entiteten ”lol0”"),
        (
            external_entity,
            "xl/worksheets/sheet1.xml",
            "definierar den externa entiteten ”secret” (file:///etc/passwd)",
        ),
        (
            outside_dtd,
            "xl/worksheets/sheet1.xml",
            "hänvisar till ett dokument utanför (http://127.0.0.1:9/sheet.dtd)",
        ),
        (plain_dtd, "xl/worksheets/sheet1.xml", "anger en dokumenttyp (DTD)"),
        (laughs_in_utf16, "xl/worksheets/sheet1.xml", "definierar entiteten ”lol0”"),
        (billion_laughs, "xl/media/image1.png", "xl/media/image1.png definierar entiteten ”lol0”"),
    ],
    ids=["billion-laughs", "external-entity", "outside-dtd", "dtd", "utf-16", "named-as-a-picture"],
)
def test_a_spreadsheet_with_entities_or_a_dtd_is_refused_unread_naming_the_problem(
    comms_client: Client, make_sheet: Callable[[bytes], bytes], name: str, message: str
) -> None:
    """Entity expansion (a billion laughs) and external entities need a DTD; each is refused by
    defusedxml before openpyxl reads the file, with a message naming the part and the problem."""
    audited = AuditEntry.objects.count()

    response = upload(comms_client, "konton.xlsx", with_sheet(make_sheet, name=name))

    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())
    assert "avvisas oläst" in html.unescape(response.content.decode())
    assert not Account.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_a_spreadsheet_whose_sheet_is_not_xml_is_refused_as_unreadable(comms_client: Client) -> None:
    response = upload(comms_client, "konton.xlsx", with_sheet(lambda body: b"<worksheet><sheetData>"))

    assert response.status_code == 422
    assert "xl/worksheets/sheet1.xml är inte välformad XML (rad 1" in html.unescape(response.content.decode())
    assert not Account.objects.exists()


def test_the_same_spreadsheet_without_a_dtd_reads_its_row(comms_client: Client) -> None:
    """The hostile files above differ from a readable one only in what they add."""
    response = upload(comms_client, "konton.xlsx", with_sheet(lambda body: b'<?xml version="1.0"?>\n' + body))

    assert response.status_code == 200
    assert len(response.context["plan"].to_create) == 1


def test_the_limits_are_settings_and_a_file_past_one_is_refused_naming_it(
    comms_client: Client, settings
) -> None:
    settings.ACCOUNT_SPREADSHEET_MAX_ROWS = 2
    response = upload(comms_client, "konton.csv", as_csv(spreadsheet_rows(3), delimiter=","))
    assert response.status_code == 422
    assert "Filen har fler än 2 rader." in response.content.decode()
    settings.ACCOUNT_SPREADSHEET_MAX_BYTES = 100
    response = upload(comms_client, "konton.csv", as_csv(spreadsheet_rows(3), delimiter=","))
    assert "Filen är större än 100\xa0byte (ACCOUNT_SPREADSHEET_MAX_BYTES)." in response.content.decode()
    assert not Account.objects.exists()
