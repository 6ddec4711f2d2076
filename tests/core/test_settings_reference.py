"""The configuration reference in docs/ is generated from the settings module and kept up to date."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from sigill.core.settings_reference import collect, reference

SETTINGS = Path(settings.BASE_DIR) / "src" / "sigill" / "settings.py"


def test_the_committed_configuration_reference_is_up_to_date() -> None:
    """If this fails, run `manage.py settings_reference --write` and commit docs/configuration.md."""
    call_command("settings_reference", "--check")


def test_every_variable_the_settings_read_is_in_the_reference() -> None:
    read = set(
        re.findall(r"""(?:\benv(?:\.\w+)?|\bsecret)\(\s*["']([A-Z][A-Z0-9_]*)["']""", SETTINGS.read_text())
    )
    _docstring, sections = collect(SETTINGS)
    listed = {variable.name for section in sections for variable in section.variables}
    assert read == listed
    assert {"SECRET_KEY", "DATABASE_URL", "SIGILL_VAULT_KEYS", "REDIS_URL", "OIDC_RP_CLIENT_ID"} <= listed


def test_it_groups_variables_under_their_paragraph_comment_with_defaults_and_conditions(
    tmp_path: Path,
) -> None:
    module = tmp_path / "settings.py"
    module.write_text(
        '"""Example settings."""\n'
        "env = object()\n"
        "\n"
        "# Mail: where it goes; how it is sent.\n"
        'EMAIL_HOST = env.str("MAIL_HOST", default="localhost")\n'
        "# Seconds before giving up.\n"
        'EMAIL_TIMEOUT = env.int("MAIL_TIMEOUT", default=10)  # Python\'s default is none\n'
        "\n"
        "# Optional relay.\n"
        'RELAY = env.bool("RELAY", default=False)\n'
        "if RELAY:\n"
        '    RELAY_PASSWORD = secret("RELAY_PASSWORD")\n'
    )

    text = reference(module)

    assert "## Mail\n\nWhere it goes; how it is sent.\n" in text
    assert '| `MAIL_HOST` | text | `"localhost"` | `EMAIL_HOST` |  |' in text
    assert (
        "| `MAIL_TIMEOUT` | integer | `10` | `EMAIL_TIMEOUT` | Seconds before giving up. Python's default is none |"
        in text
    )
    assert "## Optional relay\n" in text
    assert (
        "| `RELAY_PASSWORD` | secret | none: required. Also read from the file named by `RELAY_PASSWORD_FILE` "
        "| `RELAY_PASSWORD` | Read only when `RELAY`. |" in text
    )
