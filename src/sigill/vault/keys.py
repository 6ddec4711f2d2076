"""Master keys: they wrap each credential's data key and never touch a secret themselves.

A key provider is the small interface a KMS can implement instead of the key ring from the
environment: it wraps a data key under its current master key and unwraps one under the key
that wrapped it. Errors name the key, never a key's bytes.
"""

from __future__ import annotations

import base64
import binascii
import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.module_loading import import_string

NONCE_BYTES = 12
KEY_BYTES = 32


class VaultKeyError(Exception):
    """A master key is missing, malformed or not the one that wrapped a data key. Nothing is changed."""


class KeyProvider(Protocol):
    def current_key_id(self) -> str: ...

    def key_ids(self) -> list[str]: ...

    def wrap(self, data_key: bytes, *, context: bytes) -> tuple[str, bytes]:
        """Wrap ``data_key`` under the current master key; return that key's id and the wrapped key."""
        ...

    def unwrap(self, key_id: str, wrapped: bytes, *, context: bytes) -> bytes:
        """Unwrap a data key wrapped under master key ``key_id``; VaultKeyError if that cannot be done."""
        ...


def parse_key_ring(text: str) -> dict[str, bytes]:
    """``"id:base64,id:base64"`` → ``{id: key}``, in order (the first is current); VaultKeyError if malformed."""
    ring: dict[str, bytes] = {}
    for number, part in enumerate(filter(None, (p.strip() for p in text.split(","))), start=1):
        key_id, sep, encoded = part.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id:
            raise VaultKeyError(f"Entry {number} of the vault key ring is not written as id:base64-key.")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise VaultKeyError(f"The vault master key {key_id!r} is not valid base64.") from None
        if len(key) != KEY_BYTES:
            raise VaultKeyError(
                f"The vault master key {key_id!r} is {len(key)} bytes long; it must be {KEY_BYTES} (AES-256)."
            )
        if key_id in ring:
            raise VaultKeyError(f"The vault key ring names the key {key_id!r} twice.")
        ring[key_id] = key
    if not ring:
        raise VaultKeyError("The vault key ring is empty: set SIGILL_VAULT_KEYS (see docs/vault.md).")
    return ring


class EnvironmentKeyRing:
    """The key ring from SIGILL_VAULT_KEYS (or SIGILL_VAULT_KEYS_FILE): the first key is current."""

    def __init__(self, text: str | None = None) -> None:
        if text is None:
            if settings.VAULT_KEYS_PROBLEM:
                raise VaultKeyError(settings.VAULT_KEYS_PROBLEM)
            text = settings.VAULT_KEYS
        self._ring = parse_key_ring(text)

    def current_key_id(self) -> str:
        return next(iter(self._ring))

    def key_ids(self) -> list[str]:
        return list(self._ring)

    def wrap(self, data_key: bytes, *, context: bytes) -> tuple[str, bytes]:
        key_id = self.current_key_id()
        nonce = os.urandom(NONCE_BYTES)
        return key_id, nonce + AESGCM(self._ring[key_id]).encrypt(nonce, data_key, context)

    def unwrap(self, key_id: str, wrapped: bytes, *, context: bytes) -> bytes:
        key = self._ring.get(key_id)
        if key is None:
            raise VaultKeyError(
                f"The vault master key {key_id!r} is not in the key ring; add it back to SIGILL_VAULT_KEYS."
            )
        try:
            return AESGCM(key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)
        except InvalidTag:
            raise VaultKeyError(
                f"The vault master key {key_id!r} in the key ring is not the key that wrapped this "
                "credential's data key (or the wrapped key is damaged)."
            ) from None


def key_provider() -> KeyProvider:
    """The configured provider. Read on each use, so a changed ring takes effect without a restart."""
    provider: KeyProvider = import_string(settings.VAULT_KEY_PROVIDER)()
    return provider
