"""What compliance does when the archive captures something: a changed profile is checked at once."""

from __future__ import annotations

from typing import Any

from sigill.archive import selectors as archive_selectors
from sigill.compliance import services
from sigill.registry.models import Account


def check_changed_profiles(sender: Any, item_ids: list[int], **kwargs: Any) -> None:
    """Receives the archive's ``items_captured`` signal, after the capture committed."""
    for account_id, text in archive_selectors.profile_snapshots(item_ids):
        services.check_captured_profile(account=Account.objects.get(pk=account_id), profile_text=text)
