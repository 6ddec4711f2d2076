"""What compliance asks of people on the start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from sigill.compliance import selectors
from sigill.core.policies import policy_for
from sigill.core.todo import Todo, provider
from sigill.organisation.people import User
from sigill.registry.models import Account


@provider
def profile_checks_due(user: User) -> list[Todo]:
    """Editors and comms check the profiles they work on: yearly, and again while one fails."""
    editable = set(policy_for(Account).queryset(user, "edit_content").values_list("pk", flat=True))
    if not editable:
        return []
    count = sum(account.pk in editable for account in selectors.failing_accounts(user))
    if not count:
        return []
    title = ngettext(
        "%(count)d account profile fails its check or is due for one",
        "%(count)d account profiles fail their check or are due for one",
        count,
    )
    return [
        Todo(title=title % {"count": count}, url=reverse("compliance:overview") + "?failing=1", count=count)
    ]
