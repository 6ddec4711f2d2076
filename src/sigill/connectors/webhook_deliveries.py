"""Capturing a webhook delivery the endpoint kept (``webhooks``), on the worker: each entry goes
to the connected account whose platform id it names. A replayed body was never kept twice."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from sigill.archive import services as archive
from sigill.archive.capture import Capture, Source
from sigill.connectors import runs
from sigill.connectors.models import CaptureRun, Connection, WebhookDelivery
from sigill.connectors.platforms import facebook, instagram

# The platform slug of each webhook object Meta sends, and how its entries are parsed.
OBJECTS = {"page": "facebook", "instagram": "instagram"}


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
        run = runs.start_run(
            account=Connection.objects.get(account_id=account_id).account, path=Source.WEBHOOK
        )
        with transaction.atomic():
            result = archive.capture(captures)
            runs.count_page(run=run, result=result)
            runs.finish_run(run=run, outcome=CaptureRun.Outcome.SUCCEEDED, details={"delivery": delivery.pk})
        stored["items"] += result.items
        stored["versions"] += result.versions
    WebhookDelivery.objects.filter(pk=delivery.pk).update(processed_at=timezone.now(), result=stored)
    return stored


def entries_problem(payload: dict[str, Any]) -> str:
    """Why the entries of a notification cannot be captured, or '' when they can: each entry is
    parsed as the worker will parse it (nothing is stored), so a signed body in a shape the
    parsers do not know is refused at the door, not left unprocessed on the worker."""
    kind = payload.get("object")
    if not isinstance(kind, str):
        return "The body names no object (page, instagram) as a string."
    if (slug := OBJECTS.get(kind)) is None:
        return ""  # another of Meta's objects: read, and nothing in it for Sigill to capture
    parse = facebook.webhook_captures if slug == "facebook" else _instagram_captures
    for number, entry in enumerate(payload.get("entry", []), start=1):
        if not isinstance(entry, dict):
            return f"Entry {number} is not an object."
        try:
            parse(entry, account_id=0, page_id=str(entry.get("id", "")))
        except (AttributeError, KeyError, TypeError, ValueError, OverflowError) as exc:
            return f"Entry {number} is not in the documented shape ({type(exc).__name__}: {exc})."
    return ""


def _instagram_captures(entry: dict[str, Any], *, account_id: int, page_id: str) -> list[Capture]:
    return instagram.webhook_captures(entry, account_id=account_id, user_id=page_id)
