"""Every write about API tokens: create (the secret is returned once), revoke, authenticate a
request by its bearer token, and the audit entry every write through the API leaves."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigill.api.models import ApiToken
from sigill.core import audit
from sigill.core.policies import policy_for
from sigill.organisation.people import User

audit.describe_acts(
    {
        "api.token.created": gettext_lazy("API token created"),
        "api.token.revoked": gettext_lazy("API token revoked"),
        "api.token.refused": gettext_lazy("Revoked or expired API token refused"),
        "api.write": gettext_lazy("Change through the REST API"),
    }
)

# What every token starts with, so that secret scanners and people recognise a Sigill token.
TOKEN_MARK = "sgl"  # noqa: S105  (a public marker, not a secret)
MAX_LIFETIME = dt.timedelta(days=366)
# Writing "last used" on every request would make each read a write; once a minute is enough to
# tell a token in use from one that is forgotten.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just created: ``secret`` is the whole token, shown to its owner once and never stored."""

    token: ApiToken
    secret: str


def create_token(*, user: User, name: str, scope: str, expires_at: dt.datetime) -> NewToken:
    """Create a personal token for ``user``. The returned secret exists only in this return value."""
    policy_for(ApiToken).require(user, "create")
    now = timezone.now()
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the token a name that says what it is for.")
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Choose read, or read and write.")
    if not now < expires_at <= now + MAX_LIFETIME:
        errors["expires_at"] = _("A token expires within a year.")
    if errors:
        raise ValidationError(errors)
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        secret = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name.strip()[:100],
                    prefix=prefix,
                    digest=digest_of(secret),
                    scope=scope,
                    created_at=now,
                    expires_at=expires_at,
                )
                audit.record(
                    "api.token.created",
                    actor=user,
                    target=token,
                    details={"prefix": prefix, "scope": scope, "expires_at": expires_at.isoformat()},
                )
        except IntegrityError:
            continue  # two tokens drew the same 32-bit prefix: draw again
        return NewToken(token=token, secret=secret)
    raise RuntimeError("no free token prefix after five draws")


def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token now; requests that carry it are refused from this moment on."""
    policy_for(ApiToken).require(by, "revoke", token)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record("api.token.revoked", actor=by, target=token, details={"prefix": token.prefix})
    return token


class TokenRefused(Exception):
    """The bearer token is missing, unknown, revoked or expired; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def authenticate(token: str, *, request: HttpRequest | None = None) -> ApiToken:
    """The usable token that ``token`` is, or TokenRefused.

    Only a presented token that is really one of ours (its digest matches) but revoked or expired
    is audited: that is someone using a credential that was taken away. Random strings are not,
    so nobody can fill the audit log by guessing.
    """
    mark, _sep, rest = token.strip().partition("_")
    prefix = rest.partition("_")[0]
    if mark != TOKEN_MARK or not prefix:
        raise TokenRefused("unknown")
    found = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if found is None or not hmac.compare_digest(found.digest, digest_of(token.strip())):
        raise TokenRefused("unknown")
    if found.is_revoked or found.is_expired or not found.user.is_active:
        reason = "revoked" if found.is_revoked else "expired" if found.is_expired else "inactive"
        audit.record(
            "api.token.refused",
            actor_label=found.user.get_username(),
            target=found,
            details={"prefix": found.prefix, "reason": reason},
            request=request,
        )
        raise TokenRefused(reason)
    now = timezone.now()
    if found.last_used_at is None or found.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found


def record_write(request: HttpRequest, *, operation: str, target: Any = None, **details: Any) -> None:
    """The audit entry of one write through the API, in the caller's transaction: which token
    (by its prefix) did what, beside the entry the domain service itself writes."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    audit.record(
        "api.write",
        actor=token.user,
        target=target,
        details={
            "operation": operation,
            "method": request.method,
            "path": request.path,
            "token": token.prefix,
            **details,
        },
        request=request,
    )
