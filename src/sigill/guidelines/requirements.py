"""The guideline's condition on editors: whoever edits has acknowledged the version in force (G8)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sigill.guidelines.selectors import has_acknowledged_current
from sigill.organisation.people import User
from sigill.registry.services import editor_requirement


@editor_requirement
def guideline_acknowledged(user: User) -> str | None:
    if has_acknowledged_current(user):
        return None
    return _(
        "%(person)s has not acknowledged the social media guideline in force. "
        "They must read and acknowledge it before they can be made an editor."
    ) % {"person": user.get_full_name() or user.username}
