"""Demo records: disclosure requests in every state, retention rules, a legal hold, a past
disposal and the closure of the account being wound down, its steps still open (all invented). Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.organisation.models import User
from sigill.records.models import AccountClosure, DisclosureRequest, DisposalRecord, LegalHold, RetentionRule
from sigill.records.services import closure, disclosure, retention
from sigill.registry.models import Account

DECISION = "Informationshanteringsplan för kommunstyrelsen, KS 2024/112, avsnitt 4.3"


def seed() -> None:
    registrar = User.objects.get(username="registrar")
    comms = User.objects.get(username="comms")
    with transaction.atomic():
        _rules(comms)
        _hold(registrar)
        _disposal(registrar)
        _requests(registrar)
        _closure(comms)


def _rules(comms: User) -> None:
    if RetentionRule.objects.exists():
        return
    retention.create_rule(
        by=comms, name="Egna inlägg bevaras", decision=DECISION, kind=Kind.POST, permanent=True
    )
    school = Account.objects.filter(handle="nastegardsskolan").first()
    retention.create_rule(
        by=comms, name="Direktmeddelanden från skolan", decision=DECISION, account=school, kind=Kind.MESSAGE,
        keep_months=24,
    )  # fmt: skip
    retention.create_rule(
        by=comms, name="Svar till invånare", decision=DECISION, kind=Kind.REPLY, keep_months=36
    )


def _hold(registrar: User) -> None:
    streets = Account.objects.filter(handle="varagataochpark").first()
    if LegalHold.objects.exists() or streets is None:
        return
    retention.place_hold(
        by=registrar, scope=LegalHold.Scope.ACCOUNT, account=streets,
        reason="Skadeståndsanspråk om vägarbetet vid torget, dnr KS 2025/311: inget får gallras.",
    )  # fmt: skip


def _disposal(registrar: User) -> None:
    """Old direct messages the school sent, saved by hand from before its account was connected, and
    then disposed of under their rule (once:
    the archive's own demo never captures these, so a second run brings none back; drawn up by
    the school, they have no moderation case that would keep them)."""
    rule = RetentionRule.objects.filter(name="Direktmeddelanden från skolan").first()
    if DisposalRecord.objects.exists() or rule is None or rule.account is None:
        return
    sent = dt.datetime(2023, 2, 6, 10, 0, tzinfo=dt.UTC)
    archive_services.capture(
        [
            Capture(account_id=rule.account.pk, platform_id=f"dm-2023-{n}", kind=Kind.MESSAGE, source=Source.MANUAL,
                    direction=Direction.DRAWN_UP, published_at=sent + dt.timedelta(days=n),
                    text=f"Hej! Svar {n} om skolskjutsen: bussen går som vanligt.",
                    author=Author(platform_id="school", display_name="Nästegårdsskolan"))
            for n in range(4)
        ]
    )  # fmt: skip
    planned = retention.preview(rule)
    if planned.item_ids:
        retention.dispose(rule=rule, token=planned.token, by=registrar)


# (state, days ago, what is asked, requester, contact, a word the records hold)
REQUESTS = [
    ("open", 1, "Alla kommentarer om snöröjningen på kommunens Facebooksida.", "", "", "plogats"),
    ("open", 6, "Bibliotekets inlägg och kommentarer om söndagsöppet.", "Karin Journalist", "karin@tidningen.example", "söndagsöppet"),
    ("decided", 12, "Kommentarer om lekplatsen i stadsparken.", "", "anonym@example.se", "lekplatsen"),
    ("withdrawn", 20, "Alla direktmeddelanden till kultur och fritid.", "Per Persson", "per@example.se", ""),
]  # fmt: skip


def _requests(registrar: User) -> None:
    if DisclosureRequest.objects.exists():
        return
    now = timezone.now()
    for state, days, description, name, contact, word in REQUESTS:
        request = disclosure.register_request(
            by=registrar, received_at=now - dt.timedelta(days=days), channel="email", description=description,
            requester_name=name, requester_contact=contact,
        )  # fmt: skip
        items = (
            list(Item.objects.filter(search_entry__text__icontains=word).order_by("pk")[:6]) if word else []
        )
        if items:
            disclosure.add_records(request=request, items=items, by=registrar)
        if state == "decided":
            for number, record in enumerate(request.records.all()):
                if number == 1:
                    disclosure.withhold(
                        record=record, reason="OSL 21 kap. 1 § (uppgift om hälsa)", by=registrar
                    )
                else:
                    disclosure.disclose(record=record, by=registrar)
            if request.records.exists():
                disclosure.decide(request=request, by=registrar, note="Sökt i arkivet på ordet lekplats.")
        elif state == "withdrawn":
            disclosure.withdraw(
                request=request, note="Sökanden drog tillbaka begäran per telefon.", by=registrar
            )
    # An access request under the GDPR, being prepared.
    disclosure.register_request(
        by=registrar, received_at=now - dt.timedelta(days=2), channel="letter", kind=DisclosureRequest.Kind.ACCESS,
        description="Registerutdrag: allt jag skrivit på kommunens konton.", subject_name="Greta Svensson",
        requester_name="Greta Svensson", requester_contact="Storgatan 1, 534 30 Vara",
    )  # fmt: skip


def _closure(comms: User) -> None:
    """The closure of the account the registry's demo is winding down, its steps still to do."""
    account = Account.objects.filter(status=Account.Status.CLOSING).order_by("pk").first()
    if account is None or AccountClosure.objects.filter(account=account).exists():
        return
    closure.start(
        account=account, by=comms,
        reason="Kontot har inte nått sin målgrupp; invånarna hänvisas till kommunens Instagramkonto.",
    )  # fmt: skip
