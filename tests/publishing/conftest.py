"""Publishing fixtures: Vara bibliotek on Mastodon (Erik edits it) and Gata och park on Facebook.

* Erik writes posts for the library; Bob manages the library's administration (Bildning).
* Hanna is a second editor of the library.
* Alice (comms) may do everything, Gustav manages another administration and sees nothing here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from sigill.organisation.models import Role, Unit, User
from sigill.publishing import services
from sigill.publishing.models import Draft
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.archive.conftest import make_live_account, make_streets
from tests.conftest import make_person


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def hanna(units: dict[str, Unit]) -> User:
    return make_person("hanna", "Hanna", "Holm", [(units["bibliotek"], Role.EDITOR)])


@pytest.fixture
def library(alice: User, erik: User, bob: User, hanna: User, units: dict[str, Unit]) -> Account:
    """Vara bibliotek on Mastodon, active, with Erik and Hanna as its editors."""
    account = make_live_account(
        alice, units["bibliotek"], url="social.vara.se/@bibliotek", platform="mastodon",
        editor=erik, responsible=erik, deputy=bob,
    )  # fmt: skip
    registry_services.assign_editor(account=account, user=hanna, by=alice)
    return account


@pytest.fixture
def streets(alice: User, gustav: User, units: dict[str, Unit]) -> Account:
    return make_streets(alice, gustav, units)


def write(account: Account, by: User, text: str = "Biblioteket har öppet som vanligt i helgen.") -> Draft:
    return services.create_draft(title="Helgöppet", accounts=[account], text=text, by=by)
