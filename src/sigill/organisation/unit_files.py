"""A units file read, checked and imported for a command (import_units, setup), errors by line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from sigill.organisation import services, unit_csv


def import_file(path: str) -> unit_csv.UnitPlan:
    """Read, check and import the units in ``path``, all or nothing; a CommandError names each bad line."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"{path} cannot be read: {exc.strerror}") from exc
    try:
        rows = unit_csv.read_rows(unit_csv.decode(data))
        return services.import_units(plan=unit_csv.plan(rows), by=None)
    except unit_csv.UnitFileError as exc:
        lines = "\n".join(
            f"  {path}, line {line}: {message}" if line else f"  {path}: {message}"
            for line, message in exc.problems
        )
        raise CommandError(f"Nothing was imported; the file has problems:\n{lines}") from exc


def summary(plan: unit_csv.UnitPlan) -> str:
    return (
        f"{len(plan.created)} created, {len(plan.renamed)} renamed, {len(plan.moved)} moved, "
        f"{plan.unchanged} unchanged."
    )
