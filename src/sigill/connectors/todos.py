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
from django.utils.translation import ngettext

from sigill.connectors import selectors
from sigill.connectors.models import Connection
from sigill.connectors.policies import importable_accounts
from sigill.core.todo import Todo, provider
from sigill.organisation.people import User


@provider
def capture_gaps(user: User) -> list[Todo]:
    accounts = importable_accounts(user)
    gaps = selectors.long_gaps(accounts)
    by_hand = [gap for gap in gaps if gap.connection is None]
    too_long = {gap.account.pk for gap in gaps if gap.connection is not None}
    # Every broken connection is shown from the moment it breaks, urgent once its gap is longer
    # than the account's moderation time target; an account captured only by hand is a standing
    # duty: one reminder, which names the account when there is only one.
    todos = [
        _failing(connection, urgent=connection.account_id in too_long)
        for connection in selectors.broken_connections(accounts)
    ]
    if len(by_hand) == 1:
        todos.append(_not_captured(by_hand[0]))
    elif by_hand:
        todos.append(
            Todo(
                title=ngettext(
                    "%(count)s account without an API connection has had nothing captured for longer "
                    "than its moderation time target",
                    "%(count)s accounts without an API connection have had nothing captured for longer "
                    "than their moderation time target",
                    len(by_hand),
                )
                % {"count": len(by_hand)},
                url=reverse("connectors:overview"),
                count=len(by_hand),
                detail=", ".join(str(gap.account) for gap in by_hand[:5])
                + (" …" if len(by_hand) > 5 else ""),
            )
        )
    return todos


def _failing(connection: Connection, *, urgent: bool) -> Todo:
    return Todo(
        title=_("%(account)s is not being captured: %(state)s")
        % {"account": connection.account, "state": connection.get_status_display().lower()},
        url=reverse("connectors:account", kwargs={"slug": connection.account.slug}),
        detail=_("Since %(time)s. Fill the gap by export file or manual capture.")
        % {"time": _local(connection.status_changed_at)},
        urgent=urgent,
        oldest=connection.status_changed_at,
    )


def _not_captured(gap: selectors.LongGap) -> Todo:
    detail = (
        _("Last capture %(time)s. Capture by hand or import an export file.")
        if gap.last_capture
        else _("Nothing captured since it went live on %(time)s. Capture by hand or import an export file.")
    )
    return Todo(
        title=_("Nothing captured from %(account)s for more than %(hours)s hours")
        % {"account": gap.account, "hours": gap.target_hours},
        url=reverse("connectors:account", kwargs={"slug": gap.account.slug}),
        detail=detail % {"time": _local(gap.since)},
    )


def _local(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"))
