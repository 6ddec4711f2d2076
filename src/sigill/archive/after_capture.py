"""Who the archive tells when a capture commits (DESIGN.md §4): moderation screens what arrived,
compliance checks a changed profile text.

Each of them registers its hook when its app loads (``after_capture.register(hook)``);
``archive.services.capture`` calls every hook, in that order, once the capture's transaction has
committed, with the ids of the items that got a new version or were seen removed.
"""

from __future__ import annotations

from collections.abc import Callable

AfterCapture = Callable[[list[int]], None]
_hooks: list[AfterCapture] = []


def register(hook: AfterCapture) -> AfterCapture:
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def captured(item_ids: list[int]) -> None:
    """Tell every registered hook about ``item_ids``; called after the capture committed."""
    for hook in _hooks:
        hook(item_ids)
