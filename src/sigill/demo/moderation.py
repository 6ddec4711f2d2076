"""Demo data for moderation: the archive's comments screened into cases, the old ones decided, and a
handful of fresh comments waiting, with something of every kind: an identity number, a threat,
a question, spam, a resident's report, a breach of the time target, decisions of every sort.

Idempotent: the fresh comments have fixed platform ids, and decisions are made only once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sigill.archive import selectors as archive_selectors
from sigill.archive import services as archive_services
from sigill.archive.capture import Author, Capture, Direction, Kind, Source
from sigill.archive.models import Item
from sigill.compliance import services as compliance_services
from sigill.compliance.models import CommentReport
from sigill.core.policies import policy_for
from sigill.inquiries import services as inquiry_services
from sigill.inquiries.models import Inquiry
from sigill.moderation import engine, selectors, services
from sigill.moderation.deadlines import due_after
from sigill.moderation.models import (
    Act,
    Case,
    CaseFinding,
    Decision,
    Registration,
    SupervisionVisit,
    TimeTarget,
    WordList,
)
from sigill.moderation.policies import decidable_accounts
from sigill.organisation.models import User
from sigill.registry.models import Account

# (platform id, account handle, author, minutes ago, text)
FRESH = [
    ("demo-mod-pnr", "varabibliotek", "Karin Sjöberg", 40,
     "Min son Elias har lånekort men det fungerar inte. Hans personnummer är 20121212-1212, kan ni kolla?"),
    ("demo-mod-threat", "varakommun", "Anonym Användare", 95,
     "Kommunalrådet borde akta sig. Jag vet var du bor."),
    ("demo-mod-question", "varakommun", "Linnea Berg", 180,
     "Hur ansöker man om bygglov för ett attefallshus? Vilka papper behövs?"),
    ("demo-mod-spam", "varabibliotek", "Bästa Erbjudanden", 300,
     "Tjäna pengar hemifrån! Klicka här för ett gratis erbjudande, länk i bio!!!"),
    ("demo-mod-case", "varakommun", "Mikael Holm", 600,
     "Min mamma har hemtjänst och fick avslag på sin ansökan om trygghetslarm. Vem ska jag ringa?"),
    ("demo-mod-phone", "varabibliotek", "Sara Lind", 1500,
     "Jag hittade en borttappad plånbok vid biblioteket, ring mig på 070-123 45 67."),
    ("demo-mod-clean", "varabibliotek", "Greta Svensson", 25,
     "Tack för en härlig sagostund i onsdags!"),
    # A resident writing in Arabic (right to left): name and text are isolated wherever shown.
    ("demo-mod-rtl", "varabibliotek", "سارا أحمد", 30,
     "مرحبا! هل يمكنني حجز كتب باللغة العربية؟ اتصلوا بي على 070-765 43 21"),
]  # fmt: skip

# Comments acted on in the demo: (platform id, platform, account handle, author, minutes ago, text).
ACTED = [
    # Reported to the police and hidden in one decision; its evidence bundle is on the case page.
    ("demo-mod-reported", "facebook", "varakommun", "Okänd Profil", 2900,
     "Ni på kommunhuset ska få se vad som händer. Jag vet var ni parkerar."),
    # Hidden through the API, which failed: the account's token must be reconnected first.
    ("demo-mod-failed", "instagram", "varakommun", "Snabba Lån Idag", 700,
     "Snabblån utan UC! Klicka på länken i min profil, pengar direkt!!!"),
]  # fmt: skip

# The resident who reports the threatening comment from the policy page.
REPORTED = "demo-mod-threat"


def _fresh_captures(now: dt.datetime) -> list[Capture]:
    accounts = {(a.platform.slug, a.handle): a for a in Account.objects.select_related("platform")}
    rows = [
        (platform_id, "facebook", handle, author, minutes, text)
        for platform_id, handle, author, minutes, text in FRESH
    ] + ACTED
    batch = []
    for platform_id, platform, handle, author, minutes, text in rows:
        account = accounts.get((platform, handle))
        if account is None:
            continue
        batch.append(
            Capture(
                account_id=account.pk,
                platform_id=platform_id,
                kind=Kind.COMMENT,
                source=Source.API,
                direction=Direction.RECEIVED,
                published_at=now - dt.timedelta(minutes=minutes),
                text=text,
                parent_platform_id=f"{handle}-post-0",
                author=Author(platform_id=f"u-{platform_id}", display_name=author),
                url=f"{account.profile_url.rstrip('/')}/posts/{platform_id}",
                metadata={"demo": True},
            )
        )
    return batch


def _decide(case: Case, by: User, act: str, **fields: str) -> Decision | None:
    if case.decisions.exists():
        return None
    decision = services.decide(case=case, choice=services.Choice(act=act, **fields), by=by)
    if decision.acts_on_platform:
        # The demo reaches no platform: the moderator did it by hand, after the same verification.
        services.carry_out(decision=decision, by=by, by_hand=True)
    return decision


@transaction.atomic
def seed() -> None:
    comms = User.objects.get(username="comms")
    editor = User.objects.get(username="editor")
    registrar = User.objects.get(username="registrar")
    library = Account.objects.filter(platform__slug="facebook", handle="varabibliotek").first()
    if library is not None and not TimeTarget.objects.filter(account=library).exists():
        services.set_time_target(account=library, hours=12, weekends_count=True, by=comms)
    if not WordList.objects.filter(name="spam").exists():
        services.change_word_list(
            name="spam",
            terms=engine.default_terms("spam") + ", attefallshus-paket, snabblån",
            note="Nya spamvågor hösten 2026",
            by=comms,
        )
    now = timezone.now()
    archive_services.capture(_fresh_captures(now))
    received = Item.objects.filter(direction=Direction.RECEIVED).values_list("pk", flat=True)
    services.screen_items(list(received))
    fresh = {
        case.item.object_id: case for case in Case.objects.filter(item__object_id__startswith="demo-mod-")
    }
    older = Case.objects.filter(state=Case.State.OPEN).exclude(item__object_id__startswith="demo-mod-")
    _decisions_of_every_kind(list(older.order_by("id")[:7]), comms, registrar, editor)
    _acted_on(fresh, comms)
    # Everything else from before the demo's fresh comments was looked at and kept long ago.
    for case in older.select_related("account"):
        _decide(case, editor if policy_for(Case).can(editor, "decide", case) else comms, "keep")
    if "demo-mod-phone" in fresh:
        # Waited too long: it shows as a breach on comms' start page.
        Case.objects.filter(pk=fresh["demo-mod-phone"].pk, state=Case.State.OPEN).update(
            due_at=now - dt.timedelta(hours=3)
        )
    if (threat := fresh.get(REPORTED)) is not None and not CommentReport.objects.filter(
        comment_url=threat.item.url
    ).exists():
        compliance_services.report_comment(
            account=threat.account,
            comment_url=threat.item.url,
            reason="illegal",
            contact="",
            sender_address="192.0.2.99",
        )
    for account in Account.objects.filter(moderation_cases__isnull=False).distinct():
        if not SupervisionVisit.objects.filter(account=account).exists():
            services.record_visit(accounts=[account], by=editor if account == library else comms)


def _acted_on(fresh: dict[str, Case], comms: User) -> None:
    """A threat reported and hidden in one decision (done by hand: the demo reaches no platform),
    and a hide that failed through the API, waiting for the moderator to try again or do it by hand."""
    if (reported := fresh.get("demo-mod-reported")) is not None and not reported.decisions.exists():
        choice = services.Choice(
            act="report_threat",
            removal="hide",
            reason="olaga_hot",
            note="Polisanmält via polisen.se, K-2026-118.",
        )
        decision = services.decide(case=reported, choice=choice, by=comms)
        services.carry_out(decision=decision, by=comms, by_hand=True)
    if (failed := fresh.get("demo-mod-failed")) is not None and not failed.decisions.exists():
        decision = services.decide(case=failed, choice=services.Choice(act="hide", reason="spam"), by=comms)
        # Instagram's connection needs reconnecting (connectors demo): the actor refuses before
        # any request leaves Sigill, and the case page shows the failure and "try again".
        services.carry_out(decision=decision, by=comms)


def _decisions_of_every_kind(cases: list[Case], comms: User, registrar: User, editor: User) -> None:
    """One decision of each kind among the archive's older comments, so every view has content."""
    if len(cases) < 6 or Decision.objects.exclude(act="keep").exists():
        return
    examples = [
        ("hide", {"reason": "personal_attack", "note": "Personangrepp på en medarbetare."}),
        ("delete", {"reason": "spam"}),
        ("forward", {"note": "Frågan rör kontaktcenters område."}),
        (
            "secret",
            {"provision": "OSL 26 kap. 1 §", "note": "Uppgifter om enskilds hälsa.", "removal": "hide"},
        ),
        ("individual_case", {"note": "Gäller ett pågående ärende hos socialtjänsten."}),
        ("reply", {"reply_text": "Hej! Tack för din fråga, vi återkommer i morgon."}),
    ]
    for case, (act, fields) in zip(cases, examples, strict=False):
        _decide(case, comms, act, **fields)
    if len(cases) > len(examples):
        # A comment hidden by mistake and shown again: the hide stays in the case's history.
        shown_again = cases[len(examples)]
        _decide(shown_again, comms, "hide", reason="spam", note="Felaktigt dold: inte reklam.")
        unhide = services.unhide(case=shown_again, by=comms)
        services.carry_out(decision=unhide, by=comms, by_hand=True)
    individual = Decision.objects.filter(act="individual_case").first()
    if individual is not None and not Registration.objects.filter(decision=individual).exists():
        services.register(decision=individual, reference="SN 2026/0187", by=registrar)
    editable = Case.objects.filter(account__in=decidable_accounts(editor))
    finding = CaseFinding.objects.filter(case__in=editable).order_by("id").first()
    if finding is not None:
        services.mark_finding_wrong(finding=finding, by=editor)


def decided_in_the_past(
    *,
    case: Case,
    arrived_at: dt.datetime,
    looked_at: dt.datetime,
    decided_at: dt.datetime,
    act: str,
    reason: str,
    by: User,
) -> Decision | None:
    """Demo history for the reports: a comment that arrived and was decided months ago.

    The services stamp the present, and a report is about the past, so the case's times and its
    decision are written as they would have been then. A forward opens its question (answered
    by the inquiries demo); nothing is done on a platform. A case already decided is left alone.
    """
    if case.decisions.exists():
        return None
    target = selectors.time_target(case.account)
    Case.objects.filter(pk=case.pk).update(
        opened_at=arrived_at,
        due_at=due_after(arrived_at, hours=target.hours, weekends_count=target.weekends_count),
        first_looked_at=looked_at,
        first_looked_by=by,
        state=Case.State.DECIDED,
    )
    decision = Decision.objects.create(
        case=case, round=case.round, act=act, reason=reason, decided_by=by, decided_at=decided_at
    )
    if act == Act.FORWARD:
        inquiry_services.create_inquiry(
            question=archive_selectors.current_texts([case.item_id]).get(case.item_id, "") or "?",
            asked_where=f"{case.account} – {case.item.url or case.item.object_id}",
            asked_at=case.item.published_at,
            asker_contact=case.item.author_name,
            source=Inquiry.Source.MODERATION,
            by=by,
            external_id=selectors.forwarded_reference(case.pk, case.round),
        )
    return decision
