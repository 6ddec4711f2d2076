"""Demo data for the reports: a year of posts and comments on every live demo account,
each comment moderated at a time in its own month, so the report pages have charts with numbers.

Deterministic: each account's month is drawn from a generator seeded with the account and the
month, and platform ids name both, so running the demo again in the same month adds nothing (and
in a later month adds only the month that has passed).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.connectors import selectors as connectors
from sigill.connectors.models import CaptureRun
from sigill.demo import inquiries as inquiries_demo
from sigill.demo import moderation as moderation_demo
from sigill.demo.archive import demo_capture
from sigill.moderation import selectors as moderation_selectors
from sigill.moderation import services as moderation_services
from sigill.moderation.models import Case
from sigill.organisation.models import User
from sigill.registry.models import Account
from sigill.reports.periods import STOCKHOLM, Month

MONTHS = 12
PREFIX = "rep-"

POSTS = [
    "Välkommen på öppet hus i kommunhuset på lördag!",
    "Nu kan du söka sommarjobb för unga i Vara kommun.",
    "Veckans tips från biblioteket: tre nya deckare.",
    "Vägarbetet på Storgatan är klart – tack för ert tålamod.",
    "Se programmet för höstlovet på vår webbplats.",
    "Fullmäktige sammanträder på torsdag, sänds på webben.",
]


@dataclass(frozen=True)
class CommentKind:
    """A kind of comment the demo writes, and what the moderator decides about it."""

    texts: tuple[str, ...]
    act: str
    reason: str
    weight: int


COMMENTS = [
    CommentKind(("Tack för informationen!", "Så bra, vi kommer!", "Härligt initiativ.", "Bra jobbat!"), "keep", "", 60),
    CommentKind(("Vilka tider har ni öppet i helgen?", "Hur anmäler man sig?", "Var kan jag läsa mer om det?"),
          "forward", "", 15),
    CommentKind(("Tjäna pengar snabbt! Klicka på länken i min profil!!!", "Gratis erbjudande, skriv till mig nu"),
          "delete", "spam", 8),
    CommentKind(("Ni på kommunen är helt inkompetenta idioter.", "Den där handläggaren är en idiot."),
          "hide", "personal_attack", 7),
    CommentKind(("Ring mig på 070-123 45 67 så berättar jag mer.",), "hide", "sensitive_data", 5),
    CommentKind(("Vem vann matchen i går?", "Köper någon min gamla cykel?"), "hide", "off_topic", 5),
]  # fmt: skip


def _month_of(account: Account, month: Month, rng: random.Random) -> list[tuple[Capture, CommentKind | None]]:
    """One account's month: posts and comments on them (each with what it is). The month's direct
    messages come from the archive demo's conversations (demo/archive.py), not from here."""
    own = Author(platform_id=f"page-{account.pk}", display_name=account.display_name, handle=account.handle)
    base = f"{PREFIX}{month.iso}-{account.pk}"
    found: list[tuple[Capture, CommentKind | None]] = []

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(month.year, month.month, day, hour, minute, tzinfo=STOCKHOLM)

    for number in range(rng.randint(1, 4)):
        published = at(rng.randint(1, 27), rng.randint(7, 18), rng.randint(0, 59))
        post_id = f"{base}-p{number}"
        found.append(
            (
                demo_capture(
                    account, post_id, Kind.POST, Direction.DRAWN_UP, published, rng.choice(POSTS), own
                ),
                None,
            )
        )
        for c in range(rng.randint(1, 6)):
            kind = rng.choices(COMMENTS, weights=[k.weight for k in COMMENTS])[0]
            author = Author(platform_id=f"u-{rng.randint(1, 40)}", display_name="Invånare")
            when = published + dt.timedelta(minutes=rng.randint(10, 1800))
            capture = demo_capture(account, f"{post_id}-c{c}", Kind.COMMENT, Direction.RECEIVED, when,
                               rng.choice(kind.texts), author, parent=post_id)  # fmt: skip
            found.append((capture, kind))
    return found


@transaction.atomic
def seed() -> None:
    comms = User.objects.get(username="comms")
    editor = User.objects.get(username="editor")
    contact_center = User.objects.get(username="contact_center")
    now = timezone.now()
    months = Month.current().previous().back(MONTHS)
    accounts = Account.objects.filter(status__in=Account.PUBLIC_STATUSES).select_related("platform")
    planned: dict[str, CommentKind] = {}
    batch: list[Capture] = []
    for account in accounts.order_by("pk"):
        for month in months:
            for capture, kind in _month_of(account, month, random.Random(f"{account.pk}-{month.iso}")):  # noqa: S311
                batch.append(capture)
                if kind is not None:
                    planned[capture.platform_id] = kind
    archive_services.capture(batch)
    items = Item.objects.filter(object_id__in=list(planned), direction=Direction.RECEIVED)
    moderation_services.screen_items(items.values_list("pk", flat=True))
    cases = Case.objects.filter(item__in=items).select_related("item", "account").order_by("pk")
    for case in cases:
        if case.decisions.exists() or case.item.published_at >= now:
            continue
        kind = planned[case.item.object_id]
        rng = random.Random(case.item.object_id)  # noqa: S311
        arrived = case.item.published_at + dt.timedelta(minutes=rng.randint(2, 40))
        looked = arrived + dt.timedelta(minutes=rng.randint(10, 60 * 30))
        decided = looked + dt.timedelta(minutes=rng.randint(1, 60 * 8))
        moderation_demo.decided_in_the_past(
            case=case, arrived_at=arrived, looked_at=looked, decided_at=decided,
            act=kind.act, reason=kind.reason, by=editor if case.account.handle == "varabibliotek" else comms,
        )  # fmt: skip
        if kind.act == "forward":
            inquiries_demo.answered_in_the_past(
                external_id=moderation_selectors.forwarded_reference(case.pk, case.round),
                received_at=decided,
                answered_at=decided + dt.timedelta(minutes=rng.randint(60, 60 * 70)),
                by=contact_center,
            )
    _capture_history(accounts, months)


def _capture_history(accounts: QuerySet[Account], months: list[Month]) -> None:
    """The accounts were live through the demo's year, and each one without an API connection had
    its export imported on the 25th of every month where Sigill reads that platform's export: the
    report shows it covered up to the import and a gap, "nothing captured", after it. A platform
    without an export reader (Bluesky, Mastodon, Threads, Snapchat) has no imports: what comes in
    there is captured by hand. (The connectors' demo gives the connected ones their syncs and last
    month's expired Instagram token.)"""
    accounts.filter(activated_at__gt=months[0].start).update(activated_at=months[0].start)
    unconnected = [
        account
        for account in accounts.filter(connection__isnull=True).order_by("pk")
        if Source.EXPORT in connectors.capture_paths(account.platform.slug)
    ]
    imports = [dt.datetime(m.year, m.month, 25, 14, tzinfo=STOCKHOLM) for m in months]
    done = set(
        CaptureRun.objects.filter(
            account__in=unconnected, path=Source.EXPORT, started_at__in=imports
        ).values_list("account_id", "started_at")
    )
    CaptureRun.objects.bulk_create(
        CaptureRun(
            account=account, path=Source.EXPORT, outcome=CaptureRun.Outcome.SUCCEEDED, started_at=at,
            finished_at=at + dt.timedelta(minutes=3), details={"file": f"{account.handle}-export.zip"},
        )
        for account in unconnected
        for at in imports
        if (account.pk, at) not in done
    )  # fmt: skip
