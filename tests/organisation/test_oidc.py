"""Single sign-on: who the identity provider signs in, and which memberships its groups give them."""

from __future__ import annotations

import logging
import time
from importlib import import_module
from typing import Any

import jwt
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from mozilla_django_oidc import auth as oidc_library

from sigill.core.models import AuditEntry
from sigill.core.two_factor import IDP_MFA_SESSION_KEY
from sigill.organisation import services
from sigill.organisation.models import GroupMapping, Membership, Role, Unit, User
from sigill.organisation.oidc import (
    SigillOIDCBackend,
    groups_in,
    memberships_from_groups,
    merged_claims,
    sync_idp_memberships,
)
from tests.conftest import signed_in_client

# Group object ids as Entra ID sends them.
BILDNING_EDITORS = "6f1c2d3e-0000-4000-8000-000000000001"
BILDNING_MANAGERS = "6f1c2d3e-0000-4000-8000-000000000002"
LIBRARY_EDITORS = "6f1c2d3e-0000-4000-8000-000000000003"
COMMUNICATIONS = "6f1c2d3e-0000-4000-8000-000000000004"

GROUP_MAP = {
    BILDNING_EDITORS: [{"unit": "bildning", "role": "editor"}],
    BILDNING_MANAGERS: [{"unit": "bildning", "role": "unit_manager"}, {"unit": "bildning", "role": "editor"}],
    LIBRARY_EDITORS: [{"unit": "bibliotek", "role": "editor"}],
    COMMUNICATIONS: [{"unit": "kommunikation", "role": "comms"}],
}

CLIENT_SECRET = "a-test-client-secret-long-enough-for-hs256-0123456789"

# Sigill's own URLconf adds the identity provider's URLs only when OIDC_RP_CLIENT_ID is set at
# start-up, before any test can set it.
urlpatterns = [path("", include("sigill.urls")), path("oidc/", include("mozilla_django_oidc.urls"))]

IDP = Membership.Source.IDENTITY_PROVIDER
MANUAL = Membership.Source.MANUAL


@pytest.fixture
def oidc_settings(settings: Any) -> Any:
    """The settings mozilla-django-oidc reads when the backend is made, as in a deployment."""
    settings.ROOT_URLCONF = __name__
    settings.OIDC_RP_CLIENT_ID = "sigill"
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example.se/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example.se/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example.se/userinfo"
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_MAP = GROUP_MAP
    settings.OIDC_IDP_ENFORCES_MFA = False
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "sigill.organisation.oidc.SigillOIDCBackend",
    ]
    return settings


@pytest.fixture
def backend(oidc_settings: Any) -> SigillOIDCBackend:
    return SigillOIDCBackend()


def held_by(user: User) -> set[tuple[str, str, str]]:
    return set(Membership.objects.filter(user=user).values_list("unit__slug", "role", "source"))


def audit_mark() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def audited_since(mark: int, act: str) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(id__gt=mark, act=act).order_by("id")
    return list(entries.values_list("details", flat=True))


def with_email(user: User, email: str) -> User:
    user.email = email
    user.save(update_fields=["email"])
    return user


# The group map.


def test_it_maps_each_group_to_its_units_and_roles() -> None:
    wanted = memberships_from_groups([BILDNING_MANAGERS, LIBRARY_EDITORS], GROUP_MAP)
    assert wanted == {("bildning", "unit_manager"), ("bildning", "editor"), ("bibliotek", "editor")}


def test_it_ignores_groups_the_map_does_not_name() -> None:
    wanted = memberships_from_groups(["all-staff", LIBRARY_EDITORS, "another-group"], GROUP_MAP)
    assert wanted == {("bibliotek", "editor")}


def test_it_gives_nothing_for_no_groups() -> None:
    assert memberships_from_groups([], GROUP_MAP) == set()


def test_it_ignores_an_unknown_role_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    group_map = {
        BILDNING_EDITORS: [{"unit": "bildning", "role": "redaktör"}, {"unit": "bildning", "role": "editor"}]
    }
    with caplog.at_level(logging.WARNING, logger="sigill.organisation.oidc"):
        wanted = memberships_from_groups([BILDNING_EDITORS], group_map)
    assert wanted == {("bildning", "editor")}
    assert "redaktör" in caplog.text


def test_it_grants_a_role_once_when_two_groups_map_to_it() -> None:
    wanted = memberships_from_groups([BILDNING_EDITORS, BILDNING_MANAGERS], GROUP_MAP)
    assert sorted(wanted) == [("bildning", "editor"), ("bildning", "unit_manager")]


def test_it_skips_a_malformed_entry_without_raising(caplog: pytest.LogCaptureFixture) -> None:
    group_map = {
        "g1": [{"unit": "bildning"}, "editor", {"unit": "bibliotek", "role": "editor"}],
        "g2": {"role": "comms"},
    }
    with caplog.at_level(logging.WARNING, logger="sigill.organisation.oidc"):
        wanted = memberships_from_groups(["g1", "g2"], group_map)
    assert wanted == {("bibliotek", "editor")}
    assert len(caplog.records) == 3


def test_it_reads_a_lone_mapping_as_a_list_of_one() -> None:
    assert memberships_from_groups(["g"], {"g": {"unit": "bibliotek", "role": "editor"}}) == {
        ("bibliotek", "editor")
    }


# Keeping memberships in step with the groups. Bob manages Bildningsförvaltningen by a
# membership granted in Sigill.


def test_it_grants_the_groups_memberships_on_first_sign_in(bob: User) -> None:
    sync_idp_memberships(user=bob, wanted={("bibliotek", Role.EDITOR), ("grundskola", Role.EDITOR)})
    assert held_by(bob) == {
        ("bildning", "unit_manager", MANUAL),
        ("bibliotek", "editor", IDP),
        ("grundskola", "editor", IDP),
    }


def test_it_revokes_a_role_when_the_group_is_gone(bob: User) -> None:
    sync_idp_memberships(user=bob, wanted={("bibliotek", Role.EDITOR), ("grundskola", Role.EDITOR)})
    sync_idp_memberships(user=bob, wanted={("bibliotek", Role.EDITOR)})
    assert held_by(bob) == {("bildning", "unit_manager", MANUAL), ("bibliotek", "editor", IDP)}


def test_it_keeps_memberships_granted_in_sigill(bob: User) -> None:
    sync_idp_memberships(user=bob, wanted={("bildning", Role.UNIT_MANAGER)})
    assert held_by(bob) == {("bildning", "unit_manager", MANUAL)}
    sync_idp_memberships(user=bob, wanted=set())
    assert held_by(bob) == {("bildning", "unit_manager", MANUAL)}


def test_it_leaves_bobs_memberships_alone_when_alice_signs_in(alice: User, bob: User) -> None:
    sync_idp_memberships(user=bob, wanted={("bibliotek", Role.EDITOR)})
    sync_idp_memberships(user=alice, wanted=set())
    assert held_by(bob) == {("bildning", "unit_manager", MANUAL), ("bibliotek", "editor", IDP)}


def test_it_audits_each_grant_and_revocation(bob: User) -> None:
    mark = audit_mark()
    sync_idp_memberships(user=bob, wanted={("grundskola", Role.EDITOR)})
    sync_idp_memberships(user=bob, wanted={("bibliotek", Role.EDITOR)})

    assert audited_since(mark, "organisation.membership.granted") == [
        {"unit": "grundskola", "role": "editor", "source": "idp"},
        {"unit": "bibliotek", "role": "editor", "source": "idp"},
    ]
    assert audited_since(mark, "organisation.membership.revoked") == [
        {"unit": "grundskola", "role": "editor", "source": "idp"}
    ]
    entries = AuditEntry.objects.filter(id__gt=mark)
    assert {(entry.actor_id, entry.target_id) for entry in entries} == {(None, str(bob.pk))}


def test_a_sign_in_with_unchanged_groups_changes_and_audits_nothing(bob: User) -> None:
    sync_idp_memberships(user=bob, wanted={("bibliotek", Role.EDITOR)})
    mark = audit_mark()
    sync_idp_memberships(user=bob, wanted={("bibliotek", Role.EDITOR)})
    assert audit_mark() == mark
    assert held_by(bob) == {("bildning", "unit_manager", MANUAL), ("bibliotek", "editor", IDP)}


def test_it_ignores_a_unit_that_does_not_exist(bob: User, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sigill.organisation.oidc"):
        sync_idp_memberships(user=bob, wanted={("nedlagd", Role.EDITOR), ("bibliotek", Role.EDITOR)})
    assert held_by(bob) == {("bildning", "unit_manager", MANUAL), ("bibliotek", "editor", IDP)}
    assert "nedlagd" in caplog.text


# Claims.


def test_it_reads_the_groups_claim_and_a_lone_group(oidc_settings: Any) -> None:
    assert groups_in({"groups": [LIBRARY_EDITORS, COMMUNICATIONS]}) == [LIBRARY_EDITORS, COMMUNICATIONS]
    assert groups_in({"groups": LIBRARY_EDITORS}) == [LIBRARY_EDITORS]
    assert groups_in({}) == []


def test_it_reads_the_groups_claim_named_in_the_settings(oidc_settings: Any) -> None:
    oidc_settings.OIDC_GROUPS_CLAIM = "roles"
    assert groups_in({"groups": [LIBRARY_EDITORS], "roles": [COMMUNICATIONS]}) == [COMMUNICATIONS]


def test_it_warns_when_entra_id_leaves_the_groups_out(
    oidc_settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    claims = {"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph"}}}
    with caplog.at_level(logging.WARNING, logger="sigill.organisation.oidc"):
        assert groups_in(claims) == []
    assert "overage" in caplog.text


def test_it_takes_the_groups_from_the_id_token_and_the_profile_from_userinfo() -> None:
    id_token = {"sub": "alice-sub", "preferred_username": "alice@vara.example.se", "groups": [COMMUNICATIONS]}
    userinfo = {"sub": "alice-sub", "given_name": "Alice", "email": "alice@vara.example.se"}
    assert merged_claims(id_token=id_token, userinfo=userinfo) == {**id_token, **userinfo}


def test_it_refuses_a_userinfo_response_about_someone_else() -> None:
    with pytest.raises(SuspiciousOperation):
        merged_claims(
            id_token={"sub": "alice-sub"}, userinfo={"sub": "bob-sub", "email": "bob@vara.example.se"}
        )


# The backend. Hanna is new: Sigill has never seen her before she signs in.


def test_it_creates_hanna_from_her_claims(backend: SigillOIDCBackend, units: dict[str, Unit]) -> None:
    claims = {
        "preferred_username": "hanna.holm@vara.example.se",
        "email": "hanna@vara.example.se",
        "given_name": "Hanna",
        "family_name": "Holm",
        "groups": [LIBRARY_EDITORS, "all-staff"],
    }
    user = backend.create_user(claims)

    user.refresh_from_db()
    assert (user.username, user.email) == ("hanna.holm@vara.example.se", "hanna@vara.example.se")
    assert user.get_full_name() == "Hanna Holm"
    assert not user.has_usable_password()
    assert held_by(user) == {("bibliotek", "editor", IDP)}


def test_it_takes_the_username_from_the_email_without_a_preferred_username(
    backend: SigillOIDCBackend, units: dict[str, Unit]
) -> None:
    user = backend.create_user({"email": "hanna@vara.example.se", "given_name": "Hanna"})
    assert user.username == "hanna"


def test_it_gives_a_new_user_a_free_username_when_the_local_part_is_taken(
    backend: SigillOIDCBackend, alice: User
) -> None:
    user = backend.create_user(
        {"email": "alice@skola.vara.example.se", "given_name": "Alice", "family_name": "Berg"}
    )
    assert user.username == "alice-2"
    assert User.objects.get(pk=alice.pk).last_name == "Andersson"


def test_it_updates_names_and_memberships_on_each_sign_in(backend: SigillOIDCBackend, bob: User) -> None:
    claims = {
        "preferred_username": "bob",
        "email": "bob@vara.example.se",
        "given_name": "Bob",
        "family_name": "Berglund Sjöberg",
        "groups": [LIBRARY_EDITORS],
    }
    backend.update_user(bob, claims)

    bob.refresh_from_db()
    assert (bob.get_full_name(), bob.email) == ("Bob Berglund Sjöberg", "bob@vara.example.se")
    assert held_by(bob) == {("bildning", "unit_manager", MANUAL), ("bibliotek", "editor", IDP)}


def test_it_keeps_a_name_the_identity_provider_did_not_send(backend: SigillOIDCBackend, bob: User) -> None:
    backend.update_user(bob, {"preferred_username": "bob", "groups": []})
    bob.refresh_from_db()
    assert (bob.first_name, bob.last_name) == ("Bob", "Berglund")


def test_it_finds_a_user_by_username_before_email(backend: SigillOIDCBackend, alice: User, bob: User) -> None:
    with_email(bob, "bob@vara.example.se")
    # Bob's address in Alice's claims must not make the backend pick Bob.
    claims = {"preferred_username": "ALICE", "email": "bob@vara.example.se"}
    assert list(backend.filter_users_by_claims(claims)) == [alice]


def test_it_falls_back_to_the_email_when_no_username_matches(
    backend: SigillOIDCBackend, alice: User, bob: User
) -> None:
    with_email(bob, "bob@vara.example.se")
    claims = {"preferred_username": "bob.berglund@vara.example.se", "email": "Bob@Vara.example.se"}
    assert list(backend.filter_users_by_claims(claims)) == [bob]


def test_it_does_not_match_an_email_the_identity_provider_has_not_verified(
    backend: SigillOIDCBackend, bob: User
) -> None:
    with_email(bob, "bob@vara.example.se")
    claims = {"preferred_username": "mallory", "email": "bob@vara.example.se", "email_verified": False}
    assert list(backend.filter_users_by_claims(claims)) == []


def test_it_finds_nobody_without_a_username_or_email(backend: SigillOIDCBackend, alice: User) -> None:
    assert not backend.verify_claims({"sub": "x"})
    assert list(backend.filter_users_by_claims({"sub": "x"})) == []


# A whole sign-in, with only the identity provider's HTTP endpoints stood in for.


class IdentityProviderResponse:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body, self.status_code, self.headers = body, 200, {"content-type": "application/json"}

    def json(self) -> dict[str, Any]:
        return self.body

    def raise_for_status(self) -> None:
        return None


@pytest.fixture
def identity_provider(oidc_settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """An identity provider that signs someone in: fill in the ``id_token`` and ``userinfo`` claims."""
    issued: dict[str, dict[str, Any]] = {"id_token": {}, "userinfo": {}}

    def token_endpoint(url: str, **kwargs: Any) -> IdentityProviderResponse:
        assert url == oidc_settings.OIDC_OP_TOKEN_ENDPOINT
        claims = {
            "iss": "https://idp.example.se",
            "aud": "sigill",
            "exp": int(time.time()) + 300,
            "nonce": "n-1",
        }
        id_token = jwt.encode({**claims, **issued["id_token"]}, CLIENT_SECRET, algorithm="HS256")
        return IdentityProviderResponse({"id_token": id_token, "access_token": "access-1"})

    def userinfo_endpoint(url: str, **kwargs: Any) -> IdentityProviderResponse:
        assert url == oidc_settings.OIDC_OP_USER_ENDPOINT
        return IdentityProviderResponse(issued["userinfo"])

    monkeypatch.setattr(oidc_library.requests, "post", token_endpoint)
    monkeypatch.setattr(oidc_library.requests, "get", userinfo_endpoint)
    return issued


def sign_in(identity_provider: dict[str, dict[str, Any]]) -> tuple[User | None, Any]:
    request = RequestFactory().get(reverse("oidc_authentication_callback"), {"code": "c-1", "state": "s-1"})
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    return SigillOIDCBackend().authenticate(request, nonce="n-1"), request.session


ALICE_AT_ENTRA_ID = "alice.andersson@vara.example.se"


@pytest.fixture
def alice_at_entra_id(alice: User, identity_provider: dict[str, dict[str, Any]]) -> User:
    """Alice, comms by a membership granted in Sigill, as Entra ID knows her.

    Entra ID sends the username and groups in the ID token only; userinfo has the profile. Her
    Entra ID username is not her username here, so the backend finds her by e-mail address.
    """
    identity_provider["id_token"] = {
        "sub": "alice-sub",
        "preferred_username": ALICE_AT_ENTRA_ID,
        "groups": [COMMUNICATIONS, BILDNING_EDITORS],
    }
    identity_provider["userinfo"] = {
        "sub": "alice-sub",
        "email": ALICE_AT_ENTRA_ID,
        "given_name": "Alice",
        "family_name": "Andersson",
    }
    return with_email(alice, ALICE_AT_ENTRA_ID)


def test_alice_signs_in_with_the_roles_of_her_entra_id_groups(
    alice_at_entra_id: User, identity_provider: dict[str, dict[str, Any]]
) -> None:
    user, session = sign_in(identity_provider)

    assert user == alice_at_entra_id
    assert held_by(alice_at_entra_id) == {("kommunikation", "comms", MANUAL), ("bildning", "editor", IDP)}
    assert IDP_MFA_SESSION_KEY not in session


def test_a_sign_in_satisfies_two_factor_when_the_identity_provider_enforces_mfa(
    alice_at_entra_id: User, identity_provider: dict[str, dict[str, Any]], oidc_settings: Any
) -> None:
    oidc_settings.OIDC_IDP_ENFORCES_MFA = True
    user, session = sign_in(identity_provider)

    assert user == alice_at_entra_id
    assert session[IDP_MFA_SESSION_KEY] is True


def test_a_deactivated_user_does_not_get_two_factor_marked(
    alice_at_entra_id: User, identity_provider: dict[str, dict[str, Any]], oidc_settings: Any
) -> None:
    oidc_settings.OIDC_IDP_ENFORCES_MFA = True
    User.objects.filter(pk=alice_at_entra_id.pk).update(is_active=False)
    user, session = sign_in(identity_provider)

    assert user == alice_at_entra_id and not user.is_active
    assert IDP_MFA_SESSION_KEY not in session


def through_the_callback(client: Client) -> Any:
    """Come back from the identity provider the way a browser does, with the state Sigill sent."""
    session = client.session
    session["oidc_states"] = {"s-1": {"nonce": "n-1", "code_verifier": None, "added_on": time.time()}}
    session.save()
    return client.get(reverse("oidc_authentication_callback"), {"code": "c-1", "state": "s-1"})


@pytest.mark.parametrize(("enforces_mfa", "lands_on"), [(True, "core:home"), (False, "core:two_factor")])
def test_comms_alice_skips_sigills_own_two_factor_step_only_when_the_identity_provider_enforces_mfa(
    alice_at_entra_id: User, oidc_settings: Any, client: Client, enforces_mfa: bool, lands_on: str
) -> None:
    oidc_settings.OIDC_IDP_ENFORCES_MFA = enforces_mfa
    mark = audit_mark()

    response = through_the_callback(client)
    assert (response.status_code, response.url) == (302, reverse("core:home"))
    assert (
        audited_since(mark, "core.auth.logged_in")[0]["backend"]
        == "sigill.organisation.oidc.SigillOIDCBackend"
    )

    response = client.get(reverse("core:home"), follow=True)
    assert response.wsgi_request.user == alice_at_entra_id
    assert (response.status_code, response.request["PATH_INFO"]) == (200, reverse(lands_on))


# Group mappings comms keeps in Sigill (the organisation's "single sign-on groups" page).
LIBRARY_MANAGERS = "6f1c2d3e-0000-4000-8000-000000000005"


def test_a_group_mapped_on_the_page_gives_its_role_at_the_next_sign_in(
    alice_at_entra_id: User, identity_provider: dict[str, dict[str, Any]]
) -> None:
    client = signed_in_client(alice_at_entra_id)
    library = Unit.objects.get(slug="bibliotek")
    response = client.post(
        reverse("organisation:group_mappings"),
        {"group_id": LIBRARY_MANAGERS, "unit": library.pk, "role": Role.UNIT_MANAGER},
    )
    assert response.status_code == 302
    assert (
        AuditEntry.objects.filter(act="organisation.group_mapping.added", actor=alice_at_entra_id).count()
        == 1
    )
    identity_provider["id_token"]["groups"] = [COMMUNICATIONS, LIBRARY_MANAGERS]

    sign_in(identity_provider)

    assert ("bibliotek", "unit_manager", IDP) in held_by(alice_at_entra_id)


def test_removing_a_mapping_takes_the_role_away_at_the_next_sign_in(
    alice_at_entra_id: User, identity_provider: dict[str, dict[str, Any]]
) -> None:
    mapping = services.add_group_mapping(
        group_id=LIBRARY_MANAGERS,
        unit=Unit.objects.get(slug="bibliotek"),
        role=Role.UNIT_MANAGER,
        by=alice_at_entra_id,
    )
    identity_provider["id_token"]["groups"] = [COMMUNICATIONS, LIBRARY_MANAGERS]
    sign_in(identity_provider)
    signed_in_client(alice_at_entra_id).post(
        reverse("organisation:remove_group_mapping", kwargs={"pk": mapping.pk})
    )

    sign_in(identity_provider)

    assert ("bibliotek", "unit_manager", IDP) not in held_by(alice_at_entra_id)
    assert AuditEntry.objects.filter(act="organisation.group_mapping.removed").count() == 1


def test_only_comms_may_map_groups(bob: User) -> None:
    response = signed_in_client(bob).post(
        reverse("organisation:group_mappings"),
        {"group_id": LIBRARY_MANAGERS, "unit": Unit.objects.get(slug="bildning").pk, "role": Role.COMMS},
    )
    assert response.status_code == 403
    assert not GroupMapping.objects.exists()


def test_the_database_refuses_the_same_mapping_twice(alice: User) -> None:
    bildning = Unit.objects.get(slug="bildning")
    GroupMapping.objects.create(group_id=LIBRARY_MANAGERS, unit=bildning, role=Role.EDITOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMapping.objects.create(group_id=LIBRARY_MANAGERS, unit=bildning, role=Role.EDITOR)
