"""Reading a file of units (CSV) and working out what importing it would change, without writing.

The file has a header line and one unit a line (docs/units.example.csv):

* ``code``: the unit's short name (lower-case letters, digits and hyphens), unique; it is how
  the file names a unit, so importing the same file again changes nothing;
* ``name``: the unit's name;
* ``parent_code``: the code of the unit it is part of, in the file or already in Sigill; empty
  for an administration (förvaltning) at the top of the tree;
* ``kind`` (optional): ``förvaltning``, ``avdelning`` or ``enhet`` (or ``administration``,
  ``department``, ``section``). Left out, a unit at the top is an administration, a unit below an
  administration a department, and a unit below a department a section.

Commas or semicolons separate the columns (spreadsheets in Swedish write semicolons). A unit that
already exists keeps its kind; its name and place in the tree follow the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from sigill.organisation.models import Unit


def max_file_bytes() -> int:
    return int(settings.UNITS_FILE_MAX_BYTES)


# NUL and the other control characters but tab: no database or XML can hold them all.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\ud800-\udfff\ufffe\uffff]")
COLUMNS = ("code", "name", "parent_code", "kind")
KIND_WORDS = {
    "förvaltning": Unit.Kind.ADMINISTRATION,
    "administration": Unit.Kind.ADMINISTRATION,
    "avdelning": Unit.Kind.DEPARTMENT,
    "department": Unit.Kind.DEPARTMENT,
    "enhet": Unit.Kind.SECTION,
    "section": Unit.Kind.SECTION,
}
# Which kind of unit may sit directly below which (none may sit below a section).
ALLOWED_PARENT_KINDS: dict[str, set[str]] = {
    Unit.Kind.ADMINISTRATION: set(),
    Unit.Kind.DEPARTMENT: {Unit.Kind.ADMINISTRATION},
    Unit.Kind.SECTION: {Unit.Kind.ADMINISTRATION, Unit.Kind.DEPARTMENT},
}
_DEFAULT_KIND_BELOW = {
    None: Unit.Kind.ADMINISTRATION,
    Unit.Kind.ADMINISTRATION: Unit.Kind.DEPARTMENT,
    Unit.Kind.DEPARTMENT: Unit.Kind.SECTION,
}


@dataclass
class UnitRow:
    line: int
    code: str
    name: str
    parent_code: str
    kind: str = ""
    depth: int = 0
    existing: Unit | None = None


@dataclass
class UnitPlan:
    """What importing the file does: rows to create, rename and move, in an order (parents first)
    in which doing them one by one keeps the tree whole."""

    rows: list[UnitRow] = field(default_factory=list)

    @property
    def created(self) -> list[UnitRow]:
        return [row for row in self.rows if row.existing is None]

    @property
    def renamed(self) -> list[UnitRow]:
        return [row for row in self.rows if row.existing is not None and row.existing.name != row.name]

    @property
    def moved(self) -> list[UnitRow]:
        return [
            row
            for row in self.rows
            if row.existing is not None and _parent_code(row.existing) != row.parent_code
        ]

    @property
    def unchanged(self) -> int:
        changed = {row.code for row in (*self.renamed, *self.moved)}
        return sum(1 for row in self.rows if row.existing is not None and row.code not in changed)


class UnitFileError(Exception):
    """The file cannot be imported; ``problems`` says why, line by line (line 0: the whole file)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))
        self.problems = sorted(problems)


def _parent_code(unit: Unit) -> str:
    return unit.parent.slug if unit.parent_id and unit.parent else ""


def decode(data: bytes) -> str:
    if len(data) > max_file_bytes():
        limit = filesizeformat(max_file_bytes())
        raise UnitFileError(
            [(0, _("The file is larger than %(size)s (UNITS_FILE_MAX_BYTES).") % {"size": limit})]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnitFileError(
            [(0, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))]
        ) from exc


def read_rows(text: str) -> list[UnitRow]:
    """The file's rows, or a UnitFileError naming each line that is wrong."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("code", "name") if name not in header]
    if missing:
        raise UnitFileError(
            [(1, _("The first line must name the columns: code, name, parent_code (and optionally kind)."))]
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise UnitFileError([(1, _("Unknown column “%(name)s”.") % {"name": unknown[0]})])
    reader.fieldnames = header
    rows: list[UnitRow] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    records: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            records.append((reader.line_num, record))
    except csv.Error as exc:  # a field longer than the csv module's limit, a stray quote
        problem = _("The line cannot be read as CSV (%(error)s).") % {"error": exc}
        raise UnitFileError([(reader.line_num + 1, problem)]) from exc  # the line it broke on
    for line, record in records:
        values = {name: (record.get(name) or "").strip() for name in COLUMNS}
        if not any(values.values()):
            continue
        row = UnitRow(line=line, code=values["code"], name=values["name"], parent_code=values["parent_code"])
        problem = _row_problem(row, values["kind"], seen)
        if problem:
            problems.append((line, problem))
            continue
        seen[row.code] = line
        rows.append(row)
    if problems:
        raise UnitFileError(problems)
    if not rows:
        raise UnitFileError([(0, _("The file holds no units."))])
    return rows


def _row_problem(row: UnitRow, kind: str, seen: dict[str, int]) -> str:
    if not row.code:
        return _("The code is missing.")
    try:
        validate_slug(row.code)
    except ValidationError:
        return _("The code “%(code)s” may hold only letters a–z, digits, hyphens and underscores.") % {
            "code": row.code
        }
    if len(row.code) > 80:
        return _("The code is longer than 80 characters.")
    if row.code in seen:
        return _("The code “%(code)s” is already on line %(line)d.") % {
            "code": row.code,
            "line": seen[row.code],
        }
    if not row.name:
        return _("The name is missing.")
    if _CONTROL.search(row.name):
        return _("The name holds a control character (such as NUL) that cannot be stored.")
    if len(row.name) > 200:
        return _("The name is longer than 200 characters.")
    if row.parent_code == row.code:
        return _("A unit cannot be part of itself.")
    if kind:
        if kind.lower() not in KIND_WORDS:
            return _("Unknown kind “%(kind)s”: write förvaltning, avdelning or enhet.") % {"kind": kind}
        row.kind = KIND_WORDS[kind.lower()]
    return ""


def plan(rows: list[UnitRow]) -> UnitPlan:
    """Match ``rows`` with the units already in Sigill and check the tree they make together."""
    existing = {unit.slug: unit for unit in Unit.objects.select_related("parent")}
    in_file = {row.code: row for row in rows}
    problems: list[tuple[int, str]] = []
    for row in rows:
        row.existing = existing.get(row.code)
        if row.parent_code and row.parent_code not in in_file and row.parent_code not in existing:
            problems.append(
                (row.line, _("There is no unit with the code “%(code)s”.") % {"code": row.parent_code})
            )
    if problems:
        raise UnitFileError(problems)

    def parent_of(code: str) -> str:
        return in_file[code].parent_code if code in in_file else _parent_code(existing[code])

    for row in rows:
        row.depth = _depth(row, parent_of)
        if row.depth < 0:
            problems.append((row.line, _("The unit is part of itself through its parents.")))
    if problems:
        raise UnitFileError(problems)
    ordered = sorted(rows, key=lambda row: row.depth)
    kinds = {slug: unit.kind for slug, unit in existing.items()}
    for row in ordered:
        if problem := _kind_problem(row, kinds, existing):
            problems.append((row.line, problem))
        kinds[row.code] = row.kind
    if problems:
        raise UnitFileError(problems)
    return UnitPlan(rows=ordered)


def _depth(row: UnitRow, parent_of: Callable[[str], str]) -> int:
    """How far ``row`` is from the top of the tree it would have; -1 if its parents loop."""
    seen = {row.code}
    code, depth = row.parent_code, 0
    while code:
        if code in seen:
            return -1
        seen.add(code)
        code, depth = parent_of(code), depth + 1
    return depth


def _kind_problem(row: UnitRow, kinds: dict[str, str], existing: dict[str, Unit]) -> str:
    parent_kind = kinds.get(row.parent_code) if row.parent_code else None
    if row.existing is not None:
        if row.kind and row.kind != row.existing.kind:
            return _("The unit already exists as a %(kind)s; its kind cannot change.") % {
                "kind": row.existing.get_kind_display().lower()
            }
        row.kind = row.existing.kind
    elif not row.kind:
        if parent_kind == Unit.Kind.SECTION:
            return _("A section (enhet) cannot have units below it.")
        row.kind = _DEFAULT_KIND_BELOW[parent_kind]  # type: ignore[index]
    parent = existing.get(row.parent_code)
    placed_anew = row.existing is None or _parent_code(row.existing) != row.parent_code
    if placed_anew and parent is not None and parent.is_closed:
        return _("“%(code)s” is closed and takes no new units.") % {"code": row.parent_code}
    return placement_problem(row.kind, parent_kind)


def placement_problem(kind: str, parent_kind: str | None) -> str:
    """Why a unit of ``kind`` cannot sit below a unit of ``parent_kind`` (None: at the top), or ''."""
    allowed = ALLOWED_PARENT_KINDS[kind]
    if parent_kind is None and allowed:
        return _("Only an administration (förvaltning) can be at the top of the tree; give a parent_code.")
    if parent_kind is not None and parent_kind not in allowed:
        return _("A %(kind)s cannot be placed below a %(parent)s.") % {
            "kind": str(Unit.Kind(kind).label).lower(),
            "parent": str(Unit.Kind(parent_kind).label).lower(),
        }
    return ""
