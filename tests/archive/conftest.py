"""Archive fixtures: accounts from the registry, and captures as a connector would make them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from sigill.archive.capture import Author, Capture, CapturedFile, Direction, Kind, Source
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.registry.fixtures import account_data, activate

T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[Path]:
    """Attachments go to a temporary folder, never into the repository or var/."""
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def library(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return make_library(alice, erik, bob, units)


def make_live_account(
    alice: User, unit: Unit, *, url: str, platform: str, editor: User | None = None, **fields: Any
) -> Account:
    """An account registered and activated by Alice (comms), with ``editor`` assigned if given."""
    account = activate(
        registry_services.create_account(
            data=account_data(unit, url=url, platform=platform, **fields), by=alice
        ),
        alice,
    )
    if editor is not None:
        registry_services.assign_editor(account=account, user=editor, by=alice)
    return account


def make_library(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara bibliotek on Facebook, active, with Erik as its editor."""
    return make_live_account(
        alice, units["bibliotek"], url="facebook.com/varabibliotek", platform="facebook",
        editor=erik, responsible=erik, deputy=bob,
    )  # fmt: skip


@pytest.fixture
def streets(alice: User, gustav: User, units: dict[str, Unit]) -> Account:
    return make_streets(alice, gustav, units)


def make_streets(alice: User, gustav: User, units: dict[str, Unit]) -> Account:
    """Gata och park on Facebook, outside Bob's and Erik's reach."""
    return make_live_account(
        alice, units["gata-park"], url="facebook.com/varagataochpark", platform="facebook",
        display_name="Gata och park", responsible=gustav, deputy=alice,
    )  # fmt: skip


def comment(account: Account, platform_id: str, text: str, **overrides: Any) -> Capture:
    """A resident's comment as a connector would capture it."""
    fields: dict[str, Any] = {
        "account_id": account.pk,
        "platform_id": platform_id,
        "kind": Kind.COMMENT,
        "source": Source.API,
        "direction": Direction.RECEIVED,
        "published_at": T0,
        "text": text,
        "parent_platform_id": "post-1",
        "author": Author(platform_id="u-77", display_name="Greta Svensson", handle="greta.s"),
        "metadata": {"likes": 3},
    }
    fields.update(overrides)
    return Capture(**fields)


def post(account: Account, platform_id: str, text: str, **overrides: Any) -> Capture:
    """The municipality's own post."""
    defaults: dict[str, Any] = {
        "kind": Kind.POST,
        "direction": Direction.DRAWN_UP,
        "parent_platform_id": "",
        "author": Author(platform_id="page-1", display_name=account.display_name, handle=account.handle),
    }
    return comment(account, platform_id, text, **{**defaults, **overrides})


def picture(name: str = "bild.png", content: bytes = b"\x89PNG fake image") -> CapturedFile:
    return CapturedFile(name=name, content_type="image/png", content=content)
