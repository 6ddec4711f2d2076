"""Demo capture state: one account syncing well, one that needs reconnecting (an open gap), one
whose gap closed, runs by webhook and export, and a TikTok account connected while it is being set
up. No network, no files; fast and idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigill.archive import services as archive
from sigill.connectors.models import CaptureRun, Connection
from sigill.connectors.platforms import facebook
from sigill.registry.models import Account

PAGE_ID = "104857392615487"
Outcome = CaptureRun.Outcome

# A Page webhook delivery in Meta's shape (object=page, field=feed), as the worker would capture it.
WEBHOOK_ENTRY = {
    "id": PAGE_ID,
    "time": 1736846468,
    "changes": [
        {
            "field": "feed",
            "value": {
                "from": {"id": "7349018273645190", "name": "Göran Ekdahl"},
                "message": "Kan ni sanda backen vid Vara torg också? Det är som en isbana 🧊⛸️",
                "post_id": f"{PAGE_ID}_122146783920571834",
                "comment_id": "122146783920571834_1675019283746501",
                "created_time": 1736846467,
                "item": "comment",
                "parent_id": f"{PAGE_ID}_122146783920571834",
                "verb": "add",
            },
        }
    ],
}


def _runs(account: Account, now: dt.datetime, plan: Sequence[tuple[float, str, str, int]]) -> None:
    """Runs ``hours`` ago: (hours, path, outcome, new items)."""
    errors: dict[str, str] = {
        Outcome.NEEDS_RECONNECT: "Instagram: (190/463) Error validating access token: Session has expired.",
        # Worded as the sync engine words it (in Swedish, where the engine speaks).
        Outcome.OUTAGE: _("%(platform)s answered HTTP %(status)s.") % {"platform": "YouTube", "status": 503},
        Outcome.FAILED: "LinkedIn: HTTP 403 Not enough permissions to access: GET /rest/posts",
    }
    CaptureRun.objects.bulk_create(
        CaptureRun(
            account=account,
            path=path,
            started_at=now - dt.timedelta(hours=hours),
            finished_at=now - dt.timedelta(hours=hours) + dt.timedelta(seconds=40),
            outcome=outcome,
            pages=3 if outcome == Outcome.SUCCEEDED else 0,
            items=items,
            error=errors.get(outcome, ""),
            details={
                "file": "facebook-varakommun-2025-03-14.zip",
                "found": {"post": 6, "comment": 9},
                "skipped": [
                    {
                        "reason": "a comment without text (a sticker, or removed)",
                        "count": 1,
                        "where": ["your_facebook_activity/comments_and_reactions/comments.json: #12"],
                    }
                ],
                "total": 15,
                "progress": 15,
                "files": [],
            }
            if path == "export"
            else {},
        )
        for hours, path, outcome, items in plan
    )


def _last_month(account: Account, *, token_expired: tuple[int, int] | None = None) -> None:
    """A sync each morning of last month (so its report shows real coverage); with
    ``token_expired`` (the days the token expired and was reconnected), a gap between them."""
    this_month = timezone.localtime().replace(day=1, hour=6, minute=0, second=0, microsecond=0)
    first = (this_month - dt.timedelta(days=1)).replace(day=1)
    runs = []
    day = first
    while day < this_month:
        outcome = Outcome.SUCCEEDED
        if token_expired and token_expired[0] <= day.day < token_expired[1]:
            outcome = Outcome.NEEDS_RECONNECT
        runs.append((day, outcome))
        day = (day + dt.timedelta(days=1)).replace(hour=6)  # a wall-clock morning, summer time or not
    _runs(
        account,
        timezone.now(),
        [((timezone.now() - at) / dt.timedelta(hours=1), "api", o, 1) for at, o in runs],
    )


@transaction.atomic
def seed() -> None:
    accounts = {(a.platform.slug, a.handle): a for a in Account.objects.select_related("platform")}
    page = accounts.get(("facebook", "varakommun"))
    if page is None or Connection.objects.filter(account=page).exists():
        return
    now = timezone.now()
    # Vara kommun on Facebook: syncing every 15 minutes, webhooks arriving, an export imported.
    result = archive.capture(facebook.webhook_captures(WEBHOOK_ENTRY, account_id=page.pk, page_id=PAGE_ID))
    _runs(
        page,
        now,
        [(h / 4, "api", Outcome.SUCCEEDED, 0) for h in range(1, 12)]
        + [(2, "webhook", Outcome.SUCCEEDED, result.items), (72, "export", Outcome.SUCCEEDED, 15)],
    )
    _last_month(page)
    Connection.objects.create(
        account=page,
        remote_id=PAGE_ID,
        status=Connection.Status.OK,
        last_attempt_at=now - dt.timedelta(minutes=5),
        last_success_at=now - dt.timedelta(minutes=5),
        next_sync_at=now + dt.timedelta(minutes=10),
        captured_until=now - dt.timedelta(minutes=6),
        items_captured=142,
    )
    if instagram := accounts.get(("instagram", "varakommun")):
        # The token expired two days ago: nothing is captured by API until comms reconnects.
        _runs(instagram, now, [(60, "api", Outcome.SUCCEEDED, 4), (48, "api", Outcome.NEEDS_RECONNECT, 0)])
        # Last month, too, the token expired on the 18th and comms reconnected it on the 20th.
        _last_month(instagram, token_expired=(18, 20))
        Connection.objects.create(
            account=instagram,
            remote_id="17841402837465019",
            status=Connection.Status.NEEDS_RECONNECT,
            status_changed_at=now - dt.timedelta(hours=48),
            last_attempt_at=now - dt.timedelta(hours=48),
            last_success_at=now - dt.timedelta(hours=60),
            last_error="Instagram: (190/463) Error validating access token: Session has expired.",
            items_captured=87,
        )
    if youtube := accounts.get(("youtube", "varakommun")):
        # A platform outage three days ago left a gap of a few hours, closed by the next sync.
        _runs(
            youtube,
            now,
            [
                (80, "api", Outcome.SUCCEEDED, 2),
                (76, "api", Outcome.OUTAGE, 0),
                (75, "api", Outcome.OUTAGE, 0),
                (72, "api", Outcome.SUCCEEDED, 3),
                (1, "api", Outcome.SUCCEEDED, 1),
            ],
        )
        _last_month(youtube)
        Connection.objects.create(
            account=youtube,
            remote_id="UUq7v3Xk2bN9pLr4TzW8yH1a",
            interval_minutes=60,
            status=Connection.Status.OK,
            last_attempt_at=now - dt.timedelta(hours=1),
            last_success_at=now - dt.timedelta(hours=1),
            next_sync_at=now,
            items_captured=23,
        )
    if threads := accounts.get(("threads", "varakommun")):
        # Threads is synced through its API every hour, like the other connected accounts.
        _runs(threads, now, [(h, "api", Outcome.SUCCEEDED, h % 2) for h in range(1, 6)])
        Connection.objects.create(
            account=threads,
            remote_id="26718293645019283",
            interval_minutes=60,
            status=Connection.Status.OK,
            last_attempt_at=now - dt.timedelta(hours=1),
            last_success_at=now - dt.timedelta(hours=1),
            next_sync_at=now,
            captured_until=now - dt.timedelta(hours=1),
            items_captured=11,
        )
    if tiktok := accounts.get(("tiktok", "varabibliotek")):
        # Vara bibliotek's TikTok business account, still being set up, is already connected to
        # TikTok's business API by its business_id; nothing is synced until the account is active
        # (the scheduler syncs live accounts only), so it has no runs yet.
        Connection.objects.create(
            account=tiktok,
            remote_id="-000qR7tLm2XcV9bN4hKs8WdY3pFj6gZe0uA",
            interval_minutes=60,
            status=Connection.Status.NEW,
            next_sync_at=now,
        )
