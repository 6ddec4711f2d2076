"""Acceptance: a secret's plaintext is in memory only on an explicit reveal (invariant 4).

Credentials are deposited, revealed, shown as codes, copied, edited, exported and re-keyed, and a
reveal is made to fail half-way. Then a full dump of the database (SQLite's .dump, or pg_dump),
the captured logs, the audit log and every page rendered along the way (except each reveal's own
answer, which may hold the one value asked for) are searched for every plaintext: zero hits.
"""

from __future__ import annotations

import base64
import logging
import os
import subprocess
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from sigill.core import audit
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.registry.models import Account
from sigill.vault import services
from sigill.vault.models import Credential
from tests.conftest import signed_in_client
from tests.vault.conftest import API_TOKEN, SECRETS, fresh_two_factor, library_account_for

NEW_PASSWORD = "Nytt-Pw-Sommar-5519-fikon"
PASSPHRASE = "en lång lösenfras till pärmen 2026"


def needles() -> list[str]:
    """Every plaintext, with multi-line values split so that an escaped newline cannot hide a hit."""
    values = [*SECRETS.values(), API_TOKEN, NEW_PASSWORD, PASSPHRASE]
    return [line for value in values for line in value.splitlines()]


def database_dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    params = connection.get_connection_params()
    env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
    command = ["pg_dump", "--no-owner", "-h", str(params.get("host") or "127.0.0.1")]
    command += ["-p", str(params.get("port") or 5432), "-U", str(params.get("user") or "postgres")]
    command.append(str(params.get("dbname") or settings.DATABASES["default"]["NAME"]))
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=120)  # noqa: S603
    return result.stdout


class Pages:
    """Every response of the test, and which plaintext (if any) each may legitimately hold."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str | None]] = []

    def keep(self, label: str, response: Any, may_hold: str | None = None) -> Any:
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        self.seen.append((label, headers + "\n" + response.content.decode(errors="replace"), may_hold))
        return response


def deposit_through_the_form(client: Client, pages: Pages, account: Account) -> Credential:
    url = reverse("vault:deposit", kwargs={"slug": account.slug})
    pages.keep("deposit form", client.get(url))
    data = {
        "label": "Sidan",
        "kind": "login",
        "login_name": "bibliotek@vara.example",
        "password": SECRETS["password"],
        "totp_secret": SECRETS["totp_secret"],
        "recovery_codes": SECRETS["recovery_codes"],
        "recovery_contact": SECRETS["recovery_contact"],
        "notes": SECRETS["notes"],
        "rotation_days": 365,
    }
    # A form sent back with an error must not echo what was typed.
    assert pages.keep("deposit with an error", client.post(url, {**data, "label": ""})).status_code == 422
    pages.keep("deposit", client.post(url, data))
    token_data = {"label": "API", "kind": "api_token", "api_token": API_TOKEN, "rotation_days": 90}
    pages.keep("deposit token", client.post(url, token_data))
    return Credential.objects.get(account=account, label="Sidan")


@pytest.mark.django_db(transaction=True)
def test_no_plaintext_secret_is_stored_logged_audited_or_rendered(
    platform_catalogue: None,
    alice: User,
    erik: User,
    bob: User,
    units: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    account = library_account_for(units, alice)
    pages = Pages()
    client = fresh_two_factor(signed_in_client(alice))
    credential = deposit_through_the_form(client, pages, account)
    reveal_url = reverse("vault:reveal", kwargs={"pk": credential.pk})

    pages.keep("reveal form", client.get(reveal_url))
    for field in ("password", "recovery_codes", "recovery_contact", "notes"):
        response = client.post(
            reveal_url, {"field": field, "reason": "Kontroll av valvet"}, headers={"HX-Request": "1"}
        )
        assert SECRETS[field] in response.content.decode()
        pages.keep(f"reveal {field}", response, may_hold=SECRETS[field])
    entry = AuditEntry.objects.filter(act="vault.credential.revealed").latest("id")
    pages.keep(
        "copy", client.post(reverse("vault:copied", kwargs={"pk": credential.pk}), {"reveal": entry.pk})
    )
    pages.keep(
        "code",
        client.post(
            reverse("vault:totp_code", kwargs={"pk": credential.pk}), {"reason": "Inloggning på plattformen"}
        ),
    )

    edit_url = reverse("vault:edit", kwargs={"pk": credential.pk})
    pages.keep("edit form", client.get(edit_url))
    edit = {
        "label": "Sidan",
        "kind": "login",
        "rotation_days": 365,
        "password": NEW_PASSWORD,
        "reason": "Rutinbyte",
    }
    assert (
        pages.keep("edit with an error", client.post(edit_url, {**edit, "rotation_days": 0})).status_code
        == 422
    )
    pages.keep("edit", client.post(edit_url, edit))

    # A reveal that fails after the value was opened: the error page and the logs stay clean.
    real_record = audit.record

    def failing_record(act: str, **kwargs: Any) -> AuditEntry:
        if act == "vault.credential.revealed":
            raise RuntimeError("the audit log is unavailable")
        return real_record(act, **kwargs)

    monkeypatch.setattr(audit, "record", failing_record)
    failing = fresh_two_factor(signed_in_client(alice))
    failing.raise_request_exception = False
    response = failing.post(reveal_url, {"field": "password", "reason": "Provoceras att fela"})
    assert response.status_code == 500
    pages.keep("failed reveal", response)
    monkeypatch.setattr(audit, "record", real_record)

    export = client.post(reverse("vault:export"), {"passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE})
    assert export.status_code == 200
    pages.keep("break-glass file", export)
    assert services.open_api_token(account=account, purpose="sync", sync_run_id="run-7") == API_TOKEN
    new_key = "2027a:" + base64.b64encode(os.urandom(32)).decode()
    with override_settings(VAULT_KEYS=f"{new_key},{settings.VAULT_KEYS}"):
        call_command("vault_rotate_key", verbosity=0)

    for name in ("vault:index", "vault:rotation_due", "vault:deputies", "core:audit_log"):
        pages.keep(name, client.get(reverse(name)))
    pages.keep("account page", client.get(reverse("vault:account", kwargs={"slug": account.slug})))
    pages.keep("edit form afterwards", client.get(edit_url))

    dump = database_dump()
    assert "vault_credential" in dump  # the dump is real and holds the vault
    audit_text = "\n".join(
        f"{e.act} {e.actor_label} {e.target_label} {e.details}" for e in AuditEntry.objects.order_by("id")
    )
    logs = caplog.text + "\n".join(str(record.__dict__) for record in caplog.records)
    assert "RuntimeError" in logs  # the failed reveal was logged, with its traceback
    for needle in needles():
        assert needle not in dump, f"database dump holds {needle[:4]}…"
        assert needle not in logs, f"logs hold {needle[:4]}…"
        assert needle not in audit_text, f"audit log holds {needle[:4]}…"
        for label, text, may_hold in pages.seen:
            if may_hold is not None and needle in may_hold:
                continue
            assert needle not in text, f"the page “{label}” holds {needle[:4]}…"
