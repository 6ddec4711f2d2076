"""What the capture state asks of comms and editors on the start page.

An account whose capture has had a gap for longer than its moderation time target (a comment not
captured cannot be moderated in time) is flagged for comms and for its editors: a failing sync, or,
for an account without an API connection, nothing captured by hand or by export for that long.
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
    for gap in selectors.long_gaps(importable_accounts(user)):
        url = reverse("connectors:account", kwargs={"slug": gap.account.slug})
        since = timezone.localtime(gap.since).strftime("%Y-%m-%d %H:%M")
        if gap.connection is not None:
            title = _("%(account)s is not being captured: %(state)s") % {
                "account": gap.account,
                "state": gap.connection.get_status_display().lower(),
            }
            detail = _("Since %(time)s. Fill the gap by export file or manual capture.") % {"time": since}
        else:
            title = _("Nothing captured from %(account)s for more than %(hours)s hours") % {
                "account": gap.account,
                "hours": gap.target_hours,
            }
            detail = (
                _("Last capture %(time)s. Capture by hand or import an export file.")
                if gap.last_capture
                else _(
                    "Nothing captured since it went live on %(time)s. Capture by hand or import an export file."
                )
            ) % {"time": since}
        # A failing sync is news; an account captured only by hand is a standing duty.
        todos.append(Todo(title=title, url=url, detail=detail, urgent=gap.connection is not None))
    return todos
