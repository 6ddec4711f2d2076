"""Text from outside as every database and XML can hold it.

Neither PostgreSQL's text nor XML 1.0 (the e-archive) can hold NUL and the other C0 controls but
tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF; SQLite can. Text from
outside (a capture, a mail to the contact center) is normalised on the way in: each such character
is replaced by U+FFFD and counted, so SQLite and PostgreSQL store the same and the replacement can
be recorded beside what was stored.
"""

from __future__ import annotations

import re
from collections import Counter

UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def holdable(value: str, replaced: Counter[str] | None = None) -> str:
    """``value`` with the characters no database or XML can hold replaced, each counted in
    ``replaced`` by its code point (``U+0000``)."""
    if not UNHOLDABLE.search(value):
        return value

    def swap(match: re.Match[str]) -> str:
        if replaced is not None:
            replaced[f"U+{ord(match.group()):04X}"] += 1
        return REPLACEMENT

    return UNHOLDABLE.sub(swap, value)
