"""Facebook: a sync walks the Page's feed, comments and replies into the archive, page by page."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
from typing import Any

import httpx
import httpx2
import pytest
from django.core import mail
from django.db import connection as db_connection
from django.test import override_settings

from sigill.archive.capture import Direction, Kind
from sigill.archive.models import Item
from sigill.connectors import runs
from sigill.connectors import sync as engine
from sigill.connectors.models import CaptureRun, Connection
from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.connectors.conftest import PAGE_ID, TOKEN, archived, connection_of, latest_text, payload
from tests.connectors.graph import AKE_COMMENT, GRAPH, SNOW_POST, mount_page
from tests.connectors.walks import COMMS_ADDRESS, told_comms_to_reconnect

USAGE_NEAR_LIMIT = {
    "type": "pages",
    "call_count": 97,
    "total_cputime": 10,
    "total_time": 12,
    "estimated_time_to_regain_access": 7,
}
# Tests that stop a walk half-way leave some of the Page's routes uncalled.
pytestmark = pytest.mark.httpx2(assert_all_called=False)


def waited(connection: Connection, run: CaptureRun) -> dt.timedelta:
    """How long the account waits before its next sync, counted from the end of ``run``."""
    assert connection.next_sync_at is not None and run.finished_at is not None
    return connection.next_sync_at - run.finished_at


def test_every_post_comment_and_reply_is_captured_with_its_parent_author_text_and_time(
    vara_page: Account, httpx2_mock: Any
) -> None:
    mount_page(httpx2_mock)
    run = engine.sync(vara_page)
    assert run is not None and run.outcome == CaptureRun.Outcome.SUCCEEDED
    items = archived(vara_page)
    # 5 posts on two feed pages, 7 comments on two comment pages, 3 replies.
    assert [i.kind for i in items.values()].count(Kind.POST) == 5
    assert [i.kind for i in items.values()].count(Kind.COMMENT) == 7
    assert [i.kind for i in items.values()].count(Kind.REPLY) == 3
    ake = items[AKE_COMMENT]
    assert ake.parent_object_id == SNOW_POST
    assert ake.author_name == "Åke Sjöberg" and ake.author_platform_id == "7034561298734512"
    assert latest_text(ake).startswith("Och när kommer ni till Västra Bodarne?")
    assert ake.published_at == dt.datetime(2025, 1, 14, 6, 15, 40, tzinfo=dt.UTC)
    assert ake.direction == Direction.RECEIVED
    reply = items["122146783920571834_1384756019283746"]
    assert reply.kind == Kind.REPLY and reply.parent_object_id == AKE_COMMENT
    assert reply.direction == Direction.DRAWN_UP  # the Page's own reply
    anonymous = items["122146783920571834_887162534019283"]
    assert (
        anonymous.author_name == ""
        and latest_text(anonymous) == "Finns det sand att hämta gratis någonstans? 🙂"
    )
    visitor = items[f"{PAGE_ID}_122146170293847561"]
    assert visitor.direction == Direction.RECEIVED and visitor.author_name == "Göran Ekdahl"
    cover = items[f"{PAGE_ID}_122146288374619285"]
    assert latest_text(cover) == "Vara kommun updated their cover photo."


def test_photos_are_kept_as_attachments_and_hidden_comments_say_so(
    vara_page: Account, httpx2_mock: Any
) -> None:
    mount_page(httpx2_mock)
    engine.sync(vara_page)
    items = archived(vara_page)
    snow = items[SNOW_POST].versions.get()
    assert [(a.name, a.content_type) for a in snow.attachments.all()] == [
        ("473829104_122146783857102938_2837461928374650192_n.jpg", "image/jpeg")
    ]
    photo_comment = items["122146783920571834_1203948576102938"].versions.get()
    assert photo_comment.attachments.count() == 1
    hidden = items["122146783920571834_1548273619028374"].versions.get()
    assert hidden.metadata["is_hidden"] is True
    link_post = items[f"{PAGE_ID}_122146402817465023"].versions.get()
    assert link_post.attachments.count() == 0
    assert link_post.metadata["links"][0]["title"] == "Nya öppettider på biblioteket"


def test_the_token_is_sent_in_a_header_and_never_stored_in_the_cursor(
    vara_page: Account, httpx2_mock: Any
) -> None:
    routes = mount_page(httpx2_mock)
    routes["comments_p2"].side_effect = httpx2.ConnectError("nätet föll bort")
    engine.sync(vara_page)
    connection = connection_of(vara_page)
    assert connection.cursor["queue"], "the walk stopped half-way and kept its place"
    assert TOKEN not in str(connection.cursor) and "EAABxxxxxxxxxxxx" not in str(connection.cursor)
    assert routes["feed_p1"].calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_attachments_are_downloaded_without_the_token_which_only_the_api_requests_carry(
    vara_page: Account, httpx2_mock: Any
) -> None:
    """The images live on fbcdn.net, not on the Graph API: the Page's token must never go there."""
    routes = mount_page(httpx2_mock)
    engine.sync(vara_page)
    downloads = [call.request for call in routes["images"].calls]
    assert len(downloads) == 2
    for request in downloads:
        assert request.url.host.endswith(".fbcdn.net")
        assert "authorization" not in request.headers
        assert "access_token" not in request.url.params
        assert TOKEN not in str(request.url)
    api_requests = [
        call.request for name, route in routes.items() if name != "images" for call in route.calls
    ]
    assert api_requests
    assert all(request.headers["Authorization"] == f"Bearer {TOKEN}" for request in api_requests)


def test_a_second_run_reads_only_what_is_new_since_the_first(vara_page: Account, httpx2_mock: Any) -> None:
    routes = mount_page(httpx2_mock)
    engine.sync(vara_page)
    first_walk = connection_of(vara_page).captured_until
    assert first_walk is not None and connection_of(vara_page).cursor == {}
    engine.sync(vara_page)
    since = int(routes["feed_p1"].calls.last.request.url.params["since"])
    assert since == int((first_walk - engine.LOOKBACK).timestamp())
    assert connection_of(vara_page).items_captured == 15
    runs = CaptureRun.objects.filter(account=vara_page).order_by("started_at")
    assert [(r.items, r.versions) for r in runs] == [(15, 15), (0, 0)]


def test_a_comment_on_a_post_older_than_the_lookback_is_captured_by_the_next_full_walk_without_doubles(
    vara_page: Account, httpx2_mock: Any, settings: Any
) -> None:
    """An incremental walk lists only posts since the last walk (less two weeks); a new comment on
    the library's opening-hours post of last month waits for the weekly full walk."""
    settings.CONNECTOR_FULL_WALK_DAYS = 7
    routes = mount_page(httpx2_mock)
    first_page = routes["feed_p1"].return_value

    def feed(request: Any) -> httpx.Response:
        # Graph lists only posts created since ``since``: none of the Page's posts is that new.
        return httpx.Response(200, json={"data": []}) if "since" in request.url.params else first_page

    routes["feed_p1"].side_effect = feed
    engine.sync(vara_page)
    assert connection_of(vara_page).cursor == {} and len(archived(vara_page)) == 15

    old_post = f"{PAGE_ID}_122146402817465023"
    new_comment = payload("facebook/graph-api/post_comments_p1.json")["data"][1] | {
        "id": "122146402817465023_771829304615273",
        "comment_count": 0,
        "created_time": "2025-02-20T08:12:09+0000",
        "from": {"name": "Märta Lindqvist", "id": "6620193847561029"},
        "message": "Gäller de nya öppettiderna även under sportlovet?",
    }
    routes["no_comments"].side_effect = lambda request: httpx.Response(
        200, json={"data": [new_comment] if f"/{old_post}/comments" in request.url.path else []}
    )
    engine.sync(vara_page)
    assert "since" in routes["feed_p1"].calls.last.request.url.params
    assert new_comment["id"] not in archived(vara_page), "an incremental walk does not see it"

    run = CaptureRun.objects.filter(account=vara_page, details__full_walk=True).get()
    CaptureRun.objects.filter(pk=run.pk).update(
        details=run.details | {"walk_started": (dt.datetime.now(dt.UTC) - dt.timedelta(days=7)).isoformat()}
    )
    walk = engine.sync(vara_page)
    assert walk is not None and walk.details["full_walk"] is True
    assert "since" not in routes["feed_p1"].calls.last.request.url.params
    items = archived(vara_page)
    assert len(items) == 16 and walk.items == 1
    assert items[new_comment["id"]].parent_object_id == old_post
    assert {i.versions.count() for i in items.values()} == {1}, "nothing stored twice"
    assert not engine.full_walk_due(connection_of(vara_page)), "the next full walk is a week away"


def test_the_api_token_is_opened_once_per_run_however_many_pages(
    vara_page: Account, httpx2_mock: Any
) -> None:
    routes = mount_page(httpx2_mock)
    engine.sync(vara_page)
    engine.sync(vara_page)
    requests = sum(route.call_count for route in routes.values() if route is not routes["images"])
    opened = AuditEntry.objects.filter(act="vault.api_token.opened").order_by("id")
    assert requests > 10
    assert [e.details["use"] for e in opened] == [1, 1]
    assert {e.details["sync_run"] for e in opened} == {
        str(pk) for pk in CaptureRun.objects.filter(account=vara_page).values_list("pk", flat=True)
    }


@pytest.mark.parametrize("error_file", ["error_4_app_rate_limit.json", "error_32_page_rate_limit.json"])
def test_a_rate_limit_backs_off_and_the_next_run_resumes_where_the_walk_stopped(
    vara_page: Account, httpx2_mock: Any, error_file: str
) -> None:
    routes = mount_page(httpx2_mock)
    limited = httpx.Response(400, json=payload(f"facebook/graph-api/{error_file}"))
    routes["comments_p2"].side_effect = [limited, routes["comments_p2"].return_value]
    run = engine.sync(vara_page)
    assert run is not None and run.outcome == CaptureRun.Outcome.PAUSED
    connection = connection_of(vara_page)
    assert connection.status == Connection.Status.FAILING
    assert waited(connection, run) > dt.timedelta(0)
    assert "(#" in connection.last_error
    assert Account.objects.filter(pk=vara_page.pk).exists()
    assert vara_page not in engine.take_due(), "it waits out the backoff"
    resumed = engine.sync(vara_page)
    assert resumed is not None and resumed.outcome == CaptureRun.Outcome.SUCCEEDED
    assert routes["feed_p1"].call_count == 1, "the feed was not read again: the cursor was kept"
    assert len(archived(vara_page)) == 15


def test_usage_headers_near_the_limit_pause_the_walk_before_it_is_throttled(
    vara_page: Account, httpx2_mock: Any
) -> None:
    routes = mount_page(httpx2_mock)
    routes["feed_p1"].return_value = httpx.Response(
        200,
        json=payload("facebook/graph-api/page_feed_p1.json"),
        headers={"X-Business-Use-Case-Usage": json.dumps({PAGE_ID: [USAGE_NEAR_LIMIT]})},
    )
    run = engine.sync(vara_page)
    assert run is not None and run.outcome == CaptureRun.Outcome.PAUSED
    connection = connection_of(vara_page)
    assert waited(connection, run) >= dt.timedelta(minutes=6, seconds=59)
    assert len(archived(vara_page)) == 3, "the page read is kept"


def test_an_expired_token_marks_the_account_for_reconnection_tells_comms_and_stops_retrying(
    vara_page: Account, httpx2_mock: Any, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    alice.email = COMMS_ADDRESS
    alice.save()
    httpx2_mock.get(f"{GRAPH}/{PAGE_ID}/feed").respond(
        400, json=payload("facebook/graph-api/error_190_expired_token.json")
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = engine.sync(vara_page)
        engine.sync(vara_page)
    told_comms_to_reconnect(vara_page, run)
    assert "Session has expired" in connection_of(vara_page).last_error
    assert "Vara kommun" in mail.outbox[0].subject


def test_where_facebook_log_in_is_set_up_comms_is_told_to_log_in_again_not_to_deposit_a_token(
    vara_page: Account, httpx2_mock: Any, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    alice.email = COMMS_ADDRESS
    alice.save()
    httpx2_mock.get(f"{GRAPH}/{PAGE_ID}/feed").respond(
        400, json=payload("facebook/graph-api/error_190_expired_token.json")
    )
    with (
        override_settings(META_APP_ID="4711000000000042", META_APP_SECRET="fake-app-secret-not-real"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        engine.sync(vara_page)
    body = mail.outbox[0].body
    assert "måste logga in med Facebook igen, från kontots insamlingssida" in body
    assert "API-token i valvet" not in body


def test_an_outage_keeps_the_cursor_and_backs_off_longer_each_time(
    vara_page: Account, httpx2_mock: Any
) -> None:
    httpx2_mock.get(f"{GRAPH}/{PAGE_ID}/feed").respond(503, text="<html>Service Unavailable</html>")
    waits = []
    for _ in range(3):
        run = engine.sync(vara_page)
        assert run is not None and run.outcome == CaptureRun.Outcome.OUTAGE
        connection = connection_of(vara_page)
        waits.append(waited(connection, run))
    assert waits[0] < waits[1] < waits[2]
    assert connection.cursor["queue"][0]["step"] == "feed"


class Killed(BaseException):
    """The worker dies (not an error any code may catch)."""


def _snapshot(account: Account) -> set[tuple[str, str, str, int]]:
    return {
        (item.object_id, item.parent_object_id, latest_text(item), item.versions.count())
        for item in Item.objects.filter(account=account)
    }


def test_a_sync_killed_after_any_page_and_restarted_ends_with_exactly_the_items_of_a_clean_run(
    alice: User, erik: User, bob: User, units: dict[str, Unit], httpx2_mock: Any
) -> None:
    from tests.connectors.conftest import connect

    clean = connect(
        "facebook", "facebook.com/varakommunren", PAGE_ID, alice=alice, erik=erik, bob=bob, units=units
    )
    routes = mount_page(httpx2_mock)
    engine.sync(clean)
    expected = _snapshot(clean)
    pages = sum(r.call_count for name, r in routes.items() if name != "images")
    rng = random.Random(20250114)
    for attempt in range(12):
        account = connect(
            "facebook",
            f"facebook.com/varakommun{attempt}",
            PAGE_ID,
            alice=alice,
            erik=erik,
            bob=bob,
            units=units,
            display_name=f"Vara kommun {attempt}",
        )
        kill_at = rng.randrange(1, pages)
        seen = {"n": 0}

        def maybe_kill(request: Any, kill_at: int = kill_at, seen: dict[str, int] = seen) -> None:
            if "fbcdn" not in request.url.host:
                seen["n"] += 1
                if seen["n"] == kill_at:
                    raise Killed

        _run_with_kill(account, maybe_kill, httpx2_mock)
        restarted = engine.sync(account)
        assert restarted is not None and restarted.outcome == CaptureRun.Outcome.SUCCEEDED
        assert _snapshot(account) == expected, f"killed at request {kill_at}"


def _run_with_kill(account: Account, hook: Any, router: Any) -> None:
    with pytest.raises(Killed):
        _run_with_hook(account, hook, router)


def _run_with_hook(account: Account, hook: Any, router: Any) -> None:
    original = router.handler

    def hooked(request: Any) -> Any:
        hook(request)
        return original(request)

    router.handler = hooked
    try:
        engine.sync(account)
    finally:
        router.handler = original


@pytest.mark.skipif(
    db_connection.vendor != "postgresql",
    reason="the killed sync is another process; SQLite's test database is in this one's memory",
)
@pytest.mark.django_db(transaction=True)
def test_a_sync_killed_hard_is_taken_over_at_once_by_the_next_run_on_the_same_machine(
    alice: User, erik: User, bob: User, units: dict[str, Unit], httpx2_mock: Any
) -> None:
    """SIGKILL (the out-of-memory killer, a power cut): no ``finally`` releases the claim. The
    worker that restarts must not wait out STALE_RUN: the claim's process is gone."""
    from tests.connectors.conftest import connect

    clean = connect(
        "facebook", "facebook.com/varakommunren", PAGE_ID, alice=alice, erik=erik, bob=bob, units=units
    )
    mount_page(httpx2_mock)
    engine.sync(clean)
    expected = _snapshot(clean)
    account = connect(
        "facebook",
        "facebook.com/varakommun-kill",
        PAGE_ID,
        alice=alice,
        erik=erik,
        bob=bob,
        units=units,
        display_name="Vara kommun (kill -9)",
    )
    db_connection.close()  # the child opens its own
    child = os.fork()
    if child == 0:  # pragma: no cover - the killed worker
        seen = {"n": 0}

        def kill_hard(request: Any) -> None:
            if "fbcdn" not in request.url.host:
                seen["n"] += 1
                if seen["n"] == 4:
                    os.kill(os.getpid(), signal.SIGKILL)

        try:
            _run_with_hook(account, kill_hard, httpx2_mock)
        finally:
            os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert connection_of(account).running_since is not None, "the claim is still held"
    killed = CaptureRun.objects.get(account=account, outcome=CaptureRun.Outcome.RUNNING)
    assert killed.details["worker"].endswith(f":{child}") and killed.pages > 0

    restarted = engine.sync(account)
    assert restarted is not None and restarted.outcome == CaptureRun.Outcome.SUCCEEDED
    assert _snapshot(account) == expected
    killed.refresh_from_db()
    assert (
        killed.outcome == CaptureRun.Outcome.FAILED and "dödad eller kraschad" in killed.error
    )  # killed or crashed


def test_a_claim_held_on_another_machine_is_taken_over_only_after_no_page_for_the_stale_time(
    vara_page: Account, httpx2_mock: Any
) -> None:
    """A worker on another machine cannot be looked up from here: its claim is trusted while it
    commits pages, and taken over when it has committed none for STALE_RUN."""
    mount_page(httpx2_mock)
    connection = connection_of(vara_page)
    held = runs.claim(connection, stale_after=engine.STALE_RUN, worker="worker-2.vara.se:4711")
    assert held is not None
    assert engine.sync(vara_page) is None, "busy: the other worker committed a page a moment ago"
    last_page = engine.STALE_RUN + dt.timedelta(minutes=1)
    Connection.objects.filter(pk=connection.pk).update(running_since=dt.datetime.now(dt.UTC) - last_page)
    run = engine.sync(vara_page)
    assert run is not None and run.outcome == CaptureRun.Outcome.SUCCEEDED
    assert CaptureRun.objects.get(pk=held.pk).outcome == CaptureRun.Outcome.FAILED
    assert len(archived(vara_page)) == 15
