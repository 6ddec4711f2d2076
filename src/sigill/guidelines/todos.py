"""What the guideline asks of people on the start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sigill.core.todo import Todo, provider
from sigill.guidelines import selectors
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role


@provider
def acknowledge_guideline(user: User) -> list[Todo]:
    """An editor acknowledges the version in force before working on any account."""
    version = selectors.must_acknowledge(user)
    if version is None:
        return []
    title = _("Read and acknowledge the social media guideline, version %(number)d") % {
        "number": version.number
    }
    detail = _("You cannot be made an editor or moderate until you have done so.")
    return [Todo(title=title, url=reverse("guidelines:current"), detail=detail, urgent=True)]


@provider
def guideline_not_acknowledged(user: User) -> list[Todo]:
    """Comms follows up the editors who have not acknowledged the version in force."""
    if not has_role(user, Role.COMMS):
        return []
    version = selectors.current_version()
    if version is None:
        return []
    count = selectors.not_acknowledged(version).count()
    if not count:
        return []
    title = ngettext(
        "%(count)d editor has not acknowledged the guideline in force",
        "%(count)d editors have not acknowledged the guideline in force",
        count,
    )
    return [Todo(title=title % {"count": count}, url=reverse("guidelines:report"), count=count)]
