"""Each platform's actor for the moderation queue, registered with moderation's contract."""

from __future__ import annotations

from sigill.moderation import platform_acts


def register_actors() -> None:
    """Called once when the app loads."""
    from sigill.connectors import facebook  # noqa: F401

    _ = platform_acts
