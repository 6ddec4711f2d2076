"""HTTP to the platforms, through httpx2, and what their answers mean to the sync engine.

Every connector talks to its platform through :func:`client`. A platform's error envelope is
mapped by the connector to one of the exceptions below; the engine acts on the kind, never on a
platform's codes:

* :class:`RateLimited` — wait (``retry_after`` seconds, from the platform when it says) and go on
  from the committed cursor;
* :class:`Unavailable` — an outage or a network failure: back off and retry later;
* :class:`TokenRejected` — expired or revoked: the account needs reconnecting, retrying stops;
* :class:`Refused` — a permission is missing or the request is wrong: retrying will not help;
* :class:`Gone` — the object no longer exists on the platform.

A token is sent in a header and never written into a URL that could be stored or logged: paging
URLs the platforms hand back (Facebook's carry ``access_token``) are stripped with
:func:`without_token` before they enter a cursor. Attachments are downloaded from the platforms'
content hosts (fbcdn.net, twimg.com, a Mastodon instance's media host, ...) by a client that
carries no credentials at all: those hosts need none, and must never be given the account's token.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx2
from django.utils import timezone
from django.utils.translation import gettext as _

TIMEOUT = httpx2.Timeout(30.0, connect=10.0)
USER_AGENT = "Sigill (archive of a Swedish municipality's official accounts)"
# Query parameters that carry credentials in URLs platforms return.
TOKEN_PARAMS = frozenset({"access_token", "key", "oauth_token"})
# An attachment larger than this is not downloaded: the capture keeps its address instead.
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


class PlatformError(Exception):
    """The platform answered with an error. ``message`` is safe to show and store (no token)."""

    def __init__(self, message: str, *, status: int = 0, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


class RateLimited(PlatformError):
    pass


class Unavailable(PlatformError):
    pass


class TokenRejected(PlatformError):
    pass


class Refused(PlatformError):
    pass


class Gone(PlatformError):
    pass


def client(*, headers: Mapping[str, str] | None = None, base_url: str = "") -> httpx2.Client:
    """A client for one run: its connections are reused for every page of the run."""
    return httpx2.Client(
        base_url=base_url,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        timeout=TIMEOUT,
        follow_redirects=True,
    )


def download_client() -> httpx2.Client:
    """A client for attachments: no credentials, so a content host never sees the API token."""
    return client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def without_token(url: str) -> str:
    """``url`` without any credential in its query, so it may be stored in a cursor."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in TOKEN_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def retry_after(headers: httpx2.Headers, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait, from ``Retry-After`` (seconds or an HTTP date) or a ``*-reset`` header
    (epoch seconds, as X and Mastodon send); None when the platform does not say."""
    value = headers.get("retry-after")
    now = now or timezone.now()
    if value:
        if value.strip().isdigit():
            return float(value)
        try:
            return max((email.utils.parsedate_to_datetime(value) - now).total_seconds(), 0.0)
        except (TypeError, ValueError):
            return None
    for name in ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        if reset := headers.get(name):
            return _seconds_until(reset, now)
    return None


def _seconds_until(reset: str, now: dt.datetime) -> float | None:
    reset = reset.strip()
    if reset.isdigit():
        number = int(reset)
        # An epoch time (X) or a number of seconds (some servers send the delta).
        return float(max(number - now.timestamp(), 0)) if number > 10**9 else float(number)
    try:
        moment = dt.datetime.fromisoformat(reset.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max((moment - now).total_seconds(), 0.0)


def pause_near_limit(headers: httpx2.Headers, *, remaining: str, at: int, default: float) -> float | None:
    """Seconds to wait when the ``remaining`` header says at most ``at`` calls are left in the
    window (until the window's reset, or ``default``); None to go on."""
    left = headers.get(remaining)
    if left is not None and left.isdigit() and int(left) <= at:
        return retry_after(headers) or default
    return None


def json_of(response: httpx2.Response) -> Any:
    """The response's JSON, or None when the body is not JSON (an HTML error page, an empty 204)."""
    try:
        return response.json()
    except ValueError:
        return None


def raise_for_common(response: httpx2.Response, *, label: str) -> None:
    """The statuses every platform uses alike; a connector maps its own codes before calling this."""
    status = response.status_code
    if status < 400:
        return
    message = _("%(platform)s answered HTTP %(status)s.") % {"platform": label, "status": status}
    if status == 429:
        raise RateLimited(message, status=status, retry_after=retry_after(response.headers))
    if status == 401:
        raise TokenRejected(message, status=status)
    if status in (404, 410):
        raise Gone(message, status=status)
    if status >= 500:
        raise Unavailable(message, status=status, retry_after=retry_after(response.headers))
    raise Refused(message, status=status)


class RemoteFile(io.BytesIO):
    """An attachment's bytes, downloaded only when the archive reads them.

    Connectors stay pure parsers: they name the file's address; the engine gives every remote file
    of a page the run's download client (from :func:`download_client`, never the API client) so
    its connections are reused. Without one, a file opens a client of its own.
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.client: httpx2.Client | None = None

    def read(self, size: int | None = -1) -> bytes:
        if self.client is not None and _carries_credentials(self.client):
            raise RuntimeError("an attachment must not be downloaded with the API client")
        # A credential in the file's address (none of the platforms puts one there) is dropped too.
        url = without_token(self.url)
        try:
            if self.client is not None:
                return _download(self.client, url)
            with download_client() as own:
                return _download(own, url)
        except httpx2.TransportError as exc:
            raise Unavailable(
                _("The file could not be downloaded (network error: %(error)s).")
                % {"error": type(exc).__name__}
            ) from exc


def _carries_credentials(client: httpx2.Client) -> bool:
    return "authorization" in client.headers or bool(TOKEN_PARAMS & set(client.params.keys()))


def _download(client: httpx2.Client, url: str) -> bytes:
    with client.stream("GET", url) as response:
        raise_for_common(response, label="The file's server")
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > MAX_ATTACHMENT_BYTES:
                raise Refused(_("The file at %(url)s is larger than allowed.") % {"url": url})
            chunks.append(chunk)
    return b"".join(chunks)
