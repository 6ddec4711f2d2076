"""What the records ask of the registrar on the start page."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from sigill.core.todo import Todo, provider
from sigill.organisation.people import User
from sigill.records import policies, selectors
from sigill.records.services import retention


@provider
def disclosure_requests_waiting(user: User) -> list[Todo]:
    if not policies.is_registrar(user):
        return []
    todos = []
    url = reverse("records:requests")
    days = settings.DISCLOSURE_PROMPT_DAYS
    if old := selectors.requests_older_than(user, days=days).count():
        title = ngettext(
            "%(count)d disclosure request is older than %(days)d days",
            "%(count)d disclosure requests are older than %(days)d days",
            old,
        )
        todos.append(Todo(title=title % {"count": old, "days": days}, url=url, count=old, urgent=True))
    waiting = selectors.open_requests(user).aggregate(count=Count("pk"), oldest=Min("received_at"))
    if waiting["count"]:
        title = ngettext(
            "%(count)d disclosure request waits for a decision",
            "%(count)d disclosure requests wait for a decision",
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


@provider
def disposal_due(user: User) -> list[Todo]:
    if not policies.is_registrar(user):
        return []
    todos = []
    for rule in selectors.rules_for(user).filter(retired_at__isnull=True, permanent=False):
        if due := len(retention.preview(rule).item_ids):
            title = ngettext(
                "%(count)d record is due for disposal under “%(rule)s”",
                "%(count)d records are due for disposal under “%(rule)s”",
                due,
            )
            todos.append(
                Todo(title=title % {"count": due, "rule": rule.name}, url=rule.get_absolute_url(), count=due)
            )
    return todos
