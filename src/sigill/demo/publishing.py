"""Demo data for publishing: a month of planned posts across units, through the real services.

Editors write them, the approvers the accounts' rules name approve them, one waits for approval
and one is blocked by a check (a private person's phone number). The demo publishes nothing: its
accounts are not connected to real platforms, so no post here has been handed over or published;
the pages show drafts, approvals and times only.

Idempotent: a post whose title exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sigill.organisation.models import User
from sigill.publishing import services
from sigill.publishing.models import ApprovalRule, Draft
from sigill.registry.models import Account

# (platform, unit) of the account, its approver rule.
RULES = [
    ("facebook", "bibliotek", ApprovalRule.Approver.UNIT_MANAGER),
    ("facebook", "gata-park", ApprovalRule.Approver.COMMS),
    ("facebook", "kommunikation", ApprovalRule.Approver.SECOND_EDITOR),
]

# (title, [(platform, unit)], writer, days from today, hour, what happens, text)
POSTS: list[tuple[str, list[tuple[str, str]], str, int, int, str, str]] = [
    ("Snöröjning i natt", [("facebook", "gata-park")], "ahmed.yilmaz", 1, 7, "approve",
     "Vi snöröjer gång- och cykelvägar i natt. Bilvägarna tar vi efter det. Ställ gärna bilen på tomten."),
    ("Sagostund på lördag", [("facebook", "bibliotek")], "editor", 2, 10, "approve",
     "Välkommen på sagostund i barnavdelningen på lördag klockan 11. Ingen anmälan. #VaraBibliotek"),
    ("Hittad cykel", [("facebook", "bibliotek")], "editor", 3, 9, "draft",
     "Vi har hittat en blå cykel utanför biblioteket. Är den din? Ring Kalle på 070-123 45 67."),
    ("Nya e-böcker", [("facebook", "bibliotek")], "editor", 5, 12, "submit",
     "Nu finns 200 nya e-böcker att låna. Logga in med ditt lånekort i appen. #VaraBibliotek"),
    ("Kommunfullmäktige sammanträder", [("facebook", "kommunikation")], "elin.karlsson", 8, 17, "approve",
     "Kommunfullmäktige sammanträder på torsdag klockan 18.30 i Vara Konserthus. Du kan följa mötet på vara.se."),
    ("Vägarbete på Torggatan", [("facebook", "gata-park")], "ahmed.yilmaz", 12, 8, "approve",
     "Torggatan är avstängd mellan kyrkan och stationen i två veckor. Följ skyltarna för omväg."),
    ("Ny förskola utreds", [("facebook", "kommunikation"), ("mastodon", "kommunikation")], "comms", 15, 10, "draft",
     "Med anledning av det ökade barnantalet har kommunstyrelsen i enlighet med delegationsordningen uppdragit "
     "åt förvaltningen att genomföra en förstudie avseende etablering av en ny förskola i de norra kommundelarna."),
    ("Sommarlovsaktiviteter", [("facebook", "bibliotek")], "editor", 20, 13, "draft",
     "ANMÄL DIG NU till sommarlovets aktiviteter på biblioteket! 🌞🌞🌞🏖️ #sommarlovivara"),
    ("Nationaldagen i parken", [("facebook", "kommunikation"), ("mastodon", "kommunikation")], "comms", 26, 11,
     "submit", "Fira nationaldagen med oss i Stadsparken. Vi bjuder på tårta och musik från klockan 13."),
]  # fmt: skip


def _account(platform: str, unit: str) -> Account | None:
    return Account.objects.filter(platform__slug=platform, unit__slug=unit, status="active").first()


def _approver(draft: Draft, people: dict[str, User]) -> User:
    """Who the rule of the post's first account names; comms wherever no one else is named."""
    account = draft.targets.select_related("account").first().account  # type: ignore[union-attr]
    rule = ApprovalRule.objects.filter(account=account).values_list("approver", flat=True).first()
    if rule == ApprovalRule.Approver.UNIT_MANAGER:
        return people["unit_manager"]  # the demo's manager of Bildning, above the library
    return people["comms"] if draft.created_by != people["comms"] else people["elin.karlsson"]


@transaction.atomic
def seed() -> None:
    people = {user.username: user for user in User.objects.all()}
    comms = people["comms"]
    for platform, unit, approver in RULES:
        account = _account(platform, unit)
        if account is not None and not ApprovalRule.objects.filter(account=account).exists():
            services.set_approval_rule(account=account, approver=approver, by=comms)
    today = timezone.localdate()
    for title, places, writer, days, hour, act, text in POSTS:
        accounts: list[Any] = [account for place in places if (account := _account(*place)) is not None]
        if not accounts or Draft.objects.filter(title=title).exists():
            continue
        author = people[writer]
        draft = services.create_draft(title=title, accounts=accounts, text=text, by=author)
        at = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))
        draft = services.reschedule(draft=draft, at=at, by=author)
        if act in ("submit", "approve"):
            draft = services.submit(draft=draft, by=author)
        if act == "approve" and draft.state == Draft.State.SUBMITTED:
            services.approve(draft=draft, by=_approver(draft, people), note="Bra, kör.")
