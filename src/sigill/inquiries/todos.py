"""What the queue asks of the contact center on the start page."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from sigill.core.policies import policy_for
from sigill.core.todo import Todo, provider
from sigill.inquiries import selectors
from sigill.inquiries.models import Inquiry
from sigill.organisation.people import User


@provider
def inquiries_waiting(user: User) -> list[Todo]:
    if not policy_for(Inquiry).can(user, "work"):
        return []
    todos = []
    url = reverse("inquiries:queue")
    if overdue := selectors.overdue(user).count():
        title = ngettext(
            "%(count)d inquiry is past its response time",
            "%(count)d inquiries are past their response time",
            overdue,
        )
        todos.append(Todo(title=title % {"count": overdue}, url=url, count=overdue, urgent=True))
    waiting = selectors.queue(user).aggregate(count=Count("pk"), oldest=Min("received_at"))
    if waiting["count"]:
        title = ngettext(
            "%(count)d open inquiry waits for an answer",
            "%(count)d open inquiries wait for an answer",
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
    return todos
