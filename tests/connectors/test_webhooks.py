"""Meta's webhooks: the handshake, the signature on the raw body, the worker's capture, replays."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from sigill.archive.models import ItemFact
from sigill.connectors.models import CaptureRun, WebhookDelivery
from sigill.core.models import AuditEntry
from sigill.registry.models import Account
from tests.connectors.conftest import FIXTURES, archived, latest_text, raw

APP_SECRET = "3f9c1a7e5b2d4c6e8f0a1b2c3d4e5f60"  # the fixtures' invented secret
COMMENT = "122146783920571834_1675019283746501"


def signature(name: str) -> str:
    text = (FIXTURES / f"facebook/webhook/{name}.signature.txt").read_text()
    return next(line.split(": ", 2)[2] for line in text.splitlines() if line.startswith("Header:"))


@pytest.fixture(autouse=True)
def _meta_settings() -> Iterator[None]:
    immediate = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(
        META_APP_SECRET=APP_SECRET, META_WEBHOOK_VERIFY_TOKEN="vara-verify-7", TASKS=immediate
    ):
        yield


def deliver(name: str, header: str | None = None, body: bytes | None = None) -> Any:
    headers = {} if header == "" else {"X-Hub-Signature-256": header or signature(name)}
    return Client().post(
        reverse("connectors:meta_webhook"),
        data=body if body is not None else raw(f"facebook/webhook/{name}.json"),
        content_type="application/json",
        headers=headers,
    )


def test_the_subscription_handshake_echoes_the_challenge_only_with_the_verify_token(db: Any) -> None:
    url = reverse("connectors:meta_webhook")
    ok = Client().get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "vara-verify-7", "hub.challenge": "1158201444"}
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = Client().get(url, {"hub.mode": "subscribe", "hub.verify_token": "gissning", "hub.challenge": "1"})
    assert wrong.status_code == 403


def test_a_signed_comment_is_queued_and_captured_by_the_worker(
    vara_page: Account, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver("feed_comment_add")
    assert response.status_code == 200
    item = archived(vara_page)[COMMENT]
    assert latest_text(item) == "Kan ni sanda backen vid Vara torg också? Det är som en isbana 🧊⛸️"
    assert (
        item.author_name == "Göran Ekdahl" and item.parent_object_id == "104857392615487_122146783920571834"
    )
    assert WebhookDelivery.objects.get().processed_at is not None
    assert CaptureRun.objects.get(account=vara_page).path == "webhook"


@pytest.mark.parametrize("header", ["", "re-serialised", "sha256=" + "0" * 64])
def test_a_bad_or_missing_signature_is_refused_audited_and_nothing_is_stored(
    vara_page: Account, header: str, django_capture_on_commit_callbacks: Any
) -> None:
    if header == "re-serialised":
        text = (FIXTURES / "facebook/webhook/feed_comment_add.signature.txt").read_text()
        header = next(
            "sha256=" + line.split("sha256=")[1].split()[0]
            for line in text.splitlines()
            if "Negative test" in line
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver("feed_comment_add", header=header)
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists() and archived(vara_page) == {}
    refused = AuditEntry.objects.get(act="connectors.webhook.refused")
    assert refused.details["reason"] == ("missing" if header == "" else "mismatch")


def test_the_signature_is_checked_on_the_raw_bytes_not_on_re_serialised_json(vara_page: Account) -> None:
    body = json.dumps(json.loads(raw("facebook/webhook/feed_comment_add.json")), ensure_ascii=False).encode()
    assert deliver("feed_comment_add", body=body).status_code == 403


def test_a_replayed_delivery_captures_nothing_new(
    vara_page: Account, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        deliver("feed_comment_add")
        again = deliver("feed_comment_add")
    assert again.status_code == 200
    assert WebhookDelivery.objects.count() == 1
    assert archived(vara_page)[COMMENT].versions.count() == 1


def test_an_edit_a_reply_a_hide_and_a_removal_arrive_as_versions_items_and_facts(
    vara_page: Account, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for name in (
            "feed_comment_add",
            "feed_comment_edited",
            "feed_comment_add_reply",
            "feed_comment_hide",
            "feed_comment_remove",
        ):
            assert deliver(name).status_code == 200
    items = archived(vara_page)
    edited = items[COMMENT]
    assert edited.versions.count() == 2 and "(Edit: gäller även trappan vid vårdcentralen!)" in latest_text(
        edited
    )
    reply = items["122146783920571834_1702938475610293"]
    assert reply.parent_object_id == COMMENT and reply.direction == "drawn_up"
    hidden = items["122146783920571834_1548273619028374"]
    assert hidden.author_platform_id == "7710293846571928", "the numeric sender_id is read without rounding"
    assert ItemFact.objects.filter(item=hidden, fact=ItemFact.Fact.REMOVED_ON_PLATFORM).exists()


def signed(body: bytes) -> str:
    import hashlib
    import hmac

    return "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_fifty_unsigned_requests_are_counted_with_one_audit_summary_not_fifty_rows(
    vara_page: Account,
) -> None:
    from sigill.connectors.models import WebhookNoise
    from sigill.connectors.webhooks import noise_since

    for _ in range(50):
        assert deliver("feed_comment_add", header="").status_code == 403
    assert AuditEntry.objects.filter(act="connectors.webhook.refused").count() == 1
    assert WebhookNoise.objects.get().count == 50
    assert sum(noise_since(WebhookNoise.objects.get().hour).values()) == 50
    assert not WebhookDelivery.objects.exists() and archived(vara_page) == {}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"object": "page", "entry": [{"id": "1", "changes": [\xff\xfe]}]}', "not UTF-8 (byte 53)"),
        (
            b'{"object": "page", "entry": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            "nests deeper than the 64 levels",
        ),
        (b'{"object": "page", "entry": [', "not JSON"),
        (b'{"object": "page", "entry": {"id": "1"}}', "not a webhook notification"),
    ],
    ids=["invalid-utf8", "deep", "cut-off", "wrong-shape"],
)
def test_a_signed_body_that_cannot_be_read_is_refused_with_400_and_kept_as_a_failed_delivery(
    vara_page: Account, body: bytes, says: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver("feed_comment_add", header=signed(body), body=body)
    assert response.status_code == 400 and says in response.content.decode()
    failed = WebhookDelivery.objects.get()
    assert says in failed.error and failed.processed_at is not None and failed.result == {"failed": True}
    assert archived(vara_page) == {} and not CaptureRun.objects.exists()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"object": "page", "entry": [1]}', "Entry 1 is not an object."),
        (b'{"entry": []}', "The body names no object"),
        (
            b'{"object": "page", "entry": [{"id": "104857392615487", "changes": "feed"}]}',
            "Entry 1 is not in the documented shape (AttributeError",
        ),
        (
            b'{"object": "page", "entry": [{"id": "104857392615487", "changes": [{"field": "feed", '
            b'"value": {"item": "comment", "verb": "add", "comment_id": "1_2", "post_id": "1", '
            b'"message": ["not", "text"]}}]}]}',
            "Entry 1 is not in the documented shape (ValueError: a capture's text must be text)",
        ),
        (
            b'{"object": "instagram", "entry": [{"id": "1789", "changes": [{"field": "comments", '
            b'"value": {"id": "1", "text": "Hej", "from": "not an object"}}]}]}',
            "Entry 1 is not in the documented shape (AttributeError",
        ),
    ],
    ids=["entry-not-an-object", "no-object", "changes-not-a-list", "message-a-list", "author-a-string"],
)
def test_a_signed_body_in_a_shape_the_parsers_do_not_know_is_refused_with_400_not_left_unprocessed(
    vara_page: Account, body: bytes, says: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Such bodies used to be accepted and then fail on the worker, never processed."""
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver("feed_comment_add", header=signed(body), body=body)
    assert response.status_code == 400 and says in response.content.decode()
    failed = WebhookDelivery.objects.get()
    assert says in failed.error and failed.processed_at is not None and failed.result == {"failed": True}
    assert archived(vara_page) == {} and not CaptureRun.objects.exists()


def test_a_notification_for_another_meta_object_is_kept_and_captures_nothing(
    vara_page: Account, django_capture_on_commit_callbacks: Any
) -> None:
    body = b'{"object": "permissions", "entry": [{"id": "1", "changes": [{"field": "ads_management"}]}]}'
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver("feed_comment_add", header=signed(body), body=body).status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None and not delivery.error
    assert archived(vara_page) == {}


def test_unsigned_invalid_utf8_is_counted_like_any_noise(vara_page: Account) -> None:
    from sigill.connectors.models import WebhookNoise

    for _ in range(3):
        response = deliver("feed_comment_add", header="sha256=" + "0" * 64, body=b"\xff\xfe\x00 not utf-8")
        assert response.status_code == 403
    assert WebhookNoise.objects.get(reason="mismatch").count == 3
    assert AuditEntry.objects.filter(act="connectors.webhook.refused").count() == 1
    assert not WebhookDelivery.objects.exists()


def test_counts_older_than_ninety_days_are_pruned_so_noise_cannot_grow_the_table_forever(
    vara_page: Account,
) -> None:
    import datetime as dt

    from django.utils import timezone

    from sigill.connectors import webhooks
    from sigill.connectors.models import WebhookNoise
    from sigill.core import scheduler

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for days in (1, 89, 91, 400):
        WebhookNoise.objects.create(
            platform="meta", reason="missing", hour=hour - dt.timedelta(days=days), count=7
        )
    audited = AuditEntry.objects.count()

    prune = next(job for job in scheduler.registered_jobs() if job.name == "prune_webhook_noise")
    prune.enqueue()

    kept = sorted((hour - row).days for row in WebhookNoise.objects.values_list("hour", flat=True))
    assert kept == [1, 89]
    assert webhooks.prune_noise() == 0, "a second pruning finds nothing"
    assert AuditEntry.objects.count() == audited, "the audit summaries stay"


def test_a_body_over_django_s_upload_limit_is_refused_with_400_unread(vara_page: Account) -> None:
    body = b'{"object": "page", "entry": [], "pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = deliver("feed_comment_add", header=signed(body), body=body)
    assert response.status_code == 400
    assert not WebhookDelivery.objects.exists() and archived(vara_page) == {}


def test_comms_see_the_refused_requests_of_the_last_day_on_the_capture_page(
    vara_page: Account, alice: Any, erik: Any
) -> None:
    from tests.conftest import signed_in_client

    for _ in range(3):
        deliver("feed_comment_add", header="")
    deliver("feed_comment_add", header="sha256=" + "0" * 64)
    page = signed_in_client(alice).get(reverse("connectors:overview")).content.decode()
    assert "Meta: ingen signatur: 3" in page
    assert "Meta: fel signatur: 1" in page
    editor_page = signed_in_client(erik).get(reverse("connectors:overview")).content.decode()
    assert "Avvisade webhook-anrop" not in editor_page
