"""Settings come from the environment, and a production start without a secret fails loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def start_django(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py check`` in a fresh process with exactly the given environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"}}
    # A production start also needs the vault's key ring (tests/vault/test_keys.py tests it missing).
    vault_keys = "test:" + "A" * 43 + "="
    clean.update(
        {
            "SIGILL_VAR_DIR": str(tmp_path),
            "ALLOWED_HOSTS": "sigill.example",
            "SIGILL_VAULT_KEYS": vault_keys,
            **env,
        }
    )
    return subprocess.run(  # noqa: S603 (our own manage.py, with a fixed argument list)
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_production_start_without_a_secret_key_stops_with_a_clear_message(tmp_path: Path) -> None:
    result = start_django(tmp_path, DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret_key"
    secret_file.write_text("x" * 60)
    result = start_django(tmp_path, DEBUG="false", SECRET_KEY_FILE=str(secret_file))
    assert result.returncode == 0, result.stderr


def test_an_unreadable_secret_file_is_named_in_the_error(tmp_path: Path) -> None:
    result = start_django(tmp_path, DEBUG="false", SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "SECRET_KEY_FILE points to" in result.stderr


@pytest.mark.django_db
def test_sqlite_waits_for_a_busy_database_and_takes_the_write_lock_up_front() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_rq_backend_needs_a_redis_address_and_then_passes_the_system_checks(tmp_path: Path) -> None:
    rq = {"DEBUG": "true", "TASKS_BACKEND": "django_tasks_rq.RQBackend"}

    without_redis = start_django(tmp_path, **rq)
    with_redis = start_django(tmp_path, **rq, REDIS_URL="redis://127.0.0.1:6379/0")

    assert without_redis.returncode != 0 and "REDIS_URL is not set" in without_redis.stderr
    assert with_redis.returncode == 0, with_redis.stderr
