"""Every platform's log-in, keyed by the platform slugs of the registry's catalogue."""

from __future__ import annotations

from sigill.oauth.providers.base import (
    GrantLost,
    LoginFailed,
    Provider,
    ProviderUnavailable,
    Reached,
    Tokens,
    challenge_of,
    client,
    new_state,
    new_verifier,
)
from sigill.oauth.providers.linkedin import LinkedIn
from sigill.oauth.providers.meta import Facebook, Instagram

PROVIDERS: dict[str, Provider] = {
    provider.slug: provider for provider in (Facebook(), Instagram(), LinkedIn())
}


def provider_for(slug: str) -> Provider | None:
    return PROVIDERS.get(slug)


__all__ = [
    "PROVIDERS",
    "GrantLost",
    "LoginFailed",
    "Provider",
    "ProviderUnavailable",
    "Reached",
    "Tokens",
    "challenge_of",
    "client",
    "new_state",
    "new_verifier",
    "provider_for",
]
