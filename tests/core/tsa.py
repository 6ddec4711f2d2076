"""A local time-stamping authority for the tests: a real HTTP server in the test process that
answers RFC 3161 requests with real TimeStampResp tokens, made by OpenSSL's `ts -reply` (an
implementation independent of Sigill's) and signed with a test key."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """
[ tsa ]
default_tsa = local
[ local ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/cert.pem
signer_key = $dir/key.pem
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@dataclass
class Authority:
    url: str
    certificate: Path
    requests: list[bytes]


def make_authority_files(folder: Path, name: str) -> None:
    """A key and a self-signed certificate for time-stamping, and OpenSSL's TSA configuration."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))


@contextmanager
def local_authority(name: str = "Vara test TSA") -> Iterator[Authority]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_authority_files(folder, name)
        requests: list[bytes] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                requests.append(body)
                with tempfile.TemporaryDirectory(dir=folder) as work:
                    query, reply = Path(work) / "query.tsq", Path(work) / "reply.tsr"
                    query.write_bytes(body)
                    subprocess.run(  # noqa: S603
                        ["/usr/bin/openssl", "ts", "-reply", "-config", str(folder / "tsa.cnf"),
                         "-queryfile", str(query), "-out", str(reply)],
                        check=True, capture_output=True,
                    )  # fmt: skip
                    answer = reply.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Authority(f"http://127.0.0.1:{server.server_port}/tsa", folder / "cert.pem", requests)
        finally:
            server.shutdown()
            server.server_close()
