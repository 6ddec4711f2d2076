"""Demo data for the registry: Vara kommun's accounts across the platforms (all invented)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sigill.demo import vault as vault_demo
from sigill.organisation.models import Unit, User
from sigill.registry import services
from sigill.registry.models import Account, Platform, Purpose
from sigill.registry.profile_urls import read_profile

S = Account.Status

# (platform, address, name, unit, purposes, purpose statement, audience, responsible, deputy, status, editors)
ACCOUNTS = [
    (
        "facebook",
        "facebook.com/varakommun",
        "Vara kommun",
        "kommunikation",
        ["news", "dialogue", "crisis"],
        "Kommunens huvudkanal för nyheter, driftinformation och dialog med invånarna.",
        "Invånare i Vara kommun",
        "comms",
        "elin.karlsson",
        S.ACTIVE,
        ["elin.karlsson"],
    ),
    (
        "instagram",
        "instagram.com/varakommun",
        "Vara kommun",
        "kommunikation",
        ["brand", "news"],
        "Visar livet i Vara med bilder från kommunens verksamheter och evenemang.",
        "Invånare och besökare",
        "comms",
        "elin.karlsson",
        S.ACTIVE,
        ["elin.karlsson"],
    ),
    (
        "linkedin",
        "linkedin.com/company/vara-kommun",
        "Vara kommun",
        "kommunikation",
        ["recruitment", "brand"],
        "Berättar om kommunen som arbetsgivare och annonserar lediga tjänster.",
        "Arbetssökande och medarbetare",
        "comms",
        "elin.karlsson",
        S.ACTIVE,
        [],
    ),
    (
        "x",
        "x.com/varakommun",
        "Vara kommun",
        "kommunikation",
        ["crisis", "news"],
        "Snabb information vid kriser och störningar, till exempel vatten, väg och väder.",
        "Invånare och media",
        "comms",
        "elin.karlsson",
        S.PAUSED,
        [],
    ),
    (
        "youtube",
        "youtube.com/@varakommun",
        "Vara kommun",
        "kommunikation",
        ["news"],
        "Filmade kommunfullmäktigesammanträden och informationsfilmer.",
        "Invånare",
        "comms",
        "elin.karlsson",
        S.ACTIVE,
        [],
    ),
    (
        "facebook",
        "facebook.com/varabibliotek",
        "Vara bibliotek",
        "bibliotek",
        ["dialogue", "news"],
        "Tipsar om böcker och evenemang och svarar på frågor om bibliotekets tjänster.",
        "Låntagare i alla åldrar",
        "editor",
        "unit_manager",
        S.ACTIVE,
        ["editor"],
    ),
    (
        "instagram",
        "instagram.com/varabibliotek",
        "Vara bibliotek",
        "bibliotek",
        ["brand", "dialogue"],
        "Bokbilder, lästips och glimtar från bibliotekets vardag.",
        "Unga vuxna och familjer",
        "editor",
        "unit_manager",
        S.ACTIVE,
        ["editor"],
    ),
    (
        "tiktok",
        "tiktok.com/@varabibliotek",
        "Vara bibliotek",
        "bibliotek",
        ["brand"],
        "Korta filmer som väcker läslust hos unga.",
        "Unga 13–19 år",
        "editor",
        "unit_manager",
        S.SETTING_UP,
        ["editor"],
    ),
    (
        "instagram",
        "instagram.com/nastegardsskolan",
        "Nästegårdsskolan",
        "nastegardsskolan",
        ["news"],
        "Visar skolans vardag för vårdnadshavare, utan bilder på enskilda elever utan samtycke.",
        "Vårdnadshavare",
        "unit_manager",
        "employee",
        S.ACTIVE,
        [],
    ),
    (
        "facebook",
        "facebook.com/varakulturfritid",
        "Kultur och fritid i Vara",
        "kultur-fritid",
        ["news", "brand"],
        "Evenemang, föreningsliv och anläggningar som badhuset och sporthallen.",
        "Invånare och föreningar",
        "unit_manager",
        "editor",
        S.ACTIVE,
        ["editor"],
    ),
    (
        "facebook",
        "facebook.com/varagataochpark",
        "Gata och park i Vara",
        "gata-park",
        ["news", "crisis"],
        "Driftinformation om snöröjning, vägarbeten och parker.",
        "Invånare och trafikanter",
        "per.sandberg",
        "ahmed.yilmaz",
        S.ACTIVE,
        ["ahmed.yilmaz"],
    ),
    (
        "mastodon",
        "https://mastodon.example/@varakommun",
        "Vara kommun",
        "kommunikation",
        ["news"],
        "Kommunens nyheter för dem som använder det öppna fediversumet.",
        "Invånare",
        "comms",
        "elin.karlsson",
        S.ACTIVE,
        [],
    ),
    (
        "bluesky",
        "bsky.app/profile/varakommun.bsky.social",
        "Vara kommun",
        "kommunikation",
        ["news"],
        "Kommunens nyheter på Bluesky.",
        "Invånare och media",
        "comms",
        "elin.karlsson",
        S.ACTIVE,
        [],
    ),
    (
        "snapchat",
        "snapchat.com/add/varaungdom",
        "Ung i Vara",
        "kultur-fritid",
        ["dialogue"],
        "Fritidsgårdens kanal för unga med tips om aktiviteter.",
        "Unga 13–18 år",
        "unit_manager",
        "editor",
        S.PLANNED,
        [],
    ),
    (
        "facebook",
        "facebook.com/varaaldreomsorg",
        "Äldreomsorgen i Vara",
        "aldreomsorg",
        ["news"],
        "Information om äldreomsorgens verksamheter. Kontot avvecklas och ersätts av kommunens huvudkonto.",
        "Anhöriga",
        "comms",
        "elin.karlsson",
        S.CLOSED,
        [],
    ),
    (
        "threads",
        "threads.net/@varakommun",
        "Vara kommun",
        "kommunikation",
        ["brand"],
        "Ett försök med Threads som följer upp Instagram-kontot.",
        "Invånare",
        "comms",
        "elin.karlsson",
        S.CLOSING,
        [],
    ),
]

# The path each demo status is reached by, so that its history reads like the real thing.
PATHS = {
    S.PLANNED: [],
    S.SETTING_UP: [S.SETTING_UP],
    S.ACTIVE: [S.SETTING_UP, S.ACTIVE],
    S.PAUSED: [S.SETTING_UP, S.ACTIVE, S.PAUSED],
    S.CLOSING: [S.SETTING_UP, S.ACTIVE, S.CLOSING],
    S.CLOSED: [S.SETTING_UP, S.ACTIVE, S.CLOSING, S.CLOSED],
}
REASONS = {
    S.SETTING_UP: "Ansökan godkänd av kommunikationsavdelningen.",
    S.ACTIVE: "Profilen uppfyller kraven och redaktörerna är utsedda.",
    S.PAUSED: "Pausas under omorganisationen av krisinformationen.",
    S.CLOSING: "Kontot har inte nått sin målgrupp; avvecklas efter översynen.",
    S.CLOSED: "Slutarkiverat och nedstängt på plattformen.",
}


@transaction.atomic
def seed() -> None:
    """Create the demo accounts that are missing, walking each through its lifecycle."""
    comms = User.objects.get(username="comms")
    people = {user.username: user for user in User.objects.all()}
    units = {unit.slug: unit for unit in Unit.objects.all()}
    platforms = {platform.slug: platform for platform in Platform.objects.all()}
    purposes = {purpose.code: purpose for purpose in Purpose.objects.all()}
    for row in ACCOUNTS:
        slug, url, name, unit, codes, statement, audience, responsible, deputy, status, editors = row
        data = services.AccountData(
            platform=platforms[slug],
            profile_url=url,
            display_name=name,
            unit=units[unit],
            purposes=[purposes[code] for code in codes],
            purpose_statement=statement,
            target_audience=audience,
            responsible=people[responsible],
            deputy=people[deputy],
        )
        profile = read_profile(platforms[slug], url)
        if (
            profile is None
            or Account.objects.filter(platform=platforms[slug], handle=profile.handle).exists()
        ):
            continue
        account = services.create_account(data=data, by=comms)
        if S.ACTIVE in PATHS[status]:
            # The vault refuses to activate an account without its login details deposited.
            vault_demo.deposit_demo_login(account, comms)
        for step in PATHS[status]:
            account = services.change_status(account=account, to=step, reason=REASONS[step], by=comms)
        for username in editors:
            services.assign_editor(
                account=account,
                user=people[username],
                by=comms,
                valid_from=timezone.localdate() - dt.timedelta(days=200),
            )
    _backdate_for_review()


def _backdate_for_review() -> None:
    """Make two accounts due for their yearly review, so the review list has something in it."""
    for handle in ("varakulturfritid", "varagataochpark"):
        Account.objects.filter(handle=handle, next_review_on__gt=timezone.localdate()).update(
            next_review_on=timezone.localdate() - dt.timedelta(days=3)
        )
