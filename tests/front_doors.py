"""The import-linter contract for the apps' front doors (DESIGN.md §3), named in .importlinter.

An app reaches into another only through that app's front door: its ``services`` (writes),
``selectors`` (reads) and ``policies`` (permissions), and the few other modules the contract lists
as public (``public_modules``: an interface another app registers into, a dataclass it hands in).
Every other module of an app (``models``, ``forms``, ``tasks``, ...) is private to that app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


@dataclass(frozen=True, order=True)
class Trespass:
    importer: str
    imported: str
    lines: tuple[int, ...]


class FrontDoorsContract(Contract):
    """``apps``: the apps whose doors are held; ``front_doors``: the module names that are every
    app's front door; ``public_modules``: further modules, named in full, that other apps may import;
    ``ignore_imports``: the known trespasses still to be mended (an entry that no longer matches an
    import fails the check, so the list can only shrink)."""

    type_name = "front_doors"

    apps = fields.ListField(subfield=fields.StringField())
    front_doors = fields.SetField(subfield=fields.StringField())
    public_modules = fields.SetField(subfield=fields.StringField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        apps: list[str] = self.apps  # type: ignore[assignment]
        trespasses = sorted(
            Trespass(importer, imported, self._lines(graph, importer, imported))
            for app in apps
            for imported in sorted(graph.find_descendants(app))
            if not self._is_public(app, imported)
            for importer in graph.find_modules_that_directly_import(imported)
            if _app_of(importer, apps) not in (None, app)
        )
        return ContractCheck(
            kept=not trespasses,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"trespasses": trespasses},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Imports of another app's private module (not its front door):", bold=False)
        output.new_line()
        for trespass in check.metadata["trespasses"]:
            lines = ", ".join(map(str, trespass.lines))
            output.print_error(f"- {trespass.importer} -> {trespass.imported} (l.{lines})", bold=False)
        output.new_line()
        output.print(
            "Read or write through the app's services, selectors or policies instead; "
            "a module that must be public is named in public_modules."
        )

    def _is_public(self, app: str, module: str) -> bool:
        doors: set[str] = self.front_doors  # type: ignore[assignment]
        public: set[str] = self.public_modules or set()  # type: ignore[assignment]
        door = module.removeprefix(f"{app}.").split(".")[0]
        return door in doors or any(module == name or module.startswith(f"{name}.") for name in public)

    @staticmethod
    def _lines(graph: grimp.ImportGraph, importer: str, imported: str) -> tuple[int, ...]:
        details: list[Any] = graph.get_import_details(importer=importer, imported=imported)
        return tuple(detail["line_number"] for detail in details)


def _app_of(module: str, apps: list[str]) -> str | None:
    return next((app for app in apps if module == app or module.startswith(f"{app}.")), None)
