#!/usr/bin/env python3
"""Open a Sigill break-glass file and print its credentials as JSON.

    pip install cryptography && python3 open_breakglass.py vault-breakglass.json

Needs nothing but Python 3.9+ and the ``cryptography`` package, so it runs on any machine in a
disaster, without Sigill. It asks for the passphrase without echoing it. The format is described
in docs/vault.md and in sigill/vault/breakglass.py.
"""

import base64
import getpass
import json
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

ASSOCIATED_DATA = b"sigill-vault-breakglass-v1"


def open_bundle(blob: bytes, passphrase: str) -> dict:
    envelope = json.loads(blob)
    if envelope.get("format") != "sigill-vault-breakglass" or envelope.get("version") != 1:
        raise ValueError("This is not a Sigill break-glass file (version 1).")
    kdf = envelope["kdf"]
    if kdf["name"] != "scrypt" or envelope["cipher"] != "AES-256-GCM":
        raise ValueError("The file uses a key derivation or cipher this script does not know.")
    key = Scrypt(salt=base64.b64decode(kdf["salt"]), length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(
        passphrase.encode()
    )
    try:
        plain = AESGCM(key).decrypt(
            base64.b64decode(envelope["nonce"]), base64.b64decode(envelope["ciphertext"]), ASSOCIATED_DATA
        )
    except InvalidTag:
        raise ValueError("Wrong passphrase, or the file is damaged.") from None
    return json.loads(plain)


def main() -> int:
    if len(sys.argv) != 2:
        sys.stderr.write("usage: open_breakglass.py FILE\n")
        return 2
    with open(sys.argv[1], "rb") as handle:
        blob = handle.read()
    try:
        bundle = open_bundle(blob, getpass.getpass("Passphrase: "))
    except ValueError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.write(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
