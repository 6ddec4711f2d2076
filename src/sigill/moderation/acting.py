"""Carrying a decision out on the platform: hide, unhide, delete or block, only once the saved copy
is verified (DESIGN.md §5.3), and trying again by itself when the platform could not be reached.

An attempt that fails for a passing reason (a rate limit, an outage) is tried again by the task
worker, a few times with growing pauses, as long as the platform's API allows the act and nobody
has acted on the decision since. Every attempt, by a person or by the worker, is a
:class:`PlatformAct` row and one audit entry. The retry task lives here, beside the act it
retries, so that carrying out and retrying need no import of each other.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import default_task_backend, task

from sigill.archive import selectors as archive_selectors
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.moderation import platform_acts
from sigill.moderation.models import Case, Decision, PlatformAct
from sigill.moderation.policies import decidable_accounts
from sigill.organisation.people import User

audit.describe_acts(
    {
        "moderation.platform_act": gettext_lazy("Moderation act on the platform"),
        "moderation.platform_act.refused": gettext_lazy("Platform act refused: saved copy not verified"),
    }
)

# The pauses before the worker tries a failed act again: three tries within about three quarters
# of an hour; after that a person decides (the case page keeps the button to try again).
RETRY_AFTER = (dt.timedelta(minutes=2), dt.timedelta(minutes=10), dt.timedelta(minutes=30))


def through_api(decision: Decision) -> bool:
    """Whether Sigill can carry the decision's act out through the platform's API."""
    platform = decision.case.item.platform
    return platform_acts.through_api(
        platform.slug,
        decision.platform_act,
        catalogue_acts=platform.moderation_acts,
        hide_is_final=platform.hide_is_final,
    )


def carry_out(*, decision: Decision, by: User, by_hand: bool = False) -> PlatformAct | None:
    """Hide, unhide, delete or block on the platform, but only once the saved copy has been verified.

    Uses the platform's connector where its API allows the act; otherwise (``by_hand``) records that
    the moderator did it on the platform themselves, after the same verification. Returns None
    when the act needs doing by hand and the moderator has not said it is done. A failure that
    may pass is tried again by the worker (:data:`RETRY_AFTER`).
    """
    if not decision.acts_on_platform:
        return None
    if not _may_carry_out(by, decision):
        raise PermissionDenied
    return _attempt(decision, by=by, by_hand=by_hand)


def _may_carry_out(by: User, decision: Decision) -> bool:
    """Who may decide the case; and the editor who marked it secret, which restricts the case to
    comms and the registrar, still carries out the removal their decision said."""
    if policy_for(Case).can(by, "decide", decision.case):
        return True
    return (
        decision.decided_by_id == by.pk
        and decidable_accounts(by).filter(pk=decision.case.account_id).exists()
    )


def _attempt(decision: Decision, *, by: User | None, by_hand: bool) -> PlatformAct | None:
    item = decision.case.item
    check = archive_selectors.verify_saved_copy(item)
    if not check.intact:
        with transaction.atomic():
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
                actor_label="" if by else "worker",
            )
        return attempt
    api = through_api(decision)
    if not api and not by_hand:
        return None
    outcome: str = PlatformAct.Outcome.DONE_BY_HAND
    message, retryable = "", False
    if api and not by_hand:
        outcome, message, retryable = _perform(decision)
    retry_at = _next_retry(decision, also_automatic=by is None) if retryable else None
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
                "act": decision.platform_act,
                "outcome": outcome,
                "verified_seal": check.seal,
                "message": message,
                "retry_at": retry_at.isoformat() if retry_at else "",
            },
            actor_label="" if by else "worker",
        )
    if retry_at is not None:
        # Enqueued once the attempt is stored: the worker checks it is still the latest one.
        transaction.on_commit(
            lambda: retry_platform_act.using(run_after=retry_at).enqueue(decision.pk, attempt.pk)
        )
    return attempt


def _perform(decision: Decision) -> tuple[str, str, bool]:
    item = decision.case.item
    actor = platform_acts.actor_for(item.platform.slug)
    assert actor is not None  # noqa: S101  (through_api said there is one)
    target = platform_acts.Target(
        account_id=item.account_id,
        platform_slug=item.platform.slug,
        object_id=item.object_id,
        parent_object_id=item.parent_object_id,
        author_platform_id=item.author_platform_id,
        url=item.url,
    )
    try:
        actor.perform(decision.platform_act, target)
    except platform_acts.ActFailed as failure:
        return PlatformAct.Outcome.FAILED, failure.message, failure.retryable
    return PlatformAct.Outcome.DONE, "", False


def _automatic_attempts(decision: Decision) -> int:
    return decision.platform_acts.filter(by__isnull=True).count()


def _next_retry(decision: Decision, *, also_automatic: bool) -> dt.datetime | None:
    """When the worker tries a failed act again, or None once it has tried often enough (or the
    task backend cannot run a task later). ``also_automatic``: the failed attempt, not stored
    yet, was the worker's."""
    tried = _automatic_attempts(decision) + (1 if also_automatic else 0)
    if tried >= len(RETRY_AFTER) or not default_task_backend.supports_defer:
        return None
    return timezone.now() + RETRY_AFTER[tried]


def planned_retry(decision: Decision) -> bool:
    """Whether the worker will try the decision's failed act again by itself."""
    last = decision.platform_acts.order_by("-at", "-id").first()
    if last is None or last.outcome != PlatformAct.Outcome.FAILED or not last.retryable:
        return False
    return default_task_backend.supports_defer and _automatic_attempts(decision) < len(RETRY_AFTER)


@task()
def retry_platform_act(decision_id: int, failed_attempt_id: int) -> str:
    """Try a failed act again, unless someone has acted on the decision since (then nothing)."""
    decision = Decision.objects.select_related("case", "case__item", "case__item__platform").get(
        pk=decision_id
    )
    last = decision.platform_acts.order_by("-at", "-id").first()
    if last is None or last.pk != failed_attempt_id:
        return "superseded"
    if not through_api(decision):
        return "by hand"
    attempt = _attempt(decision, by=None, by_hand=False)
    return attempt.outcome if attempt is not None else "by hand"
