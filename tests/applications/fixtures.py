"""Application fixtures: Charlie (an employee at Nästegårdsskolan) applies; Bob manages the unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sigill.applications import services
from sigill.applications.models import Application
from sigill.organisation.models import Unit, User
from sigill.registry.models import Platform, Purpose


def complete_data(
    units: dict[str, Unit], responsible: User, deputy: User, **overrides: Any
) -> services.ApplicationData:
    fields: dict[str, Any] = {
        "platform": Platform.objects.get(slug="instagram"),
        "proposed_name": "Nästegårdsskolan",
        "proposed_address": "nastegardsskolan",
        "unit": units["nastegardsskolan"],
        "purposes": list(Purpose.objects.filter(code="news")),
        "purpose_statement": "Visar skolans vardag för vårdnadshavare.",
        "target_audience": "Vårdnadshavare",
        "content_plan": "Ett inlägg i veckan.",
        "publishers": "Två lärare.",
        "hours_per_week": Decimal("2"),
        "moderation_plan": "Kommentarer läses varje vardag; lov och helger av rektor.",
        "crisis_plan": "Pausas vid kris.",
        "ending_plan": "Avslutas om ingen publicerar under ett halvår.",
        "responsible": responsible,
        "deputy": deputy,
    }
    fields.update(overrides)
    return services.ApplicationData(**fields)


@pytest.fixture
def charlies_application(charlie: User, bob: User, units: dict[str, Unit]) -> Application:
    """A complete draft by Charlie, who is responsible himself with Bob as deputy."""
    return services.save_draft(data=complete_data(units, charlie, bob), by=charlie)


@pytest.fixture
def submitted(charlies_application: Application, charlie: User) -> Application:
    return services.submit(application=charlies_application, by=charlie)


@pytest.fixture
def anchored(submitted: Application, bob: User) -> Application:
    return services.anchor(application=submitted, by=bob)
