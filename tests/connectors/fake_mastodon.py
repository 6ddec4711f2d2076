"""A Mastodon instance on a local port that takes posts: the documented publish endpoints
(``POST /api/v2/media``, ``POST /api/v1/statuses`` with ``Idempotency-Key``) in their real shapes,
and the reads a sync and the outbox's reconciliation make. A real HTTP server, so RQ workers in
other processes can publish to it too."""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import html
import itertools
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.connectors.conftest import JPEG

ACCOUNT = {
    "id": "109876543210987654",
    "username": "varakommun",
    "acct": "varakommun",
    "display_name": "Vara kommun",
}


@dataclass
class Instance:
    """The instance's state: what it holds, what it was sent, and what it is told to do next."""

    base: str = ""
    statuses: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    posts_received: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Whether a repeated Idempotency-Key returns the first status (Mastodon keeps keys for an hour).
    honour_keys: bool = True
    # Answers for the next posts, before (``"refuse"``) or after (``"lose"``) making the status:
    # ("refuse", 503) answers 503 and makes nothing; ("lose", 502) makes it, then answers 502.
    next_posts: list[tuple[str, int]] = field(default_factory=list)
    # Called with the new status after it is made and before the answer is sent.
    after_create: Callable[[dict[str, Any]], None] | None = None
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(113900000000000001))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_status(
        self,
        text: str,
        *,
        in_reply_to_id: str | None = None,
        account: dict[str, Any] | None = None,
        media_ids: Sequence[str] = (),
    ) -> dict[str, Any]:
        number = str(next(self.ids))
        who = account or ACCOUNT
        status = {
            "id": number,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "in_reply_to_id": in_reply_to_id,
            "in_reply_to_account_id": None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "uri": f"{self.base}/users/{who['username']}/statuses/{number}",
            "url": f"{self.base}/@{who['username']}/{number}",
            "replies_count": 0,
            "edited_at": None,
            "content": "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n")),
            "reblog": None,
            "account": who,
            "media_attachments": [self.media[m] for m in media_ids],
        }
        self.statuses.insert(0, status)
        if in_reply_to_id:
            for parent in self.statuses:
                if parent["id"] == in_reply_to_id:
                    parent["replies_count"] += 1
        return status

    def own_statuses(self) -> list[dict[str, Any]]:
        return [s for s in self.statuses if s["account"]["id"] == ACCOUNT["id"]]


class Handler(BaseHTTPRequestHandler):
    instance: Instance

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        state = self.instance
        if path == f"/api/v1/accounts/{ACCOUNT['id']}/statuses":
            return self._json(200, state.own_statuses() if "max_id" not in self.path else [])
        if path in ("/api/v1/notifications", "/api/v1/conversations"):
            return self._json(200, [])
        if path.startswith("/api/v1/statuses/") and path.endswith("/context"):
            root = path.split("/")[4]
            return self._json(200, {"ancestors": [], "descendants": self._descendants(root)})
        if path.startswith("/api/v1/media/"):
            return self._json(200, state.media[path.rsplit("/", 1)[1]])
        if path.startswith("/system/media_attachments/"):
            return self._send(200, JPEG, "image/jpeg")
        self._json(404, {"error": "Record not found"})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        state = self.instance
        if path == "/api/v2/media":
            parts = self._multipart(body)
            number = str(next(state.ids))
            attachment = {
                "id": number,
                "type": "image" if parts["file"][1].startswith("image/") else "video",
                "url": f"{state.base}/system/media_attachments/{number}.jpg",
                "preview_url": f"{state.base}/system/media_attachments/{number}.jpg",
                "description": parts.get("description", (b"", ""))[0].decode(),
            }
            state.media[number] = attachment
            if attachment["type"] == "video":  # processed after the upload: no address yet
                return self._json(202, {**attachment, "url": None})
            return self._json(200, attachment)
        if path == "/api/v1/statuses":
            sent = json.loads(body)
            key = self.headers.get("Idempotency-Key", "")
            with state.lock:
                state.posts_received.append({"body": sent, "key": key})
                plan = state.next_posts.pop(0) if state.next_posts else ("", 200)
                if plan[0] == "refuse":
                    return self._json(plan[1], {"error": "Service unavailable"})
                if key and state.honour_keys and key in state.keys:
                    return self._json(200, state.keys[key])
                if len(sent.get("status", "")) > 500:
                    return self._json(
                        422, {"error": "Validation failed: Text character limit of 500 exceeded"}
                    )
                status = state.add_status(
                    sent.get("status", ""),
                    in_reply_to_id=sent.get("in_reply_to_id"),
                    media_ids=sent.get("media_ids", []),
                )
                if key:
                    state.keys[key] = status
            if state.after_create is not None:
                state.after_create(status)
            if plan[0] == "lose":
                return self._json(plan[1], {"error": "Bad gateway"})
            return self._json(200, status)
        self._json(404, {"error": "Record not found"})

    def _descendants(self, root: str) -> list[dict[str, Any]]:
        found, frontier = [], {root}
        for status in reversed(self.instance.statuses):
            if status["in_reply_to_id"] in frontier:
                found.append(status)
                frontier.add(status["id"])
        return found

    def _multipart(self, body: bytes) -> dict[str, tuple[bytes, str]]:
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        parts: dict[str, tuple[bytes, str]] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            parts[name] = (bytes(part.get_payload(decode=True)), part.get_content_type())
        return parts

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the worker that asked was killed

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def running_instance() -> Iterator[Instance]:
    instance = Instance()
    handler = type("InstanceHandler", (Handler,), {"instance": instance})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    instance.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield instance
    finally:
        server.shutdown()
        server.server_close()
