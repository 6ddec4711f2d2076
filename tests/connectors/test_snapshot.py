"""A profile snapshot renders a page in Chromium to PDF and PNG and captures both."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from sigill.archive.capture import Kind, Source
from sigill.archive.models import Item
from sigill.registry.models import Account

PROFILE = "<!DOCTYPE html><html lang=sv><title>Vara kommun</title><h1>Vara kommun</h1><p>Officiellt konto. Vi svarar vardagar 8–16.</p>"


class Profile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PROFILE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def profile_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Profile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/varakommun"
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(not shutil.which(settings.SNAPSHOT_CHROMIUM), reason="Debian's Chromium is not installed")
def test_a_snapshot_renders_the_profile_to_pdf_and_png_and_captures_both(
    vara_page: Account, profile_url: str, capsys: Any
) -> None:
    call_command("snapshot_profile", vara_page.slug, url=profile_url)
    item = Item.objects.get(account=vara_page, kind=Kind.PROFILE)
    assert item.source == Source.SNAPSHOT and item.url == profile_url
    files = list(item.versions.get().attachments.order_by("position"))
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    assert all(f.size > 500 for f in files)
    assert "captured as archive item" in capsys.readouterr().out
