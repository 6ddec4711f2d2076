"""LinkedIn organisation pages (Community Management API): posts, comments, comments on comments.

Versioned REST (``LinkedIn-Version``, Rest.li 2.0); offset paging with a ``next`` link. Walk:
``/rest/posts?q=author`` (newest first by last change, stopping at the walk's ``since``) → each
post's comments (``/rest/socialActions/{urn}/comments``) → the comments on a comment that has any.
Times are epoch milliseconds; ``lastModified`` later than ``created`` marks an edit.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar
from urllib.parse import quote

import httpx2

from sigill.archive.capture import Author, Capture, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import Fetch, Page, direction, epoch_ms, older_than_since, register, since_context

HOST = "https://api.linkedin.com"
# Pinned API version: LinkedIn sunsets a version about a year after release (platforms.md).
VERSION = "202508"


def organisation_urn(remote_id: str) -> str:
    return remote_id if remote_id.startswith("urn:") else f"urn:li:organization:{remote_id}"


def little_text(value: str) -> str:
    """Plain text from LinkedIn's "little text format": ``{hashtag|\\#|tag}``, ``@[Name](urn)``, ``\\(``."""
    value = re.sub(r"\{hashtag\|\\?#\|([^}]*)\}", r"#\1", value)
    value = re.sub(r"@\[([^\]]*)\]\([^)]*\)", r"@\1", value)
    return re.sub(r"\\([\\(){}\[\]@#*_~<>|])", r"\1", value)


def raise_for_linkedin_error(response: httpx2.Response) -> None:
    if response.status_code < 400:
        return
    body = http.json_of(response) or {}
    detail = body.get("message", "") if isinstance(body, dict) else ""
    message = f"LinkedIn: HTTP {response.status_code} {detail}".strip()[:500]
    if response.status_code == 401 or (isinstance(body, dict) and body.get("serviceErrorCode") == 65601):
        raise http.TokenRejected(message, status=response.status_code)
    http.raise_for_common(response, label=message)


def post_capture(post: dict[str, Any], *, account_id: int, org: str) -> Capture:
    created = epoch_ms(post.get("publishedAt") or post["createdAt"])
    modified = epoch_ms(post["lastModifiedAt"]) if post.get("lastModifiedAt") else None
    edited = (post.get("lifecycleStateInfo") or {}).get("isEditedByAuthor")
    return Capture(
        account_id=account_id,
        platform_id=post["id"],
        kind=Kind.POST,
        source=Source.API,
        direction=direction(post.get("author", ""), org),
        published_at=created,
        text=little_text(post.get("commentary", "")),
        author=Author(platform_id=post.get("author", "")),
        edited_at=modified if edited and modified and modified > created else None,
        url=f"https://www.linkedin.com/feed/update/{post['id']}/",
        metadata={"content": post.get("content", {}), "lifecycle": post.get("lifecycleState", "")},
    )


def comment_capture(comment: dict[str, Any], *, account_id: int, org: str, parent: str, kind: str) -> Capture:
    created = epoch_ms(comment["created"]["time"])
    modified = epoch_ms(comment["lastModified"]["time"]) if comment.get("lastModified") else created
    actor = comment.get("actor", "")
    return Capture(
        account_id=account_id,
        platform_id=comment.get("commentUrn") or comment["$URN"],
        kind=kind,
        source=Source.API,
        direction=direction(actor, org),
        published_at=created,
        text=(comment.get("message") or {}).get("text", ""),
        parent_platform_id=comment.get("parentComment") or parent,
        author=Author(platform_id=actor),
        edited_at=modified if modified > created else None,
        metadata={"object": comment.get("object", ""), "agent": comment.get("agent", "")},
    )


def _comments(urn: str, *, parent: str, step: str) -> Fetch:
    return Fetch(
        step,
        f"{HOST}/rest/socialActions/{quote(urn, safe='')}/comments",
        params={"count": "50"},
        context={"parent": parent},
    )


class LinkedInConnector:
    slug: ClassVar[str] = "linkedin"
    label: ClassVar[str] = "LinkedIn"

    def headers(self, token: str) -> dict[str, str]:
        return {**http.bearer(token), "LinkedIn-Version": VERSION, "X-Restli-Protocol-Version": "2.0.0"}

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        params = {
            "q": "author",
            "author": organisation_urn(remote_id),
            "count": "50",
            "sortBy": "LAST_MODIFIED",
        }
        return [Fetch("posts", f"{HOST}/rest/posts", params=params, context=since_context(since))]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        raise_for_linkedin_error(response)
        body = response.json()
        org = organisation_urn(remote_id)
        page = Page()
        reached_since = False
        for element in body.get("elements", []):
            if fetch.step == "posts":
                captured = post_capture(element, account_id=account_id, org=org)
                page.follow.append(_comments(element["id"], parent=element["id"], step="comments"))
                modified = epoch_ms(element.get("lastModifiedAt") or element["createdAt"])
                reached_since = reached_since or older_than_since(modified, fetch.context)
            else:
                kind = Kind.COMMENT if fetch.step == "comments" else Kind.REPLY
                captured = comment_capture(
                    element, account_id=account_id, org=org, parent=fetch.context["parent"], kind=kind
                )
                if (element.get("commentsSummary") or {}).get("aggregatedTotalComments"):
                    page.follow.append(
                        _comments(captured.platform_id, parent=captured.platform_id, step="replies")
                    )
            page.captures.append(captured)
        link = next(
            (li["href"] for li in body.get("paging", {}).get("links", []) if li.get("rel") == "next"), None
        )
        if link and not reached_since:
            page.follow.append(
                Fetch(fetch.step, HOST + link if link.startswith("/") else link, context=fetch.context)
            )
        return page

    def pause_after(self, response: httpx2.Response) -> float | None:
        return None


register(LinkedInConnector())


# --- Acts for the moderation queue: delete a comment (LinkedIn has no hide) ----------------------
# The Comments API documents delete for the organisation's admins; whether LinkedIn lets an admin
# delete other members' comments is not verified (platforms.md): a refusal reaches the moderator as
# a clear message, and they remove the comment by hand.


def comment_id(comment_urn: str) -> str:
    """The comment's own id, the last part of ``urn:li:comment:(urn:li:activity:…,<id>)``."""
    match = re.fullmatch(r"urn:li:comment:\((.+),(\d+)\)", comment_urn)
    if match is None:
        raise http.Refused(f"not a LinkedIn comment: {comment_urn}")
    return match.group(2)


def _delete(client: httpx2.Client, connection: Any, target: Any) -> httpx2.Response:
    # The comment lives under what it answers: the post, or the comment it replies to.
    on = target.parent_object_id or re.sub(r"^urn:li:comment:\((.+),\d+\)$", r"\1", target.object_id)
    return client.delete(
        f"{HOST}/rest/socialActions/{quote(on, safe='')}/comments/{comment_id(target.object_id)}",
        params={"actor": organisation_urn(connection.remote_id)},
    )


ACTS = {"delete": _delete}
raise_for_error = raise_for_linkedin_error
