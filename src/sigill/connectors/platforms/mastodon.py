"""Mastodon (REST API): the account's statuses, the replies in their threads, its mentions; blocking.

The account's instance is the connection's API address and its platform id the account id.
Walk: ``/api/v1/accounts/:id/statuses`` (paged by the ``Link`` header, stopping at the walk's
``since``) → ``/api/v1/statuses/:id/context`` for each status with replies; the descendants come
as a flat list, the tree is rebuilt from ``in_reply_to_id``. Then the notifications of type
``mention`` (paged the same way): what others addressed to the account, in its threads or not; a
mention that replies to something is placed in its thread by its context's first ancestor.

Direct messages are statuses with visibility ``direct``. They are read from the account's
conversations (``/api/v1/conversations``, most recently active first, stopping at the walk's
``since``): for each, the context of its last status, whose ``direct`` statuses are the
conversation's messages. The other walks leave direct statuses to this one, so every message is
kept with its conversation and none as a post or comment.

An edited status (``edited_at`` set) is captured from ``/api/v1/statuses/:id/history``, every
version oldest first, so the archive holds what was first published as well as the correction;
the archive recognises versions it already has, so reading the history again adds nothing.
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


def is_direct(status: dict[str, Any]) -> bool:
    return status.get("visibility") == "direct"


def status_capture(
    status: dict[str, Any],
    *,
    account_id: int,
    own_id: str,
    root_id: str = "",
    mention: bool = False,
    conversation: str = "",
) -> Capture:
    """A status; one of a conversation (``conversation`` given) is a direct message."""
    account = status.get("account") or {}
    parent = "" if conversation else status.get("in_reply_to_id") or ""
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
        kind=Kind.MESSAGE
        if conversation
        else Kind.POST
        if not parent
        else Kind.COMMENT
        if parent == root_id
        else Kind.REPLY,
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
            **({"mention": True} if mention else {}),
            **(
                {"conversation": conversation, "in_reply_to_id": status.get("in_reply_to_id") or ""}
                if conversation
                else {}
            ),
            "uri": status.get("uri", ""),
            "sensitive": bool(status.get("sensitive")),
            "visibility": status.get("visibility", ""),
            "media": [
                {k: m.get(k) for k in ("type", "url", "description")}
                for m in status.get("media_attachments", [])
            ],
        },
    )


# What a StatusEdit (one entry of a status's history) lacks, kept from the status itself.
STATUS_FIELDS = ("id", "uri", "url", "in_reply_to_id", "in_reply_to_account_id", "visibility")


def _history(status: dict[str, Any], *, base: str, root_id: str, mention: bool) -> Fetch:
    return Fetch(
        "history",
        f"{base}/api/v1/statuses/{status['id']}/history",
        context={
            "parent": str(status["id"]),
            "status": {k: status.get(k) for k in STATUS_FIELDS},
            "root": root_id,
            "mention": mention,
        },
    )


def history_captures(
    edits: list[dict[str, Any]], context: dict[str, Any], *, account_id: int, own_id: str
) -> list[Capture]:
    """Every version of an edited status, oldest first: the first as published, each later one
    edited at the time the platform gives it."""
    captures = []
    first = edits[0]["created_at"] if edits else None
    for number, edit in enumerate(edits):
        version = {
            **context["status"],
            **edit,
            "created_at": first,
            "edited_at": edit["created_at"] if number else None,
        }
        captures.append(
            status_capture(
                version,
                account_id=account_id,
                own_id=own_id,
                root_id=context["root"],
                mention=context["mention"],
            )
        )
    return captures


class MastodonConnector:
    slug: ClassVar[str] = "mastodon"
    label: ClassVar[str] = "Mastodon"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        base = api_base.rstrip("/")
        context = since_context(since)
        return [
            Fetch(
                "statuses",
                f"{base}/api/v1/accounts/{remote_id}/statuses",
                params={"limit": "40"},
                context=context,
            ),
            Fetch(
                "mentions",
                f"{base}/api/v1/notifications",
                params={"types[]": "mention", "limit": "40"},
                context=context,
            ),
            Fetch(
                "conversations",
                f"{base}/api/v1/conversations",
                params={"limit": "40"},
                context={"messages": True, **context},
            ),
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_mastodon_error(response)
        body = response.json()
        page = Page()
        base = fetch.url.split("/api/v1/", 1)[0]  # the account's instance
        if fetch.step == "history":
            page.captures = history_captures(body, fetch.context, account_id=account_id, own_id=remote_id)
            return page
        if fetch.step == "conversation":
            statuses = [*body.get("ancestors", []), fetch.context["last"], *body.get("descendants", [])]
            page.captures = [
                status_capture(
                    status,
                    account_id=account_id,
                    own_id=remote_id,
                    conversation=fetch.context["conversation"],
                )
                for status in statuses
                if is_direct(status)
            ]
            return page
        if fetch.step == "conversations":
            return self._conversations(fetch, response, base=base)
        if fetch.step == "mention_thread":
            status = fetch.context["status"]
            ancestors = body.get("ancestors") or [{"id": status["in_reply_to_id"]}]
            root = str(ancestors[0]["id"])
            self._take(
                page, status, account_id=account_id, own_id=remote_id, base=base, root_id=root, mention=True
            )
            return page
        if fetch.step == "context":
            for status in body.get("descendants", []):
                if is_direct(status):
                    continue  # a message: read with its conversation
                self._take(
                    page,
                    status,
                    account_id=account_id,
                    own_id=remote_id,
                    base=base,
                    root_id=fetch.context["parent"],
                )
            return page
        reached_since = False
        for entry in body:
            if fetch.step == "mentions":
                status = entry.get("status") if entry.get("type") == "mention" else None
            else:
                # A boost of someone else's status is not the account's content.
                status = None if entry.get("reblog") else entry
            reached_since = reached_since or older_than_since(iso_time(entry["created_at"]), fetch.context)
            if status is None or is_direct(status):
                continue  # not the account's content, or a message (read with its conversation)
            if fetch.step == "mentions" and status.get("in_reply_to_id"):
                # A reply: its thread's root (the first ancestor) says whether it comments on a post
                # or replies to a reply.
                page.follow.append(
                    Fetch(
                        "mention_thread",
                        f"{base}/api/v1/statuses/{status['id']}/context",
                        context={"parent": str(status["id"]), "status": status},
                    )
                )
                continue
            if fetch.step == "mentions":
                # Not a reply: the author's own post, naming the account.
                self._take(page, status, account_id=account_id, own_id=remote_id, base=base, mention=True)
                continue
            self._take(page, status, account_id=account_id, own_id=remote_id, base=base)
            if status.get("replies_count"):
                page.follow.append(
                    Fetch(
                        "context",
                        f"{base}/api/v1/statuses/{status['id']}/context",
                        context={"parent": str(status["id"])},
                    )
                )
        next_url = response.links.get("next", {}).get("url")
        if next_url and not reached_since:
            page.follow.append(Fetch(fetch.step, http.without_token(next_url), context=fetch.context))
        return page

    @staticmethod
    def _conversations(fetch: Fetch, response: httpx2.Response, *, base: str) -> Page:
        """A page of the account's conversations: each one's last status, read in its context."""
        page = Page()
        reached_since = False
        for conversation in response.json():
            last = conversation.get("last_status")
            if not last:
                continue
            if older_than_since(iso_time(last["created_at"]), fetch.context):
                reached_since = True
                break
            page.follow.append(
                Fetch(
                    "conversation",
                    f"{base}/api/v1/statuses/{last['id']}/context",
                    context={"messages": True, "conversation": str(conversation["id"]), "last": last},
                )
            )
        next_url = response.links.get("next", {}).get("url")
        if next_url and not reached_since:
            page.follow.append(Fetch(fetch.step, http.without_token(next_url), context=fetch.context))
        return page

    @staticmethod
    def _take(
        page: Page,
        status: dict[str, Any],
        *,
        account_id: int,
        own_id: str,
        base: str,
        root_id: str = "",
        mention: bool = False,
    ) -> None:
        """Capture ``status``, or, when it was edited, read its history for every version."""
        if status.get("edited_at"):
            page.follow.append(_history(status, base=base, root_id=root_id, mention=mention))
            return
        page.captures.append(
            status_capture(status, account_id=account_id, own_id=own_id, root_id=root_id, mention=mention)
        )

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
