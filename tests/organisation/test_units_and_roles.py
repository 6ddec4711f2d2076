"""The unit tree, who manages what, and how comms grants and revokes roles."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sigill.core.models import AuditEntry
from sigill.core.policies import policy_for
from sigill.organisation import selectors, services
from sigill.organisation.models import Membership, Role, Unit, User
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_a_unit_manager_manages_their_unit_and_every_unit_below_it(bob: User, units: dict[str, Unit]) -> None:
    managed = set(selectors.managed_units(bob).values_list("slug", flat=True))
    assert managed == {"bildning", "grundskola", "nastegardsskolan", "kultur-fritid", "bibliotek"}


def test_a_unit_manager_sees_no_unit_outside_their_administration(bob: User, units: dict[str, Unit]) -> None:
    policy = policy_for(Unit)
    assert policy.can(bob, "view", units["bibliotek"])
    assert not policy.can(bob, "view", units["gata-park"])
    assert units["gata-park"] not in policy.queryset(bob)


def test_the_database_refuses_an_administration_below_another_unit(units: dict[str, Unit]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            name="Fel", slug="fel", kind=Unit.Kind.ADMINISTRATION, parent=units["bildning"], path="/x/"
        )


def test_a_department_cannot_be_placed_below_a_section(units: dict[str, Unit]) -> None:
    with pytest.raises(ValidationError):
        services.create_unit(name="Fel", slug="fel", kind=Unit.Kind.DEPARTMENT, parent=units["bibliotek"])


def test_the_database_refuses_the_same_role_twice_in_one_unit(charlie: User, units: dict[str, Unit]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=charlie, unit=units["nastegardsskolan"], role=Role.EMPLOYEE)


def test_comms_grants_a_role_and_it_is_audited(alice: User, charlie: User, units: dict[str, Unit]) -> None:
    client = signed_in_client(alice)
    response = client.post(
        reverse("organisation:grant", kwargs={"slug": "bibliotek"}), {"user": charlie.pk, "role": Role.EDITOR}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=charlie, unit=units["bibliotek"], role=Role.EDITOR).exists()
    entry = AuditEntry.objects.get(
        act="organisation.membership.granted", target_id=str(charlie.pk), actor=alice
    )
    assert entry.details == {"unit": "bibliotek", "role": "editor", "source": "manual"}
    page = client.get(response["Location"])
    assert "Charlie Carlsson har nu rollen ”Redaktör” i Vara bibliotek." in page.content.decode()


def test_a_grant_with_a_missing_person_is_refused_with_a_message(alice: User, units: dict[str, Unit]) -> None:
    client = signed_in_client(alice)
    response = client.post(reverse("organisation:grant", kwargs={"slug": "bibliotek"}), {"role": Role.EDITOR})
    assert response.status_code == 422
    assert "Detta fält måste fyllas i." in response.content.decode()


def test_comms_revokes_a_role_and_it_is_audited(alice: User, erik: User) -> None:
    membership = Membership.objects.get(user=erik, role=Role.EDITOR)
    client = signed_in_client(alice)
    response = client.post(reverse("organisation:revoke", kwargs={"pk": membership.pk}))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(act="organisation.membership.revoked", actor=alice)
    assert entry.details["role"] == "editor"


def test_a_unit_manager_cannot_grant_roles_even_in_their_own_units(bob: User, charlie: User) -> None:
    with pytest.raises(PermissionDenied):
        services.grant_membership(
            user=charlie, unit=Unit.objects.get(slug="bildning"), role=Role.COMMS, by=bob
        )
    assert not Membership.objects.filter(user=charlie, role=Role.COMMS).exists()


def test_a_new_role_takes_effect_on_the_next_request(
    alice: User, charlie: User, units: dict[str, Unit]
) -> None:
    assert not selectors.has_role(charlie, Role.REGISTRAR)
    services.grant_membership(user=charlie, unit=units["kansli"], role=Role.REGISTRAR, by=alice)
    assert selectors.has_role(charlie, Role.REGISTRAR)


def test_comms_is_told_which_administrations_lack_a_unit_manager(alice: User, bob: User) -> None:
    page = signed_in_client(alice).get(reverse("core:home")).content.decode()
    # Bildning has Bob; Kommunledning and Samhällsbyggnad have no manager.
    assert "2 förvaltningar saknar verksamhetschef" in page


def test_the_unit_page_shows_its_people_and_the_way_up_the_tree(bob: User, erik: User) -> None:
    page = (
        signed_in_client(bob).get(reverse("organisation:unit", kwargs={"slug": "bibliotek"})).content.decode()
    )
    assert "Erik Ek" in page
    assert "Kultur och fritid" in page  # the breadcrumb
    assert "Ge en roll" not in page  # only comms grants roles


def test_the_tree_lists_each_branch_under_its_parent_in_alphabetical_order(units: dict[str, Unit]) -> None:
    services.create_unit(
        name="Äldrenämndens kansli", slug="aldre", kind=Unit.Kind.ADMINISTRATION, parent=None
    )
    services.create_unit(name="Arkivet", slug="arkivet", kind=Unit.Kind.ADMINISTRATION, parent=None)
    names = [unit.name for unit in selectors.as_tree(Unit.objects.all())]
    assert names == [
        "Arkivet",
        "Bildningsförvaltningen",
        "Grundskoleavdelningen",
        "Nästegårdsskolan",
        "Kultur och fritid",
        "Vara bibliotek",
        "Kommunledningsförvaltningen",
        "Kansliavdelningen",
        "Kommunikationsavdelningen",
        "Samhällsbyggnadsförvaltningen",
        "Gata och park",
        "Äldrenämndens kansli",
    ]


def test_a_unit_manager_sees_their_administration_as_the_root_of_their_tree(bob: User) -> None:
    names = [unit.name for unit in selectors.as_tree(policy_for(Unit).queryset(bob))]
    assert names[0] == "Bildningsförvaltningen"
    assert "Gata och park" not in names
