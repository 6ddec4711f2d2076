"""Mastodon (REST API): the account's statuses and the replies in their threads; blocking.

The account's instance is the connection's API address and its platform id the account id.
Walk: ``/api/v1/accounts/:id/statuses`` (paged by the ``Link`` header, stopping at the walk's
``since``) → ``/api/v1/statuses/:id/context`` for each status with replies; the descendants come
as a flat list, the tree is rebuilt from ``in_reply_to_id``. ``edited_at`` marks an edit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import httpx2

from sigill.archive.capture import Author, Capture, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import (
    Fetch,
    Page,
    direction,
    html_to_text,
    iso_time,
    older_than_since,
    register,
    remote_file,
    since_context,
)

PAUSE_AT_REMAINING = 5


def raise_for_mastodon_error(response: httpx2.Response) -> None:
    if response.status_code < 400:
        return
    body = http.json_of(response) or {}
    detail = body.get("error", "") if isinstance(body, dict) else ""
    http.raise_for_common(response, label=f"Mastodon: {detail}".strip())


def status_capture(status: dict[str, Any], *, account_id: int, own_id: str, root_id: str = "") -> Capture:
    account = status.get("account") or {}
    parent = status.get("in_reply_to_id") or ""
    text = html_to_text(status.get("content", ""))
    if status.get("spoiler_text"):
        text = f"{status['spoiler_text']}\n\n{text}"
    files = tuple(
        remote_file(m["url"], fallback_type="image/jpeg")
        for m in status.get("media_attachments", [])
        if m.get("url") and m.get("type") in {"image", "gifv"}
    )
    return Capture(
        account_id=account_id,
        platform_id=str(status["id"]),
        kind=Kind.POST if not parent else Kind.COMMENT if parent == root_id else Kind.REPLY,
        source=Source.API,
        direction=direction(str(account.get("id", "")), own_id),
        published_at=iso_time(status["created_at"]),
        text=text,
        parent_platform_id=parent,
        author=Author(
            platform_id=str(account.get("id", "")),
            display_name=account.get("display_name", ""),
            handle=account.get("acct", ""),
        ),
        edited_at=iso_time(status["edited_at"]) if status.get("edited_at") else None,
        url=status.get("url") or status.get("uri", ""),
        attachments=files,
        metadata={
            "uri": status.get("uri", ""),
            "sensitive": bool(status.get("sensitive")),
            "visibility": status.get("visibility", ""),
            "media": [
                {k: m.get(k) for k in ("type", "url", "description")}
                for m in status.get("media_attachments", [])
            ],
        },
    )


class MastodonConnector:
    slug: ClassVar[str] = "mastodon"
    label: ClassVar[str] = "Mastodon"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        base = api_base.rstrip("/")
        return [
            Fetch(
                "statuses",
                f"{base}/api/v1/accounts/{remote_id}/statuses",
                params={"limit": "40"},
                context={**since_context(since), "base": base},
            )
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_mastodon_error(response)
        body = response.json()
        page = Page()
        if fetch.step == "context":
            root = fetch.context["parent"]
            for status in body.get("descendants", []):
                page.captures.append(
                    status_capture(status, account_id=account_id, own_id=remote_id, root_id=root)
                )
            return page
        reached_since = False
        for status in body:
            if status.get("reblog"):
                continue  # a boost of someone else's status is not the account's content
            captured = status_capture(status, account_id=account_id, own_id=remote_id)
            page.captures.append(captured)
            reached_since = reached_since or older_than_since(captured.published_at, fetch.context)
            if status.get("replies_count"):
                page.follow.append(
                    Fetch(
                        "context",
                        f"{fetch.context['base']}/api/v1/statuses/{status['id']}/context",
                        context={"parent": str(status["id"])},
                    )
                )
        next_url = response.links.get("next", {}).get("url")
        if next_url and not reached_since:
            page.follow.append(Fetch("statuses", http.without_token(next_url), context=fetch.context))
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return http.pause_near_limit(
            response.headers, remaining="x-ratelimit-remaining", at=PAUSE_AT_REMAINING, default=5 * 60.0
        )


register(MastodonConnector())


# --- Acts for the moderation queue: block the author (others' replies cannot be deleted) ----------


def _block(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    if not target.author_platform_id:
        raise http.Refused("the author's account id is not known")
    return client.post(f"{connection.api_base.rstrip('/')}/api/v1/accounts/{target.author_platform_id}/block")


ACTS = {"block": _block}
raise_for_error = raise_for_mastodon_error
