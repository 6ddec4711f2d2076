"""The interface is Swedish throughout: every text in the Swedish catalogue is translated."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CATALOGUE = (
    Path(__file__).resolve().parents[2] / "src" / "sigill" / "locale" / "sv" / "LC_MESSAGES" / "django.po"
)


def test_every_message_has_a_swedish_translation() -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt (gettext) is missing: scripts/test.sh installs it")
    result = subprocess.run(  # noqa: S603 (a fixed command on our own file)
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def msgids(catalogue: Path) -> set[str]:
    """The message ids of a .po file, each joined from its quoted continuation lines."""
    ids: set[str] = set()
    current: list[str] | None = None
    for line in catalogue.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [line.removeprefix("msgid ").strip('"')]
        elif line.startswith('"') and current is not None:
            current.append(line.strip('"'))
        elif current is not None:
            ids.add("".join(current))
            current = None
    return ids - {""}


def test_the_catalogue_holds_every_text_of_the_code_and_templates(tmp_path: Path) -> None:
    """A new text that was never extracted would show in English: makemessages must find nothing new."""
    source = CATALOGUE.parents[3]
    copy = tmp_path / "sigill"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    manage = source.parents[1] / "manage.py"
    result = subprocess.run(  # noqa: S603 (our own manage.py, with a fixed argument list)
        [sys.executable, str(manage), "makemessages", "-l", "sv", "-v", "0"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = msgids(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po")
    assert fresh - msgids(CATALOGUE) == set(), "run makemessages -l sv in src/sigill and translate"
