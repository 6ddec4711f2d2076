"""Demo data for the guidelines: Vara kommun's guideline, version 1, and the editors' acknowledgements."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sigill.guidelines import selectors
from sigill.guidelines.models import Acknowledgement, GuidelineVersion
from sigill.organisation.models import User

IN_FORCE_FROM = dt.date(2024, 2, 21)
NOT_YET_ACKNOWLEDGED = "ahmed.yilmaz"

CHANGE_SUMMARY = (
    "Första versionen. Ersätter kommunikationsavdelningens tidigare rutin för sociala medier och "
    "samlar syfte, roller, moderering, allmänna handlingar och privata konton i ett dokument."
)

BODY = """\
# Riktlinje för sociala medier i Vara kommun

Beslutad av kommunstyrelsen. Gäller alla förvaltningar, bolag och verksamheter som använder sociala
medier i kommunens namn.

## 1. Syfte

Vara kommun använder sociala medier för att informera, föra dialog med invånarna, nå ut vid kriser
och visa upp kommunen som arbetsgivare och plats att bo på. Varje konto ska ha ett tydligt syfte
och en målgrupp. Ett konto som inte längre fyller sitt syfte stängs.

## 2. Konton och roller

- **Kommunikationsavdelningen** godkänner nya konton, förvaltar inloggningsuppgifterna och ger
  och tar bort behörigheter.
- **Verksamhetschefen** förankrar ansökan om ett nytt konto och ansvarar för att verksamheten
  har tid att sköta det.
- **Redaktören** publicerar, svarar och modererar på de konton hen har tilldelats. Innan du blir
  redaktör läser du denna riktlinje och bekräftar det i Sigill.
- Varje konto har en ansvarig person och en ersättare.

Nya konton söks via e-tjänsten i Sigill. Alla officiella konton finns i kommunens förteckning på
webbplatsen.

## 3. Avsändare och profil

Kommunen ska alltid vara en tydlig avsändare. Profilen visar kommunens namn och logotyp enligt
den grafiska profilen, kontaktuppgifter, kontots syfte, vad kommentarerna är till för, att inlägg
blir allmänna handlingar, vad som inte är tillåtet och hur man anmäler en kommentar.

## 4. Moderering

Redaktören går igenom kontot varje arbetsdag. Inlägg och kommentarer som är uppenbart olagliga –
till exempel olaga hot, hets mot folkgrupp, olaga integritetsintrång eller barnpornografi – tas bort
direkt och polisanmäls vid behov. Även personangrepp, kränkande personuppgifter, spam och reklam tas
bort. **Spara alltid en kopia innan du tar bort något**: att ta bort från plattformen är inte gallring.

## 5. Allmänna handlingar

Allt som publiceras på kommunens konton, även kommentarer och meddelanden, är allmänna handlingar.
Sigill sparar dem. Frågor som rör ett enskilt ärende eller innehåller sekretessuppgifter flyttas
till en säker kanal och registreras.

## 6. Privata konton

Använd aldrig ditt privata konto i tjänsten. Får du en arbetsfråga privat i sociala medier,
vidarebefordra den till kommunens officiella kanal via Sigill, så att den registreras och besvaras.

## 7. Uppföljning

Kommunikationsavdelningen ser över alla konton och behörigheter en gång om året och uppdaterar
denna riktlinje vid behov. En ny version ska bekräftas av alla redaktörer.
"""


@transaction.atomic
def seed() -> None:
    """Publish version 1 (once) and let the demo editors acknowledge it."""
    comms = User.objects.get(username="comms")
    version = GuidelineVersion.objects.filter(number=1).first()
    if version is None:
        version = GuidelineVersion.objects.create(
            number=1,
            title="Riktlinje för sociala medier",
            body=BODY,
            change_summary=CHANGE_SUMMARY,
            in_force_from=IN_FORCE_FROM,
            published_by=comms,
            # The demo starts long after version 1 came into force: no reminder goes out now.
            reminders_sent_at=dt.datetime(2024, 2, 21, 7, 0, tzinfo=dt.UTC),
        )
    # One demo editor has not yet acknowledged, so the follow-up report has someone in it.
    for person in selectors.editors().exclude(username=NOT_YET_ACKNOWLEDGED):
        Acknowledgement.objects.get_or_create(
            version=version,
            user=person,
            defaults={"acknowledged_at": dt.datetime(2024, 2, 26, 9, 30, tzinfo=dt.UTC)},
        )
