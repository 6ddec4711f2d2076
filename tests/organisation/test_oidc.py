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
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from mozilla_django_oidc import auth as oidc_library

from sigill.core.models import AuditEntry
from sigill.core.two_factor import IDP_MFA_SESSION_KEY
from sigill.organisation import services
from sigill.organisation.models import Membership, Role, Unit, User
from sigill.organisation.oidc import (
    SigillOIDCBackend,
    groups_in,
    memberships_from_groups,
    merged_claims,
    sync_idp_memberships,
)

# Group object ids as Entra ID sends them.
BILDNING_EDITORS = "6f1c2d3e-0000-4000-8000-000000000001"
BILDNING_MANAGERS = "6f1c2d3e-0000-4000-8000-000000000002"
KULTUR_EDITORS = "6f1c2d3e-0000-4000-8000-000000000003"
COMMUNICATIONS = "6f1c2d3e-0000-4000-8000-000000000004"

GROUP_MAP = {
    BILDNING_EDITORS: [{"unit": "bildning", "role": "editor"}],
    BILDNING_MANAGERS: [{"unit": "bildning", "role": "unit_manager"}, {"unit": "bildning", "role": "editor"}],
    KULTUR_EDITORS: [{"unit": "kultur", "role": "editor"}],
    COMMUNICATIONS: [{"unit": "kommunledning", "role": "comms"}],
}

CLIENT_SECRET = "a-test-client-secret-long-enough-for-hs256-0123456789"

# Sigill's own URLconf adds the identity provider's URLs only when OIDC_RP_CLIENT_ID is set at
# start-up, before any test can set it.
urlpatterns = [path("", include("sigill.urls")), path("oidc/", include("mozilla_django_oidc.urls"))]


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


@pytest.fixture
def units(db: None) -> dict[str, Unit]:
    return {
        slug: services.create_unit(name=name, slug=slug, kind=Unit.Kind.ADMINISTRATION, parent=None)
        for slug, name in [
            ("bildning", "Bildningsförvaltningen"),
            ("kultur", "Kulturförvaltningen"),
            ("kommunledning", "Kommunledningsförvaltningen"),
        ]
    }


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user(
        "alice", email="alice@kommun.example.se", first_name="Alice", last_name="Ek"
    )


@pytest.fixture
def bob(db: None) -> User:
    return User.objects.create_user("bob", email="bob@kommun.example.se", first_name="Bob", last_name="Lind")


def held_by(user: User) -> set[tuple[str, str, str]]:
    return set(Membership.objects.filter(user=user).values_list("unit__slug", "role", "source"))


def audited(act: str) -> list[dict[str, Any]]:
    return list(AuditEntry.objects.filter(act=act).order_by("id").values_list("details", flat=True))


IDP = Membership.Source.IDENTITY_PROVIDER
MANUAL = Membership.Source.MANUAL


# The group map.


def test_it_maps_each_group_to_its_units_and_roles() -> None:
    wanted = memberships_from_groups([BILDNING_MANAGERS, KULTUR_EDITORS], GROUP_MAP)
    assert wanted == {("bildning", "unit_manager"), ("bildning", "editor"), ("kultur", "editor")}


def test_it_ignores_groups_the_map_does_not_name() -> None:
    wanted = memberships_from_groups(["all-staff", KULTUR_EDITORS, "another-group"], GROUP_MAP)
    assert wanted == {("kultur", "editor")}


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
        "g1": [{"unit": "bildning"}, "editor", {"unit": "kultur", "role": "editor"}],
        "g2": {"role": "comms"},
    }
    with caplog.at_level(logging.WARNING, logger="sigill.organisation.oidc"):
        wanted = memberships_from_groups(["g1", "g2"], group_map)
    assert wanted == {("kultur", "editor")}
    assert len(caplog.records) == 3


def test_it_reads_a_lone_mapping_as_a_list_of_one() -> None:
    assert memberships_from_groups(["g"], {"g": {"unit": "kultur", "role": "editor"}}) == {
        ("kultur", "editor")
    }


# Keeping memberships in step with the groups.


def test_it_grants_the_groups_memberships_on_first_sign_in(alice: User, units: dict[str, Unit]) -> None:
    sync_idp_memberships(user=alice, wanted={("bildning", Role.EDITOR), ("kultur", Role.EDITOR)})
    assert held_by(alice) == {("bildning", "editor", IDP), ("kultur", "editor", IDP)}


def test_it_revokes_a_role_when_the_group_is_gone(alice: User, units: dict[str, Unit]) -> None:
    sync_idp_memberships(user=alice, wanted={("bildning", Role.EDITOR), ("kultur", Role.EDITOR)})
    sync_idp_memberships(user=alice, wanted={("kultur", Role.EDITOR)})
    assert held_by(alice) == {("kultur", "editor", IDP)}


def test_it_keeps_memberships_granted_in_sigill(alice: User, units: dict[str, Unit]) -> None:
    services.grant_membership(user=alice, unit=units["kommunledning"], role=Role.COMMS)
    services.grant_membership(user=alice, unit=units["bildning"], role=Role.EDITOR)
    sync_idp_memberships(user=alice, wanted={("bildning", Role.EDITOR)})
    sync_idp_memberships(user=alice, wanted=set())
    assert held_by(alice) == {("kommunledning", "comms", MANUAL), ("bildning", "editor", MANUAL)}


def test_it_leaves_bobs_memberships_alone_when_alice_signs_in(
    alice: User, bob: User, units: dict[str, Unit]
) -> None:
    sync_idp_memberships(user=bob, wanted={("kultur", Role.EDITOR)})
    sync_idp_memberships(user=alice, wanted=set())
    assert held_by(bob) == {("kultur", "editor", IDP)}


def test_it_audits_each_grant_and_revocation(alice: User, units: dict[str, Unit]) -> None:
    sync_idp_memberships(user=alice, wanted={("bildning", Role.EDITOR)})
    sync_idp_memberships(user=alice, wanted={("kultur", Role.EDITOR)})

    assert audited("organisation.membership.granted") == [
        {"unit": "bildning", "role": "editor", "source": "idp"},
        {"unit": "kultur", "role": "editor", "source": "idp"},
    ]
    assert audited("organisation.membership.revoked") == [
        {"unit": "bildning", "role": "editor", "source": "idp"}
    ]
    entries = AuditEntry.objects.filter(act__startswith="organisation.membership.")
    assert {(entry.actor_id, entry.target_id) for entry in entries} == {(None, str(alice.pk))}


def test_a_sign_in_with_unchanged_groups_changes_and_audits_nothing(
    alice: User, units: dict[str, Unit]
) -> None:
    sync_idp_memberships(user=alice, wanted={("bildning", Role.EDITOR)})
    entries_before = AuditEntry.objects.count()
    sync_idp_memberships(user=alice, wanted={("bildning", Role.EDITOR)})
    assert AuditEntry.objects.count() == entries_before
    assert held_by(alice) == {("bildning", "editor", IDP)}


def test_it_ignores_a_unit_that_does_not_exist(
    alice: User, units: dict[str, Unit], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sigill.organisation.oidc"):
        sync_idp_memberships(user=alice, wanted={("nedlagd", Role.EDITOR), ("kultur", Role.EDITOR)})
    assert held_by(alice) == {("kultur", "editor", IDP)}
    assert "nedlagd" in caplog.text


# Claims.


def test_it_reads_the_groups_claim_and_a_lone_group(oidc_settings: Any) -> None:
    assert groups_in({"groups": [KULTUR_EDITORS, COMMUNICATIONS]}) == [KULTUR_EDITORS, COMMUNICATIONS]
    assert groups_in({"groups": KULTUR_EDITORS}) == [KULTUR_EDITORS]
    assert groups_in({}) == []


def test_it_reads_the_groups_claim_named_in_the_settings(oidc_settings: Any) -> None:
    oidc_settings.OIDC_GROUPS_CLAIM = "roles"
    assert groups_in({"groups": [KULTUR_EDITORS], "roles": [COMMUNICATIONS]}) == [COMMUNICATIONS]


def test_it_warns_when_entra_id_leaves_the_groups_out(
    oidc_settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    claims = {"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph"}}}
    with caplog.at_level(logging.WARNING, logger="sigill.organisation.oidc"):
        assert groups_in(claims) == []
    assert "overage" in caplog.text


def test_it_takes_the_groups_from_the_id_token_and_the_profile_from_userinfo() -> None:
    id_token = {
        "sub": "alice-sub",
        "preferred_username": "alice@kommun.example.se",
        "groups": [KULTUR_EDITORS],
    }
    userinfo = {"sub": "alice-sub", "given_name": "Alice", "email": "alice@kommun.example.se"}
    assert merged_claims(id_token=id_token, userinfo=userinfo) == {**id_token, **userinfo}


def test_it_refuses_a_userinfo_response_about_someone_else() -> None:
    with pytest.raises(SuspiciousOperation):
        merged_claims(
            id_token={"sub": "alice-sub"}, userinfo={"sub": "bob-sub", "email": "bob@kommun.example.se"}
        )


# The backend.


def test_it_creates_alice_from_her_claims(backend: SigillOIDCBackend, units: dict[str, Unit]) -> None:
    claims = {
        "preferred_username": "alice@kommun.example.se",
        "email": "alice.ek@kommun.example.se",
        "given_name": "Alice",
        "family_name": "Ek",
        "groups": [KULTUR_EDITORS, "all-staff"],
    }
    user = backend.create_user(claims)

    user.refresh_from_db()
    assert (user.username, user.email) == ("alice@kommun.example.se", "alice.ek@kommun.example.se")
    assert (user.first_name, user.last_name) == ("Alice", "Ek")
    assert not user.has_usable_password()
    assert held_by(user) == {("kultur", "editor", IDP)}


def test_it_takes_the_username_from_the_email_without_a_preferred_username(
    backend: SigillOIDCBackend, db: None
) -> None:
    user = backend.create_user({"email": "alice@kommun.example.se", "given_name": "Alice"})
    assert user.username == "alice"


def test_it_gives_a_new_user_a_free_username_when_the_local_part_is_taken(
    backend: SigillOIDCBackend, alice: User
) -> None:
    user = backend.create_user(
        {"email": "alice@skola.example.se", "given_name": "Alice", "family_name": "Berg"}
    )
    assert user.username == "alice-2"
    assert User.objects.get(pk=alice.pk).email == "alice@kommun.example.se"


def test_it_updates_names_and_memberships_on_each_sign_in(
    backend: SigillOIDCBackend, alice: User, units: dict[str, Unit]
) -> None:
    services.grant_membership(user=alice, unit=units["bildning"], role=Role.EDITOR, source=IDP)
    claims = {
        "preferred_username": "alice",
        "email": "alice@kommun.example.se",
        "given_name": "Alice",
        "family_name": "Ek Sjöberg",
        "groups": [COMMUNICATIONS],
    }
    backend.update_user(alice, claims)

    alice.refresh_from_db()
    assert alice.get_full_name() == "Alice Ek Sjöberg"
    assert held_by(alice) == {("kommunledning", "comms", IDP)}


def test_it_keeps_a_name_the_identity_provider_did_not_send(backend: SigillOIDCBackend, alice: User) -> None:
    backend.update_user(alice, {"preferred_username": "alice", "groups": []})
    alice.refresh_from_db()
    assert (alice.first_name, alice.last_name, alice.email) == ("Alice", "Ek", "alice@kommun.example.se")


def test_it_finds_a_user_by_username_before_email(backend: SigillOIDCBackend, alice: User, bob: User) -> None:
    # Bob's address on Alice's claims must not make the backend pick Bob.
    claims = {"preferred_username": "ALICE", "email": "bob@kommun.example.se"}
    assert list(backend.filter_users_by_claims(claims)) == [alice]


def test_it_falls_back_to_the_email_when_no_username_matches(
    backend: SigillOIDCBackend, alice: User, bob: User
) -> None:
    claims = {"preferred_username": "bob.lind@kommun.example.se", "email": "Bob@Kommun.example.se"}
    assert list(backend.filter_users_by_claims(claims)) == [bob]


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
    """An identity provider that signs Alice in: fill in ``id_token`` and ``userinfo`` claims."""
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


def alice_at_entra_id(identity_provider: dict[str, dict[str, Any]]) -> None:
    # Entra ID sends the username and groups in the ID token only; userinfo has the profile.
    identity_provider["id_token"] = {
        "sub": "alice-sub",
        "preferred_username": "alice@kommun.example.se",
        "groups": [BILDNING_MANAGERS],
    }
    identity_provider["userinfo"] = {
        "sub": "alice-sub",
        "email": "alice@kommun.example.se",
        "given_name": "Alice",
        "family_name": "Ek",
    }


def test_alice_signs_in_with_the_roles_of_her_entra_id_groups(
    identity_provider: dict[str, dict[str, Any]], units: dict[str, Unit]
) -> None:
    alice_at_entra_id(identity_provider)
    user, session = sign_in(identity_provider)

    assert user is not None and user.username == "alice@kommun.example.se"
    assert held_by(user) == {("bildning", "unit_manager", IDP), ("bildning", "editor", IDP)}
    assert IDP_MFA_SESSION_KEY not in session


def test_a_sign_in_satisfies_two_factor_when_the_identity_provider_enforces_mfa(
    identity_provider: dict[str, dict[str, Any]], units: dict[str, Unit], oidc_settings: Any
) -> None:
    oidc_settings.OIDC_IDP_ENFORCES_MFA = True
    alice_at_entra_id(identity_provider)
    user, session = sign_in(identity_provider)

    assert user is not None
    assert session[IDP_MFA_SESSION_KEY] is True


def test_a_deactivated_user_does_not_get_two_factor_marked(
    identity_provider: dict[str, dict[str, Any]], alice: User, oidc_settings: Any
) -> None:
    oidc_settings.OIDC_IDP_ENFORCES_MFA = True
    User.objects.filter(pk=alice.pk).update(is_active=False)
    identity_provider["id_token"] = {"sub": "alice-sub", "preferred_username": "alice"}
    user, session = sign_in(identity_provider)

    assert user is not None and not user.is_active
    assert IDP_MFA_SESSION_KEY not in session


def through_the_callback(client: Client) -> HttpResponse:
    """Come back from the identity provider the way a browser does, with the state Sigill sent."""
    session = client.session
    session["oidc_states"] = {"s-1": {"nonce": "n-1", "code_verifier": None, "added_on": time.time()}}
    session.save()
    return client.get(reverse("oidc_authentication_callback"), {"code": "c-1", "state": "s-1"})


@pytest.mark.parametrize(("enforces_mfa", "lands_on"), [(True, "core:home"), (False, "core:two_factor")])
def test_comms_alice_skips_sigills_own_two_factor_step_only_when_the_identity_provider_enforces_mfa(
    identity_provider: dict[str, dict[str, Any]],
    units: dict[str, Unit],
    oidc_settings: Any,
    client: Client,
    enforces_mfa: bool,
    lands_on: str,
) -> None:
    oidc_settings.OIDC_IDP_ENFORCES_MFA = enforces_mfa
    alice_at_entra_id(identity_provider)
    identity_provider["id_token"]["groups"] = [COMMUNICATIONS]

    response = through_the_callback(client)
    assert response.status_code == 302
    assert response.url == reverse("core:home")

    response = client.get(reverse("core:home"))
    assert response.wsgi_request.user.get_username() == "alice@kommun.example.se"
    if lands_on == "core:home":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("core:two_factor"))
    assert audited("core.auth.logged_in") == [{"backend": "sigill.organisation.oidc.SigillOIDCBackend"}]
