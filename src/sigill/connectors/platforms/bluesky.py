"""Bluesky (AT Protocol): the account's feed and the replies in its threads; block and hide.

The account's platform id is its DID. Walk: ``app.bsky.feed.getAuthorFeed`` (reposts skipped,
stopping at the walk's ``since``) → ``app.bsky.feed.getPostThread`` for each own post with
replies, walking the nested replies. A reply that comes back as ``#notFoundPost`` was deleted:
the archive records it as removed on the platform. There are no edits.

Direct messages (Bluesky chat) are read through the account's PDS, which proxies them to the chat
service (``atproto-proxy: did:web:api.bsky.chat#bsky_chat``): ``chat.bsky.convo.listConvos``
(most recently active first, stopping at the walk's ``since``) → ``chat.bsky.convo.getMessages``
for each conversation. An app password made without access to direct messages is refused ("Bad
token scope"): the messages are left out and the run says so. A message shown as
``#deletedMessageView`` was deleted: the archive records it as removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

import httpx2
from django.utils import timezone

from sigill.archive.capture import Author, Capture, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import (
    Fetch,
    Page,
    direction,
    iso_time,
    older_than_since,
    register,
    remote_file,
    since_context,
)

# Reads go to the AppView; an account's own PDS (the connection's API address) serves them too.
APPVIEW = "https://public.api.bsky.app"
NOT_FOUND = "app.bsky.feed.defs#notFoundPost"
DELETED_MESSAGE = "chat.bsky.convo.defs#deletedMessageView"
CHAT_PROXY = {"atproto-proxy": "did:web:api.bsky.chat#bsky_chat"}
REPOST = "app.bsky.feed.defs#reasonRepost"


def raise_for_bluesky_error(response: httpx2.Response) -> None:
    if response.status_code < 400:
        return
    body = http.json_of(response) or {}
    error = body.get("error", "") if isinstance(body, dict) else ""
    message = f"Bluesky: {error or 'HTTP ' + str(response.status_code)} {body.get('message', '') if isinstance(body, dict) else ''}".strip()[
        :500
    ]
    if error in {"ExpiredToken", "InvalidToken", "AuthenticationRequired"}:
        raise http.TokenRejected(message, status=response.status_code)
    if error == "NotFound":
        raise http.Gone(message, status=response.status_code)
    http.raise_for_common(response, label=message)


def post_capture(view: dict[str, Any], *, account_id: int, did: str) -> Capture:
    record = view.get("record") or {}
    author = view.get("author") or {}
    reply = record.get("reply") or {}
    parent = (reply.get("parent") or {}).get("uri", "")
    root = (reply.get("root") or {}).get("uri", "")
    images = (
        (view.get("embed") or {}).get("images")
        or ((view.get("embed") or {}).get("media") or {}).get("images")
        or []
    )
    rkey = view["uri"].rsplit("/", 1)[-1]
    return Capture(
        account_id=account_id,
        platform_id=view["uri"],
        kind=Kind.POST if not parent else Kind.COMMENT if parent == root else Kind.REPLY,
        source=Source.API,
        direction=direction(author.get("did", ""), did),
        published_at=iso_time(record.get("createdAt") or view["indexedAt"]),
        text=record.get("text", ""),
        parent_platform_id=parent,
        author=Author(
            platform_id=author.get("did", ""),
            display_name=author.get("displayName", ""),
            handle=author.get("handle", ""),
        ),
        url=f"https://bsky.app/profile/{author.get('handle') or author.get('did')}/post/{rkey}",
        attachments=tuple(
            remote_file(i["fullsize"], fallback_type="image/jpeg") for i in images if i.get("fullsize")
        ),
        metadata={
            "cid": view.get("cid", ""),
            "facets": record.get("facets", []),
            "root": root,
            "alt": [i.get("alt", "") for i in images],
        },
    )


def thread_captures(node: dict[str, Any], *, account_id: int, did: str) -> Iterator[Capture]:
    """Every reply below ``node`` (depth-first); deleted ones as seen gone."""
    for child in node.get("replies") or []:
        if child.get("$type") == NOT_FOUND or child.get("notFound"):
            yield Capture(
                account_id=account_id,
                platform_id=child["uri"],
                kind=Kind.REPLY,
                source=Source.API,
                direction=direction("", did),
                published_at=timezone.now(),
                parent_platform_id=node.get("post", {}).get("uri", ""),
                seen_gone=True,
            )
            continue
        if "post" in child:
            yield post_capture(child["post"], account_id=account_id, did=did)
            yield from thread_captures(child, account_id=account_id, did=did)


class BlueskyConnector:
    slug: ClassVar[str] = "bluesky"
    label: ClassVar[str] = "Bluesky"

    def headers(self, token: str) -> dict[str, str]:
        return http.bearer(token)

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        base = (api_base or APPVIEW).rstrip("/")
        pds = (api_base or PDS).rstrip("/")
        return [
            Fetch(
                "feed",
                f"{base}/xrpc/app.bsky.feed.getAuthorFeed",
                params={"actor": remote_id, "limit": "100", "filter": "posts_with_replies"},
                context={**since_context(since), "base": base},
            ),
            Fetch(
                "convos",
                f"{pds}/xrpc/chat.bsky.convo.listConvos",
                params={"limit": "100"},
                context={"messages": True, **since_context(since), "base": pds},
                headers=CHAT_PROXY,
            ),
        ]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        if fetch.context.get("messages"):
            return _read_chat(fetch, response, account_id=account_id, did=remote_id)
        raise_for_bluesky_error(response)
        body = response.json()
        page = Page()
        if fetch.step == "thread":
            page.captures += list(thread_captures(body["thread"], account_id=account_id, did=remote_id))
            return page
        reached_since = False
        for entry in body.get("feed", []):
            if (entry.get("reason") or {}).get("$type") == REPOST:
                continue  # someone else's post the account reposted
            captured = post_capture(entry["post"], account_id=account_id, did=remote_id)
            page.captures.append(captured)
            reached_since = reached_since or older_than_since(captured.published_at, fetch.context)
            if entry["post"].get("replyCount"):
                page.follow.append(
                    Fetch(
                        "thread",
                        f"{fetch.context['base']}/xrpc/app.bsky.feed.getPostThread",
                        params={"uri": entry["post"]["uri"], "depth": "20", "parentHeight": "0"},
                        context={"parent": entry["post"]["uri"]},
                    )
                )
        if (cursor := body.get("cursor")) and body.get("feed") and not reached_since:
            page.follow.append(
                Fetch("feed", fetch.url, params={**fetch.params, "cursor": cursor}, context=fetch.context)
            )
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return http.pause_near_limit(
            response.headers, remaining="ratelimit-remaining", at=5, default=5 * 60.0
        )


def chat_capture(
    message: dict[str, Any], *, account_id: int, did: str, convo: str, members: dict[str, Any]
) -> Capture:
    """One chat message; a deleted one as seen gone (the archive keeps what it had captured)."""
    sender = str((message.get("sender") or {}).get("did", ""))
    member = members.get(sender, {})
    deleted = message.get("$type") == DELETED_MESSAGE
    return Capture(
        account_id=account_id,
        platform_id=str(message["id"]),
        kind=Kind.MESSAGE,
        source=Source.API,
        direction=direction(sender, did),
        published_at=iso_time(message["sentAt"]),
        text="" if deleted else message.get("text", ""),
        author=Author(
            platform_id=sender, display_name=member.get("displayName", ""), handle=member.get("handle", "")
        ),
        metadata={}
        if deleted
        else {"conversation": convo, "rev": message.get("rev", ""), "facets": message.get("facets", [])},
        seen_gone=deleted,
    )


def _read_chat(fetch: Fetch, response: httpx2.Response, *, account_id: int, did: str) -> Page:
    body = http.json_of(response) or {}
    if response.status_code in {400, 401} and "scope" in str(body.get("message", "")).lower():
        raise http.Refused(
            f"Bluesky: the app password does not allow access to direct messages ({body.get('message', '')})"[
                :500
            ],
            status=response.status_code,
        )
    raise_for_bluesky_error(response)
    page = Page()
    reached_since = False
    if fetch.step == "convos":
        for convo in body.get("convos", []):
            last = convo.get("lastMessage") or {}
            if last.get("sentAt") and older_than_since(iso_time(last["sentAt"]), fetch.context):
                reached_since = True
                break
            members = {
                m["did"]: {"handle": m.get("handle", ""), "displayName": m.get("displayName", "")}
                for m in convo.get("members", [])
            }
            page.follow.append(
                Fetch(
                    "messages",
                    f"{fetch.context['base']}/xrpc/chat.bsky.convo.getMessages",
                    params={"convoId": convo["id"], "limit": "100"},
                    context={**fetch.context, "convo": convo["id"], "members": members},
                    headers=CHAT_PROXY,
                )
            )
    else:
        for message in body.get("messages", []):
            if older_than_since(iso_time(message["sentAt"]), fetch.context):
                reached_since = True
                break
            page.captures.append(
                chat_capture(
                    message,
                    account_id=account_id,
                    did=did,
                    convo=fetch.context["convo"],
                    members=fetch.context["members"],
                )
            )
    listed = body.get("convos") if fetch.step == "convos" else body.get("messages")
    if (cursor := body.get("cursor")) and listed and not reached_since:
        page.follow.append(
            Fetch(
                fetch.step,
                fetch.url,
                params={**fetch.params, "cursor": cursor},
                context=fetch.context,
                headers=fetch.headers,
            )
        )
    return page


def at_uri_parts(uri: str) -> tuple[str, str, str]:
    """(repo DID, collection, record key) of an ``at://`` URI."""
    repo, collection, rkey = uri.removeprefix("at://").split("/", 2)
    return repo, collection, rkey


def quoted(value: str) -> str:
    return quote(value, safe="")


register(BlueskyConnector())


# --- Acts for the moderation queue: hide or unhide a reply (threadgate), block its author --------
# Writes go to the account's PDS: the connection's API address, or bsky.social.
PDS = "https://bsky.social"


def _pds(connection: Any) -> str:
    return (connection.api_base or PDS).rstrip("/")


def _block(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    subject = target.author_platform_id or at_uri_parts(target.object_id)[0]
    record = {"$type": "app.bsky.graph.block", "subject": subject, "createdAt": _now()}
    return client.post(
        f"{_pds(connection)}/xrpc/com.atproto.repo.createRecord",
        json={"repo": connection.remote_id, "collection": "app.bsky.graph.block", "record": record},
    )


def _hide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    """Add the reply to the thread root's threadgate ``hiddenReplies`` (creating the gate if none)."""
    return _gate_hidden(client, connection, target, hidden=True)


def _unhide(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    """Take the reply out of the thread root's threadgate ``hiddenReplies``."""
    return _gate_hidden(client, connection, target, hidden=False)


def _gate_hidden(client: httpx2.Client, connection: Any, target: Any, *, hidden: bool) -> httpx2.Response:
    base = _pds(connection)
    posts = client.get(f"{base}/xrpc/app.bsky.feed.getPosts", params={"uris": target.object_id})
    raise_for_bluesky_error(posts)
    found = posts.json().get("posts", [])
    if not found:
        raise http.Gone("the reply is not on Bluesky any more")
    root = ((found[0].get("record") or {}).get("reply") or {}).get("root", {}).get("uri", "")
    if not root or at_uri_parts(root)[0] != connection.remote_id:
        raise http.Refused("only replies in the account's own threads can be hidden")
    rkey = at_uri_parts(root)[2]
    existing = client.get(
        f"{base}/xrpc/com.atproto.repo.getRecord",
        params={"repo": connection.remote_id, "collection": "app.bsky.feed.threadgate", "rkey": rkey},
    )
    gate: dict[str, Any] = {"$type": "app.bsky.feed.threadgate", "post": root, "createdAt": _now()}
    if existing.status_code == 200:
        gate = {**gate, **existing.json().get("value", {})}
    elif existing.status_code not in (400, 404):
        raise_for_bluesky_error(existing)
    others = [uri for uri in gate.get("hiddenReplies", []) if uri != target.object_id]
    gate["hiddenReplies"] = [*others, target.object_id] if hidden else others
    return client.post(
        f"{base}/xrpc/com.atproto.repo.putRecord",
        json={
            "repo": connection.remote_id,
            "collection": "app.bsky.feed.threadgate",
            "rkey": rkey,
            "record": gate,
        },
    )


def _now() -> str:
    return timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


ACTS = {"hide": _hide, "unhide": _unhide, "block": _block}
raise_for_error = raise_for_bluesky_error
