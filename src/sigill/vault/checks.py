"""A start-up check: with DEBUG off, Sigill does not start without a valid vault key ring."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from sigill.vault.keys import VaultKeyError, key_provider


@checks.register(checks.Tags.security)
def check_key_ring(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        provider = key_provider()
        provider.current_key_id()
    except VaultKeyError as exc:
        return [
            checks.Error(
                f"The credential vault has no usable master key: {exc}",
                hint="Set SIGILL_VAULT_KEYS (or SIGILL_VAULT_KEYS_FILE) as docs/vault.md describes. "
                "Stored credentials are untouched; they open again once the right key is back.",
                id="sigill.vault.E001",
            )
        ]
    if not settings.DEVELOPMENT and provider.key_ids() and settings.VAULT_KEYS == settings.VAULT_DEMO_KEYS:
        return [checks.Error("The vault uses the public demo key.", id="sigill.vault.E002")]
    return []
