"""Demo data for the archive: a few hundred invented posts, comments and replies on the demo accounts.

Deterministic (a fixed seed and fixed dates), so running the demo again stores nothing new. No files:
the demo also runs in the test suite, which must not write into var/media.
"""

from __future__ import annotations

import datetime as dt
import random

from sigill.archive import services
from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.connectors import selectors as connectors
from sigill.registry.models import Account, Platform

START = dt.datetime(2025, 1, 7, 8, 0, tzinfo=dt.UTC)

TOPICS = {
    "varakommun": [
        "Snöröjningen är i full gång i hela kommunen. Först plogas huvudgatorna, sedan bostadsgatorna.",
        "Nu kan du lämna synpunkter på den nya översiktsplanen fram till den 30 april.",
        "Vattnet är avstängt på Storgatan i dag mellan 9 och 12 på grund av en läcka.",
        "Välkommen till kommunfullmäktiges sammanträde på torsdag, som också sänds på webben.",
    ],
    "varabibliotek": [
        "Sagostund för de minsta på biblioteket varje onsdag klockan tio.",
        "Nu har biblioteket öppet även på söndagar under vintern!",
        "Sommarläsningen börjar: läs fem böcker och få ett pris.",
        "Tipsa oss om böckerna du vill att biblioteken köper in.",
    ],
    "varakulturfritid": [
        "Badhuset håller stängt i vecka 8 för underhåll av bassängen.",
        "Sportlovsaktiviteter för barn och unga – se hela programmet på webben.",
        "Nu öppnar isbanan vid sporthallen.",
    ],
    "varagataochpark": [
        "Plogbilarna är ute sedan klockan fyra i morse. Tack för ditt tålamod!",
        "Gatan vid torget stängs av för vägarbete från måndag.",
        "Nya lekplatsen i stadsparken är klar – välkomna!",
    ],
    "nastegardsskolan": [
        "Skolmaten den här veckan: fisk, soppa och vegetarisk lasagne.",
        "Förskolan och skolan har studiedag på fredag.",
    ],
}
COMMENTS = [
    "Tack för informationen!",
    "Varför har inte vår gata plogats än? Vi bor på Vallgatan.",
    "Gatorna i Tråvad är fortfarande inte plogade.",
    "Jättebra initiativ, biblioteket är fantastiskt.",
    "Har biblioteken i Kvänum också söndagsöppet?",
    "Kan man boka badhuset för kalas?",
    "Skolmaten var riktigt god i dag enligt mina barn.",
    "Förskolan behöver fler platser, det vet alla.",
    "När kommer sophämtningen efter helgen?",
    "Bra jobbat med snöröjningen i år!",
    "Lekplatsen är toppen, barnen älskar den.",
    "Kommer det finnas teckentolk på sammanträdet?",
    "Vägarbetet skapar långa köer vid skolan.",
    "Finns det lånecyklar vid biblioteket?",
]
REPLIES = [
    "Hej! Tack för att du hör av dig. Vi har skickat frågan vidare till ansvarig enhet.",
    "Hej, ja det gör det. Välkommen!",
    "Tack för ditt tips, vi tittar på det.",
    "Hej! Din gata står näst på tur.",
]
# A conversation in an account's inbox: (from the resident?, text). Captured by API only where the
# platform's connector reads direct messages; elsewhere such a message is saved by hand.
CONVERSATION = [
    (True, "Hej! Jag har en fråga om min sons skolskjuts, vem kan jag prata med?"),
    (False, "Hej! Skicka gärna namn och skola till kontaktcenter@vara.se så hjälper vi dig."),
    (True, "Tack, jag mejlar i dag."),
]
NAMES = ["Greta Svensson", "Ahmed Ali", "Linnea Berg", "Johan Nilsson", "Sara Lind", "Mikael Holm", "Eva Ek"]


def captures() -> list[Capture]:
    rng = random.Random(7)  # noqa: S311 (demo data, not security)
    accounts = Account.objects.filter(status__in=Account.PUBLIC_STATUSES).select_related("platform")
    batch: list[Capture] = []
    for account in accounts.order_by("pk"):
        texts = TOPICS.get(account.handle, TOPICS["varakommun"])
        for number in range(6 if account.handle in TOPICS else 2):
            published = START + dt.timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 10))
            post_id = f"{account.handle}-post-{number}"
            own = Author(
                platform_id=f"page-{account.pk}", display_name=account.display_name, handle=account.handle
            )
            text = texts[number % len(texts)]
            batch.append(demo_capture(account, post_id, Kind.POST, Direction.DRAWN_UP, published, text, own))
            for c in range(rng.randint(2, 9)):
                comment_id = f"{post_id}-c{c}"
                person = rng.choice(NAMES)
                author = Author(platform_id=f"u-{NAMES.index(person)}", display_name=person)
                when = published + dt.timedelta(minutes=rng.randint(5, 2000))
                batch.append(
                    demo_capture(account, comment_id, Kind.COMMENT, Direction.RECEIVED, when, rng.choice(COMMENTS),
                             author, parent=post_id)
                )  # fmt: skip
                if rng.random() < 0.35:
                    batch.append(
                        demo_capture(account, f"{comment_id}-r", Kind.REPLY, Direction.DRAWN_UP,
                                 when + dt.timedelta(hours=2), rng.choice(REPLIES), own, parent=comment_id)
                    )  # fmt: skip
        if account.platform.captures_messages_by_api:
            batch += _conversation(account, rng, own)
    return batch


def _conversation(account: Account, rng: random.Random, own: Author) -> list[Capture]:
    """One conversation of direct messages, as the account's connector captures it."""
    person = rng.choice(NAMES)
    resident = Author(platform_id=f"u-{NAMES.index(person)}", display_name=person)
    started = START + dt.timedelta(days=rng.randint(0, 300))
    messages = []
    for number, (received, text) in enumerate(CONVERSATION):
        captured = demo_capture(
            account,
            f"{account.handle}-dm-{number}",
            Kind.MESSAGE,
            Direction.RECEIVED if received else Direction.DRAWN_UP,
            started + dt.timedelta(minutes=40 * number),
            text,
            resident if received else own,
        )
        messages.append(
            Capture(
                **{
                    **captured.__dict__,
                    "url": "",
                    "metadata": {"demo": True, "conversation": f"{account.handle}-dm"},
                }
            )
        )
    return messages


def later(batch: list[Capture]) -> list[Capture]:
    """A later sync: some comments were edited, some removed on the platform."""
    changed = []
    for index, capture in enumerate(c for c in batch if c.kind == Kind.COMMENT):
        if index % 17 == 0:
            changed.append(
                Capture(**{**capture.__dict__, "text": capture.text + " (Redigerat: förtydligande.)",
                           "edited_at": capture.published_at + dt.timedelta(hours=1)})
            )  # fmt: skip
        elif index % 23 == 0:
            changed.append(Capture(**{**capture.__dict__, "text": "", "seen_gone": True}))
    return changed


def honest_source(platform_slug: str, *, kind: str, direction: str) -> str:
    """The path the demo may say an object came by: only one Sigill's code has for the platform.

    The API where a connector syncs the platform (for direct messages only where the catalogue says
    the connector reads them); the export for what the account itself wrote where a reader knows the platform's export
    (exports hold only that); otherwise manual capture, which is how such an object would come in.
    """
    paths = connectors.capture_paths(platform_slug)
    if Source.API in paths and (
        kind != Kind.MESSAGE
        or Platform.objects.filter(slug=platform_slug, captures_messages_by_api=True).exists()
    ):
        return Source.API
    if Source.EXPORT in paths and direction == Direction.DRAWN_UP and kind != Kind.MESSAGE:
        return Source.EXPORT
    return Source.MANUAL


def demo_capture(
    account: Account,
    platform_id: str,
    kind: str,
    direction: str,
    published: dt.datetime,
    text: str,
    author: Author,
    *,
    parent: str = "",
) -> Capture:
    """A demo object on ``account`` as its platform's path would have captured it (the reports' demo
    uses it too): see :func:`honest_source`."""
    return Capture(
        account_id=account.pk,
        platform_id=platform_id,
        kind=kind,
        source=honest_source(account.platform.slug, kind=kind, direction=direction),
        direction=direction,
        published_at=published,
        text=text,
        parent_platform_id=parent,
        author=author,
        url=f"{account.profile_url.rstrip('/')}/posts/{platform_id}",
        metadata={"demo": True},
    )


def seed() -> None:
    """Capture the demo archive (nothing new on a second run: capture is idempotent)."""
    batch = captures()
    services.capture(batch)
    services.capture(later(batch))
