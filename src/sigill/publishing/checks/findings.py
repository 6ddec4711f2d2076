"""What a pre-publication check reports."""

from __future__ import annotations

import dataclasses
import enum


class Severity(enum.IntEnum):
    """How a finding weighs: ``BLOCKS`` stops publishing until resolved or overridden by comms."""

    ADVICE = 1
    WARNING = 2
    BLOCKS = 3


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found; ``code`` is stable (pages translate it), ``excerpt`` the passage."""

    code: str
    severity: Severity
    excerpt: str = ""
    # A number the advice quotes (a LIX value, a length, a limit), when it has one.
    value: float | None = None
    limit: float | None = None

    @property
    def blocks(self) -> bool:
        return self.severity is Severity.BLOCKS

    @property
    def fingerprint(self) -> str:
        """What an override is given for: this kind of finding on this passage."""
        return f"{self.code}:{self.excerpt}"
