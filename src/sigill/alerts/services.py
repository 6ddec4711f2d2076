"""Every write of the alerts app: raising an alert (once per case and reason), folding a flood into
a digest, the rota, and each person's preferences. Sending happens after commit (``delivery``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.alerts import selectors, tasks
from sigill.alerts.models import Alert, AlertPreference, Delivery, Reason, RotaDay, RotaWeek
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.moderation import selectors as moderation_selectors
from sigill.moderation import services as moderation_services
from sigill.organisation.people import User

audit.describe_acts(
    {
        "alerts.alert.raised": gettext_lazy("Alert raised"),
        "alerts.alert.folded": gettext_lazy("Alert folded into a digest"),
        "alerts.delivery.failed": gettext_lazy("Alert delivery failed"),
        "alerts.rota.assigned": gettext_lazy("On-call rota changed"),
        "alerts.preferences.changed": gettext_lazy("Alert preferences changed"),
    }
)


def critical_types(finding_types: Collection[str]) -> list[str]:
    """The findings among ``finding_types`` that alert at once (settings.ALERTS_CRITICAL_FINDINGS)."""
    return sorted(set(finding_types) & set(settings.ALERTS_CRITICAL_FINDINGS))


@dataclass(frozen=True)
class Audience:
    """Who is told: by e-mail, and by name in the channel's message."""

    by_email: list[Any]
    mentioned: list[Any]
    on_call: bool


def audience_for(account: Any, reason: str, at: dt.datetime) -> Audience:
    """In office hours, the account's editors and comms who want this kind of alert; outside them,
    the person on call, whatever their preferences (being on call means being told). With nobody on
    call, everyone is told as in office hours."""
    if not selectors.is_office_hours(at):
        person = selectors.on_call_person(at.astimezone(selectors.STOCKHOLM).date())
        if person is not None:
            return Audience(by_email=[person] if person.email else [], mentioned=[person], on_call=True)
    people = selectors.editors_and_comms(account)
    chosen = selectors.preferences_of(people)
    return Audience(
        by_email=[p for p in people if p.email and chosen[p.pk].by_email and chosen[p.pk].wants(reason)],
        mentioned=[p for p in people if chosen[p.pk].webhook_mention and chosen[p.pk].wants(reason)],
        on_call=False,
    )


def _with_deliveries(alert: Alert, audience: Audience) -> None:
    Delivery.objects.bulk_create(
        [Delivery(alert=alert, channel=Delivery.Channel.EMAIL, user=person) for person in audience.by_email]
    )
    if settings.ALERTS_WEBHOOK_URL:
        Delivery.objects.create(alert=alert, channel=Delivery.Channel.WEBHOOK)
    alert.mentioned.set(audience.mentioned)


def _audit_raised(alert: Alert, audience: Audience) -> None:
    audit.record(
        "alerts.alert.raised",
        target=alert.case if alert.case is not None else alert.account,
        actor_label="sigill",
        details={
            "alert": alert.pk,
            "reason": alert.reason,
            "findings": alert.finding_types,
            "on_call": audience.on_call,
            "email_to": [person.username for person in audience.by_email],
            "mentioned": [person.username for person in audience.mentioned],
            # Whether the channel is told; its address is a secret and never written here.
            "webhook": bool(settings.ALERTS_WEBHOOK_URL),
        },
    )


def _open_digest(account: Any, now: dt.datetime) -> Alert:
    """The account's digest that is still collecting, or a new one closing after the flood window."""
    digest = (
        Alert.objects.select_for_update()
        .filter(account=account, reason=Reason.DIGEST, delivered_at__isnull=True)
        .first()
    )
    if digest is not None:
        return digest
    audience = audience_for(account, Reason.DIGEST, now)
    digest = Alert.objects.create(
        account=account,
        reason=Reason.DIGEST,
        created_at=now,
        on_call=audience.on_call,
        due_at=now + dt.timedelta(minutes=settings.ALERTS_FLOOD_MINUTES),
    )
    _with_deliveries(digest, audience)
    _audit_raised(digest, audience)
    return digest


def raise_alert(
    *, case: Any, reason: str, finding_types: Collection[str] = (), now: dt.datetime | None = None
) -> Alert | None:
    """Raise the case's alert for ``reason``, once: None if it was raised before.

    Runs in the caller's transaction (the screening's, for a finding); the deliveries are sent by a
    background task after it commits. When the account already had ALERTS_FLOOD_COUNT alerts in the
    last ALERTS_FLOOD_MINUTES, the alert is folded into the account's digest instead of being sent.
    """
    now = now or timezone.now()
    if Alert.objects.filter(case=case, reason=reason).exists():
        return None
    try:
        with transaction.atomic():
            since = now - dt.timedelta(minutes=settings.ALERTS_FLOOD_MINUTES)
            recent = (
                Alert.objects.filter(account_id=case.account_id, created_at__gte=since)
                .exclude(reason=Reason.DIGEST)
                .count()
            )
            alert = Alert.objects.create(
                account_id=case.account_id,
                case=case,
                reason=reason,
                finding_types=sorted(finding_types),
                created_at=now,
            )
            if recent >= settings.ALERTS_FLOOD_COUNT:
                alert.digest = _open_digest(case.account, now)
                alert.on_call = alert.digest.on_call
                alert.save(update_fields=["digest", "on_call"])
                audit.record(
                    "alerts.alert.folded",
                    target=case,
                    actor_label="sigill",
                    details={"alert": alert.pk, "reason": reason, "digest": alert.digest.pk},
                )
                return alert
            audience = audience_for(case.account, reason, now)
            alert.on_call = audience.on_call
            alert.save(update_fields=["on_call"])
            _with_deliveries(alert, audience)
            _audit_raised(alert, audience)
    except IntegrityError:
        # Raised at the same moment by another worker: the database let one in, and one is enough.
        if Alert.objects.filter(case=case, reason=reason).exists():
            return None
        raise
    pk = alert.pk
    transaction.on_commit(lambda: tasks.deliver_alert.enqueue(pk))
    return alert


def alert_missed_targets(*, now: dt.datetime | None = None) -> int:
    """Alert once for every open case past its time target; returns how many alerts were raised."""
    now = now or timezone.now()
    raised = 0
    overdue = moderation_selectors.overdue_cases(now).exclude(alerts__reason=Reason.MISSED_TARGET)
    for case in overdue.order_by("due_at", "id"):
        with transaction.atomic():
            if raise_alert(case=case, reason=Reason.MISSED_TARGET, now=now) is not None:
                raised += 1
    return raised


# The rota ---------------------------------------------------------------------------------------


def _require_candidate(person: User) -> None:
    if not selectors.rota_candidates().filter(pk=person.pk).exists():
        raise ValidationError({"person": _("Only communications officers and editors can be on call.")})


def assign_week(*, week_start: dt.date, person: User, by: User) -> RotaWeek:
    """Put ``person`` on call for the week starting on Monday ``week_start``."""
    policy_for(RotaWeek).require(by, "change")
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A week on call starts on a Monday.")})
    _require_candidate(person)
    with transaction.atomic():
        week, _created = RotaWeek.objects.update_or_create(
            week_start=week_start,
            defaults={"person": person, "assigned_by": by, "assigned_at": timezone.now()},
        )
        audit.record(
            "alerts.rota.assigned",
            actor=by,
            target=person,
            details={"week": week_start.isoformat(), "person": person.username},
        )
        # A staffed weekend keeps critical cases' clocks running: their due times may move.
        moderation_services.refresh_due_times(day=week_start + dt.timedelta(days=6))
    return week


def assign_day(*, day: dt.date, person: User | None, by: User) -> RotaDay | None:
    """Put ``person`` on call for one day instead of the week's person; None gives the day back."""
    policy_for(RotaWeek).require(by, "change")
    if person is not None:
        _require_candidate(person)
    with transaction.atomic():
        if person is None:
            RotaDay.objects.filter(day=day).delete()
            override = None
        else:
            override, _created = RotaDay.objects.update_or_create(
                day=day, defaults={"person": person, "assigned_by": by, "assigned_at": timezone.now()}
            )
        audit.record(
            "alerts.rota.assigned",
            actor=by,
            details={"day": day.isoformat(), "person": person.username if person else ""},
        )
        moderation_services.refresh_due_times(day=day)
    return override


# Preferences ------------------------------------------------------------------------------------


def set_preferences(
    *,
    user: User,
    by_email: bool,
    webhook_mention: bool,
    critical_finding: bool,
    missed_target: bool,
    digest: bool,
) -> AlertPreference:
    """A person chooses what they receive (only their own preferences)."""
    choices = {
        "by_email": by_email,
        "webhook_mention": webhook_mention,
        "critical_finding": critical_finding,
        "missed_target": missed_target,
        "digest": digest,
    }
    with transaction.atomic():
        preference, _created = AlertPreference.objects.update_or_create(
            user=user, defaults={**choices, "updated_at": timezone.now()}
        )
        audit.record("alerts.preferences.changed", actor=user, target=user, details=choices)
    return preference
