"""The break-glass file: every credential, sealed with a passphrase for the disaster-recovery binder.

Format (JSON, UTF-8)::

    {"format": "sigill-vault-breakglass", "version": 1,
     "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<base64, 16 bytes>"},
     "cipher": "AES-256-GCM", "nonce": "<base64, 12 bytes>", "ciphertext": "<base64>"}

The key is scrypt(passphrase UTF-8, salt, n, r, p, 32 bytes); the associated data is the ASCII
string ``sigill-vault-breakglass-v1``. ``scripts/open_breakglass.py`` opens it with nothing but
``cryptography``; keep this module and that script in step.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "sigill-vault-breakglass"
VERSION = 1
ASSOCIATED_DATA = b"sigill-vault-breakglass-v1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def seal_bundle(payload: dict[str, Any], passphrase: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    ciphertext = AESGCM(key).encrypt(nonce, json.dumps(payload, ensure_ascii=False).encode(), ASSOCIATED_DATA)
    envelope = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": {
            "name": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": base64.b64encode(salt).decode(),
        },
        "cipher": "AES-256-GCM",
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(ciphertext).decode(),
    }
    return json.dumps(envelope, indent=2).encode()
