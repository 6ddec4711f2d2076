"""What the moderation queue asks of people on the start page: breaches first."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from sigill.compliance.selectors import open_reports_for
from sigill.core.todo import Todo, provider
from sigill.moderation import selectors
from sigill.moderation.policies import decidable_accounts
from sigill.organisation.people import User


@provider
def moderation_waiting(user: User) -> list[Todo]:
    todos = []
    url = reverse("moderation:queue")
    reports = open_reports_for(decidable_accounts(user)).aggregate(
        count=Count("pk"), oldest=Min("reported_at")
    )
    if reports["count"]:
        title = ngettext(
            "%(count)d resident's report of a comment waits to be handled",
            "%(count)d residents' reports of comments wait to be handled",
            reports["count"],
        )
        todos.append(
            Todo(
                title=title % {"count": reports["count"]},
                url=url,
                count=reports["count"],
                urgent=True,
                oldest=reports["oldest"],
            )
        )
    if overdue := selectors.overdue_for(user).count():
        title = ngettext(
            "%(count)d comment is past its moderation time target",
            "%(count)d comments are past their moderation time target",
            overdue,
        )
        todos.append(Todo(title=title % {"count": overdue}, url=url, count=overdue, urgent=True))
    waiting = selectors.open_for(user).aggregate(count=Count("pk"), oldest=Min("opened_at"))
    if waiting["count"]:
        title = ngettext(
            "%(count)d comment waits for a moderation decision",
            "%(count)d comments wait for a moderation decision",
            waiting["count"],
        )
        todos.append(
            Todo(
                title=title % {"count": waiting["count"]},
                url=url,
                count=waiting["count"],
                oldest=waiting["oldest"],
            )
        )
    if to_register := selectors.awaiting_registration(user).count():
        title = ngettext(
            "%(count)d moderated record must be registered",
            "%(count)d moderated records must be registered",
            to_register,
        )
        todos.append(
            Todo(
                title=title % {"count": to_register},
                url=reverse("moderation:registrations"),
                count=to_register,
            )
        )
    return todos
