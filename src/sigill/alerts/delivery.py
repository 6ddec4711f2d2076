"""Sending an alert: one e-mail per person (Django's e-mail backend) and one message to the Teams or
Slack channel's incoming webhook. A failed attempt is recorded and audited, and tried again later
(``retry_due``) until ALERTS_DELIVERY_ATTEMPTS is reached.

The webhook's address is a secret (it is all anyone needs to post in the channel): it is read from
the settings when a message is posted and never written to a log, an audit entry, an error message
or the database. The standard library posts it, as it logs nothing of its own. Alerts never carry
the comment's text: what was found in it may be an identity number, which must not spread further.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sigill.alerts.models import Alert, Delivery, Reason
from sigill.alerts.selectors import deliveries_due, digests_due, stranded_alerts
from sigill.core import audit
from sigill.moderation import selectors as moderation_selectors

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
# An alert's delivery task runs within seconds of its commit; one still waiting after this was lost.
STRANDED_AFTER = dt.timedelta(minutes=5)


class DeliveryFailed(Exception):
    """An attempt failed; the message is safe to store and show (it never holds the webhook's address)."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    link: str


def _absolute(path: str) -> str:
    return settings.SIGILL_BASE_URL.rstrip("/") + path


def compose(alert: Alert) -> Message:
    """The alert's words, in Swedish (the municipality's language), with an absolute link."""
    with translation.override(settings.LANGUAGE_CODE):
        findings = [moderation_selectors.finding_label(kind) for kind in alert.finding_types]
        folded = list(alert.folded.select_related("case").order_by("created_at", "id"))
        if alert.reason == Reason.DIGEST:
            subject = ngettext(
                "Alert digest: %(count)d alert on %(account)s",
                "Alert digest: %(count)d alerts on %(account)s",
                len(folded),
            ) % {"count": len(folded), "account": alert.account}
            link = _absolute(reverse("moderation:queue"))
        elif alert.reason == Reason.MISSED_TARGET:
            subject = _("Alert: the time target was missed on %(account)s") % {"account": alert.account}
            link = _absolute(alert.case.get_absolute_url()) if alert.case else ""
        else:
            subject = _("Alert: %(findings)s in a comment on %(account)s") % {
                "findings": ", ".join(findings),
                "account": alert.account,
            }
            link = _absolute(alert.case.get_absolute_url()) if alert.case else ""
        body = render_to_string(
            "alerts/email/alert.txt",
            {
                "alert": alert,
                "findings": findings,
                "link": link,
                "folded": [
                    (item, _absolute(item.case.get_absolute_url()) if item.case else "") for item in folded
                ],
                "settings_link": _absolute(reverse("alerts:preferences")),
            },
        )
    return Message(subject=subject, body=body, link=link)


def _send_email(delivery: Delivery, message: Message) -> None:
    assert delivery.user is not None  # noqa: S101  (an e-mail delivery has a person: a constraint)
    try:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [delivery.user.email],
            fail_silently=False,
        )
    except OSError as exc:  # smtplib's errors are OSErrors too
        raise DeliveryFailed(
            _("The mail server refused or could not be reached (%(error)s).") % {"error": type(exc).__name__}
        ) from None


def webhook_payload(message: Message, mentioned: list[str]) -> dict[str, object]:
    """Slack's incoming webhook reads ``text``; a Teams connector reads a MessageCard."""
    lines = [message.subject]
    if mentioned:
        lines.append(_("To: %(people)s") % {"people": ", ".join(mentioned)})
    lines.append(message.link)
    text = "\n".join(line for line in lines if line)
    if settings.ALERTS_WEBHOOK_KIND == "teams":
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": message.subject,
            "title": message.subject,
            "text": text.replace("\n", "\n\n"),
        }
    return {"text": text}


def _post_webhook(delivery: Delivery, message: Message) -> None:
    url = settings.ALERTS_WEBHOOK_URL
    if not url.startswith(("https://", "http://")):
        raise DeliveryFailed(_("The webhook address in the settings is not an http(s) address."))
    with translation.override(settings.LANGUAGE_CODE):
        payload = webhook_payload(message, [str(person) for person in delivery.alert.mentioned.all()])
    request = urllib.request.Request(  # noqa: S310  (the scheme is checked above)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Sigill alerts"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(_("The channel answered HTTP %(status)d.") % {"status": exc.code}) from None
    except (urllib.error.URLError, OSError) as exc:
        # Neither the exception's text nor its reason is kept: they may name the address.
        raise DeliveryFailed(
            _("The channel could not be reached (%(error)s).") % {"error": type(exc).__name__}
        ) from None


def _attempt(delivery: Delivery, message: Message, now: dt.datetime) -> None:
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            _send_email(delivery, message)
        else:
            _post_webhook(delivery, message)
    except DeliveryFailed as failure:
        _failed(delivery, str(failure), now)
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.SENT, attempts=delivery.attempts + 1, sent_at=now, next_attempt_at=None
        )


def _failed(delivery: Delivery, error: str, now: dt.datetime) -> None:
    attempts = delivery.attempts + 1
    gave_up = attempts >= settings.ALERTS_DELIVERY_ATTEMPTS
    # Waits of 1, 2, 4, 8 ... times the retry interval between tries.
    wait = dt.timedelta(seconds=settings.ALERTS_RETRY_SECONDS * 2 ** (attempts - 1))
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.FAILED if gave_up else Delivery.State.RETRYING,
            attempts=attempts,
            last_error=error[:300],
            next_attempt_at=None if gave_up else now + wait,
        )
        audit.record(
            "alerts.delivery.failed",
            target=delivery.alert.case if delivery.alert.case is not None else delivery.alert.account,
            actor_label="sigill",
            details={
                "alert": delivery.alert_id,
                "channel": delivery.channel,
                "to": delivery.user.username if delivery.user else "",
                "attempt": attempts,
                "error": error,
                "gave_up": gave_up,
            },
        )
    log.warning(
        "alert %s: %s delivery failed (attempt %s): %s", delivery.alert_id, delivery.channel, attempts, error
    )


def deliver(alert_id: int, *, now: dt.datetime | None = None) -> int:
    """Send the alert's waiting deliveries, once; returns how many were sent."""
    now = now or timezone.now()
    alert = Alert.objects.select_related("account__platform", "case").get(pk=alert_id)
    message = compose(alert)
    # Taken once: a task enqueued twice, or a digest due and already sent, sends nothing more.
    if not Alert.objects.filter(pk=alert_id, delivered_at__isnull=True).update(delivered_at=now):
        return 0
    for delivery in alert.deliveries.filter(state=Delivery.State.PENDING).select_related("user", "alert"):
        _attempt(delivery, message, now)
    return alert.deliveries.filter(state=Delivery.State.SENT).count()


def retry_due(*, now: dt.datetime | None = None) -> int:
    """Try again every failed delivery whose next try is due; returns how many were tried."""
    now = now or timezone.now()
    due = list(deliveries_due(now).select_related("alert__account__platform", "alert__case", "user"))
    for delivery in due:
        _attempt(delivery, compose(delivery.alert), now)
    return len(due)


def deliver_stranded(*, now: dt.datetime | None = None) -> int:
    """Send alerts whose delivery task never ran (a worker stopped, the queue was lost): those not
    folded into a digest and still undelivered STRANDED_AFTER after they were raised."""
    now = now or timezone.now()
    stranded = list(stranded_alerts(now - STRANDED_AFTER).values_list("pk", flat=True))
    for alert_id in stranded:
        deliver(alert_id, now=now)
    return len(stranded)


def send_due_digests(*, now: dt.datetime | None = None) -> int:
    """Close and send every digest whose flood window has passed."""
    now = now or timezone.now()
    sent = 0
    for digest_id in digests_due(now).values_list("pk", flat=True):
        deliver(digest_id, now=now)
        sent += 1
    return sent
