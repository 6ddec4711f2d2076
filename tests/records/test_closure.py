"""Closing an account end to end: the steps, the registry, the vault, the e-archive package."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from sigill.archive import services as archive_services
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.records.models import AccountClosure
from sigill.records.services import closure as services
from sigill.registry import selectors as registry_selectors
from sigill.registry.models import Account
from sigill.vault.models import Credential
from tests.archive.conftest import comment
from tests.conftest import signed_in_client
from tests.records.conftest import capture_thread
from tests.records.test_earchive import assert_valid_package
from tests.vault.conftest import SECRETS, deposit


@pytest.fixture
def closing(library: Account, alice: User) -> AccountClosure:
    capture_thread(library, comments=3)
    deposit(library, alice)
    return services.start(account=library, reason="Biblioteket samlar sig på kommunens konto.", by=alice)


def test_comms_closes_an_account_end_to_end(closing: AccountClosure, library: Account, alice: User) -> None:
    assert library in registry_selectors.public_accounts()
    assert {step.code for step in services.open_steps(closing)} == {
        "capture",
        "earchive",
        "credentials",
        "editors",
    }
    archive_services.capture([comment(library, "c-last", "Sista kommentaren.", parent_platform_id="p-1")])
    services.make_package(closure=closing, by=alice)
    services.retire_credentials(closure=closing, by=alice)
    services.revoke_editors(closure=closing, by=alice)
    assert services.open_steps(closing) == []
    services.close(closure=closing, by=alice)

    assert library not in registry_selectors.public_accounts()
    assert Account.objects.get(pk=library.pk).status == Account.Status.CLOSED
    credentials = list(Credential.objects.filter(account=library))
    assert credentials and all(c.retired_at is not None and c.present_fields == [] for c in credentials)
    assert all(SECRETS["password"].encode() not in bytes(c.password_sealed) for c in credentials)
    closing.refresh_from_db()
    root = Path(settings.MEDIA_ROOT) / "earchive" / closing.earchive_package
    assert_valid_package(root)
    assert len(list(root.glob("representations/rep1-json/data/records/*.json"))) == 5
    assert AuditEntry.objects.filter(act="records.closure.closed").exists()
    assert AuditEntry.objects.filter(act="vault.credential.retired").count() == len(credentials)


def test_an_open_step_stops_the_closing_unless_comms_says_why(closing: AccountClosure, alice: User) -> None:
    with pytest.raises(ValidationError):
        services.close(closure=closing, by=alice)
    assert Account.objects.get(pk=closing.account_id).status == Account.Status.CLOSING
    services.close(closure=closing, by=alice, override_reason="Plattformen stängde kontot innan vi hann.")
    entry = AuditEntry.objects.get(act="records.closure.closed")
    assert entry.details["override_reason"].startswith("Plattformen")
    assert set(entry.details["open_steps"]) == {"capture", "earchive", "credentials", "editors"}


def test_a_manual_capture_satisfies_the_capture_step(
    closing: AccountClosure, alice: User, dana: User
) -> None:
    services.record_manual_capture(closure=closing, note="Skärmbild av profilen, dnr KS 2026/12.", by=alice)
    assert "capture" not in {step.code for step in services.open_steps(closing)}
    response = signed_in_client(dana).post(reverse("records:closure_act", args=[closing.pk, "close"]))
    assert response.status_code == 403  # the registrar follows, comms closes


def test_the_closure_page_shows_each_step(closing: AccountClosure, alice: User) -> None:
    client = signed_in_client(alice)
    page = client.get(closing.get_absolute_url()).content.decode()
    assert page.count("status--closing") >= 4
    refused = client.post(reverse("records:closure_act", args=[closing.pk, "close"]), {"override_reason": ""})
    assert refused.status_code == 422
