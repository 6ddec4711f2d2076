"""Envelope encryption of credential fields.

Each credential has its own random 256-bit data key, wrapped by a master key (keys.py). Each
secret field is sealed with AES-256-GCM under that data key, with the credential's id and the
field's name as associated data: a ciphertext copied to another row or field, or with one bit
changed, fails to open. Sealed values are ``version byte | 12-byte nonce | ciphertext+tag``.
"""

from __future__ import annotations

import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sigill.vault.keys import KEY_BYTES, NONCE_BYTES, KeyProvider

FORMAT_VERSION = b"\x01"


class SealBrokenError(Exception):
    """A sealed value does not open under its credential and field: moved, altered or damaged."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def data_key_context(credential_id: uuid.UUID) -> bytes:
    return f"sigill-vault/data-key/{credential_id}".encode()


def field_context(credential_id: uuid.UUID, field: str) -> bytes:
    return f"sigill-vault/field/{credential_id}/{field}".encode()


def seal(data_key: bytes, credential_id: uuid.UUID, field: str, plaintext: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(nonce, plaintext.encode(), field_context(credential_id, field))
    return FORMAT_VERSION + nonce + sealed


def open_sealed(data_key: bytes, credential_id: uuid.UUID, field: str, sealed: bytes) -> str:
    sealed = bytes(sealed)
    if sealed[:1] != FORMAT_VERSION:
        raise SealBrokenError(f"The sealed {field} of credential {credential_id} has an unknown format.")
    body = sealed[1:]
    try:
        plain = AESGCM(data_key).decrypt(
            body[:NONCE_BYTES], body[NONCE_BYTES:], field_context(credential_id, field)
        )
    except InvalidTag:
        raise SealBrokenError(
            f"The sealed {field} of credential {credential_id} does not open: it was altered, damaged, "
            "or moved from another credential or field."
        ) from None
    return plain.decode()


def wrap_data_key(provider: KeyProvider, credential_id: uuid.UUID, data_key: bytes) -> tuple[str, bytes]:
    return provider.wrap(data_key, context=data_key_context(credential_id))


def unwrap_data_key(provider: KeyProvider, credential_id: uuid.UUID, key_id: str, wrapped: bytes) -> bytes:
    return provider.unwrap(key_id, bytes(wrapped), context=data_key_context(credential_id))
