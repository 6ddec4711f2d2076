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
from sigill.oauth.providers.bluesky import Bluesky
from sigill.oauth.providers.google import YouTube
from sigill.oauth.providers.linkedin import LinkedIn
from sigill.oauth.providers.mastodon import Mastodon
from sigill.oauth.providers.meta import Facebook, Instagram
from sigill.oauth.providers.threads import Threads
from sigill.oauth.providers.tiktok import TikTok
from sigill.oauth.providers.x import X

PROVIDERS: dict[str, Provider] = {
    provider.slug: provider
    for provider in (
        Facebook(),
        Instagram(),
        LinkedIn(),
        YouTube(),
        X(),
        TikTok(),
        Threads(),
        Mastodon(),
        Bluesky(),
    )
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
