"""Single sign-on with OpenID Connect (docs/sso.md).

The identity provider says who someone is and which groups they are in; ``OIDC_GROUP_MAP`` and
the group mappings comms keeps in Sigill turn groups into memberships. Memberships that came from the identity provider follow its groups on
every sign-in; memberships granted in Sigill are never touched here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sigill.core.two_factor import IDP_MFA_SESSION_KEY
from sigill.organisation import selectors, services
from sigill.organisation.models import Membership, Role, Unit, User

logger = logging.getLogger(__name__)

_USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length or 150


def memberships_from_groups(groups: Iterable[str], group_map: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (unit slug, role) pairs that ``groups`` entitle someone to under ``group_map``.

    ``group_map`` is ``{"<group id>": [{"unit": "<slug>", "role": "<role>"}, ...]}``. Groups it
    does not name are ignored: the identity provider sends every group a person is in. A
    malformed entry or an unknown role is logged and skipped, never raised, so one typo in the
    operator's map cannot lock everyone out.
    """
    wanted: set[tuple[str, str]] = set()
    for group in groups:
        entries = group_map.get(group, [])
        # One mapping written without its list is a likely slip; read it as a list of one.
        for entry in [entries] if isinstance(entries, Mapping) else entries:
            if pair := _membership_from_entry(group=group, entry=entry):
                wanted.add(pair)
    return wanted


def _membership_from_entry(*, group: str, entry: Any) -> tuple[str, str] | None:
    unit, role = (entry.get("unit"), entry.get("role")) if isinstance(entry, Mapping) else (None, None)
    if not isinstance(unit, str) or not isinstance(role, str):
        logger.warning("OIDC_GROUP_MAP: the entry %r for group %s needs a unit and a role", entry, group)
        return None
    if role not in Role.values:
        logger.warning("OIDC_GROUP_MAP: group %s names the unknown role %r; ignored", group, role)
        return None
    return unit, role


def sync_idp_memberships(*, user: User, wanted: set[tuple[str, str]]) -> None:
    """Make ``user``'s identity-provider memberships exactly ``wanted`` (unit slug, role).

    Grants what is missing and revokes identity-provider memberships no longer wanted, through
    the organisation services so each change is audited. Memberships granted in Sigill stay as
    they are, and a wanted pair one of them already covers is not granted twice. Roles must be
    known (``memberships_from_groups`` sees to that); unknown unit slugs are logged and skipped.
    """
    with transaction.atomic():
        # Two sign-ins of one person at once (two tabs) would otherwise both grant and revoke,
        # and audit each change twice; locking the user row makes the second wait for the first.
        User.objects.select_for_update().get(pk=user.pk)
        held = list(Membership.objects.filter(user=user).select_related("unit"))
        from_idp = {(m.unit.slug, m.role): m for m in held if m.source == Membership.Source.IDENTITY_PROVIDER}
        manual = {(m.unit.slug, m.role) for m in held if m.source != Membership.Source.IDENTITY_PROVIDER}
        _grant_missing(user=user, missing=wanted - from_idp.keys() - manual)
        for key in sorted(from_idp.keys() - wanted):
            services.revoke_membership(membership=from_idp[key])


def _grant_missing(*, user: User, missing: set[tuple[str, str]]) -> None:
    units = Unit.objects.in_bulk({slug for slug, _role in missing}, field_name="slug")
    for slug, role in sorted(missing):
        if slug not in units:
            logger.warning("OIDC_GROUP_MAP names the unit %r, which does not exist; ignored", slug)
            continue
        services.grant_membership(
            user=user, unit=units[slug], role=role, source=Membership.Source.IDENTITY_PROVIDER
        )


def merged_claims(*, id_token: Mapping[str, Any], userinfo: Mapping[str, Any]) -> dict[str, Any]:
    """The ID token's claims with the userinfo response's on top.

    Entra ID puts ``preferred_username`` and ``groups`` only in the ID token, not in its userinfo
    response, so reading userinfo alone would never see them. Both must be about the same
    subject (OpenID Connect Core 5.3.2), or the response is not to be trusted.
    """
    if "sub" in userinfo and userinfo["sub"] != id_token.get("sub"):
        raise SuspiciousOperation("The userinfo response is about another subject than the ID token.")
    return {**id_token, **userinfo}


def groups_in(claims: Mapping[str, Any]) -> list[str]:
    """The group ids in the configured groups claim; a lone string is one group."""
    name = settings.OIDC_GROUPS_CLAIM
    if name in claims.get("_claim_names", {}):
        # Entra ID's "group overage": too many groups to list in the token. Failing closed here
        # (no groups, so identity-provider memberships are revoked) is safer than keeping stale ones.
        logger.warning("The %s claim was left out of the token (group overage); see docs/sso.md", name)
    value = claims.get(name) or []
    groups = [value] if isinstance(value, str) else value
    return [str(group) for group in groups]


class SigillOIDCBackend(OIDCAuthenticationBackend):
    """Signs people in through the identity provider and keeps their SSO memberships in step.

    People are matched on ``preferred_username`` (their username here), falling back to e-mail;
    someone unknown gets a new account without a password.
    """

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        user: User | None = super().authenticate(request, **kwargs)
        # Only an active user is signed in by the callback view; marking the session for anyone
        # else would leave the mark behind for whoever signs in next on this session.
        if user is not None and user.is_active:
            self._mark_two_factor(request)
        return user

    def _mark_two_factor(self, request: Any) -> None:
        if settings.OIDC_IDP_ENFORCES_MFA:
            request.session[IDP_MFA_SESSION_KEY] = True
        else:
            request.session.pop(IDP_MFA_SESSION_KEY, None)

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        userinfo = super().get_userinfo(access_token, id_token, payload)
        return merged_claims(id_token=payload or {}, userinfo=userinfo)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # The default demands an e-mail address; a username alone is enough to match on here.
        return bool(claims.get("preferred_username") or claims.get("email"))

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return f"username {claims.get('preferred_username')!r} or e-mail {claims.get('email')!r}"

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        users = User.objects.all()
        if username := claims.get("preferred_username"):
            by_username = users.filter(username__iexact=username)
            if by_username.exists():
                return by_username
        # An address the provider itself says is unverified could be anyone's; never match on it.
        if (email := claims.get("email")) and claims.get("email_verified", True) is not False:
            return users.filter(email__iexact=email)
        return users.none()

    def create_user(self, claims: dict[str, Any]) -> User:
        with transaction.atomic():
            # No password: this account signs in through the identity provider only.
            user = User.objects.create_user(
                _free_username(_username_from(claims)),
                email=claims.get("email") or "",
                first_name=claims.get("given_name") or "",
                last_name=claims.get("family_name") or "",
            )
            _sync_from_claims(user=user, claims=claims)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        with transaction.atomic():
            _update_profile(user=user, claims=claims)
            _sync_from_claims(user=user, claims=claims)
        return user


def _username_from(claims: Mapping[str, Any]) -> str:
    username = claims.get("preferred_username") or claims["email"].split("@", 1)[0]
    return str(username)[:_USERNAME_MAX_LENGTH]


def _free_username(wanted: str) -> str:
    """``wanted``, or ``wanted`` with a number after it if someone already has it."""
    candidate, number = wanted, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        suffix = f"-{number}"
        candidate = wanted[: _USERNAME_MAX_LENGTH - len(suffix)] + suffix
    return candidate


def _update_profile(*, user: User, claims: Mapping[str, Any]) -> None:
    """Follow the identity provider's names and e-mail; a claim it did not send changes nothing."""
    fields = {"first_name": "given_name", "last_name": "family_name", "email": "email"}
    changed = [
        field
        for field, claim in fields.items()
        if claims.get(claim) and getattr(user, field) != claims[claim]
    ]
    for field in changed:
        setattr(user, field, claims[fields[field]])
    if changed:
        user.save(update_fields=changed)


def _sync_from_claims(*, user: User, claims: Mapping[str, Any]) -> None:
    groups = groups_in(claims)
    # The operator's setting and comms' mappings in Sigill (organisation's group mappings page) both apply.
    wanted = memberships_from_groups(groups, settings.OIDC_GROUP_MAP)
    wanted |= memberships_from_groups(groups, selectors.group_map_from_database())
    sync_idp_memberships(user=user, wanted=wanted)
