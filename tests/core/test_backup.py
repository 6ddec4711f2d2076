"""Backup and restore: the demo, backed up from its own database, comes back whole into a new one.

The backup is made by a separate process against a database of its own (SQLite, and on the
PostgreSQL run also PostgreSQL), as an operator would make it. It is restored into the test's
database: freshly migrated, holding only what the migrations load. On the PostgreSQL run, a
backup made on SQLite is restored into PostgreSQL too.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from psycopg import sql

from sigill.archive.models import Attachment
from sigill.core.backup.manifest import Manifest, read_rows
from sigill.core.models import AuditEntry
from sigill.organisation.models import User
from sigill.vault.models import Credential
from tests.core.backup_source import PICTURE, fingerprint

pytestmark = pytest.mark.django_db

# Backups are made from SQLite always, and from PostgreSQL when the tests run on it.
SOURCE_VENDORS = ["sqlite"] + (["postgresql"] if connection.vendor == "postgresql" else [])
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
VAULT_KEYS = "backup2026:" + base64.b64encode(os.urandom(32)).decode()


@dataclass(frozen=True)
class DemoBackup:
    path: Path
    fingerprint: dict[str, Any]

    def copy_to(self, folder: Path) -> Path:
        return Path(shutil.copytree(self.path, folder / "backup"))

    def manifest(self) -> Manifest:
        return Manifest.from_json((self.path / "manifest.json").read_bytes())


def manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a new process against its own database and media folder."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "SIGILL_VAR_DIR": str(media_root.parent),
        "SIGILL_VAULT_KEYS": VAULT_KEYS,
    }
    return subprocess.run(  # noqa: S603 (our own manage.py, with fixed arguments)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@contextmanager
def fresh_database(vendor: str, folder: Path) -> Iterator[str]:
    """The address of a new, empty database (a new SQLite file, or a new PostgreSQL database
    beside the test database, dropped afterwards)."""
    if vendor == "sqlite":
        yield f"sqlite:///{folder / 'sigill.sqlite3'}"
        return
    params = settings.DATABASES["default"]
    name = f"sigill_backup_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        host=params["HOST"] or "localhost",
        port=int(params["PORT"] or 5432),
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
        yield f"postgres://{quote(params['USER'], safe='')}{password}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}"
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def succeed(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_backups(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], DemoBackup]:
    """Make (once per module and vendor) a backup of the demo, in a process of its own."""
    made: dict[str, DemoBackup] = {}

    def backup_from(vendor: str) -> DemoBackup:
        if vendor not in made:
            folder = tmp_path_factory.mktemp(f"source-{vendor}")
            media = folder / "media"
            with fresh_database(vendor, folder) as url:
                succeed(manage("migrate", "-v", "0", database_url=url, media_root=media))
                script = f"from tests.core.backup_source import make_demo_backup; make_demo_backup({str(folder / 'backup')!r})"
                output = succeed(manage("shell", "-v", "0", "-c", script, database_url=url, media_root=media))
            made[vendor] = DemoBackup(folder / "backup", json.loads(output.strip().splitlines()[-1]))
        return made[vendor]

    return backup_from


@pytest.fixture
def demo_backup(demo_backups: Callable[[str], DemoBackup]) -> DemoBackup:
    """A backup of the demo made on the same kind of database the tests run on."""
    return demo_backups(connection.vendor)


@pytest.fixture(autouse=True)
def _installation(tmp_path: Path) -> Iterator[Path]:
    """The restored installation's media folder (empty) and the vault key the backup was made with."""
    with override_settings(MEDIA_ROOT=tmp_path / "media", VAULT_KEYS=VAULT_KEYS):
        yield tmp_path / "media"


def table_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def backed_up_rows(folder: Path) -> dict[str, list[list[Any]]]:
    manifest = Manifest.from_json((folder / "manifest.json").read_bytes())
    return {entry.model: list(read_rows(folder / entry.file)) for entry in manifest.tables}


@pytest.mark.parametrize("source", SOURCE_VENDORS)
def test_a_restored_demo_verifies_and_holds_every_item_credential_and_audit_entry(
    demo_backups: Callable[[str], DemoBackup], source: str, tmp_path: Path
) -> None:
    backup = demo_backups(source)

    call_command("restore", str(backup.path), stdout=StringIO())

    call_command("verify_archive", stdout=StringIO())
    call_command("verify_audit", stdout=StringIO())
    restored = fingerprint()
    assert restored["archive"] == backup.fingerprint["archive"]
    assert restored["credentials"] == backup.fingerprint["credentials"]
    assert restored["files"] == backup.fingerprint["files"]
    assert hashlib.sha256(PICTURE).hexdigest() in restored["files"]  # the captured picture came back
    # The comment that arrived with NUL and other characters no database can hold, as it was stored.
    assert restored["odd"] == backup.fingerprint["odd"] == ODD_ITEM
    assert Attachment.objects.filter(name="skarmbild.png").exists()
    # Every audit entry, under its id and hash, and one more that says the restore happened.
    assert restored["audit"][:-1] == backup.fingerprint["audit"]
    assert restored["audit"][-1][1] == "core.backup.restored"
    opened = [value for fields in restored["credentials"].values() for value in fields.values()]
    assert Credential.objects.exists() and any(value != EMPTY_SHA256 for value in opened)

    # Backed up again, the restored copy holds the same rows in every table, under the same ids.
    call_command("backup", str(tmp_path / "again"), stdout=StringIO())
    original, again = backed_up_rows(backup.path), backed_up_rows(tmp_path / "again")
    assert again.keys() == original.keys()
    for model, rows in original.items():
        expected = rows if model != "core.auditentry" else rows + again[model][len(rows) :]
        assert again[model] == expected, model
    assert len(again["core.auditentry"]) == len(original["core.auditentry"]) + 1


# What the archive holds of backup_source.ODD_TEXT's comment, on either database.
ODD_ITEM = {
    "text": "Hej\ufffd kommunen\ufffd! Se \ufffd och \ufffd.",
    "metadata": {
        "reactions\ufffd": {"like": 3, "note": "a\ufffdb\ufffd"},
        "replaced_characters": {"U+0000": 6, "U+0007": 1, "U+001B": 1, "U+D800": 1, "U+FFFF": 1},
    },
    "author": ["odd\ufffdauthor", "Sven\ufffd Svensson"],
    "files": ["bild\ufffd.png"],
}
ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL beside SQLite")


@ON_POSTGRESQL
def test_sqlite_and_postgresql_store_the_same_odd_characters_and_seal_them_alike(
    demo_backups: Callable[[str], DemoBackup],
) -> None:
    on_sqlite, on_postgresql = demo_backups("sqlite"), demo_backups("postgresql")

    assert on_sqlite.fingerprint["odd"] == on_postgresql.fingerprint["odd"] == ODD_ITEM


@ON_POSTGRESQL
def test_a_postgresql_backup_restores_into_sqlite_and_verifies_there(
    demo_backups: Callable[[str], DemoBackup], tmp_path: Path
) -> None:
    backup = demo_backups("postgresql")
    media = tmp_path / "restored-media"
    with fresh_database("sqlite", tmp_path) as url:
        succeed(manage("migrate", "-v", "0", database_url=url, media_root=media))
        succeed(manage("restore", str(backup.path), database_url=url, media_root=media))
        succeed(manage("verify_archive", database_url=url, media_root=media))
        succeed(manage("verify_audit", database_url=url, media_root=media))
        script = (
            "import json; from tests.core.backup_source import fingerprint; print(json.dumps(fingerprint()))"
        )
        output = succeed(manage("shell", "-v", "0", "-c", script, database_url=url, media_root=media))
    restored = json.loads(output.strip().splitlines()[-1])
    assert restored["odd"] == ODD_ITEM
    assert restored["archive"] == backup.fingerprint["archive"]
    assert restored["audit"][:-1] == backup.fingerprint["audit"]


def put_a_nul_into_a_version(backup: Path) -> None:
    """Rewrite the backup (and its manifest) as an installation that stored a NUL, before captures
    replaced it, would have written it."""
    path = backup / "database" / "archive.itemversion.jsonl.gz"
    rows = gzip.decompress(path.read_bytes()).replace("kommunen\ufffd!".encode(), b"kommunen\\u0000!", 1)
    assert b"\\u0000" in rows
    path.write_bytes(gzip.compress(rows))
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"]["database/archive.itemversion.jsonl.gz"] = {
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "bytes": path.stat().st_size,
    }
    (backup / "manifest.json").write_text(json.dumps(manifest))


@ON_POSTGRESQL
def test_a_sqlite_backup_holding_a_nul_from_before_is_refused_by_postgresql_naming_the_row(
    demo_backups: Callable[[str], DemoBackup], tmp_path: Path, _installation: Path
) -> None:
    backup = demo_backups("sqlite").copy_to(tmp_path)
    put_a_nul_into_a_version(backup)
    before = table_counts()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup))

    message = str(refused.value)
    assert "database/archive.itemversion.jsonl.gz, row " in message
    assert "the column text holds a NUL character, which PostgreSQL cannot store" in message
    assert "nothing was restored" in message
    assert table_counts() == before
    assert not any(path.is_file() for path in _installation.rglob("*"))


def test_the_backup_holds_no_secret_from_the_environment(demo_backup: DemoBackup) -> None:
    _key_id, key = VAULT_KEYS.split(":")
    secrets = [VAULT_KEYS.encode(), key.encode(), base64.b64decode(key), settings.SECRET_KEY.encode()]
    for path in demo_backup.path.rglob("*"):
        if path.is_file():
            content = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            for secret in secrets:
                assert secret not in content, path


def test_verify_confirms_an_untouched_backup_and_its_manifest_hash(
    demo_backup: DemoBackup, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("backup", "--verify", str(demo_backup.path))
    digest = capsys.readouterr().out.split("SHA-256 ")[-1].strip()

    call_command("backup", "--verify", str(demo_backup.path), "--manifest-sha256", digest)
    with pytest.raises(CommandError, match=r"manifest\.json has the SHA-256"):
        call_command("backup", "--verify", str(demo_backup.path), "--manifest-sha256", "0" * 64)


def change_a_table_file(backup: Path) -> str:
    path = backup / "database" / "core.auditentry.jsonl.gz"
    rows = gzip.decompress(path.read_bytes()).replace(b"core.auth.logged_in", b"core.auth.logged_ut")
    path.write_bytes(gzip.compress(rows))
    return "database/core.auditentry.jsonl.gz: the file was changed"


def remove_a_media_file(backup: Path) -> str:
    picture = next(path for path in (backup / "media").rglob("*") if path.is_file())
    picture.unlink()
    return f"{picture.relative_to(backup).as_posix()}: the file is missing"


def add_a_file(backup: Path) -> str:
    (backup / "media" / "extra.txt").write_text("not from the backup")
    return "media/extra.txt: the file is not in the manifest"


def list_a_file_outside_the_backup(backup: Path) -> str:
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"]["../../etc/passwd"] = {"sha256": "0" * 64, "bytes": 1}
    (backup / "manifest.json").write_text(json.dumps(manifest))
    return "../../etc/passwd: the manifest names a file outside the backup's folders"


def miscount_the_rows(backup: Path) -> str:
    manifest = json.loads((backup / "manifest.json").read_text())
    entry = next(entry for entry in manifest["tables"] if entry["model"] == "archive.item")
    entry["rows"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))
    return f"database/archive.item.jsonl.gz: {entry['rows'] - 1} rows, the manifest says {entry['rows']}"


@pytest.mark.parametrize(
    "tamper",
    [change_a_table_file, remove_a_media_file, add_a_file, list_a_file_outside_the_backup, miscount_the_rows],
)
def test_a_tampered_backup_fails_verification_and_restore_refuses_it_writing_nothing(
    demo_backup: DemoBackup, tamper: Callable[[Path], str], tmp_path: Path, _installation: Path
) -> None:
    backup = demo_backup.copy_to(tmp_path)
    problem = tamper(backup)
    before = table_counts()

    with pytest.raises(CommandError) as verified:
        call_command("backup", "--verify", str(backup))
    with pytest.raises(CommandError) as restored:
        call_command("restore", str(backup))

    assert problem in str(verified.value)
    assert "nothing was restored" in str(restored.value) and problem in str(restored.value)
    assert table_counts() == before
    assert not _installation.exists() or not any(_installation.rglob("*"))


def test_restore_refuses_a_backup_made_by_newer_code(demo_backup: DemoBackup, tmp_path: Path) -> None:
    backup = demo_backup.copy_to(tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["migrations"]["archive"].append("0099_from_the_future")
    (backup / "manifest.json").write_text(json.dumps(manifest))
    before = table_counts()

    with pytest.raises(CommandError, match=r"newer than this code.*archive\.0099_from_the_future"):
        call_command("restore", str(backup))
    assert table_counts() == before


def test_restore_refuses_a_database_that_holds_data(demo_backup: DemoBackup, alice: User) -> None:
    before = table_counts()

    with pytest.raises(
        CommandError,
        match=r"The database is not empty: organisation_user has 1 row, core_auditentry has \d+ rows",
    ):
        call_command("restore", str(demo_backup.path))
    assert table_counts() == before


def test_restore_refuses_media_storage_with_other_content_under_the_same_name(
    demo_backup: DemoBackup, _installation: Path
) -> None:
    name = demo_backup.manifest().media_names[0]
    (_installation / name).parent.mkdir(parents=True)
    (_installation / name).write_bytes(b"another file")

    with pytest.raises(CommandError, match="media storage already holds files that differ"):
        call_command("restore", str(demo_backup.path))
    assert not User.objects.exists() and not AuditEntry.objects.exists()
    assert (_installation / name).read_bytes() == b"another file"


def test_backup_refuses_a_destination_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("keep me")

    with pytest.raises(CommandError, match="is not an empty folder"):
        call_command("backup", str(tmp_path / "taken"))
    assert [path.name for path in tmp_path.iterdir()] == ["taken"]
    assert (tmp_path / "taken" / "notes.txt").read_text() == "keep me"


def test_restore_from_the_command_line_commits_and_a_second_restore_is_refused(
    demo_backup: DemoBackup, tmp_path: Path
) -> None:
    """The whole path an operator takes, in processes of their own: migrate, restore, verify."""
    media = tmp_path / "restored-media"
    with fresh_database(connection.vendor, tmp_path) as url:
        succeed(manage("migrate", "-v", "0", database_url=url, media_root=media))
        assert "Restored the backup" in succeed(
            manage("restore", str(demo_backup.path), database_url=url, media_root=media)
        )
        succeed(manage("verify_archive", database_url=url, media_root=media))
        succeed(manage("verify_audit", database_url=url, media_root=media))
        again = manage("restore", str(demo_backup.path), database_url=url, media_root=media)
    assert again.returncode != 0 and "The database is not empty" in again.stderr


def test_a_backup_whose_rows_do_not_hold_together_is_undone_with_its_files(
    demo_backup: DemoBackup, tmp_path: Path, _installation: Path
) -> None:
    """A consistent-looking backup (its manifest rewritten to match) that lost the users table."""
    backup = demo_backup.copy_to(tmp_path)
    users = backup / "database" / "organisation.user.jsonl.gz"
    users.write_bytes(gzip.compress(b""))
    manifest = json.loads((backup / "manifest.json").read_text())
    next(entry for entry in manifest["tables"] if entry["model"] == "organisation.user")["rows"] = 0
    manifest["files"]["database/organisation.user.jsonl.gz"] = {
        "sha256": hashlib.sha256(users.read_bytes()).hexdigest(),
        "bytes": users.stat().st_size,
    }
    (backup / "manifest.json").write_text(json.dumps(manifest))
    before = table_counts()

    with pytest.raises(CommandError, match="failed and was undone, so nothing was restored"):
        call_command("restore", str(backup))
    assert table_counts() == before
    assert not any(path.is_file() for path in _installation.rglob("*"))
