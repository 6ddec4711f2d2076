"""The front-doors contract that ``make test`` holds the apps to (.importlinter): an app may use
another app's services, selectors, policies and the modules named public, nothing else; a known
trespass is tolerated only while it still exists, so the list of them can only shrink."""

from __future__ import annotations

from typing import Any

import grimp
import pytest
from importlinter.domain.helpers import MissingImport

from tests.front_doors import FrontDoorsContract


def graph_with(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for module in ("sigill", "sigill.core", "sigill.organisation"):
        graph.add_module(module)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=7, line_contents="import")
    return graph


def front_doors(**options: Any) -> FrontDoorsContract:
    return FrontDoorsContract(
        name="Front doors",
        session_options={},
        contract_options={
            "apps": ["sigill.core", "sigill.organisation"],
            "front_doors": ["services", "selectors", "policies"],
            "public_modules": ["sigill.core.audit"],
            **options,
        },
    )


def trespasses(contract: FrontDoorsContract, graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    check = contract.check(graph, verbose=False)
    return [(trespass.importer, trespass.imported) for trespass in check.metadata["trespasses"]]


def test_an_app_may_use_another_apps_front_doors_and_its_public_modules() -> None:
    graph = graph_with(
        ("sigill.organisation.views", "sigill.core.selectors"),
        ("sigill.organisation.services", "sigill.core.audit"),
        ("sigill.organisation.services", "sigill.organisation.models"),
    )
    assert trespasses(front_doors(), graph) == []


def test_the_ground_floor_reading_the_organisations_models_breaks_the_contract() -> None:
    graph = graph_with(("sigill.core.audit_policy", "sigill.organisation.models"))
    assert trespasses(front_doors(), graph) == [("sigill.core.audit_policy", "sigill.organisation.models")]


def test_a_known_trespass_is_tolerated_but_a_new_one_is_not() -> None:
    known = front_doors(ignore_imports=["sigill.organisation.views -> sigill.core.models"])
    graph = graph_with(
        ("sigill.organisation.views", "sigill.core.models"),
        ("sigill.organisation.forms", "sigill.core.models"),
    )
    assert trespasses(known, graph) == [("sigill.organisation.forms", "sigill.core.models")]


def test_a_mended_trespass_left_on_the_list_fails_the_check() -> None:
    known = front_doors(ignore_imports=["sigill.organisation.views -> sigill.core.models"])
    with pytest.raises(MissingImport, match=r"sigill\.organisation\.views -> sigill\.core\.models"):
        known.check(graph_with(), verbose=False)
