"""What the organisation asks of people on the start page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sigill.core.todo import Todo, provider
from sigill.organisation.models import Role, Unit
from sigill.organisation.selectors import has_role


@provider
def administrations_without_manager(user: Any) -> list[Todo]:
    """Comms keeps every administration with a unit manager, who anchors its units' applications."""
    if not has_role(user, Role.COMMS):
        return []
    count = (
        Unit.objects.filter(kind=Unit.Kind.ADMINISTRATION)
        .exclude(memberships__role=Role.UNIT_MANAGER)
        .count()
    )
    if not count:
        return []
    title = ngettext(
        "%(count)d administration has no unit manager",
        "%(count)d administrations have no unit manager",
        count,
    ) % {"count": count}
    return [
        Todo(
            title=title,
            url=reverse("organisation:tree"),
            count=count,
            detail=_("Grant the role in the organisation."),
        )
    ]
