"""Who must pass a second factor, and whether this request has."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigill.core.roles import has_role

# Set in the session when an identity provider that enforces MFA signed the user in (docs/sso.md).
IDP_MFA_SESSION_KEY = "sigill_idp_mfa"
# When this session last passed a code (seconds since the epoch): the vault asks for a fresh one.
VERIFIED_AT_SESSION_KEY = "sigill_two_factor_at"


def is_required_for(user: Any) -> bool:
    """Comms and the registrar must use a second factor; anyone who set one up uses it too."""
    return has_role(user, *settings.TWO_FACTOR_ROLES) or confirmed_device(user) is not None


def is_satisfied(request: HttpRequest) -> bool:
    user: Any = request.user
    # The identity provider's mark counts only while the operator still trusts its MFA.
    idp_checked = settings.OIDC_IDP_ENFORCES_MFA and bool(request.session.get(IDP_MFA_SESSION_KEY))
    return bool(user.is_verified()) or idp_checked


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def mark_verified(request: HttpRequest) -> None:
    request.session[VERIFIED_AT_SESSION_KEY] = time.time()


def verified_within(request: HttpRequest, seconds: int) -> bool:
    """Whether this session passed a two-factor code in the last ``seconds`` seconds."""
    verified_at = request.session.get(VERIFIED_AT_SESSION_KEY)
    return isinstance(verified_at, int | float) and 0 <= time.time() - verified_at <= seconds
