"""A rehearsal of the operator's handbook (docs/operations.md), from an empty database to a restored
backup, the way a municipality's IT department and its first users go through it.

The commands are the handbook's own lines, read from docs/operations.md (only the paths change to
the test's folders), and run as the operator runs them: ``manage.py`` in a process of its own, with
``DEBUG=false`` and the secrets in the environment, against the test's scratch PostgreSQL database.
What people do in Sigill goes through its pages (Django's test client, DEBUG off):

1. ``migrate``; ``setup --no-input ...`` with the units file; the printed link lets the first comms
   user in, who chooses a password and sets up two-factor; ``import_units`` again changes nothing;
   ``add_person`` adds an employee, a unit manager and the registrar, each with a link.
2. The employee applies for the municipality's Facebook Page, the unit manager anchors, comms
   approves, deposits the login in the vault, connects the Page by logging in with Facebook (the
   fake authorisation server of tests/oauth) and activates it.
3. ``sync_accounts`` captures the Page's comments (the Graph API's documented answers on the mock
   router), the worker (``db_worker --batch``) screens them, comms decides to hide one, and the
   platform receives the hide.
4. The registrar registers a request for public records, selects the comment, discloses it and
   downloads the package.
5. ``backup`` (and ``backup --verify`` with the manifest's hash), then a second, empty database:
   ``migrate``, ``restore``, ``verify_archive`` and ``verify_audit`` pass there.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import httpx2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from sigill.archive import seal as archive_seal
from sigill.archive.models import Item
from sigill.core import audit
from sigill.moderation.models import Case, PlatformAct
from sigill.oauth.providers import PROVIDERS
from sigill.organisation.models import User
from sigill.records.models import DisclosureRequest
from sigill.registry.models import Account, Platform, Purpose
from tests.conftest import current_code
from tests.connectors import graph
from tests.core.test_backup import fresh_database
from tests.oauth.fake_platforms import APP_ID, APP_SECRET, FakePlatforms, serve, vara_pages

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the handbook installs Sigill on PostgreSQL; the rehearsal runs in make test's PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.httpx2(assert_all_called=False),
]

ROOT = Path(settings.BASE_DIR)
HANDBOOK = ROOT / "docs" / "operations.md"
UNITS_FILE = ROOT / "docs" / "units.example.csv"
BASE_URL = "http://testserver"
VAULT_KEYS = "rehearsal:" + base64.b64encode(os.urandom(32)).decode()
KARIN = "karin.lindqvist"  # the first comms user, as the handbook's setup line names her
DANA = "dana.dahl"  # the registrar, as the handbook's add_person line names her
PASSWORDS = {name: f"ett-långt-lösenord-för-{name}-2026" for name in (KARIN, DANA, "erik", "bob")}
HIDDEN = graph.AKE_COMMENT


def handbook_commands() -> list[list[str]]:
    """Every ``sigill-manage`` command in the handbook's shell blocks, as arguments (continued lines
    joined); the ones in running text (`sigill-manage ...`) too."""
    text = HANDBOOK.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("sigill-manage "):
                commands.append(shlex.split(line.strip())[1:])
    for inline in re.findall(r"`sigill-manage ([^`]+)`", text):
        commands.append(shlex.split(inline))
    return commands


def handbook(*start: str, paths: dict[str, str] | None = None) -> list[str]:
    """The handbook's first ``sigill-manage START ...`` line, with its paths swapped for ours."""
    for arguments in handbook_commands():
        if tuple(arguments[: len(start)]) == start:
            return [(paths or {}).get(argument, argument) for argument in arguments]
    raise AssertionError(f"docs/operations.md has no `sigill-manage {' '.join(start)}` line")


class Operator:
    """``sigill-manage``: manage.py in a new process, with the production settings (DEBUG off)."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.database_url = database_url
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,  # the web server's own: the sign-in links are signed with it
            "SIGILL_VAULT_KEYS": VAULT_KEYS,
            "ALLOWED_HOSTS": "testserver",
            "SIGILL_BASE_URL": BASE_URL,
            "MEDIA_ROOT": str(folder / "media"),
            "SIGILL_VAR_DIR": str(folder / "var"),
            "SIGILL_ANCHOR_FILE": str(folder / "var" / "anchors" / "heads.jsonl"),
        }

    def run(self, arguments: list[str], *, database_url: str | None = None, media: Path | None = None) -> str:
        env = {**self.env, "DATABASE_URL": database_url or self.database_url}
        if media is not None:
            env["MEDIA_ROOT"] = str(media)
        done = subprocess.run(  # noqa: S603 (our own manage.py, with the handbook's arguments)
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"sigill-manage {shlex.join(arguments)}\n{done.stdout}\n{done.stderr}"
        return done.stdout


def url_of(settings_dict: dict[str, Any]) -> str:
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict["PASSWORD"] else ""
    host, port = settings_dict["HOST"] or "localhost", settings_dict["PORT"] or 5432
    return (
        f"postgres://{quote(settings_dict['USER'], safe='')}{password}@{host}:{port}/{settings_dict['NAME']}"
    )


@pytest.fixture
def operator(tmp_path: Path) -> Iterator[Operator]:
    """The operator's shell on the test's database, and Sigill (in this process) sharing its media
    folder and vault key."""
    with override_settings(MEDIA_ROOT=tmp_path / "media", VAULT_KEYS=VAULT_KEYS, SIGILL_BASE_URL=BASE_URL):
        yield Operator(tmp_path, url_of(connection.settings_dict))


@pytest.fixture
def facebook_login() -> Iterator[FakePlatforms]:
    """Facebook's log-in on a local port, with Sigill's Meta app set up against it (the settings an
    operator puts in sigill.env, §3)."""
    platforms = FakePlatforms(pages=vara_pages())
    platforms.registered_redirects = {f"{BASE_URL}/oauth/callback/{slug}/" for slug in PROVIDERS}
    for running in serve(platforms):
        with override_settings(
            META_APP_ID=APP_ID,
            META_APP_SECRET=APP_SECRET,
            OAUTH_ENDPOINTS=dict.fromkeys(PROVIDERS, running.base),
        ):
            yield running


def printed_link(output: str) -> str:
    match = re.search(rf"{re.escape(BASE_URL)}(/\S+/)", output)
    assert match, output
    return match.group(1)


def welcome(link: str, username: str) -> Client:
    """The person opens their link, chooses a password, and sets up two-factor if Sigill asks."""
    browser = Client()
    form = browser.get(link, follow=True)
    assert "Välj ditt lösenord" in form.content.decode(), re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", form.content.decode())
    )[:1500]
    password = PASSWORDS[username]
    chosen = browser.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert chosen.status_code == 302
    start = browser.get(reverse("core:home"))
    if start.status_code == 302 and start["Location"].startswith(reverse("core:two_factor")):
        browser.get(reverse("core:two_factor"))
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        browser.post(reverse("core:two_factor"), {"code": current_code(device)})
    assert browser.get(reverse("core:home")).status_code == 200
    return browser


def ok(response: Any) -> Any:
    """A form answered with a redirect (done), not with itself again (refused)."""
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace("\x00", "").split())


def test_the_handbook_from_an_empty_database_to_a_verified_restore(
    operator: Operator, facebook_login: FakePlatforms, httpx2_mock: Any, tmp_path: Path, _anchor_file: Path
) -> None:
    anchor_file = _anchor_file
    assert not settings.DEBUG  # Sigill's pages, here, run with DEBUG off as in production
    httpx2_mock.route(host="127.0.0.1").pass_through()  # Facebook's log-in, on a local port
    # -- §2: the database, the municipality, its units and the first comms user
    assert "No migrations to apply" in operator.run(handbook("migrate"))
    output = operator.run(handbook("setup", paths={"/root/units.csv": str(UNITS_FILE)}))
    assert "Vara kommun is set up (212000-1652)" in output
    karin = welcome(printed_link(output), KARIN)
    assert "Units imported: 0 created, 0 renamed, 0 moved, 11 unchanged." in operator.run(
        handbook("import_units", paths={"/root/units.csv": str(UNITS_FILE)})
    )
    # The handbook's add_person line adds the registrar; the same command an employee and a manager.
    dana = welcome(printed_link(operator.run(handbook("add_person"))), DANA)
    people = {}
    for username, email, unit, role in [
        ("erik", "erik.svensson@vara.se", "kommunikation", "employee"),
        ("bob", "bob.berglund@vara.se", "kommunledning", "unit_manager"),
    ]:
        arguments = ["add_person", username, "--email", email, "--unit", unit, "--role", role]
        people[username] = welcome(printed_link(operator.run(arguments)), username)
    erik, bob = people["erik"], people["bob"]
    # Comms and the registrar could not go on without two-factor; the others were not asked.
    assert set(TOTPDevice.objects.filter(confirmed=True).values_list("user__username", flat=True)) == {
        KARIN,
        DANA,
    }

    # -- An application for the Page: applied for, anchored, approved
    applied = erik.post(
        reverse("applications:create"),
        {
            "action": "submit",
            "platform": Platform.objects.get(slug="facebook").pk,
            "proposed_name": "Vara kommun",
            "proposed_address": "facebook.com/varakommun",
            "unit": User.objects.get(username=KARIN).memberships.get().unit.pk,
            "purposes": [Purpose.objects.get(code="news").pk],
            "purpose_statement": "Nyheter och service från kommunen.",
            "target_audience": "Invånare i Vara",
            "content_plan": "Ett par inlägg i veckan.",
            "publishers": "Kommunikationsavdelningen.",
            "hours_per_week": "4",
            "moderation_plan": "Kommentarer läses varje vardag; helger av den som har jour.",
            "crisis_plan": "Kommunens krisledning tar över.",
            "ending_plan": "Avslutas när kommunen lämnar Facebook.",
            "responsible": User.objects.get(username="erik").pk,
            "deputy": User.objects.get(username=KARIN).pk,
        },
    )
    application = resolve(ok(applied)["Location"]).kwargs["pk"]
    ok(bob.post(reverse("applications:decide", args=[application]), {"action": "anchor"}))
    ok(karin.post(reverse("applications:decide", args=[application]), {"action": "approve"}))
    page = Account.objects.get(platform__slug="facebook")
    assert page.status == Account.Status.SETTING_UP

    # -- Comms deposits the login, connects the Page by logging in with Facebook, and activates it
    ok(
        karin.post(
            reverse("vault:deposit", args=[page.slug]),
            {
                "label": "Sidans administratör",
                "kind": "login",
                "login_name": "sociala.medier@vara.se",
                "password": "ett-hemligt-lösenord-för-sidan",
                "rotation_days": "365",
            },
        )
    )
    platform_address = ok(karin.post(reverse("oauth:start", args=[page.slug])))["Location"]
    with httpx2.Client(follow_redirects=False) as http:
        back = http.get(platform_address)  # Karin logs in on Facebook and allows access
    callback = urlsplit(back.headers["Location"])
    ok(karin.get(callback.path, dict(parse_qsl(callback.query))))
    ok(
        karin.post(
            reverse("registry:account_status", args=[page.slug]),
            {"to": "active", "reason": "Ansökan godkänd, inloggningen i valvet, ansluten."},
        )
    )

    # -- The scheduler's sync captures the comments; the worker screens them
    graph.mount_page(httpx2_mock)
    hide = httpx2_mock.post(f"{graph.GRAPH}/{HIDDEN}").respond(json={"success": True})
    # The sync and the worker talk to the platform, whose mock router lives in this process: they
    # run here, as the scheduler's and the worker's tasks do (DEBUG off all the same).
    out = io.StringIO()
    call_command("sync_accounts", stdout=out)
    assert f"{page.slug}: succeeded" in out.getvalue(), out.getvalue()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    case = Case.objects.get(item__object_id=HIDDEN)

    # -- Comms decides: the comment breaks the policy and is hidden on Facebook
    decided = karin.post(
        reverse("moderation:decide", kwargs={"pk": case.pk}),
        {"act": "hide", "reason": "olaga_hot", "note": "Hot mot en namngiven tjänsteperson."},
        follow=True,
    )
    assert decided.status_code == 200
    assert hide.calls.last.request.content == b"is_hidden=true"
    assert PlatformAct.objects.get(decision__case=case).outcome == PlatformAct.Outcome.DONE

    # -- The registrar hands out the comment as a public record
    registered = ok(
        dana.post(
            reverse("records:request_create"),
            {
                "kind": DisclosureRequest.Kind.PUBLIC_RECORDS,
                "received_at": "2026-12-01 09:00",
                "channel": DisclosureRequest.Channel.EMAIL,
                "description": "Kommentarerna på kommunens Facebooksida om snöröjningen.",
                "requester_contact": "journalist@example.org",
            },
        )
    )
    request = DisclosureRequest.objects.get()
    assert registered["Location"] == request.get_absolute_url()
    item = Item.objects.get(object_id=HIDDEN)
    dana.post(reverse("records:request_add", args=[request.pk]), {"item": [item.pk]})
    [record] = request.records.all()
    dana.post(reverse("records:record_review", args=[request.pk, record.pk]), {"action": "disclose"})
    dana.post(reverse("records:request_decide", args=[request.pk]), {"note": ""})
    package = dana.get(reverse("records:package", args=[request.pk, "pdf"]))
    assert package.status_code == 200 and package["Content-Type"] == "application/pdf"
    said = " ".join(item.versions.get().text.split()[:4])
    assert said in pdf_text(package.content), said

    # -- §6: the scheduler anchors both chains' heads in the anchor file (shipped off the machine)
    assert archive_seal.anchor_head() and audit.anchor_head()
    shipped = tmp_path / "shipped" / "heads.jsonl"
    shipped.parent.mkdir()
    shipped.write_bytes(anchor_file.read_bytes())

    # -- §7: a backup, verified with its manifest's hash
    backup = tmp_path / "backups" / "manual-1"
    made = operator.run(handbook("backup", paths={"/var/backups/sigill/manual-1": str(backup)}))
    manifest_sha256 = re.search(r"\b[0-9a-f]{64}\b", made)
    assert manifest_sha256, made
    operator.run(
        handbook(
            "backup",
            "--verify",
            paths={"/var/backups/sigill/2026-11-24T023012Z": str(backup), "<hex>": manifest_sha256.group(0)},
        )
    )

    # -- ... restored into a new, migrated database, where the archive and the audit log verify
    operator.env["SIGILL_ANCHOR_FILE"] = str(shipped)  # §6: the auditor's copy of the anchors
    with fresh_database("postgresql", tmp_path) as second:
        restored_media = tmp_path / "restored-media"
        operator.run(handbook("migrate"), database_url=second, media=restored_media)
        restore = handbook("restore", paths={"/var/backups/sigill/2026-11-24T023012Z": str(backup)})
        operator.run(restore, database_url=second, media=restored_media)
        archive_report = operator.run(handbook("verify_archive"), database_url=second, media=restored_media)
        audit_report = operator.run(handbook("verify_audit"), database_url=second, media=restored_media)
    assert f"The archive chain matches 1 anchor in {shipped}" in archive_report, archive_report
    assert f"The audit chain matches 1 anchor in {shipped}" in audit_report, audit_report
