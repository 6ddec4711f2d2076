"""Webhooks the platforms push: Meta's Page ``feed`` and Instagram ``comments`` changes.

The endpoint answers Meta's subscription handshake, checks ``X-Hub-Signature-256`` (HMAC-SHA256
of the raw body with the app secret) and keeps a delivery only when the signature holds; a bad or
missing signature is refused with 403, audited, and nothing is stored. A kept delivery is queued
for the worker, which captures it (``webhook_deliveries``). A replayed body is known by its hash
and captures nothing new.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sigill.connectors import tasks
from sigill.connectors.models import WebhookDelivery
from sigill.core import audit


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
