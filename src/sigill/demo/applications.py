"""Demo applications for new accounts, one in every state (all invented)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sigill.applications import services
from sigill.applications.models import Application
from sigill.organisation.models import Unit, User
from sigill.registry.models import Platform, Purpose

BASE: dict[str, Any] = {
    "target_audience": "Familjer med barn i Vara",
    "content_plan": "Två inlägg i veckan om aktiviteter, tre korta filmer i månaden.",
    "publishers": "Två fritidsledare på enheten, efter utbildning hos kommunikationsavdelningen.",
    "hours_per_week": Decimal("4.0"),
    "moderation_plan": "Kommentarer läses varje vardag kl. 8 och 15; helger och helgdagar läser en fritidsledare på jour en gång per dag.",
    "crisis_plan": "Vid kris delar vi bara kommunens huvudkanaler och pausar egna inlägg.",
    "ending_plan": "Kontot avslutas om det inte nått 300 följare efter ett år, efter slutarkivering.",
}

# (name, address, platform, unit, applicant, responsible, deputy, steps: [(action, actor, comment)])
APPLICATIONS = [
    ("Vara fritidsgårdar", "varafritid", "instagram", "kultur-fritid", "employee", "employee", "editor", []),
    (
        "Simhallen i Vara",
        "varasimhall",
        "facebook",
        "kultur-fritid",
        "employee",
        "employee",
        "editor",
        [("submit", "employee", "")],
    ),
    (
        "Nästegårdsskolans elevråd",
        "nastegardelevrad",
        "tiktok",
        "nastegardsskolan",
        "employee",
        "employee",
        "unit_manager",
        [
            ("submit", "employee", ""),
            ("return", "unit_manager", "Beskriv hur ni skyddar elevernas personuppgifter."),
        ],
    ),
    (
        "Vara konserthus",
        "varakonserthus",
        "instagram",
        "kultur-fritid",
        "editor",
        "editor",
        "employee",
        [("submit", "editor", ""), ("anchor", "unit_manager", "Förankrat med kulturchefen.")],
    ),
    (
        "Vara stadsbibliotek på YouTube",
        "varastadsbibliotek",
        "youtube",
        "bibliotek",
        "editor",
        "editor",
        "unit_manager",
        [
            ("submit", "editor", ""),
            ("anchor", "unit_manager", ""),
            ("approve", "comms", "Välkommet tillskott."),
        ],
    ),
    (
        "Skolmaten i Vara",
        "skolmaten.vara",
        "facebook",
        "grundskola",
        "employee",
        "employee",
        "unit_manager",
        [
            ("submit", "employee", ""),
            ("anchor", "unit_manager", ""),
            ("reject", "comms", "Skolmaten presenteras redan på kommunens huvudkonto."),
        ],
    ),
    (
        "Vara ungdomsråd",
        "varaungdomsrad",
        "snapchat",
        "kultur-fritid",
        "employee",
        "employee",
        "editor",
        [("submit", "employee", ""), ("withdraw", "employee", "Vi använder kommunens konto i stället.")],
    ),
]


@transaction.atomic
def seed() -> None:
    if Application.objects.exists():
        return
    people = {user.username: user for user in User.objects.all()}
    units = {unit.slug: unit for unit in Unit.objects.all()}
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    purposes = list(Purpose.objects.filter(code__in=["dialogue", "news"]))
    for age, row in enumerate(APPLICATIONS):
        name, address, platform, unit, applicant, responsible, deputy, steps = row
        data = services.ApplicationData(
            platform=platforms[platform],
            proposed_name=name,
            proposed_address=address,
            unit=units[unit],
            purposes=purposes,
            purpose_statement=f"{name} berättar om verksamheten och svarar på frågor.",
            responsible=people[responsible],
            deputy=people[deputy],
            **BASE,
        )
        application = services.save_draft(data=data, by=people[applicant])
        for action, actor, comment in steps:
            services.take_step(application=application, action=action, by=people[actor], comment=comment)
            application.refresh_from_db()
        # Spread the demo over the past weeks so "days in state" and lead times say something.
        past = timezone.now() - dt.timedelta(days=3 * (len(APPLICATIONS) - age))
        Application.objects.filter(pk=application.pk).update(created_at=past - dt.timedelta(days=2))
