"""Helpers for the export-format tests: an account to import into, export files written as the
platforms write them, and what a run's report says was skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sigill.connectors.models import CaptureRun
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.registry.fixtures import account_data, activate


def export_account(
    platform: str, url: str, *, alice: User, erik: User, bob: User, units: dict[str, Unit]
) -> Account:
    """An active account with no API connection: exports need none."""
    account = registry_services.create_account(
        data=account_data(
            units["kommunikation"],
            url=url,
            platform=platform,
            display_name="Vara kommun",
            responsible=erik,
            deputy=bob,
        ),
        by=alice,
    )
    return activate(account, alice)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """``content`` written to ``folder/name`` (folders made), as bytes exactly when given bytes."""
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8", newline="")
    return target


def mojibake(text: str) -> str:
    """Meta's escaping: each UTF-8 byte of the text written as its own character."""
    return text.encode("utf-8").decode("latin-1")


def skipped_places(run: CaptureRun) -> dict[str, list[str]]:
    return {entry["reason"]: entry.get("where", []) for entry in run.details["skipped"]}


def people_kwargs(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> dict[str, Any]:
    return {"alice": alice, "erik": erik, "bob": bob, "units": units}
