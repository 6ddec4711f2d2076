"""Every write of the moderation queue: screening into cases, looking, deciding, acting on the
platform (only after the saved copy is verified), registering, feedback and word lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.archive import selectors as archive_selectors
from sigill.archive import services as archive_services
from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item, ItemVersion
from sigill.compliance import services as compliance_services
from sigill.compliance.models import CommentRule
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.guidelines.selectors import must_acknowledge
from sigill.inquiries import services as inquiry_services
from sigill.inquiries.models import Inquiry
from sigill.moderation import engine, evidence, platform_acts, selectors, watchers
from sigill.moderation.deadlines import STOCKHOLM, due_after
from sigill.moderation.models import (
    ACTS_NEEDING_REASON,
    Act,
    Case,
    CaseFinding,
    Decision,
    FindingFeedback,
    PlatformAct,
    Registration,
    SupervisionVisit,
    TimeTarget,
    WordList,
)
from sigill.registry.models import Account

audit.describe_acts(
    {
        "moderation.case.decided": gettext_lazy("Moderation decision"),
        "moderation.platform_act": gettext_lazy("Moderation act on the platform"),
        "moderation.platform_act.refused": gettext_lazy("Platform act refused: saved copy not verified"),
        "moderation.registered": gettext_lazy("Moderated record registered"),
        "moderation.finding.marked_wrong": gettext_lazy("Screening finding marked wrong"),
        "moderation.word_list.changed": gettext_lazy("Word list changed"),
        "moderation.time_target.changed": gettext_lazy("Moderation time target changed"),
        "moderation.evidence.exported": gettext_lazy("Evidence for a police report exported"),
    }
)

SCREENED_KINDS = (Kind.COMMENT, Kind.REPLY, Kind.MESSAGE)
# One look per person and account in this window is evidence enough; more would only be noise.
VISIT_WINDOW = dt.timedelta(minutes=30)


class GuidelineNotAcknowledged(PermissionDenied):
    """The moderator has not acknowledged the guideline in force (G8)."""


class AlreadyDecided(Exception):
    """Someone else decided this round of the case first; their decision stands."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(str(decision))
        self.decision = decision


def require_guideline(user: Any) -> None:
    if must_acknowledge(user) is not None:
        raise GuidelineNotAcknowledged(_("Acknowledge the guideline in force before you moderate."))


def _due(account_id: int, opened_at: dt.datetime, finding_types: Iterable[str] = ()) -> dt.datetime:
    target = selectors.time_target(Account(pk=account_id))
    return due_after(
        opened_at,
        hours=target.hours,
        weekends_count=target.weekends_count,
        on_call=watchers.on_call_for(frozenset(finding_types)),
    )


def screen_items(item_ids: Iterable[int]) -> int:
    """Screen the newest version of each received comment, reply and message; open or update its case.

    Returns the number of cases opened or updated. Screening the same version twice changes nothing.
    """
    items = Item.objects.filter(pk__in=list(item_ids), direction=Direction.RECEIVED, kind__in=SCREENED_KINDS)
    latest: dict[int, ItemVersion] = {}
    for version in ItemVersion.objects.filter(item__in=items).order_by("item_id", "number"):
        latest[version.item_id] = version
    cases = {case.item_id: case for case in Case.objects.filter(item__in=items)}
    screener = engine.screener()
    changed = 0
    for item in items:
        found, case = latest.get(item.pk), cases.get(item.pk)
        if found is None or (case is not None and case.screened_version >= found.number):
            continue
        version = found
        findings = screener.screen(version.text)
        types = {finding.type.value for finding in findings}
        with transaction.atomic():
            if case is None:
                case = Case(item=item, account_id=item.account_id, opened_at=item.received_at)
                case.due_at = _due(item.account_id, item.received_at, types)
            elif not case.is_open and findings:
                # Edited after the decision, and the edit brings findings: it needs a new look.
                case.state, case.round = Case.State.OPEN, case.round + 1
                case.opened_at = version.captured_at
                case.due_at = _due(item.account_id, version.captured_at, types)
            case.screened_version = version.number
            case.severity = engine.severity_of(findings)
            case.save()
            CaseFinding.objects.bulk_create(
                CaseFinding(
                    case=case,
                    version=version.number,
                    type=finding.type.value,
                    start=finding.start,
                    end=finding.end,
                    confidence=finding.confidence,
                    explanation=finding.explanation,
                    detector=finding.detector,
                    lexicon=finding.lexicon or "",
                    lexicon_version=finding.lexicon_version or "",
                )
                for finding in findings
            )
            if findings:
                # Explicit, in this transaction: the alerts of a critical finding stand or fall with it.
                watchers.case_screened(case=case, finding_types=types)
        changed += 1
    return changed


def record_visit(*, accounts: Iterable[Account], by: Any) -> int:
    """``by`` looked at the comments of ``accounts`` (the queue, a case): the supervision record."""
    since = timezone.now() - VISIT_WINDOW
    ids = {account.pk for account in accounts}
    recent = set(
        SupervisionVisit.objects.filter(account_id__in=ids, user=by, at__gte=since).values_list(
            "account_id", flat=True
        )
    )
    fresh = [SupervisionVisit(account_id=pk, user=by) for pk in sorted(ids - recent)]
    SupervisionVisit.objects.bulk_create(fresh)
    return len(fresh)


def look_at(*, case: Case, by: Any) -> None:
    """A moderator opened the case: the first look is the start of the time to decision."""
    record_visit(accounts=[case.account], by=by)
    if case.first_looked_at is None:
        Case.objects.filter(pk=case.pk, first_looked_at__isnull=True).update(
            first_looked_at=timezone.now(), first_looked_by=by
        )


@dataclass(frozen=True)
class Choice:
    """What a moderator chose for a case, before it is checked and stored."""

    act: str
    reason: str = ""
    note: str = ""
    provision: str = ""
    reply_text: str = ""


def _validate(choice: Choice) -> None:
    errors: dict[str, str] = {}
    if choice.act not in Act.values or choice.act == Act.UNHIDE:
        errors["act"] = _("Choose a decision.")
    if choice.act in ACTS_NEEDING_REASON and not choice.reason:
        errors["reason"] = _(
            "Give the reason from the comment policy: the author is told which rule applies."
        )
    elif choice.reason and choice.reason not in CommentRule.values:
        errors["reason"] = _("Choose a reason from the comment policy's list of rules.")
    if choice.act == Act.SECRET and not choice.provision.strip():
        errors["provision"] = _("Name the secrecy provision, for example OSL 26 kap. 1 §.")
    if choice.act == Act.REPLY and not choice.reply_text.strip():
        errors["reply_text"] = _("Write the reply.")
    if errors:
        raise ValidationError(errors)


def decide(*, case: Case, choice: Choice, by: Any) -> Decision:
    """Record ``by``'s decision on the case's current round and do what it says inside Sigill.

    A second decision on the same round raises :class:`AlreadyDecided`. Acts on the platform run
    afterwards, outside the transaction, in :func:`carry_out`.
    """
    policy_for(Case).require(by, "decide", case)
    require_guideline(by)
    _validate(choice)
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("item", "account").get(pk=case.pk)
            if (existing := selectors.decision_of(case)) is not None:
                raise AlreadyDecided(existing)
            decision = Decision.objects.create(
                case=case,
                round=case.round,
                act=choice.act,
                reason=choice.reason if choice.act in ACTS_NEEDING_REASON else "",
                note=choice.note.strip(),
                provision=choice.provision.strip(),
                reply_text=choice.reply_text.strip(),
                decided_by=by,
            )
            case.state = Case.State.DECIDED
            if case.first_looked_at is None:
                case.first_looked_at, case.first_looked_by = decision.decided_at, by
            case.save(update_fields=["state", "first_looked_at", "first_looked_by"])
            _effect_inside_sigill(decision, by)
            compliance_services.mark_reports_handled(reports=selectors.open_reports_on(case), by=by)
            audit.record(
                "moderation.case.decided",
                actor=by,
                target=case,
                details={
                    "act": decision.act,
                    "reason": decision.reason,
                    "round": decision.round,
                    "item": case.item_id,
                },
            )
    except IntegrityError as race:
        # Two moderators at once: the database's one-decision-per-round rule let only one in.
        existing = Decision.objects.filter(case=case, round=case.round).first()
        if existing is None:
            raise
        raise AlreadyDecided(existing) from race
    return decision


def _effect_inside_sigill(decision: Decision, by: Any) -> None:
    case, item = decision.case, decision.case.item
    if decision.act == Act.FORWARD:
        inquiry_services.create_inquiry(
            question=archive_selectors.current_texts([item.pk]).get(item.pk, "") or _("(no text)"),
            asked_where=f"{case.account} – {item.url or item.object_id}",
            asked_at=item.published_at,
            asker_contact=item.author_handle or item.author_name,
            source=Inquiry.Source.MODERATION,
            by=by,
            external_id=selectors.forwarded_reference(case.pk, decision.round),
        )
    elif decision.act == Act.SECRET:
        archive_services.mark_secret(item=item, provision=decision.provision, note=decision.note, by=by)


def carry_out(*, decision: Decision, by: Any, by_hand: bool = False) -> PlatformAct | None:
    """Hide, unhide, delete or block on the platform, but only once the saved copy has been verified.

    Uses the platform's connector where its API allows the act; otherwise (``by_hand``) records that
    the moderator did it on the platform themselves, after the same verification. Returns None
    when the act needs doing by hand and the moderator has not said it is done.
    """
    if not decision.acts_on_platform:
        return None
    policy_for(Case).require(by, "decide", decision.case)
    item = decision.case.item
    check = archive_selectors.verify_saved_copy(item)
    if not check.intact:
        attempt = PlatformAct.objects.create(
            decision=decision,
            outcome=PlatformAct.Outcome.REFUSED_UNVERIFIED,
            message="; ".join(check.problems),
            by=by,
        )
        audit.record(
            "moderation.platform_act.refused",
            actor=by,
            target=decision.case,
            details={"problems": check.problems},
        )
        return attempt
    actor = platform_acts.actor_for(item.platform.slug)
    through_api = platform_acts.through_api(
        item.platform.slug, decision.act, catalogue_acts=item.platform.moderation_acts
    )
    if not through_api and not by_hand:
        return None
    outcome, message, retryable = PlatformAct.Outcome.DONE_BY_HAND, "", False
    if through_api and not by_hand:
        assert actor is not None  # noqa: S101  (narrowed above)
        target = platform_acts.Target(
            account_id=item.account_id,
            platform_slug=item.platform.slug,
            object_id=item.object_id,
            parent_object_id=item.parent_object_id,
            author_platform_id=item.author_platform_id,
            url=item.url,
        )
        try:
            actor.perform(decision.act, target)
            outcome = PlatformAct.Outcome.DONE
        except platform_acts.ActFailed as failure:
            outcome, message, retryable = PlatformAct.Outcome.FAILED, failure.message, failure.retryable
    with transaction.atomic():
        attempt = PlatformAct.objects.create(
            decision=decision,
            outcome=outcome,
            message=message,
            retryable=retryable,
            verified_seal=check.seal,
            by=by,
        )
        audit.record(
            "moderation.platform_act",
            actor=by,
            target=decision.case,
            details={
                "act": decision.act,
                "outcome": outcome,
                "verified_seal": check.seal,
                "message": message,
            },
        )
    return attempt


def unhide(*, case: Case, by: Any, note: str = "") -> Decision:
    """Undo a hide: a decision, in the case's next round, to show the comment again on the platform.

    Only a comment whose hide was carried out (through the API or confirmed by hand) can be shown
    again. The act itself runs afterwards, outside the transaction, in :func:`carry_out`.
    """
    policy_for(Case).require(by, "decide", case)
    require_guideline(by)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("item", "account").get(pk=case.pk)
        hidden = selectors.decision_of(case)
        if hidden is None or hidden.act != Act.HIDE or not hidden.done_on_platform:
            raise ValidationError(_("Only a comment that is hidden on the platform can be shown again."))
        case.round += 1
        case.save(update_fields=["round"])
        decision = Decision.objects.create(
            case=case, round=case.round, act=Act.UNHIDE, note=note.strip(), decided_by=by
        )
        audit.record(
            "moderation.case.decided",
            actor=by,
            target=case,
            details={"act": decision.act, "reason": "", "round": decision.round, "item": case.item_id},
        )
    return decision


def register(*, decision: Decision, reference: str, by: Any) -> Registration:
    """The registrar registered the record the decision said must be registered."""
    policy_for(Registration).require(by, "register")
    if not decision.needs_registration:
        raise ValidationError(_("This decision does not call for registration."))
    if not reference.strip():
        raise ValidationError({"reference": _("Give the reference number the record was registered under.")})
    with transaction.atomic():
        if Registration.objects.filter(decision=decision).exists():
            raise ValidationError(_("The record is already registered."))
        registration = Registration.objects.create(
            decision=decision, reference=reference.strip()[:60], registered_by=by
        )
        audit.record(
            "moderation.registered",
            actor=by,
            target=decision.case,
            details={"reference": registration.reference},
        )
    return registration


def mark_finding_wrong(*, finding: CaseFinding, by: Any) -> FindingFeedback:
    """A moderator says a finding is wrong: counted against its detector and word list."""
    policy_for(Case).require(by, "decide", finding.case)
    with transaction.atomic():
        feedback, created = FindingFeedback.objects.get_or_create(finding=finding, defaults={"by": by})
        if created:
            audit.record(
                "moderation.finding.marked_wrong",
                actor=by,
                target=finding.case,
                details={"type": finding.type, "detector": finding.detector, "lexicon": finding.lexicon},
            )
    return feedback


def change_word_list(*, name: str, terms: str, note: str, by: Any) -> WordList:
    """A new version of a word list (or the allow-list); screening uses it from now on."""
    policy_for(WordList).require(by, "change")
    if name not in (*engine.list_names(), engine.ALLOW_LIST):
        raise ValidationError({"name": _("There is no word list with that name.")})
    cleaned = terms.strip()
    if not cleaned and name != engine.ALLOW_LIST:
        raise ValidationError({"terms": _("A word list needs at least one term.")})
    with transaction.atomic():
        last = (
            WordList.objects.filter(name=name).order_by("-version").values_list("version", flat=True).first()
        )
        word_list = WordList.objects.create(
            name=name, version=(last or 0) + 1, terms=cleaned, note=note.strip()[:300], changed_by=by
        )
        audit.record(
            "moderation.word_list.changed",
            actor=by,
            details={"list": name, "version": word_list.version, "note": note},
        )
    return word_list


def set_time_target(*, account: Account, hours: int, weekends_count: bool, by: Any) -> TimeTarget:
    """Set an account's moderation time target; open cases get their due times again."""
    policy_for(Account).require(by, "change", account)
    if not 1 <= hours <= 720:
        raise ValidationError({"hours": _("Give a time between 1 and 720 hours.")})
    with transaction.atomic():
        target, _created = TimeTarget.objects.update_or_create(
            account=account, defaults={"hours": hours, "weekends_count": weekends_count}
        )
        for case in Case.objects.filter(account=account, state=Case.State.OPEN):
            case.due_at = due_after(
                case.opened_at,
                hours=hours,
                weekends_count=weekends_count,
                on_call=watchers.on_call_for(selectors.current_finding_types(case)),
            )
            case.save(update_fields=["due_at"])
        audit.record(
            "moderation.time_target.changed",
            actor=by,
            target=account,
            details={"hours": hours, "weekends_count": weekends_count},
        )
    return target


def refresh_due_times(*, day: dt.date) -> int:
    """Who is on call on ``day`` changed: open cases with findings get their due times again.

    Called by the alerts app's rota services (in their transaction); returns how many moved.
    """
    moved = 0
    for case in Case.objects.filter(state=Case.State.OPEN, severity__gt=0, opened_at__lt=_after(day)):
        due = _due(case.account_id, case.opened_at, selectors.current_finding_types(case))
        if due != case.due_at:
            case.due_at = due
            case.save(update_fields=["due_at"])
            moved += 1
    return moved


def _after(day: dt.date) -> dt.datetime:
    """The end of ``day`` in Swedish time: a case opened later cannot be affected by that day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=STOCKHOLM)


def export_evidence(*, decision: Decision, by: Any) -> bytes:
    """The evidence bundle of a threat reported to the police, as PDF; every export is audited."""
    policy_for(Case).require(by, "decide", decision.case)
    if decision.act != Act.REPORT_THREAT:
        raise ValidationError(_("Only a decision to report a threat has an evidence bundle."))
    pdf = evidence.as_pdf(evidence.gather(decision, by=by))
    audit.record(
        "moderation.evidence.exported", actor=by, target=decision.case, details={"decision": decision.pk}
    )
    return pdf
