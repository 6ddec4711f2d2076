"""Every write of the moderation queue: screening into cases, looking, deciding, acting on the
platform (only after the saved copy is verified), registering, feedback and word lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

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
from sigill.moderation.acting import carry_out as carry_out  # the act on the platform
from sigill.moderation.deadlines import STOCKHOLM, due_after
from sigill.moderation.models import (
    ACTS_NEEDING_REASON,
    ACTS_WITH_REMOVAL,
    REMOVING_ACTS,
    Act,
    Case,
    CaseFinding,
    Decision,
    FindingFeedback,
    Registration,
    SupervisionVisit,
    TimeTarget,
    WordList,
)
from sigill.organisation.people import User
from sigill.registry.models import Account

audit.describe_acts(
    {
        "moderation.case.decided": gettext_lazy("Moderation decision"),
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


def require_guideline(user: User) -> None:
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


def record_visit(*, accounts: Iterable[Account], by: User) -> int:
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


def look_at(*, case: Case, by: User) -> None:
    """A moderator opened the case: the first look is the start of the time to decision."""
    record_visit(accounts=[case.account], by=by)
    if case.first_looked_at is None:
        Case.objects.filter(pk=case.pk, first_looked_at__isnull=True).update(
            first_looked_at=timezone.now(), first_looked_by=by
        )


@dataclass(frozen=True)
class Choice:
    """What a moderator chose for a case, before it is checked and stored.

    ``removal`` ("hide" or "delete") takes the comment off the platform in the same decision as
    reporting a threat or marking a secret; the other acts ignore it.
    """

    act: str
    reason: str = ""
    note: str = ""
    provision: str = ""
    reply_text: str = ""
    removal: str = ""

    @property
    def removes(self) -> bool:
        return self.act in REMOVING_ACTS or (self.act in ACTS_WITH_REMOVAL and self.removal in REMOVING_ACTS)


# The rule a removal names when the moderator gives none: the act says which.
DEFAULT_REASON = {Act.SECRET: CommentRule.SECRECY, Act.REPORT_THREAT: CommentRule.UNLAWFUL_THREAT}


def _reason_of(choice: Choice) -> str:
    if choice.act in ACTS_NEEDING_REASON:
        return choice.reason
    if choice.act in ACTS_WITH_REMOVAL and choice.removal:
        return choice.reason or DEFAULT_REASON[Act(choice.act)]
    return ""


def _validate(choice: Choice, *, unlawful: list[str]) -> None:
    """``unlawful``: the rules of law 1998:112 5 § the case's findings fall under."""
    errors: dict[str, str] = {}
    if choice.act not in Act.values or choice.act == Act.UNHIDE:
        errors["act"] = _("Choose a decision.")
    if choice.act in ACTS_NEEDING_REASON and not choice.reason:
        errors["reason"] = _(
            "Give the reason from the comment policy: the author is told which rule applies."
        )
    elif choice.reason and choice.reason not in CommentRule.values:
        errors["reason"] = _("Choose a reason from the comment policy's list of rules.")
    if choice.act in ACTS_WITH_REMOVAL and choice.removal not in ("", *REMOVING_ACTS):
        errors["removal"] = _("Choose to hide or delete the comment on the platform, or to leave it.")
    elif choice.act == Act.SECRET and not choice.removal:
        errors["removal"] = _(
            "Secret information must come off the platform: choose to hide or delete the comment."
        )
    if choice.act == Act.SECRET and not choice.provision.strip():
        errors["provision"] = _("Name the secrecy provision, for example OSL 26 kap. 1 §.")
    if choice.act == Act.REPLY and not choice.reply_text.strip():
        errors["reply_text"] = _("Write the reply.")
    if choice.act == Act.REPORT_THREAT and CommentRule.UNLAWFUL_THREAT not in unlawful:
        unlawful = [CommentRule.UNLAWFUL_THREAT, *unlawful]
    if unlawful and not choice.removes and not choice.note.strip() and "act" not in errors:
        errors["note"] = _(
            "%(rules)s: law 1998:112 5 § says such a comment must be removed when it is obvious. "
            "To leave it on the platform, write why in the note."
        ) % {"rules": ", ".join(str(CommentRule(rule).label) for rule in unlawful)}
    if errors:
        raise ValidationError(errors)


def decide(*, case: Case, choice: Choice, by: User) -> Decision:
    """Record ``by``'s decision on the case's current round and do what it says inside Sigill.

    A second decision on the same round raises :class:`AlreadyDecided`. Acts on the platform run
    afterwards, outside the transaction, in :func:`carry_out`.
    """
    policy_for(Case).require(by, "decide", case)
    require_guideline(by)
    _validate(choice, unlawful=selectors.unlawful_rules_of(case))
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("item", "account").get(pk=case.pk)
            if (existing := selectors.decision_of(case)) is not None:
                raise AlreadyDecided(existing)
            decision = Decision.objects.create(
                case=case,
                round=case.round,
                act=choice.act,
                reason=_reason_of(choice),
                removal=choice.removal if choice.act in ACTS_WITH_REMOVAL else "",
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
                    "removal": decision.removal,
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


def _effect_inside_sigill(decision: Decision, by: User) -> None:
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
    elif decision.act == Act.REPLY and (replier := _replier_for(case)) is not None:
        # Queued with the decision, in its transaction: a reply the platform cannot take (too long)
        # fails the decision with the reason; the outbox publishes it after the commit.
        try:
            replier.publish_reply(
                item=item,
                text=decision.reply_text,
                key=platform_acts.reply_key(decision.pk),
                record_metadata={
                    "moderation": {
                        "case": case.pk,
                        "round": decision.round,
                        "decided_by": by.get_username(),
                        "decided_at": decision.decided_at.isoformat(),
                    }
                },
                by=by,
            )
        except ValidationError as refused:
            raise ValidationError({"reply_text": refused.messages}) from refused


def _replier_for(case: Case) -> platform_acts.ReplyPublisher | None:
    """The publisher of replies, when it can reply on the case's platform."""
    replier = platform_acts.replier()
    return replier if replier is not None and replier.can_reply(case.account.platform.slug) else None


def unhide(*, case: Case, by: User, note: str = "") -> Decision:
    """Undo a hide: a decision, in the case's next round, to show the comment again on the platform.

    Only a comment whose hide was carried out (through the API or confirmed by hand) can be shown
    again, and one whose findings fall under law 1998:112 5 § only with a note saying why. The act
    itself runs afterwards, outside the transaction, in :func:`carry_out`.
    """
    policy_for(Case).require(by, "decide", case)
    require_guideline(by)
    if selectors.unlawful_rules_of(case) and not note.strip():
        raise ValidationError(
            {"note": _("The comment may be unlawful (law 1998:112 5 §): write why it may be shown again.")}
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("item", "account").get(pk=case.pk)
        hidden = selectors.decision_of(case)
        if hidden is None or hidden.platform_act != Act.HIDE or not hidden.done_on_platform:
            raise ValidationError(_("Only a comment that is hidden on the platform can be shown again."))
        if case.item.platform.hide_is_final:
            raise ValidationError(
                _("%(platform)s cannot show a hidden comment again.") % {"platform": case.item.platform}
            )
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


def register(*, decision: Decision, reference: str, by: User) -> Registration:
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


def mark_finding_wrong(*, finding: CaseFinding, by: User) -> FindingFeedback:
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


def change_word_list(*, name: str, terms: str, note: str, by: User) -> WordList:
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


def set_time_target(*, account: Account, hours: int, weekends_count: bool, by: User) -> TimeTarget:
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


def export_evidence(*, decision: Decision, by: User) -> bytes:
    """The evidence bundle of a threat reported to the police or of any comment removed from the
    platform, as PDF, made from the saved copy verified before the removal; every export is audited."""
    policy_for(Case).require(by, "decide", decision.case)
    if not decision.has_evidence_bundle:
        raise ValidationError(
            _(
                "Only a threat reported to the police or a comment removed from the platform has an evidence bundle."
            )
        )
    pdf = evidence.as_pdf(evidence.gather(decision, by=by))
    audit.record(
        "moderation.evidence.exported", actor=by, target=decision.case, details={"decision": decision.pk}
    )
    return pdf
