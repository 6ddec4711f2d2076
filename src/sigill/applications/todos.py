"""What the e-service asks of people on the start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from sigill.applications import selectors
from sigill.applications.models import Application
from sigill.core.todo import Todo, provider
from sigill.organisation.people import User


@provider
def applications_waiting(user: User) -> list[Todo]:
    count = selectors.waiting_for(user).count()
    if not count:
        return []
    title = ngettext(
        "%(count)d application waits for your decision",
        "%(count)d applications wait for your decision",
        count,
    )
    return [Todo(title=title % {"count": count}, url=reverse("applications:list"), count=count, urgent=True)]


@provider
def applications_returned(user: User) -> list[Todo]:
    count = Application.objects.filter(applicant=user, state=Application.State.RETURNED).count()
    if not count:
        return []
    title = ngettext(
        "%(count)d of your applications was returned for completion",
        "%(count)d of your applications were returned for completion",
        count,
    )
    return [Todo(title=title % {"count": count}, url=reverse("applications:list"), count=count)]
