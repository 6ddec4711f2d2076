"""Records fixtures: the library's archive with a thread of comments, and Dana's requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from sigill.archive import services as archive_services
from sigill.archive.models import Item
from sigill.organisation.models import Unit, User
from sigill.records.models import DisclosureRequest
from sigill.records.services import disclosure
from sigill.registry.models import Account
from tests.archive.conftest import comment, make_library, make_streets, picture, post
from tests.connectors.test_snapshot import profile_url  # noqa: F401 (a fixture: a profile served locally)

PERSONNUMMER = "19811218-9876"


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def library(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    return make_library(alice, erik, bob, units)


def capture_thread(account: Account, comments: int = 9) -> list[Item]:
    """A post with a picture and ``comments`` comments below it; the third names a personnummer."""
    captures = [post(account, "p-1", "Sommarläsningen börjar i dag!", attachments=(picture(),))]
    for number in range(comments):
        text = f"Kommentar nummer {number} om sommarläsningen."
        if number == 2:
            text = f"Mitt barn har personnummer {PERSONNUMMER} och vill vara med."
        captures.append(comment(account, f"c-{number}", text, parent_platform_id="p-1"))
    archive_services.capture(captures)
    return list(Item.objects.filter(account=account).order_by("object_id"))


@pytest.fixture
def streets(alice: User, gustav: User, units: dict[str, Unit]) -> Account:
    return make_streets(alice, gustav, units)


@pytest.fixture
def thread(library: Account) -> list[Item]:
    return capture_thread(library)


@pytest.fixture
def open_request(dana: User) -> DisclosureRequest:
    return disclosure.register_request(
        by=dana,
        received_at=timezone.now() - dt.timedelta(days=2),
        channel=DisclosureRequest.Channel.EMAIL,
        description="Alla kommentarer om sommarläsningen på bibliotekets Facebooksida.",
        requester_contact="journalist@example.org",
    )
