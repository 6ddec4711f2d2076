"""What the capture state asks of comms and editors on the start page.

An account whose capture has failed for longer than the alert limit (the moderation time target:
a comment not captured cannot be moderated in time) is flagged for comms and for its editors.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sigill.connectors import selectors
from sigill.connectors.policies import importable_accounts
from sigill.core.todo import Todo, provider


@provider
def capture_gaps(user: Any) -> list[Todo]:
    todos = []
    for connection in selectors.long_gaps(importable_accounts(user)):
        todos.append(
            Todo(
                title=_("%(account)s is not being captured: %(state)s")
                % {"account": connection.account, "state": connection.get_status_display().lower()},
                url=reverse("connectors:account", kwargs={"slug": connection.account.slug}),
                detail=_("Since %(time)s. Fill the gap by export file or manual capture.")
                % {"time": timezone.localtime(connection.status_changed_at).strftime("%Y-%m-%d %H:%M")},
                urgent=True,
            )
        )
    return todos
