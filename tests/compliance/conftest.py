from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sigill.compliance import services
from sigill.demo import compliance as demo
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.registry.fixtures import account_data, activate


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """Uploaded screenshots never land in the repository."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def vara(alice: User) -> None:
    """The demo municipality's contact details."""
    services.update_municipality(by=alice, changes=demo.CONTACT)


@pytest.fixture
def library_on_linkedin(alice: User, erik: User, bob: User, units: dict[str, Unit], vara: None) -> Account:
    """A platform with room for the full text, so the text itself must say it all."""
    account = registry_services.create_account(
        data=account_data(
            units["bibliotek"],
            platform="linkedin",
            url="linkedin.com/company/vara-bibliotek",
            responsible=erik,
            deputy=bob,
        ),
        by=alice,
    )
    return activate(account, alice)
