"""Connector fixtures: accounts connected to their platform, tokens in the vault, the payload files.

The payloads are the platforms' exact shapes (tests/fixtures/, copied from the shared fixtures);
the HTTP side is pytest-httpx2's ``httpx2_mock`` router, answering the documented endpoints.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from sigill.archive.models import Item
from sigill.connectors import services
from sigill.connectors.models import Connection
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from sigill.vault import services as vault_services
from sigill.vault.models import Credential
from tests.registry.fixtures import account_data, activate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TOKEN = "EAAG-test-token-0042-hemlig"
PAGE_ID = "104857392615487"
# A 1×1 JPEG: what the platforms' image addresses answer in these tests.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f"
    "141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100"
    "ffc4001f0000010501010101010100000000000000000102030405060708090a0bffda0008010100003f00d2cf20ffd9"
)


def payload(path: str) -> Any:
    return json.loads((FIXTURES / path).read_bytes())


def raw(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


@pytest.fixture(autouse=True)
def _media(tmp_path: Path) -> Iterator[Path]:
    """Attachments and uploads go to a temporary folder, never into the repository or var/."""
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


def connect(
    platform: str,
    url: str,
    remote_id: str,
    *,
    alice: User,
    erik: User,
    bob: User,
    units: dict[str, Unit],
    api_base: str = "",
    token: str | None = TOKEN,
    display_name: str = "Vara kommun",
) -> Account:
    """An active account on ``platform`` with Erik as editor, its API token deposited and connected."""
    account = registry_services.create_account(
        data=account_data(
            units["kommunikation"],
            url=url,
            platform=platform,
            display_name=display_name,
            responsible=erik,
            deputy=bob,
        ),
        by=alice,
    )
    account = activate(account, alice)
    registry_services.assign_editor(account=account, user=erik, by=alice)
    if token:
        vault_services.deposit_credential(
            account=account,
            by=alice,
            label="API",
            kind=Credential.Kind.API_TOKEN,
            secrets_given=vault_services.Secrets(api_token=token),
        )
    services.connect(account=account, remote_id=remote_id, api_base=api_base, by=alice)
    return account


@pytest.fixture
def vara_page(alice: User, erik: User, bob: User, units: dict[str, Unit]) -> Account:
    """Vara kommun's Facebook Page, connected by its Page id."""
    return connect(
        "facebook", "facebook.com/varakommun", PAGE_ID, alice=alice, erik=erik, bob=bob, units=units
    )


def connection_of(account: Account) -> Connection:
    return Connection.objects.get(account=account)


def archived(account: Account) -> dict[str, Item]:
    return {item.object_id: item for item in Item.objects.filter(account=account)}


def latest_text(item: Item) -> str:
    return item.versions.order_by("-number").values_list("text", flat=True)[0]


# Every platform's inbox, empty: a walk reads the account's direct messages after its posts.
EMPTY_INBOXES = {
    f"https://graph.facebook.com/v21.0/{PAGE_ID}/conversations": {"data": []},
    "https://graph.facebook.com/v21.0/me/conversations": {"data": []},
    "https://api.x.com/2/dm_events": {"meta": {"result_count": 0}},
    "https://social.vara-kommun.example/api/v1/conversations": [],
    "https://bsky.social/xrpc/chat.bsky.convo.listConvos": {"convos": []},
}


@pytest.fixture(autouse=True)
def _empty_inboxes(request: pytest.FixtureRequest) -> None:
    """A test that walks whole accounts on the mock router (``assert_all_called=False``) finds every
    inbox empty, unless it mounts one of its own (a route for the same address replaces these)."""
    marker = request.node.get_closest_marker("httpx2")
    if "httpx2_mock" not in request.fixturenames or marker is None or marker.kwargs.get("assert_all_called"):
        return
    router = request.getfixturevalue("httpx2_mock")
    for url, answer in EMPTY_INBOXES.items():
        router.get(url).respond(json=answer)
