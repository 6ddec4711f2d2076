"""RFC 3161 trusted time-stamps of anchored heads, from a time-stamping authority (TSA) the
municipality configures (``TSA_URL``; ``TSA_CERTIFICATE`` pins the authority's certificate).

A time-stamp proves, by a third party's signature, that a head existed at a time: a head anchored
and stamped at 10:00 cannot have been written later by someone rewriting the chain and its anchor
file. The request and the authority's token are kept with the head in the anchor file, and the
verify commands check each token again.

The DER of the request is built, and the token read, here with a small reader and writer of the
few ASN.1 shapes RFC 3161 and CMS (RFC 5652) use; the signature is checked with ``cryptography``.
Sigill's dependencies hold no ASN.1 library (asn1crypto or pyasn1 would replace this module's
DER code).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import secrets
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings

from sigill.core.anchors import Head

log = logging.getLogger(__name__)

OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
HASHES: dict[str, hashes.HashAlgorithm] = {
    OID_SHA256: hashes.SHA256(),
    "2.16.840.1.101.3.4.2.2": hashes.SHA384(),
    "2.16.840.1.101.3.4.2.3": hashes.SHA512(),
}
# Signature algorithms whose OID names the hash (the others take it from the digest algorithm).
SIGNATURE_HASHES: dict[str, hashes.HashAlgorithm] = {
    "1.2.840.113549.1.1.11": hashes.SHA256(),
    "1.2.840.113549.1.1.12": hashes.SHA384(),
    "1.2.840.113549.1.1.13": hashes.SHA512(),
    "1.2.840.10045.4.3.2": hashes.SHA256(),
    "1.2.840.10045.4.3.3": hashes.SHA384(),
    "1.2.840.10045.4.3.4": hashes.SHA512(),
}


class TimestampError(ValueError):
    """A time-stamp that could not be had, or does not prove what it should; says why."""


# DER, as far as RFC 3161 needs it ---------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """One DER element: its tag byte, its content, and its whole encoding."""

    tag: int
    content: bytes
    encoded: bytes

    def children(self) -> list[Node]:
        return read_all(self.content)

    def child(self, index: int, tag: int | None = None) -> Node:
        nodes = self.children()
        if index >= len(nodes) or (tag is not None and nodes[index].tag != tag):
            raise TimestampError(f"unexpected structure: element {index} of tag {self.tag:#x}")
        return nodes[index]


def read_one(data: bytes) -> tuple[Node, bytes]:
    if len(data) < 2:
        raise TimestampError("truncated DER")
    tag, first = data[0], data[1]
    if tag & 0x1F == 0x1F:
        raise TimestampError("multi-byte DER tags are not used by RFC 3161")
    offset = 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or len(data) < 2 + count:
            raise TimestampError("a DER length that is indefinite or too long")
        length = int.from_bytes(data[2 : 2 + count], "big")
        offset += count
    end = offset + length
    if end > len(data):
        raise TimestampError("truncated DER")
    return Node(tag, data[offset:end], data[:end]), data[end:]


def read_all(data: bytes) -> list[Node]:
    nodes = []
    while data:
        node, data = read_one(data)
        nodes.append(node)
    return nodes


def encode(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def encode_int(value: int) -> bytes:
    return encode(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def encode_oid(dotted: str) -> bytes:
    parts = [int(part) for part in dotted.split(".")]
    body = bytearray()
    for number in [parts[0] * 40 + parts[1], *parts[2:]]:
        chunk = [number & 0x7F]
        number >>= 7
        while number:
            chunk.append(0x80 | (number & 0x7F))
            number >>= 7
        body.extend(reversed(chunk))
    return encode(0x06, bytes(body))


def decode_oid(node: Node) -> str:
    if node.tag != 0x06 or not node.content:
        raise TimestampError("expected an object identifier")
    numbers, value = [], 0
    for byte in node.content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            numbers.append(value)
            value = 0
    first = min(numbers[0] // 40, 2)
    return ".".join(str(n) for n in [first, numbers[0] - first * 40, *numbers[1:]])


def decode_int(node: Node) -> int:
    if node.tag != 0x02:
        raise TimestampError("expected an integer")
    return int.from_bytes(node.content, "big", signed=True)


def sequence(*parts: bytes) -> bytes:
    return encode(0x30, b"".join(parts))


# The request ------------------------------------------------------------------------------------


def imprint_of(head: Head) -> bytes:
    """What is stamped: the SHA-256 of the head's chain, position and hash."""
    return hashlib.sha256(f"sigill-anchor:{head.chain}:{head.position}:{head.hash}".encode()).digest()


def build_request(digest: bytes, nonce: int) -> bytes:
    """A TimeStampReq (RFC 3161 §2.4.1) for a SHA-256 ``digest``, asking for the certificate."""
    algorithm = sequence(encode_oid(OID_SHA256), encode(0x05, b""))
    return sequence(
        encode_int(1),
        sequence(algorithm, encode(0x04, digest)),
        encode_int(nonce),
        encode(0x01, b"\xff"),  # certReq: the token carries the authority's certificate
    )


def stamp(head: Head, *, url: str | None = None, timeout: float = 10) -> Head:
    """``head`` with a time-stamp from the authority at ``url`` (default ``TSA_URL``), checked."""
    url = url or settings.TSA_URL
    nonce = secrets.randbits(63)
    request = build_request(imprint_of(head), nonce)
    sent = urllib.request.Request(  # noqa: S310  (the operator's configured https URL)
        url, data=request, headers={"Content-Type": "application/timestamp-query"}, method="POST"
    )
    try:
        with urllib.request.urlopen(sent, timeout=timeout) as answer:  # noqa: S310
            response = answer.read(1024 * 1024)
    except OSError as error:
        raise TimestampError(f"the time-stamping authority at {url} did not answer: {error}") from error
    token = token_of(response)
    checked = check(token, head=head, nonce=nonce)
    return replace(
        head,
        timestamp={
            "authority": url,
            "request": base64.b64encode(request).decode(),
            "token": base64.b64encode(token).decode(),
            "time": checked.time.isoformat(),
        },
    )


def token_of(response: bytes) -> bytes:
    """The token (a CMS ContentInfo) of a TimeStampResp, or why the authority refused."""
    root, rest = read_one(response)
    if root.tag != 0x30 or rest:
        raise TimestampError("the authority's answer is not a TimeStampResp")
    parts = root.children()
    status = decode_int(parts[0].child(0))
    if status not in (0, 1):  # granted, granted with modifications
        raise TimestampError(f"the time-stamping authority refused the request (status {status})")
    if len(parts) < 2:
        raise TimestampError("the authority granted the request but sent no token")
    return parts[1].encoded


# The token --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    time: dt.datetime
    serial: int
    signer: str


def check(token: bytes, *, head: Head, nonce: int | None = None) -> Stamp:
    """Check that ``token`` is a time-stamp of ``head`` signed by the authority; return its time.

    Checked: the token's imprint is the head's, the nonce (when given) is the request's, the
    signed attributes hold the digest of the TSTInfo, and the signature over them verifies with
    the certificate in the token, which must be the pinned ``TSA_CERTIFICATE`` when one is set.
    """
    content_info, _ = read_one(token)
    if decode_oid(content_info.child(0)) != OID_SIGNED_DATA:
        raise TimestampError("the token is not CMS signed data")
    signed_data = content_info.child(1, 0xA0).child(0, 0x30)
    parts = signed_data.children()
    encapsulated = parts[2]
    if decode_oid(encapsulated.child(0)) != OID_TST_INFO:
        raise TimestampError("the token does not hold a TSTInfo")
    tst_der = encapsulated.child(1, 0xA0).child(0, 0x04).content
    tst_info, _ = read_one(tst_der)
    fields = tst_info.children()
    imprint = fields[2]
    if decode_oid(imprint.child(0).child(0)) != OID_SHA256 or imprint.child(1).content != imprint_of(head):
        raise TimestampError("the token stamps something else than this head")
    serial = decode_int(fields[3])
    time = _generalized_time(fields[4])
    token_nonce = next((decode_int(f) for f in fields[5:] if f.tag == 0x02), None)
    if nonce is not None and token_nonce != nonce:
        raise TimestampError("the token answers another request (its nonce differs)")
    certificates = (
        [x509.load_der_x509_certificate(n.encoded) for n in parts[3].children()]
        if parts[3].tag == 0xA0
        else []
    )
    signer_info = parts[-1].child(0, 0x30)
    _check_signature(signer_info, tst_der, certificates)
    return Stamp(time=time, serial=serial, signer=_signer(certificates).subject.rfc4514_string())


def _check_signature(signer_info: Node, tst_der: bytes, certificates: list[x509.Certificate]) -> None:
    info = signer_info.children()
    digest_algorithm = decode_oid(info[2].child(0))
    attributes = info[3]
    if attributes.tag != 0xA0:
        raise TimestampError("the token's signature has no signed attributes")
    digest_hash = HASHES.get(digest_algorithm)
    if digest_hash is None:
        raise TimestampError(f"the token uses an unknown digest algorithm {digest_algorithm}")
    found_digest = None
    for attribute in attributes.children():
        if decode_oid(attribute.child(0)) == OID_MESSAGE_DIGEST:
            found_digest = attribute.child(1).child(0, 0x04).content
    hasher = hashes.Hash(digest_hash)
    hasher.update(tst_der)
    if found_digest != hasher.finalize():
        raise TimestampError("the token's signed digest does not match its content: it was altered")
    signature_algorithm = decode_oid(info[4].child(0))
    signature = info[5].content
    # The signature is over the attributes as a SET (RFC 5652 §5.4), not as the [0] they are sent in.
    signed = encode(0x31, attributes.content)
    key = _signer(certificates).public_key()
    hash_ = SIGNATURE_HASHES.get(signature_algorithm, digest_hash)
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, padding.PKCS1v15(), hash_)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed, ec.ECDSA(hash_))
        else:
            raise TimestampError("the authority's key is neither RSA nor elliptic-curve")
    except InvalidSignature as error:
        raise TimestampError("the token's signature does not verify: it was altered or forged") from error


def _signer(certificates: list[x509.Certificate]) -> x509.Certificate:
    """The authority's certificate: the pinned one, which the token must carry if it carries any."""
    pinned_path = settings.TSA_CERTIFICATE
    if pinned_path:
        pinned = x509.load_pem_x509_certificate(Path(pinned_path).read_bytes())
        if certificates and pinned not in certificates:
            raise TimestampError("the token is signed by another authority than the configured one")
        return pinned
    if not certificates:
        raise TimestampError("the token carries no certificate and none is configured (TSA_CERTIFICATE)")
    return certificates[0]


def _generalized_time(node: Node) -> dt.datetime:
    if node.tag != 0x18:
        raise TimestampError("expected the time of the stamp")
    text = node.content.decode().rstrip("Z")
    whole, _, fraction = text.partition(".")
    moment = dt.datetime.strptime(whole, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    return moment + dt.timedelta(microseconds=int((fraction or "0")[:6].ljust(6, "0")))


def check_anchor(head: Head) -> Stamp:
    """Check the time-stamp kept with an anchored head (the verify commands)."""
    try:
        token = base64.b64decode(head.timestamp["token"], validate=True)
    except (KeyError, ValueError) as error:
        raise TimestampError("the anchor's time-stamp has no readable token") from error
    return check(token, head=head)


def stamper() -> Callable[[Head], Head] | None:
    """What the anchoring jobs stamp heads with: nothing unless ``TSA_URL`` is set. An authority
    that fails leaves the head anchored without a stamp (and a warning in the log), never unanchored."""
    if not settings.TSA_URL:
        return None

    def stamp_or_keep(head: Head) -> Head:
        try:
            return stamp(head)
        except TimestampError as error:
            log.warning("anchors: the %s head was anchored without a time-stamp: %s", head.chain, error)
            return head

    return stamp_or_keep


def check_anchors(heads: Iterable[Head]) -> tuple[list[str], tuple[Head, Stamp] | None]:
    """Check every time-stamp kept with ``heads``; return the problems and the last stamped head."""
    problems: list[str] = []
    last: tuple[Head, Stamp] | None = None
    for head in heads:
        if not head.timestamp:
            continue
        try:
            last = (head, check_anchor(head))
        except TimestampError as error:
            problems.append(f"the time-stamp of the anchored {head.describe()} does not hold: {error}")
    return problems, last
