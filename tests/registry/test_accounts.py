"""Registering accounts: one canonical address per profile, and a lifecycle without illegal jumps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sigill.core.models import AuditEntry
from sigill.organisation.models import Unit, User
from sigill.registry import services
from sigill.registry.models import Account, AccountStatusChange
from tests.registry.fixtures import account_data, activate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("www.Instagram.com/VaraBibliotek/?hl=sv", "https://www.instagram.com/varabibliotek/"),
        ("http://instagram.com/varabibliotek", "https://www.instagram.com/varabibliotek/"),
        ("instagram.com/varabibliotek#profil", "https://www.instagram.com/varabibliotek/"),
    ],
)
def test_an_address_typed_any_way_is_stored_in_one_canonical_form(
    alice: User, units: dict[str, Unit], typed: str, canonical: str
) -> None:
    account = services.create_account(data=account_data(units["bibliotek"], url=typed), by=alice)
    assert (account.handle, account.profile_url) == ("varabibliotek", canonical)


def test_the_same_profile_cannot_be_registered_twice(
    alice: User, library_account: Account, units: dict[str, Unit]
) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.create_account(
            data=account_data(units["bibliotek"], url="https://www.instagram.com/VARABIBLIOTEK"), by=alice
        )
    assert "redan registrerat" in str(refusal.value)


def test_an_address_on_another_platform_is_refused_with_the_platform_named(
    alice: User, units: dict[str, Unit]
) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.create_account(
            data=account_data(units["bibliotek"], url="facebook.com/varabibliotek"), by=alice
        )
    assert refusal.value.message_dict["profile_url"] == ["Adressen är inte en profil på Instagram."]


def test_only_comms_registers_accounts(bob: User, units: dict[str, Unit]) -> None:
    with pytest.raises(PermissionDenied):
        services.create_account(data=account_data(units["bibliotek"]), by=bob)


def test_activation_records_each_step_and_sets_the_review_a_year_ahead(
    alice: User, library_account: Account
) -> None:
    account = activate(library_account, alice)
    assert account.status == Account.Status.ACTIVE
    assert account.next_review_on == timezone.localdate() + dt.timedelta(days=365)
    steps = list(account.status_changes.order_by("id").values_list("from_status", "to_status", "changed_by"))
    assert steps == [("planned", "setting_up", alice.pk), ("setting_up", "active", alice.pk)]
    assert (
        AuditEntry.objects.filter(act="registry.account.status_changed", target_id=str(account.pk)).count()
        == 2
    )


def test_an_account_cannot_jump_from_planned_to_active(alice: User, library_account: Account) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.change_status(account=library_account, to=Account.Status.ACTIVE, reason="Snabbt", by=alice)
    assert "kan inte gå från ”Planerat” till ”Aktivt”" in str(refusal.value)
    assert Account.objects.get(pk=library_account.pk).status == Account.Status.PLANNED


def test_the_database_refuses_a_history_row_for_an_illegal_jump(
    alice: User, library_account: Account
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AccountStatusChange.objects.create(
            account=library_account,
            from_status="planned",
            to_status="active",
            reason="Fusk",
            changed_by=alice,
        )


def test_an_account_without_a_deputy_cannot_be_activated(
    alice: User, erik: User, units: dict[str, Unit]
) -> None:
    account = services.create_account(data=account_data(units["bibliotek"], responsible=erik), by=alice)
    account = services.change_status(
        account=account, to=Account.Status.SETTING_UP, reason="Godkänd.", by=alice
    )
    with pytest.raises(ValidationError) as refusal:
        services.change_status(account=account, to=Account.Status.ACTIVE, reason="Klar.", by=alice)
    assert "ersättare" in str(refusal.value)


def test_the_database_refuses_a_live_account_without_a_deputy(library_account: Account) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=library_account.pk).update(status="active", deputy=None)


def test_a_status_change_needs_a_reason(alice: User, library_account: Account) -> None:
    with pytest.raises(ValidationError):
        services.change_status(account=library_account, to=Account.Status.SETTING_UP, reason="  ", by=alice)


def test_other_apps_can_hold_back_an_activation(alice: User, library_account: Account) -> None:
    def needs_a_credential(account: Account) -> str | None:
        return "Lägg in inloggningsuppgifterna i valvet först."

    services._activation_requirements.append(needs_a_credential)
    try:
        with pytest.raises(ValidationError) as refusal:
            activate(library_account, alice)
    finally:
        services._activation_requirements.remove(needs_a_credential)
    assert "valvet" in str(refusal.value)
