"""Webhooks the platforms push: Meta's Page ``feed`` and Instagram ``comments`` changes.

The endpoint answers Meta's subscription handshake, checks ``X-Hub-Signature-256`` (HMAC-SHA256
of the raw body with the app secret) and keeps a delivery only when the signature holds; a bad or
missing signature is refused with 403 and nothing is stored: such noise is counted by platform,
reason and hour (:class:`WebhookNoise`), with one audit summary an hour, never a row a request.
A validly signed body that cannot be read (not UTF-8, JSON past the readers' bounds, not the
documented shape) is refused with 400 and kept as a failed delivery. A kept delivery is queued
for the worker, which captures it (``webhook_deliveries``). A replayed body is known by its hash
and captures nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sigill.connectors import tasks, webhook_deliveries
from sigill.connectors.exports.reading import JsonBounds
from sigill.connectors.exports.source import ExportRefused
from sigill.connectors.models import WebhookDelivery, WebhookNoise
from sigill.core import audit

# How long the hourly counts of refused requests are kept (the scheduler prunes them daily).
NOISE_KEPT = dt.timedelta(days=90)


def signature_is_valid(body: bytes, header: str, secret: str) -> bool:
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


@csrf_exempt  # Meta signs its deliveries; there is no session and no form
@require_http_methods(["GET", "POST"])
def meta(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    body = request.body
    header = request.headers.get("X-Hub-Signature-256", "")
    digest = hashlib.sha256(body).hexdigest()
    if not signature_is_valid(body, header, settings.META_APP_SECRET):
        count_noise(platform="meta", reason="missing" if not header else "mismatch", request=request)
        return HttpResponseForbidden("Bad signature.")
    problem = unreadable(body)
    if problem:
        WebhookDelivery.objects.get_or_create(
            sha256=digest,
            defaults={
                "platform": "meta",
                "body": body.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
                "error": problem,
                "processed_at": timezone.now(),
                "result": {"failed": True},
            },
        )
        return HttpResponseBadRequest(problem, content_type="text/plain")
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(platform="meta", body=body.decode(), sha256=digest)
            transaction.on_commit(lambda: tasks.capture_webhook.enqueue(delivery.pk))
    except IntegrityError:
        pass  # a replay (or Meta's retry) of a delivery already kept: nothing new to capture
    return HttpResponse("OK", content_type="text/plain")


def _handshake(request: HttpRequest) -> HttpResponse:
    token = settings.META_WEBHOOK_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") == "subscribe" and token and hmac.compare_digest(given, token):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("Verification failed.")


def unreadable(body: bytes) -> str:
    """Why a signed body cannot be captured, or '' when it can: it must be UTF-8, JSON within the
    readers' bounds (depth, value length, size), an object with an ``entry`` list, and each entry
    one the platform's parser reads."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"The body is not UTF-8 (byte {exc.start})."
    try:
        with translation.override("en"):  # the answer goes to the platform, not to a person
            bounded = JsonBounds(io.BytesIO(body), label="The body")
            while bounded.read(1024 * 1024):
                pass
        payload = json.loads(text, parse_int=str)
    except ExportRefused as exc:
        return exc.message
    except ValueError as exc:
        return f"The body is not JSON ({exc})."
    if not isinstance(payload, dict) or not isinstance(payload.get("entry", []), list):
        return "The body is not a webhook notification (an object with an entry list)."
    return webhook_deliveries.entries_problem(payload)


def count_noise(*, platform: str, reason: str, request: HttpRequest) -> None:
    """Count one refused request; the first of its hour writes one audit summary naming the
    previous hour's count, so noise is seen without a row a request."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    row: dict[str, Any] = {"platform": platform, "reason": reason, "hour": hour}
    with transaction.atomic():
        if WebhookNoise.objects.filter(**row).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                WebhookNoise.objects.create(**row, count=1)
        except IntegrityError:  # another request created it a moment ago
            WebhookNoise.objects.filter(**row).update(count=F("count") + 1)
            return
        before = WebhookNoise.objects.filter(platform=platform, reason=reason, hour__lt=hour).first()
        audit.record(
            "connectors.webhook.refused",
            actor_label=f"{platform}-webhook",
            request=request,
            details={
                "reason": reason,
                "hour": hour.isoformat(),
                "counted": "further refusals this hour are counted, not audited one by one",
                "previous": {"hour": before.hour.isoformat(), "count": before.count} if before else None,
            },
        )


def prune_noise(*, now: dt.datetime | None = None) -> int:
    """Remove the hourly counts older than :data:`NOISE_KEPT`; return how many rows went.

    The counts are a metric, not records: each hour's count is named in the next hour's audit
    summary, so what is removed here is already in the audit log wherever noise went on."""
    deleted, _by_model = WebhookNoise.objects.filter(hour__lt=(now or timezone.now()) - NOISE_KEPT).delete()
    return deleted


def noise_since(since: Any) -> dict[tuple[str, str], int]:
    """The metric: refused webhook requests since ``since`` by (platform, reason)."""
    counts: dict[tuple[str, str], int] = {}
    for platform, reason, count in WebhookNoise.objects.filter(hour__gte=since).values_list(
        "platform", "reason", "count"
    ):
        counts[(platform, reason)] = counts.get((platform, reason), 0) + count
    return counts
