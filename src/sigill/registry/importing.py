"""Import of the spreadsheet of accounts that comms kept before Sigill.

Reading is separate from writing: ``read_spreadsheet`` turns a CSV or XLSX file into rows,
``plan_import`` checks every row and says what would happen, and only a plan without a single
error may be carried out (``registry.services.import_accounts``). Errors name the row as the
spreadsheet program shows it (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sigill.core import safe_xml
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account, Platform, Purpose
from sigill.registry.profile_urls import read_profile
from sigill.registry.services import AccountData, ImportPlan, PlannedAccount


def max_file_bytes() -> int:
    return int(settings.ACCOUNT_SPREADSHEET_MAX_BYTES)


def max_rows() -> int:
    return int(settings.ACCOUNT_SPREADSHEET_MAX_ROWS)


# Column names as people write them (Swedish first), mapped to the field they fill.
COLUMNS = {
    "plattform": "platform",
    "platform": "platform",
    "adress": "profile_url",
    "webbadress": "profile_url",
    "url": "profile_url",
    "namn": "display_name",
    "name": "display_name",
    "enhet": "unit",
    "unit": "unit",
    "syfte": "purpose_statement",
    "purpose": "purpose_statement",
    "syftesområden": "purposes",
    "purposes": "purposes",
    "målgrupp": "target_audience",
    "audience": "target_audience",
    "ansvarig": "responsible",
    "responsible": "responsible",
    "ersättare": "deputy",
    "deputy": "deputy",
    "status": "status",
}
REQUIRED = ("platform", "profile_url", "display_name", "unit", "purpose_statement")
STATUS_WORDS = {
    "planerat": Account.Status.PLANNED,
    "planned": Account.Status.PLANNED,
    "under uppbyggnad": Account.Status.SETTING_UP,
    "aktivt": Account.Status.ACTIVE,
    "aktiv": Account.Status.ACTIVE,
    "active": Account.Status.ACTIVE,
    "vilande": Account.Status.PAUSED,
    "pausat": Account.Status.PAUSED,
    "paused": Account.Status.PAUSED,
}


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why, in Swedish."""


def read_spreadsheet(name: str, content: bytes) -> list[dict[str, str]]:
    """The data rows of a CSV or XLSX file as {field: text}, in order (row 2 first)."""
    if len(content) > max_file_bytes():
        raise SpreadsheetError(
            _("The file is larger than %(size)s (ACCOUNT_SPREADSHEET_MAX_BYTES).")
            % {"size": filesizeformat(max_file_bytes())}
        )
    if name.lower().endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif name.lower().endswith((".csv", ".txt")):
        table = _csv_rows(content)
    else:
        raise SpreadsheetError(_("Upload a CSV or XLSX file."))
    if not table:
        raise SpreadsheetError(_("The file is empty."))
    header = [COLUMNS.get(str(cell).strip().casefold(), "") for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        names = {value: key for key, value in reversed(list(COLUMNS.items()))}
        raise SpreadsheetError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(names[column] for column in missing)}
        )
    if len(table) - 1 > max_rows():
        raise SpreadsheetError(_("The file has more than %(max)d rows.") % {"max": max_rows()})
    return [
        {
            field_name: str(cell or "").strip()
            for field_name, cell in zip(header, row, strict=False)
            if field_name
        }
        for row in table[1:]
    ]


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise SpreadsheetError(_("The file's characters cannot be read; save it as UTF-8."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    # Imported here: openpyxl is large and only an XLSX upload needs it.
    from openpyxl import load_workbook

    try:
        # A spreadsheet is a zip file: refuse one that would unpack to far more than it weighs.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > settings.ACCOUNT_SPREADSHEET_MAX_UNPACK_RATIO * max_file_bytes():
                raise SpreadsheetError(_("The file unpacks to far more than it weighs; it is refused."))
            # Every XML part is read through defusedxml first, with entities and DTDs refused, so
            # openpyxl (which uses defusedxml too) never meets one.
            for member in archive.infolist():
                if _is_xml(archive, member):
                    with archive.open(member) as part:
                        safe_xml.check_xml(part, part=member.filename)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > max_rows() + 1:
                break
            cells = ["" if cell is None else str(cell) for cell in row]
            if any(cell.strip() for cell in cells):
                rows.append(cells)
        workbook.close()
    except safe_xml.UnsafeXmlError as refused:
        raise SpreadsheetError(str(refused)) from refused
    # A parser's error (SyntaxError) or a part openpyxl does not expect, read lazily by iter_rows.
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, IndexError) as exc:
        raise SpreadsheetError(_("The file is not a readable XLSX file.")) from exc
    return rows


# How an XML part starts: "<", after a UTF-8 byte order mark or white space, or in UTF-16.
_XML_STARTS = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<")


def _is_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether a part of the spreadsheet is XML, by its name or, whatever it is named (a part is
    found through the relations, not its name), by how it starts."""
    if member.filename.lower().endswith((".xml", ".rels", ".vml")):
        return True
    with archive.open(member) as part:
        return part.read(64).lstrip().startswith(_XML_STARTS)


@dataclass
class _Lookups:
    """Everything a row refers to, read once for the whole file."""

    platforms: dict[str, Platform]
    units: dict[str, Unit]
    purposes: dict[str, Purpose]
    people: dict[str, User]

    @classmethod
    def load(cls) -> _Lookups:
        platforms = {}
        for platform in Platform.objects.all():
            platforms[platform.slug.casefold()] = platform
            platforms[platform.name.casefold()] = platform
        units = {}
        for unit in Unit.objects.all():
            units[unit.slug.casefold()] = unit
            units[unit.name.casefold()] = unit
        purposes = {}
        for purpose in Purpose.objects.all():
            purposes[purpose.code.casefold()] = purpose
            purposes[purpose.name.casefold()] = purpose
        people = {}
        for person in User.objects.filter(is_active=True):
            people[person.username.casefold()] = person
            if person.email:
                people[person.email.casefold()] = person
        return cls(platforms=platforms, units=units, purposes=purposes, people=people)


def plan_import(rows: Iterable[dict[str, str]]) -> ImportPlan:
    """Check every row; collect every error rather than stopping at the first."""
    lookups = _Lookups.load()
    registered = set(Account.objects.values_list("platform_id", "handle"))
    seen: dict[tuple[int, str], int] = {}
    plan = ImportPlan()
    for number, row in enumerate(rows, start=2):
        errors_before = len(plan.errors)
        planned = _plan_row(number, row, lookups, plan.errors)
        if planned is None or len(plan.errors) > errors_before:
            continue
        profile = read_profile(planned.data.platform, planned.data.profile_url)
        if profile is None:  # _plan_row has reported it
            continue
        key = (planned.data.platform.pk, profile.handle)
        if key in registered:
            plan.already_registered.append(number)
        elif key in seen:
            plan.errors.append(
                _("row %(row)d: the same profile as row %(other)d") % {"row": number, "other": seen[key]}
            )
        else:
            seen[key] = number
            plan.to_create.append(planned)
    return plan


def _plan_row(
    number: int, row: dict[str, str], lookups: _Lookups, errors: list[str]
) -> PlannedAccount | None:
    def fail(message: str, **values: Any) -> None:
        errors.append(message % {"row": number, **values})

    for column in REQUIRED:
        if not row.get(column):
            fail(_("row %(row)d: “%(column)s” is empty"), column=_column_name(column))
    platform = lookups.platforms.get(row.get("platform", "").casefold())
    if row.get("platform") and platform is None:
        fail(_("row %(row)d: unknown platform '%(value)s'"), value=row["platform"])
    unit = lookups.units.get(row.get("unit", "").casefold())
    if row.get("unit") and unit is None:
        fail(_("row %(row)d: unknown unit '%(value)s'"), value=row["unit"])
    if platform is not None and row.get("profile_url") and read_profile(platform, row["profile_url"]) is None:
        fail(_("row %(row)d: the address is not a %(platform)s profile"), platform=platform.name)
    purposes = []
    for word in filter(None, (part.strip() for part in row.get("purposes", "").replace(";", ",").split(","))):
        purpose = lookups.purposes.get(word.casefold())
        if purpose is None:
            fail(_("row %(row)d: unknown purpose category '%(value)s'"), value=word)
        else:
            purposes.append(purpose)
    people: dict[str, User | None] = {}
    for column in ("responsible", "deputy"):
        value = row.get(column, "")
        people[column] = lookups.people.get(value.casefold()) if value else None
        if value and people[column] is None:
            fail(_("row %(row)d: no active user '%(value)s'"), value=value)
    status = _status(row.get("status", ""), people)
    if status is None:
        fail(_("row %(row)d: unknown status '%(value)s'"), value=row.get("status", ""))
    elif status in Account.STAFFED_STATUSES and not (people["responsible"] and people["deputy"]):
        fail(_("row %(row)d: a live account needs a responsible person and a deputy"))
    if people["responsible"] is not None and people["responsible"] == people["deputy"]:
        fail(_("row %(row)d: the deputy must be someone other than the responsible person"))
    if platform is None or unit is None or status is None:
        return None
    data = AccountData(
        platform=platform,
        profile_url=row["profile_url"],
        display_name=row["display_name"],
        unit=unit,
        purposes=purposes,
        purpose_statement=row["purpose_statement"],
        target_audience=row.get("target_audience", ""),
        responsible=people["responsible"],
        deputy=people["deputy"],
    )
    return PlannedAccount(row=number, data=data, status=status)


def _status(value: str, people: dict[str, User | None]) -> str | None:
    if not value:
        # Today's spreadsheet lists accounts that are in use; without people they are only planned.
        staffed = people["responsible"] is not None and people["deputy"] is not None
        return Account.Status.ACTIVE if staffed else Account.Status.PLANNED
    return STATUS_WORDS.get(value.casefold())


def _column_name(field_name: str) -> str:
    return next(name for name, target in COLUMNS.items() if target == field_name)
