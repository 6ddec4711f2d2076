"""Webhooks the platforms push: Meta's Page ``feed`` and Instagram ``comments`` changes.

The endpoint answers Meta's subscription handshake, checks ``X-Hub-Signature-256`` (HMAC-SHA256
of the raw body with the app secret) and keeps a delivery only when the signature holds; a bad or
missing signature is refused with 403, audited, and nothing is stored. A kept delivery is queued
for the worker, which captures it. A replayed body is known by its hash and captures nothing new.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sigill.archive import services as archive
from sigill.archive.capture import Capture, Source
from sigill.connectors import facebook, instagram, services, tasks
from sigill.connectors.models import CaptureRun, Connection, WebhookDelivery
from sigill.core import audit

# The platform slug of each webhook object Meta sends, and how its entries are parsed.
OBJECTS = {"page": "facebook", "instagram": "instagram"}


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
        with transaction.atomic():
            audit.record(
                "connectors.webhook.refused",
                actor_label="meta-webhook",
                request=request,
                details={
                    "reason": "missing" if not header else "mismatch",
                    "sha256": digest,
                    "bytes": len(body),
                },
            )
        return HttpResponseForbidden("Bad signature.")
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


def process(delivery_id: int) -> dict[str, int]:
    """Capture a delivery: each entry goes to the connected account whose platform id it names."""
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    # Ids as strings: older payloads send sender_id as a JSON number (platforms.md).
    payload = json.loads(delivery.body, parse_int=str)
    slug = OBJECTS.get(payload.get("object", ""))
    stored = {"items": 0, "versions": 0, "unknown_entries": 0}
    by_account: dict[int, list[Capture]] = {}
    for entry in payload.get("entry", []) if slug else []:
        connection = (
            Connection.objects.filter(account__platform__slug=slug, remote_id=str(entry.get("id", "")))
            .select_related("account")
            .first()
        )
        if connection is None:
            stored["unknown_entries"] += 1
            continue
        parse = facebook.webhook_captures if slug == "facebook" else _instagram_captures
        by_account.setdefault(connection.account_id, []).extend(
            parse(entry, account_id=connection.account_id, page_id=connection.remote_id)
        )
    for account_id, captures in by_account.items():
        run = services.start_run(
            account=Connection.objects.get(account_id=account_id).account, path=Source.WEBHOOK
        )
        with transaction.atomic():
            result = archive.capture(captures)
            services.count_page(run=run, result=result)
            services.finish_run(
                run=run, outcome=CaptureRun.Outcome.SUCCEEDED, details={"delivery": delivery.pk}
            )
        stored["items"] += result.items
        stored["versions"] += result.versions
    WebhookDelivery.objects.filter(pk=delivery.pk).update(processed_at=timezone.now(), result=stored)
    return stored


def _instagram_captures(entry: dict[str, Any], *, account_id: int, page_id: str) -> list[Capture]:
    return instagram.webhook_captures(entry, account_id=account_id, user_id=page_id)
