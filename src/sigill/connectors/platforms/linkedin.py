"""LinkedIn organisation pages (Community Management API): posts, comments, comments on comments.

Versioned REST (``LinkedIn-Version``, Rest.li 2.0); offset paging with a ``next`` link. Walk:
``/rest/posts?q=author`` (newest first by last change, stopping at the walk's ``since``) → each
post's comments (``/rest/socialActions/{urn}/comments``) → the comments on a comment that has any.
A post with images (``content.media`` or ``content.multiImage``) names them by URN: it is captured
once their download addresses are read from the Images API (``/rest/images?ids=List(…)``), so the
files are kept with it. Times are epoch milliseconds; ``lastModified`` later than ``created`` marks
an edit.

Limits are per app and member per day and shown only in the developer portal; a 429 carries no
header saying when to come back, so the walk waits an hour (or what ``Retry-After`` says).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar
from urllib.parse import quote

import httpx2
from django.conf import settings

from sigill.archive.capture import Author, Capture, Kind, Source
from sigill.connectors import http
from sigill.connectors.base import (
    Fetch,
    Page,
    direction,
    epoch_ms,
    older_than_since,
    register,
    remote_file,
    since_context,
)

HOST = "https://api.linkedin.com"
# The API version is one setting, LINKEDIN_API_VERSION: LinkedIn sunsets a version about a year
# after release (platforms.md), and comms' start page warns two months before (sigill.oauth).
# serviceErrorCode of a token that is invalid, revoked or expired.
TOKEN_CODES = {65600, 65601, 65602}
# How long a walk waits after a 429 that does not say (LinkedIn's limits are daily).
RATE_LIMIT_WAIT_SECONDS = 3600.0


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
    code = body.get("serviceErrorCode") if isinstance(body, dict) else None
    if response.status_code == 401 or code in TOKEN_CODES:
        raise http.TokenRejected(message, status=response.status_code)
    if response.status_code == 429:
        wait = http.retry_after(response.headers) or RATE_LIMIT_WAIT_SECONDS
        raise http.RateLimited(message, status=429, retry_after=wait)
    http.raise_for_common(response, label=message)


def image_urns(post: dict[str, Any]) -> list[str]:
    """The images a post shows, in order (a video or document is kept by its URN in metadata)."""
    content = post.get("content") or {}
    parts = (content.get("multiImage") or {}).get("images") or [content.get("media") or {}]
    return [p["id"] for p in parts if str(p.get("id", "")).startswith("urn:li:image:")]


def _images_of(post: dict[str, Any]) -> Fetch:
    ids = ",".join(quote(urn, safe="") for urn in image_urns(post))
    return Fetch(
        "post_images", f"{HOST}/rest/images?ids=List({ids})", context={"parent": post["id"], "post": post}
    )


def post_capture(
    post: dict[str, Any], *, account_id: int, org: str, images: dict[str, Any] | None = None
) -> Capture:
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
        attachments=tuple(
            remote_file(images[urn]["downloadUrl"], fallback_type="image/jpeg")
            for urn in image_urns(post)
            if images and (images.get(urn) or {}).get("downloadUrl")
        ),
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
        return {
            **http.bearer(token),
            "LinkedIn-Version": settings.LINKEDIN_API_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        params = {
            "q": "author",
            "author": organisation_urn(remote_id),
            "count": "50",
            "sortBy": "LAST_MODIFIED",
        }
        return [Fetch("posts", f"{HOST}/rest/posts", params=params, context=since_context(since))]

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        org = organisation_urn(remote_id)
        if fetch.step == "post_images":
            return self._post_with_images(fetch, response, account_id=account_id, org=org)
        raise_for_linkedin_error(response)
        body = response.json()
        page = Page()
        reached_since = False
        for element in body.get("elements", []):
            if fetch.step == "posts":
                modified = epoch_ms(element.get("lastModifiedAt") or element["createdAt"])
                reached_since = reached_since or older_than_since(modified, fetch.context)
                page.follow.append(_comments(element["id"], parent=element["id"], step="comments"))
                if image_urns(element):
                    page.follow.append(_images_of(element))
                    continue
                captured = post_capture(element, account_id=account_id, org=org)
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

    @staticmethod
    def _post_with_images(fetch: Fetch, response: httpx2.Response, *, account_id: int, org: str) -> Page:
        """The post, with the images the Images API could give; one it cannot read (gone, not
        allowed) leaves the post captured without that file, never lost."""
        images: dict[str, Any] = {}
        if response.status_code not in (403, 404):
            raise_for_linkedin_error(response)
            images = response.json().get("results") or {}
        post = fetch.context["post"]
        return Page(captures=[post_capture(post, account_id=account_id, org=org, images=images)])

    def pause_after(self, response: httpx2.Response) -> float | None:
        return None  # LinkedIn reports no usage in its answers


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
