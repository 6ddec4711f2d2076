"""Moderation fixtures: the archive's accounts and comments, screened into cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from sigill.archive import services as archive_services
from sigill.archive.capture import Capture
from sigill.archive.models import Item
from sigill.archive.selectors import verify_saved_copy
from sigill.moderation import platform_acts, services
from sigill.moderation.models import Case
from sigill.organisation.models import Unit, User
from sigill.registry.models import Account
from tests.archive.conftest import make_library

# A real identity number with a correct check digit (Skatteverket's test series).
PERSONNUMMER = "19121212-1212"


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def library(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return make_library(alice, erik, bob, units)


def arrive(*captures: Capture) -> list[Case]:
    """Comments arrive on the platform, are captured, and screened (what the worker does)."""
    result = archive_services.capture(list(captures))
    services.screen_items(result.item_ids)
    return list(Case.objects.filter(item_id__in=result.item_ids).order_by("id"))


class PlatformRecorder:
    """Stands in for the platform at the connector boundary: records what it was asked to do,
    and whether the saved copy had been verified at that moment (a verified act is recorded
    only after the call returns, so the recorder checks the archive itself)."""

    def __init__(self, fail: platform_acts.ActFailed | None = None) -> None:
        self.calls: list[tuple[str, platform_acts.Target, bool]] = []
        self.fail = fail

    def can(self, act: str) -> bool:
        return True

    def perform(self, act: str, target: platform_acts.Target) -> None:
        item = Item.objects.get(account_id=target.account_id, object_id=target.object_id)
        self.calls.append((act, target, verify_saved_copy(item).intact))
        if self.fail is not None:
            raise self.fail


@pytest.fixture
def facebook_platform() -> Iterator[PlatformRecorder]:
    recorder = PlatformRecorder()
    previous = platform_acts.actor_for("facebook")
    platform_acts.register("facebook", recorder)
    yield recorder
    if previous is not None:
        platform_acts.register("facebook", previous)
    else:
        platform_acts._actors.pop("facebook", None)


def choose(act: str, **fields: Any) -> services.Choice:
    return services.Choice(act=act, **fields)
