"""What the registry asks of people on the start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from sigill.core.todo import Todo, provider
from sigill.organisation.people import Role, User
from sigill.organisation.selectors import has_role
from sigill.registry import selectors
from sigill.registry.models import EditorAssignment, current_assignments_q


@provider
def reviews_due(user: User) -> list[Todo]:
    """Comms reviews every account yearly; unit managers see the reviews due in their units."""
    if not has_role(user, Role.COMMS, Role.UNIT_MANAGER):
        return []
    count = selectors.accounts_due_for_review(user).count()
    if not count:
        return []
    title = ngettext(
        "%(count)d account is due for its yearly review",
        "%(count)d accounts are due for their yearly review",
        count,
    )
    return [Todo(title=title % {"count": count}, url=reverse("registry:reviews_due"), count=count)]


@provider
def access_review_due(user: User) -> list[Todo]:
    """Editors not confirmed within a year are due for the access review."""
    if not has_role(user, Role.COMMS):
        return []
    year_ago = timezone.now() - selectors.ACCESS_REVIEW_INTERVAL
    count = (
        EditorAssignment.objects.filter(current_assignments_q()).exclude(confirmed_at__gte=year_ago).count()
    )
    if not count:
        return []
    title = ngettext(
        "%(count)d editor has not been confirmed in the access review this year",
        "%(count)d editors have not been confirmed in the access review this year",
        count,
    )
    return [Todo(title=title % {"count": count}, url=reverse("registry:access_review"), count=count)]
