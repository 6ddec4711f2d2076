"""The start page's to-do list. Each app registers a provider that says what a person has to do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Todo:
    """One thing a person should do, with where to do it."""

    title: str
    url: str
    count: int = 1
    detail: str = ""
    urgent: bool = False
    # When the oldest of the waiting things arrived: the start page shows its age.
    oldest: dt.datetime | None = None


TodoProvider = Callable[[Any], list[Todo]]
_providers: list[TodoProvider] = []


def provider(func: TodoProvider) -> TodoProvider:
    """Register ``func(user) -> list[Todo]`` as a source of the start page's to-do list."""
    _providers.append(func)
    return func


def todos_for(user: Any) -> list[Todo]:
    items = [item for source in _providers for item in source(user)]
    return sorted(items, key=lambda item: (not item.urgent, item.title))
