"""What compliance does when the archive captures something of a profile.

A captured profile text is checked at once. A rendered snapshot is a picture of the page whose
text only names it ("name: URL"): reading that as the profile would fail every item, so it is
never checked automatically. Any new profile capture, snapshot or text, makes a new check due
(``selectors.check_is_due``) until a person has looked.
"""

from __future__ import annotations

from sigill.archive import selectors as archive_selectors
from sigill.compliance import services
from sigill.registry.models import Account


def check_changed_profiles(item_ids: list[int]) -> None:
    """The archive's after-capture hook (``archive.after_capture``), called once the capture committed."""
    for profile in archive_selectors.profile_captures(item_ids):
        if profile.rendered:
            continue  # the snapshot makes a check due; a person judges it against the picture
        services.check_captured_profile(
            account=Account.objects.get(pk=profile.account_id), profile_text=profile.text
        )
