"""``manage.py import_export`` shows its progress: a bar on a terminal, plain lines in a log."""

from __future__ import annotations

import io

from django.core.management import call_command

from sigill.registry.models import Account
from tests.connectors.conftest import FIXTURES

EXPORT = FIXTURES / "facebook/dyi-export/facebook-varakommun-2025-03-14-Xk2pQ9.zip"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_a_log_the_progress_is_a_plain_line_per_tenth_ending_at_all_items(vara_page: Account) -> None:
    out = io.StringIO()
    call_command("import_export", str(EXPORT), account=vara_page.slug, stdout=out)
    lines = out.getvalue().splitlines()
    progress = [line for line in lines if line.endswith(" %)")]
    assert progress, lines
    total = progress[-1].split("/")[1].split()[0]
    assert progress[-1] == f"{total}/{total} items (100 %)"
    assert "\r" not in out.getvalue()
    assert lines[len(progress)].startswith("Imported "), "the report follows the progress"


def test_on_a_terminal_the_progress_is_a_bar_redrawn_in_place(vara_page: Account) -> None:
    out = Terminal()
    call_command("import_export", str(EXPORT), account=vara_page.slug, stdout=out)
    drawn = out.getvalue().split("\r")
    assert drawn[-1].startswith("[" + "#" * 30 + "]")
    assert "Imported " in drawn[-1]


def test_progress_can_be_left_out(vara_page: Account) -> None:
    out = Terminal()
    call_command("import_export", str(EXPORT), account=vara_page.slug, progress="none", stdout=out)
    assert "\r" not in out.getvalue() and " %)" not in out.getvalue()
    assert out.getvalue().startswith("Imported ")
