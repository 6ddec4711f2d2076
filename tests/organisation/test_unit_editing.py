"""Comms keeps the unit tree: creates, renames, moves and closes units; a unit with accounts is never deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from sigill.applications import services as application_services
from sigill.core.models import AuditEntry
from sigill.organisation import selectors, services
from sigill.organisation.models import Unit, User
from sigill.registry import services as registry_services
from sigill.registry.models import Account
from tests.applications.fixtures import complete_data
from tests.conftest import signed_in_client
from tests.registry.fixtures import account_data

pytestmark = pytest.mark.django_db


def refreshed(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def test_comms_creates_a_unit_from_the_tree_page(alice: User, units: dict[str, Unit]) -> None:
    client = signed_in_client(alice)
    response = client.post(
        reverse("organisation:create"),
        {
            "new-name": "Musikskolan",
            "new-slug": "musikskolan",
            "new-kind": "section",
            "new-parent": units["kultur-fritid"].pk,
        },
    )
    unit = Unit.objects.get(slug="musikskolan")
    assert response["Location"] == unit.get_absolute_url()
    assert unit.path.startswith(units["kultur-fritid"].path)
    assert (
        AuditEntry.objects.filter(
            act="organisation.unit.created", actor=alice, target_id=str(unit.pk)
        ).count()
        == 1
    )


def test_a_code_already_taken_is_refused_with_a_message_on_the_form(
    alice: User, units: dict[str, Unit]
) -> None:
    response = signed_in_client(alice).post(
        reverse("organisation:create"),
        {"new-name": "Bibliotek 2", "new-slug": "bibliotek", "new-kind": "administration"},
    )
    assert response.status_code == 422
    assert "Det finns redan en enhet med koden ”bibliotek”." in response.content.decode()


def test_comms_renames_a_unit_and_the_old_name_is_in_the_audit_log(
    alice: User, units: dict[str, Unit]
) -> None:
    response = signed_in_client(alice).post(
        reverse("organisation:rename", kwargs={"slug": "bibliotek"}), {"rename-name": "Vara stadsbibliotek"}
    )
    assert response.status_code == 302
    assert refreshed(units["bibliotek"]).name == "Vara stadsbibliotek"
    entry = AuditEntry.objects.get(act="organisation.unit.renamed")
    assert entry.details == {"from": "Vara bibliotek", "to": "Vara stadsbibliotek"}


def test_a_moved_unit_takes_the_units_below_it_along(
    alice: User, bob: User, gustav: User, units: dict[str, Unit]
) -> None:
    services.move_unit(unit=units["kultur-fritid"], parent=units["samhallsbyggnad"], by=alice)
    library = refreshed(units["bibliotek"])
    assert library.path.startswith(refreshed(units["samhallsbyggnad"]).path)
    assert library in selectors.managed_units(gustav)
    assert library not in selectors.managed_units(bob)
    assert [unit.slug for unit in selectors.as_tree(Unit.objects.all())].index("bibliotek") > [
        unit.slug for unit in selectors.as_tree(Unit.objects.all())
    ].index("samhallsbyggnad")
    assert AuditEntry.objects.filter(act="organisation.unit.moved").count() == 1


def test_a_unit_cannot_be_moved_below_a_unit_below_itself(alice: User, units: dict[str, Unit]) -> None:
    response = signed_in_client(alice).post(
        reverse("organisation:move", kwargs={"slug": "bildning"}), {"move-parent": units["grundskola"].pk}
    )
    # An administration cannot be below anything; the form offers no unit below it either.
    assert response.status_code == 422
    assert refreshed(units["bildning"]).parent is None
    with pytest.raises(ValidationError):
        services.move_unit(unit=units["kultur-fritid"], parent=units["kultur-fritid"], by=alice)


def test_a_department_cannot_be_moved_to_the_top_of_the_tree(alice: User, units: dict[str, Unit]) -> None:
    with pytest.raises(ValidationError, match="Endast en förvaltning"):
        services.move_unit(unit=units["grundskola"], parent=None, by=alice)


def test_only_comms_may_change_the_tree(bob: User, units: dict[str, Unit]) -> None:
    with pytest.raises(PermissionDenied):
        services.rename_unit(unit=units["bildning"], name="Skolan", by=bob)
    response = signed_in_client(bob).post(reverse("organisation:close", kwargs={"slug": "bibliotek"}))
    assert response.status_code == 403
    assert refreshed(units["bibliotek"]).closed_at is None


def test_a_unit_with_accounts_cannot_be_deleted_even_in_the_database(
    library_account: Account, units: dict[str, Unit]
) -> None:
    with pytest.raises(ProtectedError):
        units["bibliotek"].delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        # Past Django's own check too: the database's foreign key refuses, at the latest when the
        # transaction commits (Django's foreign keys are deferred; check_constraints checks now).
        Unit.objects.filter(pk=units["bibliotek"].pk)._raw_delete(using="default")
        connection.check_constraints(table_names=["registry_account"])


def test_a_closed_unit_keeps_its_accounts_and_takes_no_new_ones(
    alice: User, library_account: Account, units: dict[str, Unit]
) -> None:
    response = signed_in_client(alice).post(reverse("organisation:close", kwargs={"slug": "bibliotek"}))
    assert response.status_code == 302
    assert refreshed(units["bibliotek"]).is_closed
    assert Account.objects.get(pk=library_account.pk).unit_id == units["bibliotek"].pk
    with pytest.raises(ValidationError, match="är stängd"):
        registry_services.create_account(
            data=account_data(units["bibliotek"], url="facebook.com/varabibliotek", platform="facebook"),
            by=alice,
        )
    page = signed_in_client(alice).get(reverse("registry:account_create"))
    assert "Vara bibliotek" not in page.content.decode()
    assert AuditEntry.objects.filter(act="organisation.unit.closed", actor=alice).count() == 1


def test_an_application_cannot_be_made_for_a_closed_unit(
    alice: User, bob: User, charlie: User, units: dict[str, Unit]
) -> None:
    services.close_unit(unit=units["nastegardsskolan"], by=alice)
    with pytest.raises(ValidationError, match="är stängd"):
        application_services.save_draft(
            data=complete_data(units, responsible=charlie, deputy=bob), by=charlie
        )


def test_a_unit_with_open_units_below_it_cannot_be_closed(alice: User, units: dict[str, Unit]) -> None:
    response = signed_in_client(alice).post(
        reverse("organisation:close", kwargs={"slug": "kultur-fritid"}), follow=True
    )
    assert "Enheter under Kultur och fritid är fortfarande öppna." in response.content.decode()
    assert not refreshed(units["kultur-fritid"]).is_closed


def test_a_closed_unit_can_be_reopened(alice: User, units: dict[str, Unit]) -> None:
    services.close_unit(unit=units["bibliotek"], by=alice)
    signed_in_client(alice).post(reverse("organisation:close", kwargs={"slug": "bibliotek"}))
    assert not refreshed(units["bibliotek"]).is_closed
    assert AuditEntry.objects.filter(act="organisation.unit.reopened").count() == 1
