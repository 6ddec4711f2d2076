"""Anchored heads time-stamped by a time-stamping authority (RFC 3161): the round trip against a
local authority, and every way a kept token can fail to prove its head."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from sigill.core import anchors, audit, timestamps
from sigill.organisation.models import User
from tests.core.tsa import Authority, local_authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority() -> Iterator[Authority]:
    with (
        local_authority() as running,
        override_settings(TSA_URL=running.url, TSA_CERTIFICATE=str(running.certificate)),
    ):
        yield running


def verify_audit(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def verify_audit_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO())
    return str(failure.value)


def rewrite_anchor_file(path: Path, change: Callable[[list[dict[str, Any]]], None]) -> None:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    change(lines)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


def test_an_anchored_head_is_time_stamped_and_verify_audit_checks_the_token(
    authority: Authority, alice: User, _anchor_file: Path, tmp_path: Path
) -> None:
    audit.record("tests.one", actor=alice)
    [head] = audit.anchor_head()
    assert set(head.timestamp) == {"authority", "request", "token", "time"}
    [request] = authority.requests
    assert base64.b64decode(head.timestamp["request"]) == request  # the request is kept with the head
    # OpenSSL reads Sigill's request as a valid RFC 3161 query for the head's SHA-256 imprint.
    (tmp_path / "query.tsq").write_bytes(request)
    shown = subprocess.run(  # noqa: S603
        ["/usr/bin/openssl", "ts", "-query", "-in", str(tmp_path / "query.tsq"), "-text"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "Hash Algorithm: sha256" in shown
    assert "Certificate required: yes" in shown
    message_data = shown.split("Message data:")[1].split("Policy OID")[0]
    dumped = "".join(line.split(" - ", 1)[1][:48] for line in message_data.splitlines() if " - " in line)
    assert bytes.fromhex(dumped.replace("-", " ")) == timestamps.imprint_of(head)
    # ...and OpenSSL verifies the token Sigill kept as the authority's signature over that imprint.
    (tmp_path / "token.der").write_bytes(base64.b64decode(head.timestamp["token"]))
    checked = subprocess.run(  # noqa: S603
        ["/usr/bin/openssl", "ts", "-verify", "-token_in", "-in", str(tmp_path / "token.der"),
         "-digest", timestamps.imprint_of(head).hex(), "-CAfile", str(authority.certificate)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert "Verification: OK" in checked.stdout, checked.stderr
    stored = anchors.Head.from_json(_anchor_file.read_text().splitlines()[-1])
    assert stored.timestamp == head.timestamp
    out = verify_audit()
    assert f"is time-stamped {stored.timestamp['time'][:10]}" in out
    assert "by CN=Vara test TSA (RFC 3161, serial" in out


def test_the_archive_head_is_time_stamped_too(authority: Authority, alice: User) -> None:
    from sigill.archive import seal
    from sigill.archive.models import ArchiveEvent, digest_of

    seal.lock_chain()
    seal.append_event(act=ArchiveEvent.Act.FACT, seals=[], actor=alice)
    assert ArchiveEvent.objects.count() == 1 and digest_of([])
    [head] = seal.anchor_head()
    assert head.timestamp["token"]
    out = StringIO()
    call_command("verify_archive", stdout=out, verbosity=0)
    assert "by CN=Vara test TSA" in out.getvalue()


def test_an_altered_token_is_reported(authority: Authority, alice: User, _anchor_file: Path) -> None:
    audit.record("tests.one", actor=alice)
    audit.anchor_head()

    def flip_a_signature_byte(lines: list[dict[str, Any]]) -> None:
        token = bytearray(base64.b64decode(lines[-1]["timestamp"]["token"]))
        token[-10] ^= 0x01  # inside the signature, at the token's end
        lines[-1]["timestamp"]["token"] = base64.b64encode(bytes(token)).decode()

    rewrite_anchor_file(_anchor_file, flip_a_signature_byte)
    assert "signature does not verify: it was altered or forged" in verify_audit_fails()


def test_a_token_moved_to_another_head_is_reported(
    authority: Authority, alice: User, _anchor_file: Path
) -> None:
    audit.record("tests.one", actor=alice)
    audit.anchor_head()
    audit.record("tests.two", actor=alice)
    audit.anchor_head()

    def move_the_first_stamp_to_the_second_head(lines: list[dict[str, Any]]) -> None:
        lines[-1]["timestamp"] = lines[0]["timestamp"]

    rewrite_anchor_file(_anchor_file, move_the_first_stamp_to_the_second_head)
    assert "stamps something else than this head" in verify_audit_fails()


def test_a_token_from_another_authority_than_the_configured_one_is_reported(
    authority: Authority, alice: User
) -> None:
    audit.record("tests.one", actor=alice)
    with local_authority("Someone else's TSA") as other, override_settings(TSA_URL=other.url):
        [head] = audit.anchor_head()
    assert head.timestamp == {}  # refused: the answer was not signed by the pinned authority
    with pytest.raises(timestamps.TimestampError, match="another authority than the configured one"):
        with local_authority("Someone else's TSA") as other:
            timestamps.stamp(head, url=other.url)


def test_an_authority_that_does_not_answer_leaves_the_head_anchored_without_a_stamp(
    alice: User, _anchor_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    audit.record("tests.one", actor=alice)
    with override_settings(TSA_URL="http://127.0.0.1:9/tsa"):
        [head] = audit.anchor_head()
    assert head.timestamp == {}
    assert anchors.Head.from_json(_anchor_file.read_text()).hash == head.hash
    assert "anchored without a time-stamp" in caplog.text
    assert "time-stamped" not in verify_audit()
