"""A rendered snapshot of an account's public profile: how it looked, as PDF and PNG.

Swedish archive guidance asks for the profile's appearance to be kept: at least yearly, and always
before an account is closed. Debian's Chromium renders the page headless (no browser download);
both files are captured as one profile-snapshot item, sealed like any capture.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from sigill.archive import selectors as archive_selectors
from sigill.archive import services as archive
from sigill.archive.capture import Author, Capture, CapturedFile, Direction, Kind, Source
from sigill.registry.models import Account

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
TIMEOUT_SECONDS = 120


class SnapshotFailed(Exception):
    pass


def render(url: str, folder: Path) -> tuple[Path, Path]:
    """Render ``url`` to ``folder``/profile.pdf and profile.png with Chromium."""
    pdf, png = folder / "profile.pdf", folder / "profile.png"
    runs = [
        [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"],
        [f"--screenshot={png}", "--window-size=1280,1800"],
    ]
    for extra in runs:
        command = [
            settings.SNAPSHOT_CHROMIUM,
            *CHROMIUM_ARGS,
            f"--user-data-dir={folder / 'profile'}",
            *extra,
            url,
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as exc:
            raise SnapshotFailed(f"Chromium could not render {url}: {type(exc).__name__}") from exc
    if not pdf.exists() or not png.exists():
        raise SnapshotFailed(f"Chromium rendered nothing for {url}")
    return pdf, png


def snapshot_profile(*, account: Account, url: str | None = None, by: object = None) -> int:
    """Render the account's profile (or ``url``) and capture it; returns the item's id."""
    url = url or account.profile_url
    taken = timezone.now()
    with tempfile.TemporaryDirectory() as folder:
        pdf, png = render(url, Path(folder))
        stamp = taken.strftime("%Y%m%dT%H%M%SZ")
        captured = Capture(
            account_id=account.pk,
            platform_id=f"profile-snapshot-{stamp}",
            kind=Kind.PROFILE,
            source=Source.SNAPSHOT,
            direction=Direction.DRAWN_UP,
            published_at=taken,
            text=f"{account.display_name}: {url}",
            author=Author(display_name=account.display_name, handle=account.handle),
            url=url,
            attachments=(
                CapturedFile(
                    name=f"profil-{stamp}.pdf", content_type="application/pdf", content=pdf.read_bytes()
                ),
                CapturedFile(name=f"profil-{stamp}.png", content_type="image/png", content=png.read_bytes()),
            ),
            metadata={"renderer": "chromium", "url": url},
        )
        result = archive.capture([captured], actor=by)
    return result.item_ids[0]


def due_for_snapshot() -> list[Account]:
    """Live accounts without a snapshot in the last year."""
    year_ago = timezone.now() - dt.timedelta(days=365)
    recent = archive_selectors.accounts_with(kind=Kind.PROFILE, since=year_ago)
    return list(Account.objects.filter(status__in=Account.PUBLIC_STATUSES).exclude(pk__in=recent))
