"""What every platform connector provides, and the helpers they share.

A connector is a pure translator: it names the requests that walk an account's content
(:class:`Fetch`), and turns each answer into captures and further requests (:class:`Page`). It
never writes; the sync engine (:mod:`sigill.connectors.sync`) makes the requests, captures each
page and commits the cursor with it.
"""

from __future__ import annotations

import datetime as dt
import html
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

import httpx2

from sigill.archive.capture import CapturedFile, Direction
from sigill.connectors.http import RemoteFile

# How far back a walk re-reads, so comments on recent posts are seen after the post was captured.
LOOKBACK = dt.timedelta(days=14)


@dataclass(frozen=True)
class Fetch:
    """One request of a walk: a step name the connector knows, an address, and its context.

    A request about one object (a post's comments) names it as ``context["parent"]``; requests
    that list the account's own content carry ``context["since"]`` (ISO) when the walk reads only
    what is new, so the connector stops paging at older items.
    """

    step: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    # Headers this request needs besides the token (never a credential): Bluesky's chat proxy.
    headers: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = {"step": self.step, "url": self.url, "params": self.params, "context": self.context}
        return data | ({"headers": self.headers} if self.headers else {})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fetch:
        return cls(
            step=data["step"],
            url=data["url"],
            params=data["params"],
            context=data["context"],
            headers=data.get("headers", {}),
        )


@dataclass
class Page:
    """What one answer held: captures, and the requests it leads to (fetched before the rest)."""

    captures: list[Any] = field(default_factory=list)
    follow: list[Fetch] = field(default_factory=list)


class Connector(Protocol):
    """A platform's API as the sync engine sees it."""

    slug: ClassVar[str]
    label: ClassVar[str]

    def headers(self, token: str) -> dict[str, str]:
        """The headers that authenticate a request with ``token``."""

    def first(self, *, remote_id: str, api_base: str, since: dt.datetime | None) -> list[Fetch]:
        """The requests a new walk starts with (what is new since ``since``, or everything)."""

    def read(self, fetch: Fetch, response: httpx2.Response, *, account_id: int, remote_id: str) -> Page:
        """Check ``response`` (raising the errors of :mod:`~sigill.connectors.http`) and parse it."""

    def pause_after(self, response: httpx2.Response) -> float | None:
        """Seconds to wait before the next request, when the platform's usage headers say it is near
        its limit; None to go on."""


_connectors: dict[str, Connector] = {}


def register(connector: Connector) -> Connector:
    _connectors[connector.slug] = connector
    return connector


def connector_for(platform_slug: str) -> Connector | None:
    return _connectors.get(platform_slug)


def has_connector(platform_slug: str) -> bool:
    return platform_slug in _connectors


# Whether a platform has a log-in of its own set up, with which comms reconnects an account by
# logging in again rather than by depositing a token. The platform log-in app (sigill.oauth, a floor
# above this one) tells, through ``services.offer_platform_login``, when it starts.
_platform_login: list[Callable[[str], bool]] = []


def offer_platform_login(check: Callable[[str], bool]) -> None:
    _platform_login[:] = [check]


def platform_login_set_up(platform_slug: str) -> bool:
    return any(check(platform_slug) for check in _platform_login)


def direction(author_id: str, own_ids: set[str] | str) -> str:
    """Drawn up when the account itself wrote it, received when anyone else did."""
    own = {own_ids} if isinstance(own_ids, str) else own_ids
    return Direction.DRAWN_UP if author_id and author_id in own else Direction.RECEIVED


def iso_time(value: str) -> dt.datetime:
    """An ISO 8601 time as the APIs send it: ``+0000`` without a colon (Graph), ``Z``, milliseconds."""
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    moment = dt.datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError(f"time without a zone: {value!r}")
    return moment.astimezone(dt.UTC)


def epoch_seconds(value: int | float | str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)


def epoch_ms(value: int | str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC)


def naive_utc(value: str) -> dt.datetime:
    """``YYYY-MM-DD HH:MM:SS`` without a zone (LinkedIn's and TikTok's exports), read as UTC."""
    return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)


def remote_file(url: str, *, fallback_type: str = "application/octet-stream") -> CapturedFile:
    """An attachment named by its address; the engine downloads it when the page is captured."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1] or "fil"
    content_type = mimetypes.guess_type(name)[0] or fallback_type
    return CapturedFile(name=name[:200], content_type=content_type, content=RemoteFile(url))


def html_to_text(value: str) -> str:
    """Plain text from the little HTML the platforms send (Mastodon content, YouTube textDisplay)."""
    text = re.sub(r"<br\s*/?>", "\n", value, flags=re.IGNORECASE)
    text = re.sub(r"</p>\s*<p>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def since_context(since: dt.datetime | None) -> dict[str, Any]:
    return {"since": since.isoformat()} if since is not None else {}


def older_than_since(moment: dt.datetime, context: dict[str, Any]) -> bool:
    """Whether an item at ``moment`` is older than the walk's ``since`` (then paging stops)."""
    since = context.get("since")
    return since is not None and moment < dt.datetime.fromisoformat(since)
