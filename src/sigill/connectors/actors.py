"""Each platform's actor for the moderation queue, registered with moderation's contract."""

from __future__ import annotations

# One module per platform; importing them registers their connectors (sync) as well.
PLATFORM_MODULES = ("facebook", "instagram", "youtube", "linkedin", "x", "mastodon", "bluesky")


def register_actors() -> None:
    """Called once when the app loads."""
    from importlib import import_module

    for name in PLATFORM_MODULES:
        import_module(f"sigill.connectors.{name}")
