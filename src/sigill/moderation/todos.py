"""What the moderation queue asks of people on the start page: breaches first."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from sigill.core.todo import Todo, provider
from sigill.moderation import selectors


@provider
def moderation_waiting(user: Any) -> list[Todo]:
    todos = []
    url = reverse("moderation:queue")
    if overdue := selectors.overdue_for(user).count():
        title = ngettext(
            "%(count)d comment is past its moderation time target",
            "%(count)d comments are past their moderation time target",
            overdue,
        )
        todos.append(Todo(title=title % {"count": overdue}, url=url, count=overdue, urgent=True))
    if waiting := selectors.open_for(user).count():
        title = ngettext(
            "%(count)d comment waits for a moderation decision",
            "%(count)d comments wait for a moderation decision",
            waiting,
        )
        todos.append(Todo(title=title % {"count": waiting}, url=url, count=waiting))
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
